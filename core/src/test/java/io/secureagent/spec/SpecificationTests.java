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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import io.secureagent.crypto.AeadSuite;
import io.secureagent.envelope.EnvelopeReader;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.envelope.EnvelopeSigner.SignedEnvelope;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.session.EstablishedSession;
import io.secureagent.session.InMemorySessionStore;
import io.secureagent.session.SessionLimits;
import io.secureagent.session.SessionManager;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.spec.Specification.CheckSpec;
import io.secureagent.testsupport.TestPki;
import io.secureagent.verification.Check;
import io.secureagent.verification.ReasonCode;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import io.spiffe.spiffeid.SpiffeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The specification and the code are one: both runtime pipelines have exactly the
 * specification's checks, in its order, with its reason codes; only the commit point
 * writes; and the session state machine of each role moves as the specification's
 * transitions say.
 *
 * @author secure-agent authors
 */
class SpecificationTests {

	private final Specification spec = Specification.load();

	private static final Instant START = Instant.parse("2026-11-28T12:00:00Z");

	private final TestPki pki = new TestPki(START);

	private final StaticIdentity executor = this.pki.identity(TestPki.EXECUTOR, KeyType.EC_P256);

	private final StaticIdentity planner = this.pki.identity(TestPki.PLANNER, KeyType.EC_P256);

	@ParameterizedTest
	@ValueSource(strings = { "request", "response" })
	void pipelineChecksAreTheSpecificationsInItsOrderWithItsReasons(String direction) {
		InMemoryReplayStore store = new InMemoryReplayStore(10, this.pki.clock);
		VerificationPipeline pipeline = direction.equals("request")
				? VerificationPipeline.builder(this.executor, store, this.pki.clock).build()
				: VerificationPipeline.responseBuilder(this.executor, store, this.pki.clock).build();
		List<String> codeNames = pipeline.checks().stream().map(Check::name).toList();
		List<CheckSpec> specified = this.spec.checks(direction);
		assertThat(codeNames).containsExactlyElementsOf(specified.stream().map(CheckSpec::name).toList());
		for (int i = 0; i < specified.size(); i++) {
			Check check = pipeline.checks().get(i);
			Set<String> reasons = new LinkedHashSet<>();
			check.reasons().stream().map(ReasonCode::slug).forEach(reasons::add);
			assertThat(specified.get(i).reasons()).as(check.name()).containsExactlyInAnyOrderElementsOf(reasons);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "request", "response" })
	void onlyTheLastCheckIsTheCommitPointAndOnlyItWrites(String direction) {
		List<CheckSpec> checks = this.spec.checks(direction);
		CheckSpec last = checks.get(checks.size() - 1);
		assertThat(last.commit()).isTrue();
		assertThat(last.writes()).containsExactlyInAnyOrderElementsOf(
				this.spec.stores().members().keySet().stream().filter((store) -> !store.equals("quota")).toList());
		for (CheckSpec check : checks.subList(0, checks.size() - 1)) {
			assertThat(check.commit()).as(check.name()).isFalse();
			assertThat(check.writes()).as(check.name()).isEmpty();
		}
	}

	@Test
	void everyClauseRefusesWithOneOfItsChecksReasons() {
		Set<String> known = new LinkedHashSet<>();
		for (ReasonCode reason : ReasonCode.values()) {
			known.add(reason.slug());
		}
		for (String direction : Specification.DIRECTIONS) {
			for (CheckSpec check : this.spec.checks(direction)) {
				assertThat(known).as(check.name()).containsAll(check.reasons());
				check.clauses()
					.forEach((clause) -> assertThat(check.reasons()).as(check.name()).contains(clause.reason()));
			}
		}
	}

	@Test
	void everyKindArrivesInTheDirectionsTheChecksAllow() {
		// a kind that arrives as a request passes the direction check's type clauses
		// in some configuration; an answer kind never does
		assertThat(this.spec.arrivals("app")).containsExactly("request");
		assertThat(this.spec.arrivals("init")).containsExactly("request");
		assertThat(this.spec.arrivals("capreq")).containsExactly("request");
		assertThat(this.spec.arrivals("answer")).containsExactly("response");
		assertThat(this.spec.arrivals("accept")).containsExactly("response");
		assertThat(this.spec.arrivals("capdoc")).containsExactly("response");
	}

	@Test
	void initiatorMovesAsTheSpecificationSays() throws Exception {
		Agents agents = new Agents();
		List<String> walked = walk("initiator", agents::bringInitiatorTo, agents::initiatorDoes, agents::initiatorState,
				agents);
		assertThat(walked).containsExactlyInAnyOrder("initiate", "abandon", "admit", "withdraw", "activate", "expire");
		assertThat(this.spec.sessionStates("initiator")).containsExactly("none", "pending", "bound", "established",
				"expired");
	}

	@Test
	void responderMovesAsTheSpecificationSays() throws Exception {
		Agents agents = new Agents();
		List<String> walked = walk("responder", agents::bringResponderTo, agents::responderDoes, agents::responderState,
				agents);
		assertThat(walked).containsExactlyInAnyOrder("admit", "withdraw", "activate", "expire");
		assertThat(this.spec.sessionStates("responder")).containsExactly("none", "bound", "established", "expired");
	}

