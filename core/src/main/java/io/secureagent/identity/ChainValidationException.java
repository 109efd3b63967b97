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
package io.secureagent.identity;

/**
 * Thrown when a sender's certificate chain is not a valid X.509-SVID for the claimed
 * sender. The {@link Failure} tells which rule failed; the message never carries
 * certificate content.
 *
 * @author secure-agent authors
 */
public final class ChainValidationException extends Exception {

	private final Failure failure;

	public ChainValidationException(Failure failure, String message) {
		super(message, null, false, false);
		this.failure = failure;
	}

	/**
	 * Return which rule failed.
	 * @return the failure
	 */
	public Failure failure() {
		return this.failure;
	}

	/**
	 * The rules a chain must meet.
	 */
	public enum Failure {

		/**
		 * The chain does not lead to a trust bundle of the sender's trust domain at
		 * signing time.
		 */
		UNTRUSTED_CHAIN,

		/**
		 * The leaf is a CA, lacks the digitalSignature key usage, or has an unsupported
		 * key.
		 */
		INVALID_LEAF,

		/** The leaf does not have exactly one URI SAN, equal to the claimed sender. */
		SENDER_MISMATCH

	}

}
