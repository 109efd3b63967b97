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

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.AEADBadTagException;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.MalformedJsonException;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.crypto.AeadSuite;
import io.secureagent.crypto.InvalidKeyShareException;
import io.secureagent.crypto.X25519KeyShare;
import io.secureagent.envelope.Envelope;
import io.secureagent.envelope.EnvelopeHeader;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.envelope.EnvelopeSigner.SignedEnvelope;
import io.secureagent.envelope.ProtocolVersion;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.IdentityUnavailableException;
import io.secureagent.negotiation.CapabilityDocument;
import io.secureagent.session.Handshake.MalformedHandshakeException;
import io.secureagent.verification.Check;
import io.secureagent.verification.CheckFailedException;
import io.secureagent.verification.ReasonCode;
import io.secureagent.verification.VerificationContext;
import io.spiffe.spiffeid.SpiffeId;
import org.jspecify.annotations.Nullable;

/**
 * Runs the handshakes of one agent, as initiator and as responder, and holds what they
 * establish. It contributes three checks to the receiving pipeline, between the signature
 * and the replay reservation: {@code session} (an encrypted message's session exists, is
 * live, and binds its sender and recipient), {@code decrypt} (the AEAD opens and the
 * plaintext is strict I-JSON) and {@code handshake} (a {@code session.init} or
 * {@code session.accept} is well formed, bound to its signer, to the transcript and to
 * the best common version and suite). A handshake prepares its session during the check
 * and stores it only once the message has been accepted, so a rejected handshake leaves
 * no session behind.
 *
 * @author secure-agent authors
 */
public final class SessionManager {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final int MAX_PENDING = 1024;

	private final AgentIdentity identity;

	private final EnvelopeSigner signer;

	private final SessionStore store;

	private final SessionLimits limits;

	private final List<String> versions;

	private final List<AeadSuite> suites;

	private final StrictJsonParser parser;

	private final Clock clock;

	private final Map<String, Pending> pending = new ConcurrentHashMap<>();

	private final Map<SpiffeId, Session> outbound = new ConcurrentHashMap<>();

	/**
	 * Create a manager.
	 * @param identity this agent's identity
	 * @param signer the signer of handshake messages
	 * @param store where established sessions are kept
	 * @param limits session limits
	 * @param suites the AEAD suites supported, most preferred first
	 * @param parser the strict parser for decrypted payloads
	 * @param clock the clock
	 */
	public SessionManager(AgentIdentity identity, EnvelopeSigner signer, SessionStore store, SessionLimits limits,
			List<AeadSuite> suites, StrictJsonParser parser, Clock clock) {
		this.identity = Objects.requireNonNull(identity, "identity cannot be null");
		this.signer = Objects.requireNonNull(signer, "signer cannot be null");
		this.store = Objects.requireNonNull(store, "store cannot be null");
		this.limits = Objects.requireNonNull(limits, "limits cannot be null");
		this.suites = List.copyOf(suites);
		if (this.suites.isEmpty()) {
			throw new IllegalArgumentException("suites cannot be empty");
		}
		this.versions = List.of(ProtocolVersion.V1);
		this.parser = Objects.requireNonNull(parser, "parser cannot be null");
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
	}

	/**
	 * Return the session store.
	 * @return the store
	 */
	public SessionStore store() {
		return this.store;
	}

	/**
	 * Return the number of handshakes started and not yet answered.
	 * @return the number
	 */
	public int pendingHandshakes() {
		return this.pending.size();
	}

	/**
	 * Start a handshake with a peer. The returned {@code session.init} is sent to the
	 * peer, whose {@code session.accept}, once verified by this agent's pipeline,
	 * establishes the session.
	 * @param peer the peer's SPIFFE ID
	 * @return the signed init message
	 * @throws IdentityUnavailableException if there is no SVID to sign with
	 */
	public SignedEnvelope initiate(SpiffeId peer) throws IdentityUnavailableException {
		sweepPending();
		if (this.pending.size() >= MAX_PENDING) {
			throw new IllegalStateException("too many handshakes in flight");
		}
		SpiffeId self = this.identity.spiffeId();
		X25519KeyShare keyShare = X25519KeyShare.generate();
		Handshake.Init init = new Handshake.Init(keyShare.publicKey(), this.versions,
				this.suites.stream().map(AeadSuite::wireName).toList(), self, peer);
		SignedEnvelope signed = this.signer.sign(Handshake.INIT, peer, null, init.toJson());
		Instant deadline = this.clock.instant().plus(this.limits.handshakeTimeout());
		this.pending.put(signed.header().id(), new Pending(peer, keyShare, signed.bytes(), init, deadline));
		return signed;
	}

