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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.crypto.AeadSuite;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.SvidChainValidator;
import io.secureagent.replay.ReplayStore;
import io.secureagent.session.InMemorySessionStore;
import io.secureagent.session.SessionLimits;
import io.secureagent.session.SessionManager;
import org.jspecify.annotations.Nullable;

/**
 * The receiving side of secure-agent/1 in one {@link Direction}: an ordered list of named
 * {@link Check checks} that a message passes in turn until one rejects it. The list is
 * data: it can be listed ({@link #checks()}) and compared with the protocol's
 * specification.
 * <p>
 * An agent has two pipelines built from the same checks. Its endpoint verifies requests,
 * authorized by rules; its client verifies answers, authorized by the exchange they
 * belong to ({@link #verify(byte[], Exchange)}). The replay reservation is always last
 * and is the only step that changes state, so a message that fails any check leaves no
 * trace.
 *
 * @author secure-agent authors
 */
public final class VerificationPipeline {

	private final Direction direction;

	private final List<Check> checks;

	private final Clock clock;

	/**
	 * Create a pipeline from checks.
	 * @param direction the direction of the messages it verifies
	 * @param checks the checks in order; names must be unique
	 * @param clock the clock read once per message
	 */
	public VerificationPipeline(Direction direction, List<Check> checks, Clock clock) {
		this.direction = Objects.requireNonNull(direction, "direction cannot be null");
		this.checks = List.copyOf(checks);
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
		Set<String> names = new HashSet<>();
		for (Check check : this.checks) {
			if (!names.add(check.name())) {
				throw new IllegalArgumentException("duplicate check name " + check.name());
			}
		}
	}

	/**
	 * Create the standard secure-agent/1 request pipeline with defaults: sessions kept in
	 * memory, every authenticated sender allowed, payloads left untyped.
	 * @param identity this agent's identity and trust bundles
	 * @param replayStore the replay store
	 * @param policy the rules
	 * @param clock the clock
	 * @return the pipeline
	 */
	public static VerificationPipeline standard(AgentIdentity identity, ReplayStore replayStore,
			VerificationPolicy policy, Clock clock) {
		return builder(identity, replayStore, clock).policy(policy).build();
	}

	/**
	 * Create the standard secure-agent/1 request pipeline with given sessions.
	 * @param identity this agent's identity and trust bundles
	 * @param replayStore the replay store
	 * @param policy the rules
	 * @param clock the clock
	 * @param sessions the sessions of this agent
	 * @return the pipeline
	 */
	public static VerificationPipeline standard(AgentIdentity identity, ReplayStore replayStore,
			VerificationPolicy policy, Clock clock, SessionManager sessions) {
		return builder(identity, replayStore, clock).policy(policy).sessions(sessions).build();
	}

	/**
	 * Start building the standard request pipeline: parse, structure, freshness,
	 * recipient, chain, signature, transport binding, authorization, direction, sunset,
	 * session, decrypt, handshake, schema, replay.
	 * @param identity this agent's identity and trust bundles
	 * @param replayStore the replay store of requests
	 * @param clock the clock
	 * @return the builder
	 */
	public static Builder builder(AgentIdentity identity, ReplayStore replayStore, Clock clock) {
		return new Builder(Direction.REQUEST, identity, replayStore, clock);
	}

	/**
	 * Start building the standard response pipeline: parse, structure, freshness,
	 * recipient, chain, signature, exchange, session, decrypt, handshake, schema, replay.
	 * Its replay store should be its own, so that answers never use up the room kept for
	 * requests.
	 * @param identity this agent's identity and trust bundles
	 * @param replayStore the replay store of answers
	 * @param clock the clock
	 * @return the builder
	 */
	public static Builder responseBuilder(AgentIdentity identity, ReplayStore replayStore, Clock clock) {
		return new Builder(Direction.RESPONSE, identity, replayStore, clock);
	}

	/**
	 * Create the session manager that the builder uses by default: default limits, both
	 * suites (AES-256-GCM first), an in-memory store of 10,000 sessions.
	 * @param identity this agent's identity
	 * @param policy the rules, whose JSON limits apply to decrypted payloads
	 * @param clock the clock
	 * @return the session manager
	 */
	public static SessionManager defaultSessions(AgentIdentity identity, VerificationPolicy policy, Clock clock) {
		return new SessionManager(identity, new EnvelopeSigner(identity, clock, Duration.ofMinutes(1)),
				new InMemorySessionStore(10_000, clock), SessionLimits.DEFAULT, List.of(AeadSuite.values()),
				new StrictJsonParser(policy.jsonLimits()), clock);
	}

	/**
	 * Return the direction of the messages this pipeline verifies.
	 * @return the direction
	 */
	public Direction direction() {
		return this.direction;
	}

