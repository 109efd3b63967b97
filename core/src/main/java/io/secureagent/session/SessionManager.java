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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
import io.secureagent.session.Handshake.MalformedHandshakeException;
import io.secureagent.session.HandshakeException.Failure;
import io.spiffe.spiffeid.SpiffeId;
import org.jspecify.annotations.Nullable;

/**
 * Runs the handshakes of one agent, as initiator and as responder, and holds what they
 * establish. The verification pipeline drives it in three steps, so that a rejected
 * handshake leaves nothing behind:
 * <ol>
 * <li>{@link #respond} or {@link #complete} check a handshake message and derive its
 * session, changing nothing;</li>
 * <li>{@link #admit}, at the commit point, claims the pending handshake and binds the
 * session id (never rebinding one in use) without making the session visible, and
 * {@link #withdraw} undoes it if the message's replay reservation then fails;</li>
 * <li>{@link #activate}, once the message is accepted, publishes the session, makes an
 * initiated session the one used towards its peer and erases the ephemeral key.</li>
 * </ol>
 * The transcript hash binds the signing inputs of both handshake envelopes (their
 * canonical form without the signature), so a signature changed in transit without being
 * invalidated (ECDSA's (r, n-s)) cannot make the two sides derive different keys.
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

	private final Map<String, Pending> claimed = new ConcurrentHashMap<>();

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
		return this.pending.size() + this.claimed.size();
	}

	/**
	 * Start a handshake with a peer. The returned {@code session.init} is sent to the
	 * peer, whose {@code session.accept}, once verified by this agent's pipeline,
	 * establishes the session.
	 * @param peer the peer's SPIFFE ID
	 * @return the signed init message
	 * @throws IdentityUnavailableException if there is no SVID to sign with
	 * @throws SessionExhaustedException if too many handshakes are in flight
	 */
	public SignedEnvelope initiate(SpiffeId peer) throws IdentityUnavailableException, SessionExhaustedException {
		sweepPending();
		if (pendingHandshakes() >= MAX_PENDING) {
			throw new SessionExhaustedException("too many handshakes in flight");
		}
		SpiffeId self = this.identity.spiffeId();
		X25519KeyShare keyShare = X25519KeyShare.generate();
		Handshake.Init init = new Handshake.Init(keyShare.publicKey(), this.versions,
				this.suites.stream().map(AeadSuite::wireName).toList(), self, peer);
		SignedEnvelope signed = this.signer.sign(Handshake.INIT, peer, null, init.toJson());
		Instant deadline = this.clock.instant().plus(this.limits.handshakeTimeout());
		this.pending.put(signed.header().id(), new Pending(peer, keyShare, signed.signingInput(), init, deadline));
		return signed;
	}

	/**
	 * Forget a handshake this agent started and that will not be answered, erasing its
	 * ephemeral key.
	 * @param init the init message sent
	 */
	public void abandon(SignedEnvelope init) {
		Pending handshake = this.pending.remove(init.header().id());
		if (handshake != null) {
			handshake.keyShare().destroy();
		}
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
	 * Find a session by id.
	 * @param sessionId the id
	 * @return the session, expired or not, or empty
	 */
	public Optional<Session> find(String sessionId) {
		return this.store.find(sessionId);
	}

	/**
	 * Seal and sign a message in a session.
	 * @param session the session
	 * @param type the message type
	 * @param correlationId the exchange, or {@code null} to start one
	 * @param payload the payload
	 * @return the signed encrypted envelope
	 * @throws IdentityUnavailableException if there is no SVID to sign with
	 * @throws SessionExhaustedException if the session has expired or has no sequence
	 * numbers left
	 */
	public SignedEnvelope seal(Session session, String type, @Nullable String correlationId, JsonValue payload)
			throws IdentityUnavailableException, SessionExhaustedException {
		return seal(session, type, correlationId, payload, EnvelopeSigner.newMessageId());
	}

	/**
	 * Seal and sign a message in a session under a given message id, to send a message
	 * again in a new session as the same message.
	 * @param session the session
	 * @param type the message type
	 * @param correlationId the exchange, or {@code null} to start one
	 * @param payload the payload
	 * @param messageId the message id
	 * @return the signed encrypted envelope
	 * @throws IdentityUnavailableException if there is no SVID to sign with
	 * @throws SessionExhaustedException if the session has expired or has no sequence
	 * numbers left
	 */
	public SignedEnvelope seal(Session session, String type, @Nullable String correlationId, JsonValue payload,
			String messageId) throws IdentityUnavailableException, SessionExhaustedException {
		return seal(session, type, correlationId, payload, messageId, Long.MAX_VALUE);
	}

	/**
	 * Seal and sign a message sent again, in a new session, as the same message: under
	 * its id, expiring no later than its first copy, so that a receiver that accepted the
	 * first copy holds its replay entry for as long as this one can arrive.
	 * @param session the session
	 * @param type the message type
	 * @param correlationId the exchange, or {@code null} to start one
	 * @param payload the payload
	 * @param messageId the message id
	 * @param notAfter the first copy's {@code expiresAt}, in milliseconds since the epoch
	 * @return the signed encrypted envelope
	 * @throws IdentityUnavailableException if there is no SVID to sign with
	 * @throws SessionExhaustedException if the session has expired or has no sequence
	 * numbers left
	 * @throws IllegalStateException if the first copy has expired
	 */
	public SignedEnvelope seal(Session session, String type, @Nullable String correlationId, JsonValue payload,
			String messageId, long notAfter) throws IdentityUnavailableException, SessionExhaustedException {
		if (session.isExpired(this.clock.instant())) {
			throw new SessionExhaustedException("session " + session.id() + " has expired");
		}
		if (!this.signer.spiffeId().equals(session.local())) {
			throw new IllegalArgumentException("session does not belong to this agent");
		}
		long sequence = this.store.nextSequence(session);
		byte[] plaintext = JsonCanonicalizer.canonicalize(payload);
		try {
			return this.signer.signSealed(type, session.peer(), correlationId, messageId, session.id(), sequence,
					(associatedData) -> session.seal(sequence, associatedData, plaintext), notAfter);
		}
		catch (IllegalStateException ex) {
			// the session was closed or swept while this message was being sealed
			throw new SessionExhaustedException("session " + session.id() + " ended");
		}
	}

	/**
	 * Open the payload of an encrypted envelope in its session.
	 * @param session the session the envelope names
	 * @param envelope the envelope
	 * @return the payload, parsed strictly
	 * @throws AEADBadTagException if the ciphertext does not authenticate
	 * @throws MalformedJsonException if the plaintext is not strict I-JSON
	 */
	public JsonValue open(Session session, Envelope envelope) throws AEADBadTagException, MalformedJsonException {
		if (!(envelope.body() instanceof Envelope.Encrypted encrypted)) {
			throw new IllegalArgumentException("envelope is not encrypted");
		}
		byte[] plaintext = session.open(encrypted.sequence(), envelope.associatedData(), encrypted.ciphertext());
		try {
			return this.parser.parse(plaintext);
		}
		finally {
			Arrays.fill(plaintext, (byte) 0);
		}
	}

	/**
	 * Stop using a session towards its peer, without erasing it under messages still in
	 * flight: the next message starts a new handshake, and the old session is erased when
	 * it expires.
	 * @param session the session
	 */
	public void retire(Session session) {
		this.outbound.remove(session.peer(), session);
	}

	/**
	 * End a session: remove it and erase its keys.
	 * @param session the session
	 */
	public void close(Session session) {
		this.outbound.remove(session.peer(), session);
		this.store.remove(session);
	}

	/**
	 * Check a {@code session.init} addressed to this agent and prepare the session and
	 * the {@code session.accept} that answer it. Nothing is stored.
	 * @param init the verified init envelope
	 * @param now the pipeline's one reading of the clock for this message
	 * @return the session and the signed accept
	 * @throws HandshakeException if the init cannot establish a session
	 */
	public EstablishedSession respond(Envelope init, Instant now) throws HandshakeException {
		EnvelopeHeader header = init.header();
		Handshake.Init offer;
		try {
			offer = Handshake.Init.read(payload(init));
		}
		catch (MalformedHandshakeException ex) {
			throw new HandshakeException(Failure.MALFORMED, ex.getMessage());
		}
		if (!offer.initiator().equals(header.sender()) || !offer.responder().equals(header.recipient())) {
			throw new HandshakeException(Failure.IDENTITY_MISMATCH,
					"handshake identities are not its sender and recipient");
		}
		String version = choose(this.versions, offer.versions())
			.orElseThrow(() -> new HandshakeException(Failure.NO_COMMON_VERSION, "no protocol version in common"));
		List<String> ourSuites = this.suites.stream().map(AeadSuite::wireName).toList();
		String suite = choose(ourSuites, offer.suites())
			.orElseThrow(() -> new HandshakeException(Failure.NO_COMMON_SUITE, "no AEAD suite in common"));
		requireAdmissible(header.sender(), null);
		X25519KeyShare keyShare = X25519KeyShare.generate();
		byte[] shared;
		try {
			shared = keyShare.agree(offer.ephemeralKey());
		}
		catch (InvalidKeyShareException ex) {
			throw new HandshakeException(Failure.INVALID_KEY_SHARE, ex.getMessage());
		}
		finally {
			keyShare.destroy();
		}
		try {
			byte[] initInput = init.signingInput();
			String sessionId = randomId();
			Handshake.Accept accept = new Handshake.Accept(keyShare.publicKey(), version, suite, this.versions,
					ourSuites, sessionId, KeySchedule.hash(initInput), header.sender(), header.recipient());
			SignedEnvelope reply = this.signer.sign(Handshake.ACCEPT, header.sender(), header.id(), accept.toJson());
			byte[] transcript = KeySchedule.transcriptHash(initInput, reply.signingInput());
			SessionKeys keys = KeySchedule.derive(shared, transcript, header.sender(), header.recipient(), sessionId,
					Session.Role.RESPONDER);
			Session session = new Session(sessionId, Session.Role.RESPONDER, header.recipient(), header.sender(),
					version, AeadSuite.fromWireName(suite).orElseThrow(), keys, now, this.limits);
			return new EstablishedSession(session, reply, header.id());
		}
		catch (IdentityUnavailableException ex) {
			throw new HandshakeException(Failure.IDENTITY_UNAVAILABLE, "own identity is not available");
		}
		finally {
			Arrays.fill(shared, (byte) 0);
		}
	}

	/**
	 * Check a {@code session.accept} that answers a handshake this agent started, and
	 * prepare the session it establishes. Nothing is stored.
	 * @param acceptEnvelope the verified accept envelope
	 * @param now the pipeline's one reading of the clock for this message
	 * @return the session
	 * @throws HandshakeException if the accept cannot establish a session
	 */
	public EstablishedSession complete(Envelope acceptEnvelope, Instant now) throws HandshakeException {
		EnvelopeHeader header = acceptEnvelope.header();
		Handshake.Accept accept;
		try {
			accept = Handshake.Accept.read(payload(acceptEnvelope));
		}
		catch (MalformedHandshakeException ex) {
			throw new HandshakeException(Failure.MALFORMED, ex.getMessage());
		}
		Pending handshake = this.pending.get(header.correlationId());
		if (handshake == null || !handshake.peer().equals(header.sender()) || now.isAfter(handshake.deadline())) {
			throw new HandshakeException(Failure.UNEXPECTED, "no handshake with this peer awaits this accept");
		}
		if (!accept.initiator().equals(header.recipient()) || !accept.responder().equals(header.sender())) {
			throw new HandshakeException(Failure.IDENTITY_MISMATCH,
					"handshake identities are not its sender and recipient");
		}
		if (!MessageDigest.isEqual(accept.initHash(), KeySchedule.hash(handshake.initInput()))) {
			throw new HandshakeException(Failure.TRANSCRIPT_MISMATCH, "accept answers another init");
		}
		// the responder must pick, by its own stated preference, from what was offered
		Optional<String> expectedVersion = choose(accept.versions(), handshake.init().versions());
		Optional<String> expectedSuite = choose(accept.suites(), handshake.init().suites());
		if (expectedVersion.isEmpty() || expectedSuite.isEmpty() || !expectedVersion.get().equals(accept.version())
				|| !expectedSuite.get().equals(accept.suite())) {
			throw new HandshakeException(Failure.DOWNGRADE, "accept did not choose the best common version and suite");
		}
		requireAdmissible(header.sender(), accept.sessionId());
		byte[] shared;
		try {
			shared = handshake.keyShare().agree(accept.ephemeralKey());
		}
		catch (InvalidKeyShareException ex) {
			throw new HandshakeException(Failure.INVALID_KEY_SHARE, ex.getMessage());
		}
		catch (IllegalStateException ex) {
			// another accept for the same init completed first and erased the key share
			throw new HandshakeException(Failure.UNEXPECTED, "the handshake was already completed");
		}
		try {
			byte[] transcript = KeySchedule.transcriptHash(handshake.initInput(), acceptEnvelope.signingInput());
			SessionKeys keys = KeySchedule.derive(shared, transcript, header.recipient(), header.sender(),
					accept.sessionId(), Session.Role.INITIATOR);
			Session session = new Session(accept.sessionId(), Session.Role.INITIATOR, header.recipient(),
					header.sender(), accept.version(), AeadSuite.fromWireName(accept.suite()).orElseThrow(), keys, now,
					this.limits);
			return new EstablishedSession(session, null, header.correlationId());
		}
		finally {
			Arrays.fill(shared, (byte) 0);
		}
	}

	/**
	 * Bind a prepared session at the commit point: claim the handshake it completes (for
	 * an initiator) and add it to the store, which refuses an id in use.
	 * @param established the prepared session
	 * @throws HandshakeException if the handshake was claimed by another accept, or the
	 * store refuses the session; nothing was changed then
	 */
	public void admit(EstablishedSession established) throws HandshakeException {
		Session session = established.session();
		Pending handshake = null;
		if (session.role() == Session.Role.INITIATOR) {
			handshake = this.pending.remove(established.handshakeId());
			if (handshake == null) {
				throw new HandshakeException(Failure.UNEXPECTED, "the handshake was already completed");
			}
			this.claimed.put(established.handshakeId(), handshake);
		}
		SessionStore.Admission admission = this.store.add(session);
		if (admission != SessionStore.Admission.ADMITTED) {
			if (handshake != null) {
				this.claimed.remove(established.handshakeId());
				this.pending.put(established.handshakeId(), handshake);
			}
			session.destroy();
			throw refused(admission);
		}
	}

	/**
	 * Undo {@link #admit} for a message refused after it: the session is removed and
	 * erased, and the handshake it would have completed is pending again.
	 * @param established the admitted session
	 */
	public void withdraw(EstablishedSession established) {
		try {
			this.store.remove(established.session());
		}
		catch (RuntimeException ex) {
			// the store is unreachable: the bound session was never published and expires
			// with the handshake timeout; its keys are erased here
			established.session().destroy();
		}
		// only an initiated session claimed a handshake; a responder's handshake id is
		// its peer's choice, and must not touch this agent's own handshakes
		if (established.session().role() == Session.Role.INITIATOR) {
			Pending handshake = this.claimed.remove(established.handshakeId());
			if (handshake != null) {
				this.pending.put(established.handshakeId(), handshake);
			}
		}
	}

	/**
	 * Make an admitted session live, once its message is accepted: an initiated session
	 * becomes the one used towards its peer, and its ephemeral key is erased. A session
	 * it replaces stays in the store until it expires, for messages in flight.
	 * @param established the admitted session
	 */
	public void activate(EstablishedSession established) {
		Session session = established.session();
		// until now the session was bound but invisible: no message could use it
		this.store.publish(session);
		if (session.role() != Session.Role.INITIATOR) {
			return;
		}
		Pending handshake = this.claimed.remove(established.handshakeId());
		if (handshake != null) {
			handshake.keyShare().destroy();
		}
		this.outbound.put(session.peer(), session);
	}

	private void requireAdmissible(SpiffeId peer, @Nullable String sessionId) throws HandshakeException {
		SessionStore.Admission admission = this.store.admissible(peer, sessionId);
		if (admission != SessionStore.Admission.ADMITTED) {
			throw refused(admission);
		}
	}

	private static HandshakeException refused(SessionStore.Admission admission) {
		return switch (admission) {
			case FULL -> new HandshakeException(Failure.STORE_FULL, "session store is full");
			case PEER_QUOTA_EXCEEDED ->
				new HandshakeException(Failure.PEER_QUOTA_EXCEEDED, "the peer holds as many sessions as it may");
			case ID_IN_USE -> new HandshakeException(Failure.SESSION_ID_IN_USE, "the session id is already in use");
			case ADMITTED -> throw new IllegalArgumentException("an admitted session was not refused");
		};
	}

	private static JsonValue payload(Envelope envelope) throws HandshakeException {
		if (envelope.body() instanceof Envelope.Plain plain) {
			return plain.payload();
		}
		throw new HandshakeException(Failure.MALFORMED, "handshake messages are never encrypted");
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

	private static Optional<String> choose(List<String> preference, List<String> offered) {
		return preference.stream().filter(offered::contains).findFirst();
	}

	private static String randomId() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private record Pending(SpiffeId peer, X25519KeyShare keyShare, byte[] initInput, Handshake.Init init,
			Instant deadline) {

	}

}