	/**
	 * Take each transition of a role from a fresh start: bring the role to its source
	 * state, check that it is there, do the operation, check the target state.
	 * @return the operations walked
	 */
	private List<String> walk(String role, Step bringTo, Step does, Supplier<String> state, Agents agents)
			throws Exception {
		List<String> walked = new ArrayList<>();
		for (var transition : this.spec.sessionTransitions(role)) {
			String from = Specification.string(transition, "from");
			String to = Specification.string(transition, "to");
			String operation = Specification.string(transition, "operation");
			agents.reset();
			bringTo.apply(from);
			assertThat(state.get()).as("before " + operation).isEqualTo(from);
			does.apply(operation);
			assertThat(state.get()).as(from + " --" + operation + "-->").isEqualTo(to);
			walked.add(operation);
		}
		return walked;
	}

	/** A state or an operation of one role, applied to the agents. */
	@FunctionalInterface
	private interface Step {

		void apply(String name) throws Exception;

	}

	/** A planner that initiates and an executor that responds, driven step by step. */
	private final class Agents {

		private SessionManager initiator;

		private SessionManager responder;

		private SignedEnvelope init;

		private EstablishedSession initiated;

		private EstablishedSession responded;

		void reset() {
			SpecificationTests.this.pki.clock.set(START);
			this.initiator = manager(SpecificationTests.this.planner);
			this.responder = manager(SpecificationTests.this.executor);
			this.init = null;
			this.initiated = null;
			this.responded = null;
		}

		private SessionManager manager(StaticIdentity identity) {
			var clock = SpecificationTests.this.pki.clock;
			return new SessionManager(identity, new EnvelopeSigner(identity, clock, Duration.ofMinutes(1)),
					new InMemorySessionStore(10, clock), SessionLimits.DEFAULT, List.of(AeadSuite.values()),
					new StrictJsonParser(JsonLimits.DEFAULT), clock);
		}

		private static io.secureagent.envelope.Envelope envelope(SignedEnvelope signed) throws Exception {
			return EnvelopeReader.read(new StrictJsonParser(JsonLimits.DEFAULT).parse(signed.bytes()));
		}

		private Instant now() {
			return SpecificationTests.this.pki.clock.instant();
		}

		void bringInitiatorTo(String state) throws Exception {
			switch (state) {
				case "none" -> {
				}
				case "pending" -> initiatorDoes("initiate");
				case "bound" -> {
					initiatorDoes("initiate");
					initiatorDoes("admit");
				}
				case "established" -> {
					bringInitiatorTo("bound");
					initiatorDoes("activate");
				}
				default -> throw new IllegalArgumentException(state);
			}
		}

		void initiatorDoes(String operation) throws Exception {
			switch (operation) {
				case "initiate" -> this.init = this.initiator.initiate(TestPki.EXECUTOR);
				case "abandon" -> this.initiator.abandon(this.init);
				case "admit" -> {
					EstablishedSession answer = this.responder.respond(envelope(this.init), now());
					this.initiated = this.initiator.complete(envelope(answer.reply()), now());
					this.initiator.admit(this.initiated);
				}
				case "withdraw" -> this.initiator.withdraw(this.initiated);
				case "activate" -> this.initiator.activate(this.initiated);
				case "expire" ->
					SpecificationTests.this.pki.clock.advance(SessionLimits.DEFAULT.maxAge().plusSeconds(1));
				default -> throw new IllegalArgumentException(operation);
			}
		}

		String initiatorState() {
			if (this.initiated != null && this.initiator.find(this.initiated.session().id()).isPresent()) {
				return this.initiated.session().isExpired(now()) ? "expired" : "established";
			}
			if (this.initiator.store().size() > 0) {
				return "bound";
			}
			return (this.initiator.pendingHandshakes() > 0) ? "pending" : "none";
		}

		void bringResponderTo(String state) throws Exception {
			switch (state) {
				case "none" -> {
				}
				case "bound" -> responderDoes("admit");
				case "established" -> {
					responderDoes("admit");
					responderDoes("activate");
				}
				default -> throw new IllegalArgumentException(state);
			}
		}

		void responderDoes(String operation) throws Exception {
			switch (operation) {
				case "admit" -> {
					SignedEnvelope offer = this.initiator.initiate(TestPki.EXECUTOR);
					this.responded = this.responder.respond(envelope(offer), now());
					this.responder.admit(this.responded);
				}
				case "withdraw" -> this.responder.withdraw(this.responded);
				case "activate" -> this.responder.activate(this.responded);
				case "expire" ->
					SpecificationTests.this.pki.clock.advance(SessionLimits.DEFAULT.maxAge().plusSeconds(1));
				default -> throw new IllegalArgumentException(operation);
			}
		}

		String responderState() {
			if (this.responded != null && this.responder.find(this.responded.session().id()).isPresent()) {
				return this.responded.session().isExpired(now()) ? "expired" : "established";
			}
			return (this.responder.store().size() > 0) ? "bound" : "none";
		}

	}

}