	/**
	 * Return the checks, in the order they run.
	 * @return the checks
	 */
	public List<Check> checks() {
		return this.checks;
	}

	/**
	 * Verify one request.
	 * @param message the message bytes as received
	 * @return the verdict
	 */
	public Verdict verify(byte[] message) {
		return verify(message, Map.of());
	}

	/**
	 * Verify one request with what the transport knows of it, such as the SPIFFE ID of
	 * the TLS peer ({@link VerificationContext#TRANSPORT_PEER}).
	 * @param message the message bytes as received
	 * @param attributes attributes from the transport
	 * @return the verdict
	 */
	public Verdict verify(byte[] message, Map<String, Object> attributes) {
		return verifyAt(message, attributes, this.clock.millis());
	}

	/**
	 * Verify one request at a given reading of the clock: the pipeline's one reading for
	 * this message, taken by the caller so that it can be recorded, or the recorded one
	 * when a decision is replayed.
	 * @param message the message bytes as received
	 * @param attributes attributes from the transport
	 * @param now the clock reading, in milliseconds since the epoch
	 * @return the verdict
	 */
	public Verdict verifyAt(byte[] message, Map<String, Object> attributes, long now) {
		return run(new VerificationContext(message, now, attributes, null));
	}

	/**
	 * Verify one answer to a request this agent sent.
	 * @param message the message bytes as received
	 * @param exchange the request it must answer
	 * @return the verdict
	 */
	public Verdict verify(byte[] message, Exchange exchange) {
		return verifyAt(message, exchange, this.clock.millis());
	}

	/**
	 * Verify one answer at a given reading of the clock.
	 * @param message the message bytes as received
	 * @param exchange the request it must answer
	 * @param now the clock reading, in milliseconds since the epoch
	 * @return the verdict
	 */
	public Verdict verifyAt(byte[] message, Exchange exchange, long now) {
		Objects.requireNonNull(exchange, "exchange cannot be null");
		return run(new VerificationContext(message, now, Map.of(), exchange));
	}

	/**
	 * Run only the checks before one, committing nothing: what can be decided of a
	 * message without what that check needs, such as a replay of a decision log deciding
	 * an encrypted message without its session's keys.
	 * @param check the name of the first check not to run
	 * @param message the message bytes as received
	 * @param exchange for an answer, the request it must answer; {@code null} for a
	 * request
	 * @param now the clock reading, in milliseconds since the epoch
	 * @return the rejection by one of those checks, or empty if they all pass
	 */
	public Optional<Verdict.Rejected> checkBefore(String check, byte[] message, @Nullable Exchange exchange, long now) {
		if (this.checks.stream().noneMatch((step) -> step.name().equals(check))) {
			throw new IllegalArgumentException("no check " + check);
		}
		VerificationContext context = new VerificationContext(message, now, Map.of(), exchange);
		try {
			return Optional.ofNullable(applyChecks(context, check));
		}
		finally {
			discardPrepared(context);
		}
	}

	private Verdict.@Nullable Rejected applyChecks(VerificationContext context, @Nullable String stopBefore) {
		for (Check check : this.checks) {
			if (check.name().equals(stopBefore)) {
				return null;
			}
			try {
				check.apply(context);
			}
			catch (CheckFailedException ex) {
				return new Verdict.Rejected(check.name(), ex.reason(), String.valueOf(ex.getMessage()),
						ex.violations());
			}
			catch (RuntimeException ex) {
				// fail closed: a check that breaks refuses the message, and keeps nothing
				return new Verdict.Rejected(check.name(), ReasonCode.VERIFIER_FAILED,
						"the " + check.name() + " check failed unexpectedly");
			}
		}
		return null;
	}

	/**
	 * Return the clock this pipeline reads once per message.
	 * @return the clock
	 */
	public Clock clock() {
		return this.clock;
	}

	private Verdict run(VerificationContext context) {
		Verdict.Rejected rejected = applyChecks(context, null);
		if (rejected != null) {
			discardPrepared(context);
			return rejected;
		}
		for (Check check : this.checks) {
			check.commit(context);
		}
		return new Verdict.Accepted(new VerifiedMessage(context.envelope().header(), context.payload(),
				context.sender(), context.envelope(), context.session(), context.established(), context.attributes()));
	}

	private static void discardPrepared(VerificationContext context) {
		if (context.established() != null) {
			// a prepared session that was not bound, or was withdrawn: erase its keys
			context.established().session().destroy();
		}
	}

	/**
	 * Builds the standard pipeline.
	 */
	public static final class Builder {

		private final Direction direction;

		private final AgentIdentity identity;

		private final ReplayStore replayStore;

		private final Clock clock;

		private VerificationPolicy policy = VerificationPolicy.DEFAULT;

