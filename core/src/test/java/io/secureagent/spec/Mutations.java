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

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import io.secureagent.canonical.JsonValue;
import io.secureagent.spec.Specification.CheckSpec;

/**
 * Weakened copies of the specification, one per invariant: a check dropped, a check moved
 * past the commit point, or one of the defects the decision path once had put back. Each
 * must let the solver find a trace that breaks its invariant.
 *
 * @author secure-agent authors
 */
final class Mutations {

	/** Plain messages of the application's kinds, no deprecations: replayable as is. */
	static final List<JsonValue> PLAIN = List.of(InvariantProofTests.parse("[\"not\", \"m.enc\"]"),
			InvariantProofTests.parse("[\"in\", \"m.type\", \"#app\", \"#answer\"]"),
			InvariantProofTests.parse("[\"<\", \"m.clock\", [\"sunset\", \"m.type\"]]"));

	/**
	 * Handshake answers only, at the initiator: an init's session id is its responder's
	 * random choice, not the attacker's, so no init is delivered.
	 */
	static final List<JsonValue> ACCEPTS = List.of(InvariantProofTests.parse("[\"not\", \"m.enc\"]"),
			InvariantProofTests.parse("[\"=\", \"m.arrival\", \"#response\"]"),
			InvariantProofTests.parse("[\"=\", \"m.type\", \"#accept\"]"),
			// an honest responder's session id is random: it names no session before it
			InvariantProofTests.parse(
					"[\"implies\", \"m.genuine\", [\"not\", [\"exists\", \"p\", \"before\", \"m\", [\"and\", [\"=\", \"p.sid\", \"m.sid\"], [\"=\", \"p.recv\", \"m.recv\"]]]]]"),
			InvariantProofTests.parse("[\"<\", \"m.clock\", [\"sunset\", \"m.type\"]]"));

	private Mutations() {
	}

	static List<Mutation> all() {
		List<Mutation> all = new ArrayList<>();
		all.add(new Mutation(1, "schema-after-commit", "schema-violation",
				"the request's schema check moved after the commit point: a payload that fails its schema leaves its id reserved",
				(spec) -> spec.withChecks("request", move("schema", "replay", true), "schema-after-commit"), PLAIN));
		all.add(new Mutation(2, "schema-dropped", "schema-violation", "the request's schema check dropped",
				(spec) -> spec.withChecks("request", drop("schema"), "schema-dropped"), PLAIN));
		all.add(new Mutation(3, "overwriting-session-put", "session-id-in-use",
				"the commit point binds a session id whether or not it is bound already, as a store whose put overwrites",
				(spec) -> spec.withClause("replay", 0, null, "overwriting-session-put"), ACCEPTS));
		all.add(new Mutation(4, "second-clock-read", "expired",
				"the commit point admits by the pipeline's clock reading while the store decides liveness by its own",
				(spec) -> spec.withClause("replay", 2,
						InvariantProofTests.parse("[\"<=\", \"m.clock\", [\"+\", \"m.expires\", \"$SKEW\"]]"),
						"second-clock-read"),
				PLAIN));
		all.add(new Mutation(4, "resend-outlives-first-copy", "expired",
				"an honest sender's resend expires later than its first copy (the client before it kept the first copy's expiry)",
				(spec) -> spec.withHonestResend("any-expiry", "resend-outlives-first-copy"), PLAIN, true));
		all.add(new Mutation(5, "recipient-dropped", "wrong-recipient", "the request's recipient check dropped",
				(spec) -> spec.withChecks("request", drop("recipient"), "recipient-dropped"), PLAIN));
		all.add(new Mutation(6, "shared-authorization", "unauthorized-sender",
				"requests authorized by the rules or by the peers the client dials, one authorization for both directions",
				(spec) -> spec.withClause("authorization", 0, InvariantProofTests.parse(
						"[\"or\", [\"grants\", \"m.recv\", \"m.sender\", \"m.type\"], [\"dials\", \"m.recv\", \"m.sender\"]]"),
						"shared-authorization"),
				PLAIN));
		all.add(new Mutation(7, "handshake-dropped", "downgrade",
				"the answer's handshake check dropped: an accept is taken without checking what it chose",
				(spec) -> spec.withChecks("response", drop("handshake"), "handshake-dropped"),
				and(ACCEPTS, "[\"and\", \"m.hsIds\", \"m.transcript\"]")));
		all.add(new Mutation(8, "replay-before-signature", "bad-signature",
				"the request's commit point moved before the signature check: a forged message reserves an id",
				(spec) -> spec.withChecks("request", move("replay", "signature", false), "replay-before-signature"),
				PLAIN));
		return all;
	}

