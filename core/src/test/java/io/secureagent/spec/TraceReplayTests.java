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
package io.secureagent.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import io.secureagent.replay.ReplayStore;
import io.secureagent.session.InMemorySessionStore;
import io.secureagent.session.Session;
import io.secureagent.session.SessionStore;
import io.secureagent.spec.Mutations.Mutation;
import io.secureagent.spec.TraceReplay.Outcome;
import io.secureagent.spec.TraceReplay.Variant;
import io.secureagent.testsupport.MutableClock;
import io.secureagent.verification.AuthorizationPolicy;
import io.secureagent.verification.Check;
import io.secureagent.verification.SenderRules;
import io.spiffe.spiffeid.SpiffeId;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * From counterexample to replay: each weakened specification's counterexample is written
 * as a trace file, read back, and replayed against the real pipelines twice. Built with
 * the same weakness, they decide every delivery as the weakened specification does, and
 * so break the invariant; as shipped, they decide every delivery as the unmodified
 * specification does, rejecting the offending one with the reason it names.
 *
 * @author secure-agent authors
 */
class TraceReplayTests {

	private final Specification spec = Specification.load();

	/** The real counterpart of each mutation that plain messages can show. */
	static final Map<String, Variant> VARIANTS = Map.of("schema-after-commit",
			requestChecks(Mutations.move("schema", "replay", true)), "schema-dropped",
			requestChecks(Mutations.drop("schema")), "recipient-dropped", requestChecks(Mutations.drop("recipient")),
			"replay-before-signature", requestChecks(Mutations.move("replay", "signature", false)), "second-clock-read",
			new Variant() {
				@Override
				public ReplayStore store(MutableClock storeClock, MutableClock pipelineClock) {
					return new PipelineClockAdmission(storeClock, pipelineClock);
				}
			}, "overwriting-session-put", new Variant() {
				@Override
				public SessionStore sessionStore(Clock clock) {
					return new OverwritingSessionStore(new InMemorySessionStore(100, clock));
				}
			}, "handshake-dropped", new Variant() {
				@Override
				public UnaryOperator<List<Check>> responseChecks() {
					return (checks) -> reorder(checks, Mutations.drop("handshake"));
				}
			}, "shared-authorization", new Variant() {
				@Override
				public AuthorizationPolicy authorization(SenderRules rules, Set<SpiffeId> dialled) {
					return (sender, type) -> rules.permits(sender, type) || dialled.contains(sender);
				}
			});

	static List<Mutation> replayable() {
		return Mutations.all().stream().filter((mutation) -> VARIANTS.containsKey(mutation.name())).toList();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("replayable")
	void weakenedPipelineMisbehavesOnTheTraceAndTheShippedOneRejectsIt(Mutation mutation) throws IOException {
		Counterexample found = Mutations.shortestCounterexample(this.spec, mutation).orElseThrow();
		Path file = Path.of("target/spec/trace-" + mutation.name() + ".json");
		Files.createDirectories(file.getParent());
		Files.writeString(file, found.toJson());
		Counterexample trace = Counterexample.fromJson(Files.readAllBytes(file));
		assertThat(trace).isEqualTo(found);

		List<Outcome> weakened = new TraceReplay(trace, this.spec, VARIANTS.get(mutation.name())).run();
		assertThat(weakened).as("the weakened pipeline on " + file)
			.containsExactlyElementsOf(trace.decisions().stream().map(Outcome::of).toList());
		assertThat(Mutations.holds(this.spec, mutation.invariant(), trace)).isTrue();

		List<Counterexample.Decision> specified;
		try (Z3Model model = new Z3Model(this.spec, trace.deliveries().size(), trace.originals().size())) {
			specified = model.decide(trace);
		}
		List<Outcome> shipped = new TraceReplay(trace, this.spec, Variant.AS_SHIPPED).run();
		assertThat(shipped).as("the shipped pipeline on " + file)
			.containsExactlyElementsOf(specified.stream().map(Outcome::of).toList());
		assertThat(shipped).isNotEqualTo(weakened);
		assertThat(shipped).extracting(Outcome::reason).contains(mutation.shippedReason());
	}

	private static Variant requestChecks(UnaryOperator<List<Specification.CheckSpec>> change) {
		return new Variant() {
			@Override
			public UnaryOperator<List<Check>> requestChecks() {
				return (checks) -> reorder(checks, change);
			}
		};
	}

	/** Apply a change of the specification's check list to the real one, by name. */
	private static List<Check> reorder(List<Check> checks, UnaryOperator<List<Specification.CheckSpec>> change) {
		List<Specification.CheckSpec> named = new ArrayList<>();
		for (Check check : checks) {
			named.add(new Specification.CheckSpec(check.name(), Set.of(), List.of(), List.of(), false, List.of()));
		}
		List<Check> changed = new ArrayList<>();
		for (Specification.CheckSpec spec : change.apply(named)) {
			changed.add(checks.stream().filter((check) -> check.name().equals(spec.name())).findFirst().orElseThrow());
		}
		return changed;
	}

	/**
	 * The overwriting session put: a session id already bound is bound again, to whoever
	 * names it.
	 */
	static final class OverwritingSessionStore implements SessionStore {

		private final InMemorySessionStore delegate;

		OverwritingSessionStore(InMemorySessionStore delegate) {
			this.delegate = delegate;
		}

		@Override
		public Admission add(Session session) {
			this.delegate.find(session.id()).ifPresent(this.delegate::remove);
			return this.delegate.add(session);
		}

		@Override
		public void publish(Session session) {
			this.delegate.publish(session);
		}

		@Override
		public Admission admissible(SpiffeId peer, @Nullable String sessionId) {
			Admission admission = this.delegate.admissible(peer, null);
			return admission;
		}

		@Override
		public Optional<Session> find(String sessionId) {
			return this.delegate.find(sessionId);
		}

		@Override
		public void remove(Session session) {
			this.delegate.remove(session);
		}

		@Override
		public int size() {
			return this.delegate.size();
		}

		@Override
		public int size(SpiffeId peer) {
			return this.delegate.size(peer);
		}

	}

	/**
	 * The second clock read: liveness decided by the store's clock, admission by the
	 * pipeline's earlier reading.
	 */
	static final class PipelineClockAdmission implements ReplayStore {

		private final Map<String, Long> retained = new HashMap<>();

		private final Clock storeClock;

		private final Clock pipelineClock;

		PipelineClockAdmission(Clock storeClock, Clock pipelineClock) {
			this.storeClock = storeClock;
			this.pipelineClock = pipelineClock;
		}

		@Override
		public Reservation reserve(Entry entry) {
			String key = entry.sender() + "\n" + entry.messageId();
			Long until = this.retained.get(key);
			if (until != null && until >= this.storeClock.millis()) {
				return Reservation.DUPLICATE;
			}
			if (entry.retainUntil().toEpochMilli() < this.pipelineClock.millis()) {
				return Reservation.EXPIRED;
			}
			this.retained.put(key, entry.retainUntil().toEpochMilli());
			return Reservation.RESERVED;
		}

		@Override
		public void forgetWindow(String sessionId) {
		}

		@Override
		public long size() {
			return this.retained.size();
		}

	}

}