		private @Nullable SessionManager sessions;

		private AuthorizationPolicy authorization = AuthorizationPolicy.permitAll();

		private PayloadBinder binder = PayloadBinder.untyped();

		private boolean transportPeerRequired;

		private Map<String, Instant> sunsets = Map.of();

		private Supplier<? extends Collection<String>> acceptedTypes = List::of;

		private Predicate<String> handledTypes = (type) -> true;

		private Builder(Direction direction, AgentIdentity identity, ReplayStore replayStore, Clock clock) {
			this.direction = direction;
			this.identity = Objects.requireNonNull(identity, "identity cannot be null");
			this.replayStore = Objects.requireNonNull(replayStore, "replayStore cannot be null");
			this.clock = Objects.requireNonNull(clock, "clock cannot be null");
		}

		public Builder policy(VerificationPolicy policy) {
			this.policy = Objects.requireNonNull(policy, "policy cannot be null");
			return this;
		}

		public Builder sessions(SessionManager sessions) {
			this.sessions = Objects.requireNonNull(sessions, "sessions cannot be null");
			return this;
		}

		public Builder authorization(AuthorizationPolicy authorization) {
			this.authorization = Objects.requireNonNull(authorization, "authorization cannot be null");
			return this;
		}

		/**
		 * Require every message to come with the SPIFFE ID of its TLS peer (mutual TLS
		 * with X.509-SVIDs); by default a TLS peer is checked only when the transport
		 * names one.
		 * @param required whether a TLS peer is required
		 * @return this builder
		 */
		public Builder transportPeerRequired(boolean required) {
			this.transportPeerRequired = required;
			return this;
		}

		/**
		 * Refuse message types past their sunset.
		 * @param sunsets the sunset of each deprecated wire type
		 * @param acceptedTypes the wire types accepted, named in the refusal
		 * @return this builder
		 */
		public Builder sunsets(Map<String, Instant> sunsets, Supplier<? extends Collection<String>> acceptedTypes) {
			this.sunsets = Map.copyOf(sunsets);
			this.acceptedTypes = Objects.requireNonNull(acceptedTypes, "acceptedTypes cannot be null");
			return this;
		}

		/**
		 * Accept as requests only the types a handler takes (besides the protocol's own
		 * requests); by default every type but the protocol's answers.
		 * @param handledTypes whether a type is handled here
		 * @return this builder
		 */
		public Builder handledTypes(Predicate<String> handledTypes) {
			this.handledTypes = Objects.requireNonNull(handledTypes, "handledTypes cannot be null");
			return this;
		}

		public Builder payloadBinder(PayloadBinder binder) {
			this.binder = Objects.requireNonNull(binder, "binder cannot be null");
			return this;
		}

		/**
		 * Return the checks, in order, for callers that add their own.
		 * @return the checks
		 */
		public List<Check> checks() {
			SessionManager sessions = (this.sessions != null) ? this.sessions
					: defaultSessions(this.identity, this.policy, this.clock);
			VerificationPolicy policy = this.policy;
			List<Check> checks = new ArrayList<>();
			checks.add(new StandardChecks.Parse(new StrictJsonParser(policy.jsonLimits()),
					policy.jsonLimits().maxDocumentBytes()));
			checks.add(new StandardChecks.Structure());
			checks.add(new StandardChecks.Freshness(policy));
			checks.add(new StandardChecks.Recipient(this.identity));
			checks.add(new StandardChecks.Chain(
					new SvidChainValidator(this.identity.trustBundles(), policy.chainCacheSize())));
			checks.add(new StandardChecks.Signature(policy.allowedAlgorithms()));
			if (this.direction == Direction.REQUEST) {
				checks.add(new StandardChecks.TransportBinding(this.transportPeerRequired));
				checks.add(new StandardChecks.Authorization(this.authorization));
				checks.add(new StandardChecks.RequestKind(this.handledTypes));
				checks.add(new StandardChecks.Sunset(this.sunsets, this.acceptedTypes));
				checks.add(new SessionChecks.SessionCheck(sessions, policy.encryptionRequired()));
			}
			else {
				checks.add(new StandardChecks.ExchangeCheck());
				// the exchange decides whether an answer must be encrypted: as its
				// request was
				checks.add(new SessionChecks.SessionCheck(sessions, false));
			}
			checks.add(new SessionChecks.DecryptCheck(sessions));
			checks.add(new SessionChecks.HandshakeCheck(sessions));
			checks.add(new StandardChecks.Schema(this.binder));
			checks.add(new StandardChecks.Replay(this.replayStore, policy, sessions));
			return checks;
		}

		public VerificationPipeline build() {
			return new VerificationPipeline(this.direction, checks(), this.clock);
		}

	}

}
