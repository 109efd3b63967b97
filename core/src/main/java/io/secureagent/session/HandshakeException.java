/*
 * Copyright 2026 the secure-agent authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.secureagent.session;

import java.util.Objects;

/**
 * Thrown when a handshake message cannot establish a session. The verification pipeline
 * turns each {@link Failure} into its reason code; nothing was changed by the attempt.
 *
 * @author secure-agent authors
 */
public final class HandshakeException extends Exception {

	private final Failure failure;

	/**
	 * Create an exception.
	 * @param failure what failed
	 * @param detail what rule was broken, in words safe to log
	 */
	public HandshakeException(Failure failure, String detail) {
		super(detail, null, false, false);
		this.failure = Objects.requireNonNull(failure, "failure cannot be null");
	}

	/**
	 * Return what failed.
	 * @return the failure
	 */
	public Failure failure() {
		return this.failure;
	}

	/**
	 * Why a handshake message was refused.
	 */
	public enum Failure {

		/** The payload is not a well-formed handshake payload. */
		MALFORMED,

		/**
		 * The payload names identities other than the envelope's sender and recipient.
		 */
		IDENTITY_MISMATCH,

		/** No handshake with this peer awaits this accept. */
		UNEXPECTED,

		/** The accept answers another init. */
		TRANSCRIPT_MISMATCH,

		/** The accept did not choose the best common version and suite. */
		DOWNGRADE,

		/** No protocol version in common. */
		NO_COMMON_VERSION,

		/** No AEAD suite in common. */
		NO_COMMON_SUITE,

		/** The peer's key share is malformed or of low order. */
		INVALID_KEY_SHARE,

		/** The session store is full of live sessions. */
		STORE_FULL,

		/** The peer holds as many live sessions as it may. */
		PEER_QUOTA_EXCEEDED,

		/** The session id is already bound to a session here. */
		SESSION_ID_IN_USE,

		/** This agent's own identity is not available. */
		IDENTITY_UNAVAILABLE

	}

}
