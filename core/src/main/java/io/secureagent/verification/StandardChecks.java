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
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.secureagent.canonical.MalformedJsonException;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.crypto.SignatureAlgorithm;
import io.secureagent.envelope.Envelope;
import io.secureagent.envelope.EnvelopeHeader;
import io.secureagent.envelope.Receipt;
import io.secureagent.envelope.EnvelopeReader;
import io.secureagent.envelope.MalformedEnvelopeException;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.ChainValidationException;
import io.secureagent.identity.IdentityUnavailableException;
import io.secureagent.identity.SpiffeIds;
import io.secureagent.identity.SvidChainValidator;
import io.secureagent.identity.ValidatedSender;
import io.secureagent.negotiation.CapabilityDocument;
import io.secureagent.negotiation.TypeVersion;
import io.secureagent.replay.ReplayStore;
import io.secureagent.replay.ReplayStoreUnavailableException;
import io.secureagent.session.EstablishedSession;
import io.secureagent.session.Handshake;
import io.secureagent.session.HandshakeException;
import io.secureagent.session.Session;
import io.secureagent.session.SessionManager;
import io.secureagent.session.SessionStoreUnavailableException;
import io.spiffe.spiffeid.SpiffeId;

/**
 * The checks of secure-agent/1, in the order the protocol runs them.
 *
 * @author secure-agent authors
 */
final class StandardChecks {

	private StandardChecks() {
	}

	static CheckFailedException fail(ReasonCode reason, String detail) {
		return new CheckFailedException(reason, detail);
	}

	/** Strict I-JSON parse, within the size and nesting limits. */
	record Parse(StrictJsonParser parser, int maxBytes) implements Check {

		@Override
		public String name() {
			return "parse";
		}