	private static List<JsonValue> and(List<JsonValue> assumptions, String more) {
		List<JsonValue> all = new ArrayList<>(assumptions);
		all.add(InvariantProofTests.parse(more));
		return List.copyOf(all);
	}

	static UnaryOperator<List<CheckSpec>> drop(String name) {
		return (checks) -> {
			if (!checks.removeIf((check) -> check.name().equals(name))) {
				throw new IllegalArgumentException("no check " + name);
			}
			return checks;
		};
	}

	/**
	 * Move a check next to another.
	 * @param name the check to move
	 * @param anchor the check it goes next to
	 * @param after whether it goes after the anchor (else before)
	 * @return the change
	 */
	static UnaryOperator<List<CheckSpec>> move(String name, String anchor, boolean after) {
		return (checks) -> {
			CheckSpec moved = checks.stream()
				.filter((check) -> check.name().equals(name))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("no check " + name));
			checks.remove(moved);
			int index = -1;
			for (int i = 0; i < checks.size(); i++) {
				if (checks.get(i).name().equals(anchor)) {
					index = i;
				}
			}
			if (index < 0) {
				throw new IllegalArgumentException("no check " + anchor);
			}
			checks.add(after ? index + 1 : index, moved);
			return checks;
		};
	}

	/**
	 * Find the shortest trace on which a mutation breaks its invariant.
	 * @param spec the specification to weaken
	 * @param mutation the mutation
	 * @return the trace, or empty if the weakened specification still holds
	 */
	static Optional<Counterexample> shortestCounterexample(Specification spec, Mutation mutation) {
		Specification mutated = mutation.apply(spec);
		Specification.Invariant invariant = mutated.invariant(mutation.invariant());
		for (int length = 1; length <= spec.bound("deliveries"); length++) {
			try (Z3Model model = new Z3Model(mutated, length, spec.bound("originals"))) {
				Optional<Counterexample> found = model.refute(invariant, mutation.assumptions());
				if (found.isPresent()) {
					return found;
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * Tell whether an invariant of a specification holds on a concrete trace.
	 * @param spec the specification
	 * @param invariant the invariant's id
	 * @param trace the trace
	 * @return whether it holds
	 */
	static boolean holds(Specification spec, int invariant, Counterexample trace) {
		try (Z3Model model = new Z3Model(spec, trace.deliveries().size(), trace.originals().size())) {
			return model.holdsOn(spec.invariant(invariant), trace);
		}
	}

	/**
	 * One weakening of the specification, and the invariant it should break.
	 *
	 * @param invariant the invariant's id
	 * @param name the mutation's name
	 * @param shippedReason the reason the shipped pipeline refuses the counterexample's
	 * offending delivery with
	 * @param description what it changes
	 * @param change the change
	 * @param assumptions what the trace looked for may use
	 * @param environment whether it changes what honest agents do rather than a check:
	 * its traces are then not traces of the unmodified model at all
	 */
	record Mutation(int invariant, String name, String shippedReason, String description,
			UnaryOperator<Specification> change, List<JsonValue> assumptions, boolean environment) {

		Mutation(int invariant, String name, String shippedReason, String description,
				UnaryOperator<Specification> change, List<JsonValue> assumptions) {
			this(invariant, name, shippedReason, description, change, assumptions, false);
		}

		Specification apply(Specification spec) {
			return this.change.apply(spec);
		}

		@Override
		public String toString() {
			return this.invariant + ": " + this.name;
		}

	}

}
