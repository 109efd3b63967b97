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

	/**
	 * issuedAt is older than the freshness window plus the allowed clock skew. With the
	 * reference defaults (a freshness window equal to the maximum lifetime) a message
	 * that old has already expired and is refused {@code expired} first; {@code stale} is
	 * answered only where the freshness window is shorter than the maximum lifetime.
	 */
	STALE("stale", 401),

	/** The recipient is not this agent, or the message is this agent's own, reflected. */
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

	/**
	 * The TLS client certificate names another SPIFFE ID than the sender, or is missing
	 * where it is required.
	 */
	TLS_PEER_MISMATCH("tls-peer-mismatch", 401),

	/** The message type or protocol version has passed its sunset here. */
	SUNSET("sunset", 410),

	/** The sender is not allowed to send this message type. */
	UNAUTHORIZED_SENDER("unauthorized-sender", 403),

	/**
	 * The message type is not one this agent accepts in this direction: no handler takes
	 * it as a request, or it is not the answer expected.
	 */
	UNKNOWN_TYPE("unknown-type", 400),

	/**
	 * A message made for the other direction: a request whose correlationId is not its
	 * own id is an answer, or part of another exchange.
	 */
	WRONG_DIRECTION("wrong-direction", 400),

	/** An answer is not signed by the peer that was dialled. */
	UNEXPECTED_PEER("unexpected-peer", 401),

	/** An answer is not correlated with the request it answers. */
	UNCORRELATED("uncorrelated", 400),

	/**
	 * An answer did not travel in the request's session: encrypted in another, or in
	 * plaintext to an encrypted request.
	 */
	WRONG_SESSION("wrong-session", 401),

	/** The payload does not match its message type's schema. */
	SCHEMA_VIOLATION("schema-violation", 422),

	/** A plaintext message arrived where encryption is required. */
	ENCRYPTION_REQUIRED("encryption-required", 400),

	/** The session of an encrypted message is not known here. */
	UNKNOWN_SESSION("unknown-session", 401),

	/**
	 * The session of an encrypted message has expired, or the sequence number is past its
	 * message limit.
	 */
	SESSION_EXPIRED("session-expired", 401),

	/** The sender or recipient of an encrypted message is not a party to its session. */
	SESSION_PEER_MISMATCH("session-peer-mismatch", 401),

	/** The ciphertext, its tag, its nonce or its associated data was altered. */
	DECRYPT_FAILED("decrypt-failed", 401),

	/** A handshake names identities other than its sender and recipient. */
	HANDSHAKE_IDENTITY_MISMATCH("handshake-identity-mismatch", 401),

	/**
	 * A session.accept answers no session.init this agent is waiting on, or arrived as a
	 * request.
	 */
	UNEXPECTED_HANDSHAKE("unexpected-handshake", 409),

	/** A session.accept was made for another session.init than the one sent. */
	TRANSCRIPT_MISMATCH("transcript-mismatch", 401),

	/** A session.accept chose other than the best version or suite both sides support. */
	DOWNGRADE("downgrade", 401),

	/** The two sides share no protocol version. */
	NO_COMMON_VERSION("no-common-version", 400),

	/** The two sides share no AEAD suite. */
	NO_COMMON_SUITE("no-common-suite", 400),

	/** An X25519 key share is malformed or of low order (all-zero shared secret). */
	INVALID_KEY_SHARE("invalid-key-share", 400),

	/** The message id was already used by this sender. */
	REPLAYED("replayed", 409),

	/** The sequence number is below the session's replay window. */
	SEQUENCE_TOO_OLD("sequence-too-old", 409),

	/**
	 * The replay store is full of live entries; the message is refused, none is evicted.
	 */
	REPLAY_STORE_FULL("replay-store-full", 503),

	/**
	 * The replay store lost its state (a restart without persistence, a failover, a
	 * flush) and refuses messages issued before the loss was detected, until all of them
	 * have expired; a fresh message goes through.
	 */
	REPLAY_STATE_LOST("replay-state-lost", 503),

	/** The replay store cannot be reached. */
	REPLAY_STORE_UNAVAILABLE("replay-store-unavailable", 503),

	/** The session store, kept outside this process, cannot be reached. */
	SESSION_STORE_UNAVAILABLE("session-store-unavailable", 503),

	/** The session store is full of live sessions. */
	SESSION_STORE_FULL("session-store-full", 503),

	/**
	 * The sender holds as many live sessions, or replay entries, as one peer may: a share
	 * of the stores that keeps room for the others.
	 */
	PEER_QUOTA_EXCEEDED("peer-quota-exceeded", 429),

	/** A session.accept names a session id already bound to a session here. */
	SESSION_ID_IN_USE("session-id-in-use", 409),

	/**
	 * A check failed in a way it should not (a bug, or a store that broke its contract):
	 * the message is refused, fail closed, and nothing it prepared is kept.
	 */
	VERIFIER_FAILED("verifier-failed", 503),

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