	/**
	 * Return the live session this agent initiated with a peer, unless it is due for a
	 * rekey: callers then {@link #initiate} a new one.
	 * @param peer the peer
	 * @return the session, or empty
	 */
	public Optional<Session> sessionWith(SpiffeId peer) {
		Session session = this.outbound.get(peer);
		if (session == null || session.needsRekey(this.clock.instant())) {
			return Optional.empty();
		}
		return Optional.of(session);
	}

	/**
	 * Seal and sign a message in a session.
	 * @param session the session
	 * @param type the message type
	 * @param correlationId the exchange, or {@code null} to start one
	 * @param payload the payload
	 * @return the signed encrypted envelope
	 * @throws IdentityUnavailableException if there is no SVID to sign with
	 * @throws SessionExhaustedException if the session has no sequence numbers left
	 */
	public SignedEnvelope seal(Session session, String type, @Nullable String correlationId, JsonValue payload)
			throws IdentityUnavailableException, SessionExhaustedException {
		if (session.isExpired(this.clock.instant())) {
			throw new SessionExhaustedException("session " + session.id() + " has expired");
		}
		return this.signer.signEncrypted(type, session, correlationId, payload);
	}

	/**
	 * End a session: remove it and erase its keys.
	 * @param session the session
	 */
	public void close(Session session) {
		this.outbound.remove(session.peer(), session);
		this.store.remove(session.id());
		session.destroy();
	}

	/**
	 * Return the checks this manager adds to the pipeline, in order.
	 * @param encryptionRequired whether plaintext messages other than handshakes are
	 * refused
	 * @return the session, decrypt and handshake checks
	 */
	public List<Check> checks(boolean encryptionRequired) {
		return List.of(new SessionCheck(encryptionRequired), new DecryptCheck(), new HandshakeCheck());
	}

	private void sweepPending() {
		Instant now = this.clock.instant();
		this.pending.values().removeIf((handshake) -> {
			if (now.isAfter(handshake.deadline())) {
				handshake.keyShare().destroy();
				return true;
			}
			return false;
		});
	}

	private static CheckFailedException fail(ReasonCode reason, String detail) {
		return new CheckFailedException(reason, detail);
	}

	private EstablishedSession respond(VerificationContext context, EnvelopeHeader header, JsonValue payload)
			throws CheckFailedException {
		Handshake.Init init;
		try {
			init = Handshake.Init.read(payload);
		}
		catch (MalformedHandshakeException ex) {
			throw fail(ReasonCode.MALFORMED, ex.getMessage());
		}
		if (!init.initiator().equals(header.sender()) || !init.responder().equals(header.recipient())) {
			throw fail(ReasonCode.HANDSHAKE_IDENTITY_MISMATCH, "handshake identities are not its sender and recipient");
		}
		String version = choose(this.versions, init.versions())
			.orElseThrow(() -> fail(ReasonCode.NO_COMMON_VERSION, "no protocol version in common"));
		List<String> ourSuites = this.suites.stream().map(AeadSuite::wireName).toList();
		String suite = choose(ourSuites, init.suites())
			.orElseThrow(() -> fail(ReasonCode.NO_COMMON_SUITE, "no AEAD suite in common"));
		if (!this.store.hasRoom()) {
			throw fail(ReasonCode.SESSION_STORE_FULL, "session store is full");
		}
		X25519KeyShare keyShare = X25519KeyShare.generate();
		byte[] shared;
		try {
			shared = keyShare.agree(init.ephemeralKey());
		}
		catch (InvalidKeyShareException ex) {
			throw fail(ReasonCode.INVALID_KEY_SHARE, ex.getMessage());
		}
		finally {
			keyShare.destroy();
		}
		try {
			byte[] initBytes = JsonCanonicalizer.canonicalize(context.envelope().tree());
			String sessionId = randomId();
			Handshake.Accept accept = new Handshake.Accept(keyShare.publicKey(), version, suite, this.versions,
					ourSuites, sessionId, KeySchedule.hash(initBytes), header.sender(), header.recipient());
			SignedEnvelope reply = this.signer.sign(Handshake.ACCEPT, header.sender(), header.id(), accept.toJson());
			byte[] transcript = KeySchedule.transcriptHash(initBytes, reply.bytes());
			SessionKeys keys = KeySchedule.derive(shared, transcript, header.sender(), header.recipient(), sessionId,
					Session.Role.RESPONDER);
			Session session = new Session(sessionId, Session.Role.RESPONDER, header.recipient(), header.sender(),
					version, AeadSuite.fromWireName(suite).orElseThrow(), keys, this.clock.instant(), this.limits);
			return new EstablishedSession(session, reply);
		}
		catch (IdentityUnavailableException ex) {
			throw fail(ReasonCode.IDENTITY_UNAVAILABLE, "own identity is not available");
		}
		finally {
			Arrays.fill(shared, (byte) 0);
		}
	}

