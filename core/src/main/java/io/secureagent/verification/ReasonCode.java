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
package io.secureagent.verification;

/**
 * Why a message was rejected: a stable slug, the HTTP status that answers it, and whether
 * the sender or the receiver's infrastructure is at fault. The slugs are part of the
 * protocol and never change meaning.
 *
 * @author secure-agent authors
 */
public enum ReasonCode {

	/** The message is larger than the configured limit. */
	MESSAGE_TOO_LARGE("message-too-large", 413),

	/** The message is not strict I-JSON, or not a well-formed envelope. */
	MALFORMED("malformed", 400),

	/** The envelope names a protocol version this agent does not speak. */
	UNSUPPORTED_VERSION("unsupported-version", 400),

	/** expiresAt is not after issuedAt, or the lifetime exceeds the maximum. */
	INVALID_LIFETIME("invalid-lifetime", 400),

	/** issuedAt is later than now plus the allowed clock skew. */
	NOT_YET_VALID("not-yet-valid", 401),

	/** expiresAt plus the allowed clock skew has passed. */
	EXPIRED("expired", 401),

	/** issuedAt is older than the freshness window plus the allowed clock skew. */
	STALE("stale", 401),

	/** The recipient is not this agent. */
	WRONG_RECIPIENT("wrong-recipient", 401),

	/**
	 * The certificate chain does not lead to the sender's trust bundle at signing time.
	 */
	UNTRUSTED_CHAIN("untrusted-chain", 401),

	/** The leaf certificate is a CA, has the wrong key usage, or an unsupported key. */
	INVALID_LEAF("invalid-leaf", 401),

	/** The leaf does not have exactly one URI SAN equal to the sender. */
	SENDER_MISMATCH("sender-mismatch", 401),

	/** The named algorithm is not one this agent accepts. */
	UNSUPPORTED_ALGORITHM("unsupported-algorithm", 401),

	/** The signature does not verify, or was not made by the algorithm of the key. */
	BAD_SIGNATURE("bad-signature", 401),

	/** The message id was already used by this sender. */
	REPLAYED("replayed", 409),

	/**
	 * The replay store is full of live entries; the message is refused, none is evicted.
	 */
	REPLAY_STORE_FULL("replay-store-full", 503),

	/** The replay store cannot be reached. */
	REPLAY_STORE_UNAVAILABLE("replay-store-unavailable", 503),

	/** This agent's own identity is not available. */
	IDENTITY_UNAVAILABLE("identity-unavailable", 503);

	private final String slug;

	private final int httpStatus;

	ReasonCode(String slug, int httpStatus) {
		this.slug = slug;
		this.httpStatus = httpStatus;
	}

	/**
	 * Return the stable slug, as carried in problem responses and metrics.
	 * @return the slug
	 */
	public String slug() {
		return this.slug;
	}

	/**
	 * Return the HTTP status that answers this reason.
	 * @return the status
	 */
	public int httpStatus() {
		return this.httpStatus;
	}

	/**
	 * Whether the receiver's infrastructure, not the message, caused the rejection.
	 * @return whether this is an infrastructure failure
	 */
	public boolean isInfrastructure() {
		return this.httpStatus >= 500;
	}

}