		@Override
		public String summary() {
			return "Strict I-JSON within the size, depth, string and member limits";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.MESSAGE_TOO_LARGE, ReasonCode.MALFORMED);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			if (context.message().length > this.maxBytes) {
				throw fail(ReasonCode.MESSAGE_TOO_LARGE, "message exceeds " + this.maxBytes + " bytes");
			}
			try {
				context.tree(this.parser.parse(context.message()));
			}
			catch (MalformedJsonException ex) {
				throw fail(ex.isTooLarge() ? ReasonCode.MESSAGE_TOO_LARGE : ReasonCode.MALFORMED, ex.getMessage());
			}
		}

	}

	/**
	 * Version first, then exactly the envelope's members, each of its type and format.
	 */
	record Structure() implements Check {

		@Override
		public String name() {
			return "structure";
		}

		@Override
		public String summary() {
			return "Protocol version first, then exactly the envelope's members, each of its type and format";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.MALFORMED, ReasonCode.UNSUPPORTED_VERSION);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			try {
				Envelope envelope = EnvelopeReader.read(context.tree());
				context.envelope(envelope);
				if (envelope.body() instanceof Envelope.Plain plain) {
					context.payload(plain.payload());
				}
			}
			catch (MalformedEnvelopeException ex) {
				throw fail(ex.isUnsupportedVersion() ? ReasonCode.UNSUPPORTED_VERSION : ReasonCode.MALFORMED,
						ex.getMessage());
			}
		}

	}

	/** Lifetime bound, then issuedAt and expiresAt against the clock and the skew. */
	record Freshness(VerificationPolicy policy) implements Check {

		@Override
		public String name() {
			return "freshness";
		}

		@Override
		public String summary() {
			return "A bounded lifetime, issuedAt not in the future and within the freshness window, not expired, all with the allowed skew";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.INVALID_LIFETIME, ReasonCode.NOT_YET_VALID, ReasonCode.EXPIRED,
					ReasonCode.STALE);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			EnvelopeHeader header = context.envelope().header();
			long skew = this.policy.maxClockSkew().toMillis();
			long now = context.now();
			long lifetime = header.expiresAt() - header.issuedAt();
			if (lifetime <= 0 || lifetime > this.policy.maxLifetime().toMillis()) {
				throw fail(ReasonCode.INVALID_LIFETIME,
						"expiresAt must be after issuedAt by at most " + this.policy.maxLifetime().toMillis() + " ms");
			}
			if (header.issuedAt() > now + skew) {
				throw fail(ReasonCode.NOT_YET_VALID, "issuedAt is in the future");
			}
			if (now > header.expiresAt() + skew) {
				throw fail(ReasonCode.EXPIRED, "message has expired");
			}
			if (header.issuedAt() < now - this.policy.freshnessWindow().toMillis() - skew) {
				throw fail(ReasonCode.STALE, "issuedAt is older than the freshness window");
			}
		}

	}

	/** The recipient is this agent. */
	record Recipient(AgentIdentity identity) implements Check {

		@Override
		public String name() {
			return "recipient";
		}

		@Override
		public String summary() {
			return "Addressed to this agent, and not sent by it";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.WRONG_RECIPIENT, ReasonCode.IDENTITY_UNAVAILABLE);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			try {
				EnvelopeHeader header = context.envelope().header();
				SpiffeId self = this.identity.spiffeId();
				if (!header.recipient().equals(self)) {
					throw fail(ReasonCode.WRONG_RECIPIENT, "message is addressed to another agent");
				}
				if (header.sender().equals(self)) {
					throw fail(ReasonCode.WRONG_RECIPIENT, "message is this agent's own, reflected back to it");
				}
			}
			catch (IdentityUnavailableException ex) {
				throw fail(ReasonCode.IDENTITY_UNAVAILABLE, "own identity is not available");
			}
		}

	}

	/** The sender's chain is an X.509-SVID for the sender, valid at issuedAt. */
	record Chain(SvidChainValidator validator) implements Check {

		@Override
		public String name() {
			return "chain";
		}

		@Override
		public String summary() {
			return "An X.509-SVID chain to the sender's trust bundle, valid at issuedAt, with one URI SAN equal to the sender";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.UNTRUSTED_CHAIN, ReasonCode.INVALID_LEAF, ReasonCode.SENDER_MISMATCH);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			Envelope envelope = context.envelope();
			try {
				context.sender(this.validator.validate(envelope.certificateChain(), envelope.header().sender(),
						Instant.ofEpochMilli(envelope.header().issuedAt())));
			}
			catch (ChainValidationException ex) {
				ReasonCode reason = switch (ex.failure()) {
					case UNTRUSTED_CHAIN -> ReasonCode.UNTRUSTED_CHAIN;
					case INVALID_LEAF -> ReasonCode.INVALID_LEAF;
					case SENDER_MISMATCH -> ReasonCode.SENDER_MISMATCH;
				};
				throw fail(reason, ex.getMessage());
			}
		}

	}

	/** The signature over the canonical envelope, by the algorithm of the leaf key. */
	record Signature(Set<SignatureAlgorithm> allowed) implements Check {

		@Override
		public String name() {
			return "signature";
		}

		@Override
		public String summary() {
			return "The signature over the envelope's signing input verifies, by the algorithm of the leaf key";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.UNSUPPORTED_ALGORITHM, ReasonCode.BAD_SIGNATURE);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			Envelope envelope = context.envelope();
			ValidatedSender sender = context.sender();
			Optional<SignatureAlgorithm> named = SignatureAlgorithm.fromJwaName(envelope.algorithm());
			SignatureAlgorithm keyAlgorithm = sender.verifier().algorithm();
			if (named.isEmpty() || !this.allowed.contains(named.get()) || !this.allowed.contains(keyAlgorithm)) {
				throw fail(ReasonCode.UNSUPPORTED_ALGORITHM, "signature algorithm is not accepted");
			}
			if (named.get() != keyAlgorithm) {
				throw fail(ReasonCode.BAD_SIGNATURE, "alg does not match the sender's key");
			}
			if (!sender.verifier().verify(envelope.signingInput(), envelope.signature())) {
				throw fail(ReasonCode.BAD_SIGNATURE, "signature does not verify");
			}
		}

	}

	/**
	 * When the transport authenticated its peer with an X.509-SVID (mutual TLS), that
	 * peer is the sender: an envelope relayed over someone else's connection is refused.
	 */
	record TransportBinding(boolean required) implements Check {

		@Override
		public String name() {
			return "transport-binding";
		}

		@Override
		public String summary() {
			return "Over mutual TLS, the client certificate's SPIFFE ID is the sender";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.TLS_PEER_MISMATCH);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			Object peer = context.attributes().get(VerificationContext.TRANSPORT_PEER);
			if (peer == null) {
				if (this.required) {
					throw fail(ReasonCode.TLS_PEER_MISMATCH, "a TLS client certificate with a SPIFFE ID is required");
				}
				return;
			}
			if (!peer.equals(context.sender().spiffeId())) {
				throw fail(ReasonCode.TLS_PEER_MISMATCH, "the TLS peer is not the sender");
			}
		}

	}

	/** A message type past its sunset is refused, naming the versions still accepted. */
	record Sunset(Map<String, Instant> sunsets, Supplier<? extends Collection<String>> acceptedTypes) implements Check {

		@Override
		public String name() {
			return "sunset";
		}

		@Override
		public String summary() {
			return "The message type has not passed its sunset";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.SUNSET);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			String type = context.envelope().header().type();
			Instant sunset = this.sunsets.get(type);
			if (sunset != null && context.now() >= sunset.toEpochMilli()) {
				String name = TypeVersion.parse(type).name();
				List<String> accepted = this.acceptedTypes.get()
					.stream()
					.filter((candidate) -> TypeVersion.parse(candidate).name().equals(name))
					.filter((candidate) -> !this.sunsets.containsKey(candidate)
							|| context.now() < this.sunsets.get(candidate).toEpochMilli())
					.sorted()
					.toList();
				throw fail(ReasonCode.SUNSET, "message type passed its sunset; accepted versions: " + accepted);
			}
		}

	}

	/** The sender may send this type; a handshake needs the right to send some type. */
	record Authorization(AuthorizationPolicy policy) implements Check {

		@Override
		public String name() {
			return "authorization";
		}

		@Override
		public String summary() {
			return "A rule grants the sender this type; a handshake or capability request needs a rule naming the sender";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.UNAUTHORIZED_SENDER);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			EnvelopeHeader header = context.envelope().header();
			if (!this.policy.permits(context.sender().spiffeId(), header.type())) {
				throw fail(ReasonCode.UNAUTHORIZED_SENDER, "sender may not send this message type");
			}
		}

	}

	/**
	 * The payload binds to its type's schema; handshake payloads were checked already.
	 */
	record Schema(PayloadBinder binder) implements Check {

		@Override
		public String name() {
			return "schema";
		}

		@Override
		public String summary() {
			return "The payload binds to the record of its type and satisfies its constraints";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.UNKNOWN_TYPE, ReasonCode.SCHEMA_VIOLATION);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			String type = context.envelope().header().type();
			if (CapabilityDocument.DOCUMENT.equals(type) || CapabilityDocument.RESPONSE.equals(type)) {
				checkDocument(context);
				return;
			}
			if (Receipt.TYPE.equals(type)) {
				if (!Receipt.wellFormed(context.payload())) {
					throw new CheckFailedException(ReasonCode.SCHEMA_VIOLATION,
							"a receipt names a message by id and digest",
							List.of("$: must be {\"id\": string, \"digest\": base64url SHA-256}"));
				}
				return;
			}
			if (isProtocolType(type)) {
				return;
			}
			PayloadBinder.Binding binding = this.binder.bind(type, context.payload());
			if (binding instanceof PayloadBinder.Binding.Bound bound) {
				context.attributes().put(PayloadBinder.ATTRIBUTE, bound.value());
			}
			else if (binding instanceof PayloadBinder.Binding.Invalid invalid) {
				throw new CheckFailedException(ReasonCode.SCHEMA_VIOLATION, "payload violates the schema of its type",
						invalid.violations());
			}
			else {
				throw fail(ReasonCode.UNKNOWN_TYPE, "message type is not accepted here");
			}
		}

	}

	private static void checkDocument(VerificationContext context) throws CheckFailedException {
		CapabilityDocument document;
		try {
			document = CapabilityDocument.fromJson(context.payload());
		}
		catch (RuntimeException ex) {
			throw new CheckFailedException(ReasonCode.SCHEMA_VIOLATION, "payload is not a capability document",
					List.of("$: not a capability document"));
		}
		if (!document.agent().equals(context.sender().spiffeId())) {
			throw new CheckFailedException(ReasonCode.SCHEMA_VIOLATION,
					"the capability document describes another agent", List.of("agent: must be the signer"));
		}
	}

	/**
	 * The commit point: for a handshake, the session is bound (its id never rebound); for
	 * an encrypted message, its sequence number is taken in the session's window; and
	 * (sender, id) is reserved until expiresAt plus skew. All of it or none: a later
	 * refusal undoes the earlier steps, so a rejected message leaves no trace.
	 */
	record Replay(ReplayStore store, VerificationPolicy policy, SessionManager sessions) implements Check {

		@Override
		public String name() {
			return "replay";
		}

		@Override
		public String summary() {
			return "The commit point: the session is bound, the sequence number and the (sender, id) pair reserved, all or none";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.REPLAYED, ReasonCode.SEQUENCE_TOO_OLD, ReasonCode.EXPIRED,
					ReasonCode.UNKNOWN_SESSION, ReasonCode.PEER_QUOTA_EXCEEDED, ReasonCode.REPLAY_STORE_FULL,
					ReasonCode.REPLAY_STORE_UNAVAILABLE, ReasonCode.REPLAY_STATE_LOST, ReasonCode.UNEXPECTED_HANDSHAKE,
					ReasonCode.SESSION_ID_IN_USE, ReasonCode.SESSION_STORE_FULL, ReasonCode.SESSION_STORE_UNAVAILABLE);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			EnvelopeHeader header = context.envelope().header();
			Session session = context.session();
			ReplayStore.Sequence sequence = null;
			if (session != null && context.envelope().body() instanceof Envelope.Encrypted encrypted) {
				sequence = new ReplayStore.Sequence(session.id(), encrypted.sequence(), session.replayWindow(),
						session.expiresAt());
			}
			ReplayStore.Entry entry = new ReplayStore.Entry(SpiffeIds.text(header.sender()), header.id(),
					header.issuedAt(), Instant.ofEpochMilli(header.expiresAt()).plus(this.policy.maxClockSkew()),
					sequence);
			EstablishedSession established = context.established();
			if (established == null) {
				reserve(entry);
				return;
			}
			try {
				this.sessions.admit(established);
			}
			catch (HandshakeException ex) {
				throw SessionChecks.failure(ex);
			}
			catch (SessionStoreUnavailableException ex) {
				throw fail(ReasonCode.SESSION_STORE_UNAVAILABLE, "session store is unavailable");
			}
			try {
				reserve(entry);
			}
			catch (CheckFailedException | RuntimeException ex) {
				this.sessions.withdraw(established);
				throw ex;
			}
		}

		@Override
		public void commit(VerificationContext context) {
			EstablishedSession established = context.established();
			if (established != null) {
				try {
					this.sessions.activate(established);
				}
				catch (SessionStoreUnavailableException ex) {
					// the session stays bound but unpublished: its first message is
					// refused
					// unknown-session, and the peer runs a new handshake
				}
			}
		}

		private void reserve(ReplayStore.Entry entry) throws CheckFailedException {
			ReplayStore.Reservation reservation;
			try {
				reservation = this.store.reserve(entry);
			}
			catch (ReplayStoreUnavailableException ex) {
				throw fail(ReasonCode.REPLAY_STORE_UNAVAILABLE, "replay store is unavailable");
			}
			switch (reservation) {
				case DUPLICATE -> throw fail(ReasonCode.REPLAYED, "message id was already used by this sender");
				case SEQUENCE_SEEN -> throw fail(ReasonCode.REPLAYED, "sequence number was already received");
				case SEQUENCE_TOO_OLD -> throw fail(ReasonCode.SEQUENCE_TOO_OLD, "sequence number is below the window");
				case UNKNOWN_SESSION -> throw fail(ReasonCode.UNKNOWN_SESSION, "session is no longer known");
				case EXPIRED -> throw fail(ReasonCode.EXPIRED, "message has expired by the replay store's clock");
				case QUARANTINED ->
					throw fail(ReasonCode.REPLAY_STATE_LOST, "the replay store lost its state; send a fresh message");
				case SENDER_FULL ->
					throw fail(ReasonCode.PEER_QUOTA_EXCEEDED, "the sender holds its whole share of the replay store");
				case FULL -> throw fail(ReasonCode.REPLAY_STORE_FULL, "replay store is full");
				case RESERVED -> {
				}
			}
		}

	}

	/**
	 * A request is of a type this side accepts as a request: one a handler takes, a
	 * {@code session.init} or a {@code capability.request}. An answer type arriving as a
	 * request is refused here, before anything is reserved.
	 */
	record RequestKind(Predicate<String> handledTypes) implements Check {

		@Override
		public String name() {
			return "direction";
		}

		@Override
		public String summary() {
			return "A request starts its exchange (correlationId is its id) and is of a type this agent handles, a session.init or a capability.request";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.WRONG_DIRECTION, ReasonCode.UNEXPECTED_HANDSHAKE, ReasonCode.UNKNOWN_TYPE);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			EnvelopeHeader header = context.envelope().header();
			String type = header.type();
			// a request starts its exchange: its correlationId is its own id. An answer's
			// is
			// its request's, so no answer, captured and posted back, passes for a request
			if (!header.correlationId().equals(header.id())) {
				throw fail(ReasonCode.WRONG_DIRECTION, "a request's correlationId must be its own id");
			}
			if (Handshake.ACCEPT.equals(type)) {
				throw fail(ReasonCode.UNEXPECTED_HANDSHAKE, "a session.accept is an answer, not a request");
			}
			if (Handshake.INIT.equals(type) || CapabilityDocument.REQUEST.equals(type)) {
				return;
			}
			if (CapabilityDocument.isCapabilityType(type) || Receipt.TYPE.equals(type)
					|| !this.handledTypes.test(type)) {
				throw fail(ReasonCode.UNKNOWN_TYPE, "message type is not accepted here as a request");
			}
		}

	}

	/**
	 * An answer belongs to the exchange the client started: signed by the peer dialled,
	 * of an expected type, correlated with the request, in the request's session.
	 */
	record ExchangeCheck() implements Check {

		@Override
		public String name() {
			return "exchange";
		}

		@Override
		public String summary() {
			return "An answer is signed by the peer dialled, of the type expected, correlated with the request and in its session";
		}

		@Override
		public Set<ReasonCode> reasons() {
			return EnumSet.of(ReasonCode.UNEXPECTED_PEER, ReasonCode.UNKNOWN_TYPE, ReasonCode.UNCORRELATED,
					ReasonCode.WRONG_SESSION);
		}

		@Override
		public void apply(VerificationContext context) throws CheckFailedException {
			Exchange exchange = context.exchange();
			if (exchange == null) {
				throw fail(ReasonCode.UNCORRELATED, "no request awaits this answer");
			}
			Envelope envelope = context.envelope();
			EnvelopeHeader header = envelope.header();
			if (!header.sender().equals(exchange.peer())) {
				throw fail(ReasonCode.UNEXPECTED_PEER, "the answer is not from the peer dialled");
			}
			if (!exchange.expectedTypes().contains(header.type())) {
				throw fail(ReasonCode.UNKNOWN_TYPE, "the answer is not of the expected type");
			}
			if (!header.correlationId().equals(exchange.correlationId())) {
				throw fail(ReasonCode.UNCORRELATED, "the answer is not correlated with the request");
			}
			String sessionId = (envelope.body() instanceof Envelope.Encrypted encrypted) ? encrypted.sessionId() : null;
			if (!Objects.equals(sessionId, exchange.sessionId())) {
				throw fail(ReasonCode.WRONG_SESSION, "the answer did not travel in the request's session");
			}
		}

	}

	static boolean isProtocolType(String type) {
		return Handshake.isHandshake(type) || CapabilityDocument.isCapabilityType(type);
	}

}