	private EstablishedSession complete(VerificationContext context, EnvelopeHeader header, JsonValue payload)
			throws CheckFailedException {
		Handshake.Accept accept;
		try {
			accept = Handshake.Accept.read(payload);
		}
		catch (MalformedHandshakeException ex) {
			throw fail(ReasonCode.MALFORMED, ex.getMessage());
		}
		Pending handshake = this.pending.get(header.correlationId());
		if (handshake == null || !handshake.peer().equals(header.sender())
				|| this.clock.instant().isAfter(handshake.deadline())) {
			throw fail(ReasonCode.UNEXPECTED_HANDSHAKE, "no handshake with this peer awaits this accept");
		}
		if (!accept.initiator().equals(header.recipient()) || !accept.responder().equals(header.sender())) {
			throw fail(ReasonCode.HANDSHAKE_IDENTITY_MISMATCH, "handshake identities are not its sender and recipient");
		}
		if (!MessageDigest.isEqual(accept.initHash(), KeySchedule.hash(handshake.initBytes()))) {
			throw fail(ReasonCode.TRANSCRIPT_MISMATCH, "accept answers another init");
		}
		// the responder must pick, by its own stated preference, from what was offered
		Optional<String> expectedVersion = choose(accept.versions(), handshake.init().versions());
		Optional<String> expectedSuite = choose(accept.suites(), handshake.init().suites());
		if (expectedVersion.isEmpty() || expectedSuite.isEmpty() || !expectedVersion.get().equals(accept.version())
				|| !expectedSuite.get().equals(accept.suite())) {
			throw fail(ReasonCode.DOWNGRADE, "accept did not choose the best common version and suite");
		}
		byte[] shared;
		try {
			shared = handshake.keyShare().agree(accept.ephemeralKey());
		}
		catch (InvalidKeyShareException ex) {
			throw fail(ReasonCode.INVALID_KEY_SHARE, ex.getMessage());
		}
		try {
			byte[] acceptBytes = JsonCanonicalizer.canonicalize(context.envelope().tree());
			byte[] transcript = KeySchedule.transcriptHash(handshake.initBytes(), acceptBytes);
			SessionKeys keys = KeySchedule.derive(shared, transcript, header.recipient(), header.sender(),
					accept.sessionId(), Session.Role.INITIATOR);
			Session session = new Session(accept.sessionId(), Session.Role.INITIATOR, header.recipient(),
					header.sender(), accept.version(), AeadSuite.fromWireName(accept.suite()).orElseThrow(), keys,
					this.clock.instant(), this.limits);
			return new EstablishedSession(session, null);
		}
		finally {
			Arrays.fill(shared, (byte) 0);
		}
	}

	private static Optional<String> choose(List<String> preference, List<String> offered) {
		return preference.stream().filter(offered::contains).findFirst();
	}

	private static String randomId() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private record Pending(SpiffeId peer, X25519KeyShare keyShare, byte[] initBytes, Handshake.Init init,
			Instant deadline) {

	}

