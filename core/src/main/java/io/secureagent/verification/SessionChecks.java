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

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import javax.crypto.AEADBadTagException;

import io.secureagent.canonical.MalformedJsonException;
import io.secureagent.envelope.Envelope;
import io.secureagent.envelope.EnvelopeHeader;
import io.secureagent.session.Handshake;
import io.secureagent.session.HandshakeException;
import io.secureagent.session.Session;
import io.secureagent.session.SessionManager;
import io.secureagent.session.SessionStoreUnavailableException;

/**
 * The session checks of the pipeline, between the signature and the schema: the session
 * of an encrypted message, its decryption, and the handshake. They read the
 * {@link SessionManager} and change nothing; the session a handshake establishes is bound
 * at the commit point.
 *
 * @author secure-agent authors
 */
final class SessionChecks {

	private SessionChecks() {
	}

	static CheckFailedException failure(HandshakeException ex) {
		ReasonCode reason = switch (ex.failure()) {
			case MALFORMED -> ReasonCode.MALFORMED;
			case IDENTITY_MISMATCH -> ReasonCode.HANDSHAKE_IDENTITY_MISMATCH;
			case UNEXPECTED -> ReasonCode.UNEXPECTED_HANDSHAKE;
			case TRANSCRIPT_MISMATCH -> ReasonCode.TRANSCRIPT_MISMATCH;
			case DOWNGRADE -> ReasonCode.DOWNGRADE;
			case NO_COMMON_VERSION -> ReasonCode.NO_COMMON_VERSION;
			case NO_COMMON_SUITE -> ReasonCode.NO_COMMON_SUITE;
			case INVALID_KEY_SHARE -> ReasonCode.INVALID_KEY_SHARE;
			case STORE_FULL -> ReasonCode.SESSION_STORE_FULL;
			case PEER_QUOTA_EXCEEDED -> ReasonCode.PEER_QUOTA_EXCEEDED;
			case SESSION_ID_IN_USE -> ReasonCode.SESSION_ID_IN_USE;
			case IDENTITY_UNAVAILABLE -> ReasonCode.IDENTITY_UNAVAILABLE;
		};
		return new CheckFailedException(reason, String.valueOf(ex.getMessage()));
	}

	/**
	 * An encrypted message names a live session whose parties are its sender and
	 * recipient, under a sequence number within the session's message limit.
	 */
	record SessionCheck(SessionManager sessions, boolean encryptionRequired) implements Check {

		@Override
		public String name() {
			return "session";
		}

		@Override
		public String summary() {
			return "An encrypted message names a live session between its sender and recipient, within its message limit";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.ENCRYPTION_REQUIRED, ReasonCode.UNKNOWN_SESSION, ReasonCode.SESSION_EXPIRED,
					ReasonCode.SESSION_PEER_MISMATCH, ReasonCode.MALFORMED, ReasonCode.SESSION_STORE_UNAVAILABLE);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			Envelope envelope = context.envelope();
			EnvelopeHeader header = envelope.header();
			if (!(envelope.body() instanceof Envelope.Encrypted encrypted)) {
				if (this.encryptionRequired && !StandardChecks.isProtocolType(header.type())) {
					throw StandardChecks.fail(ReasonCode.ENCRYPTION_REQUIRED,
							"messages must be encrypted in a session");
				}
				return;
			}
			if (Handshake.isHandshake(header.type())) {
				throw StandardChecks.fail(ReasonCode.MALFORMED, "handshake messages are never encrypted");
			}
			Session session;
			try {
				session = this.sessions.find(encrypted.sessionId())
					.orElseThrow(() -> StandardChecks.fail(ReasonCode.UNKNOWN_SESSION, "session is not known"));
			}
			catch (SessionStoreUnavailableException ex) {
				throw StandardChecks.fail(ReasonCode.SESSION_STORE_UNAVAILABLE, "session store is unavailable");
			}
			if (!session.peer().equals(header.sender()) || !session.local().equals(header.recipient())) {
				throw StandardChecks.fail(ReasonCode.SESSION_PEER_MISMATCH, "sender is not the session's peer");
			}
			if (session.isExpired(Instant.ofEpochMilli(context.now()))) {
				throw StandardChecks.fail(ReasonCode.SESSION_EXPIRED, "session has expired");
			}
			if (!session.acceptsSequence(encrypted.sequence())) {
				throw StandardChecks.fail(ReasonCode.SESSION_EXPIRED, "sequence number is past the session's limit");
			}
			context.session(session);
		}

	}

	/** The ciphertext authenticates in its session and opens to strict I-JSON. */
	record DecryptCheck(SessionManager sessions) implements Check {

		@Override
		public String name() {
			return "decrypt";
		}

		@Override
		public String summary() {
			return "The ciphertext authenticates under the session's key, with the envelope header as associated data";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.DECRYPT_FAILED, ReasonCode.MALFORMED);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			Session session = context.session();
			if (session == null) {
				return;
			}
			try {
				context.payload(this.sessions.open(session, context.envelope()));
			}
			catch (AEADBadTagException ex) {
				throw StandardChecks.fail(ReasonCode.DECRYPT_FAILED, "ciphertext does not authenticate");
			}
			catch (MalformedJsonException ex) {
				throw StandardChecks.fail(ReasonCode.MALFORMED, "decrypted payload: " + ex.getMessage());
			}
		}

	}

	/**
	 * A {@code session.init} (as a request) or {@code session.accept} (as an answer) is
	 * well formed, bound to its signer, to the transcript and to the best common version
	 * and suite; its session is prepared, not yet bound.
	 */
	record HandshakeCheck(SessionManager sessions) implements Check {

		@Override
		public String name() {
			return "handshake";
		}

		@Override
		public String summary() {
			return "A handshake is well formed, names its signer and recipient, answers the init sent and chose the best common version and suite";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.MALFORMED, ReasonCode.HANDSHAKE_IDENTITY_MISMATCH,
					ReasonCode.UNEXPECTED_HANDSHAKE, ReasonCode.TRANSCRIPT_MISMATCH, ReasonCode.DOWNGRADE,
					ReasonCode.NO_COMMON_VERSION, ReasonCode.NO_COMMON_SUITE, ReasonCode.INVALID_KEY_SHARE,
					ReasonCode.SESSION_STORE_FULL, ReasonCode.PEER_QUOTA_EXCEEDED, ReasonCode.SESSION_ID_IN_USE,
					ReasonCode.SESSION_STORE_UNAVAILABLE, ReasonCode.IDENTITY_UNAVAILABLE);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			Envelope envelope = context.envelope();
			String type = envelope.header().type();
			try {
				if (Handshake.INIT.equals(type)) {
					context.established(this.sessions.respond(envelope, Instant.ofEpochMilli(context.now())));
				}
				else if (Handshake.ACCEPT.equals(type)) {
					context.established(this.sessions.complete(envelope, Instant.ofEpochMilli(context.now())));
				}
			}
			catch (HandshakeException ex) {
				throw failure(ex);
			}
			catch (SessionStoreUnavailableException ex) {
				throw StandardChecks.fail(ReasonCode.SESSION_STORE_UNAVAILABLE, "session store is unavailable");
			}
		}

	}

}