	private final class SessionCheck implements Check {

		private final boolean encryptionRequired;

		SessionCheck(boolean encryptionRequired) {
			this.encryptionRequired = encryptionRequired;
		}

		@Override
		public String name() {
			return "session";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.ENCRYPTION_REQUIRED, ReasonCode.UNKNOWN_SESSION, ReasonCode.SESSION_EXPIRED,
					ReasonCode.SESSION_PEER_MISMATCH, ReasonCode.MALFORMED);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			Envelope envelope = context.envelope();
			EnvelopeHeader header = envelope.header();
			if (!(envelope.body() instanceof Envelope.Encrypted encrypted)) {
				if (this.encryptionRequired && !Handshake.isHandshake(header.type())
						&& !CapabilityDocument.isCapabilityType(header.type())) {
					throw fail(ReasonCode.ENCRYPTION_REQUIRED, "messages must be encrypted in a session");
				}
				return;
			}
			if (Handshake.isHandshake(header.type())) {
				throw fail(ReasonCode.MALFORMED, "handshake messages are never encrypted");
			}
			Session session = SessionManager.this.store.find(encrypted.sessionId())
				.orElseThrow(() -> fail(ReasonCode.UNKNOWN_SESSION, "session is not known"));
			if (!session.peer().equals(header.sender()) || !session.local().equals(header.recipient())) {
				throw fail(ReasonCode.SESSION_PEER_MISMATCH, "sender is not the session's peer");
			}
			if (session.isExpired(SessionManager.this.clock.instant())) {
				throw fail(ReasonCode.SESSION_EXPIRED, "session has expired");
			}
			context.session(session);
		}

	}

	private final class DecryptCheck implements Check {

		@Override
		public String name() {
			return "decrypt";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.DECRYPT_FAILED, ReasonCode.MALFORMED);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			Envelope envelope = context.envelope();
			Session session = context.session();
			if (!(envelope.body() instanceof Envelope.Encrypted encrypted) || session == null) {
				return;
			}
			byte[] plaintext;
			try {
				plaintext = session.open(encrypted.sequence(), envelope.associatedData(), encrypted.ciphertext());
			}
			catch (AEADBadTagException ex) {
				throw fail(ReasonCode.DECRYPT_FAILED, "ciphertext does not authenticate");
			}
			try {
				context.payload(SessionManager.this.parser.parse(plaintext));
			}
			catch (MalformedJsonException ex) {
				throw fail(ReasonCode.MALFORMED, "decrypted payload: " + ex.getMessage());
			}
		}

	}

	private final class HandshakeCheck implements Check {

		@Override
		public String name() {
			return "handshake";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.MALFORMED, ReasonCode.HANDSHAKE_IDENTITY_MISMATCH,
					ReasonCode.UNEXPECTED_HANDSHAKE, ReasonCode.TRANSCRIPT_MISMATCH, ReasonCode.DOWNGRADE,
					ReasonCode.NO_COMMON_VERSION, ReasonCode.NO_COMMON_SUITE, ReasonCode.INVALID_KEY_SHARE,
					ReasonCode.SESSION_STORE_FULL, ReasonCode.IDENTITY_UNAVAILABLE);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			EnvelopeHeader header = context.envelope().header();
			if (Handshake.INIT.equals(header.type())) {
				context.established(respond(context, header, context.payload()));
			}
			else if (Handshake.ACCEPT.equals(header.type())) {
				context.established(complete(context, header, context.payload()));
			}
		}

		@Override
		public void commit(VerificationContext context) {
			EstablishedSession established = context.established();
			if (established == null) {
				return;
			}
			Session session = established.session();
			if (!SessionManager.this.store.add(session)) {
				session.destroy();
				return;
			}
			if (session.role() == Session.Role.INITIATOR) {
				Pending handshake = SessionManager.this.pending.remove(context.envelope().header().correlationId());
				if (handshake != null) {
					handshake.keyShare().destroy();
				}
				// a session it replaces stays in the store until it expires, for messages
				// in flight
				SessionManager.this.outbound.put(session.peer(), session);
			}
		}

	}

}
