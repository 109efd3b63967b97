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
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Z3 proves every invariant of the specification over the traces of its bounds: the
 * negation of each, together with the generated model, is unsatisfiable.
 *
 * @author secure-agent authors
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvariantProofTests {

	private final Specification spec = Specification.load();

	private Z3Model model;

	@BeforeAll
	void generate() throws IOException {
		this.model = new Z3Model(this.spec);
		Path smt = Path.of("target/spec/secure-agent-1.smt2");
		Files.createDirectories(smt.getParent());
		Files.writeString(smt, this.model.smtLib());
	}

	@AfterAll
	void close() {
		this.model.close();
	}

	List<Specification.Invariant> invariants() {
		return Specification.load().invariants();
	}

	@ParameterizedTest(name = "invariant {0}")
	@MethodSource("invariants")
	void holdsWithinTheBounds(Specification.Invariant invariant) {
		Optional<Counterexample> counterexample = this.model.refute(invariant, List.of());
		assertThat(counterexample)
			.as(() -> "invariant " + invariant.id() + " fails on\n"
					+ counterexample.map(Counterexample::toJson).orElse(""))
			.isEmpty();
	}

	@Test
	void theModelHasTracesWhereEveryDeliveryIsAccepted() {
		// the proofs mean something only if the model is not vacuous: honest traces
		// exist, and in them messages are accepted in both directions
		Specification.Invariant somethingRejected = new Specification.Invariant(0, "something-rejected", "",
				io.secureagent.canonical.JsonValue.JsonBoolean.FALSE);
		Optional<Counterexample> accepted = this.model.refute(somethingRejected,
				List.of(parse("[\"=\", \"m.accepted\", true]")));
		assertThat(accepted).isPresent();
		assertThat(accepted.get().decisions()).allMatch(Counterexample.Decision::accepted);
		assertThat(accepted.get().decisions()).anyMatch((decision) -> decision.direction().equals("request"))
			.anyMatch((decision) -> decision.direction().equals("response"));
	}

	static List<String> witnesses() {
		return List.of("[\"and\", \"m.accepted\", [\"=\", \"m.arrival\", \"#request\"], [\"=\", \"m.type\", \"#app\"]]",
				"[\"and\", \"m.accepted\", [\"=\", \"m.arrival\", \"#response\"], [\"=\", \"m.type\", \"#answer\"]]",
				"[\"and\", \"m.accepted\", \"m.enc\"]",
				"[\"and\", [\"wrote\", \"m\", \"sessions\"], [\"=\", \"m.type\", \"#init\"]]",
				"[\"and\", [\"wrote\", \"m\", \"sessions\"], [\"=\", \"m.type\", \"#accept\"]]",
				"[\"and\", \"m.accepted\", [\"exists\", \"p\", \"before\", \"m\", [\"and\", \"p.accepted\", [\"=\", \"p.recv\", \"m.recv\"], [\"=\", \"p.sender\", \"m.sender\"]]]]",
				"[\"and\", [\"not\", \"m.accepted\"], [\"=\", \"m.sender\", \"#mallory\"]]");
	}

	@ParameterizedTest(name = "a trace with {0}")
	@MethodSource("witnesses")
	void everyInvariantsPremiseHappensInSomeTrace(String premise) {
		// an invariant about accepted answers, encrypted messages or bound sessions says
		// something only if the model has them: each premise has a witness
		Specification.Invariant never = new Specification.Invariant(0, "never", "",
				new io.secureagent.canonical.JsonValue.JsonArray(
						List.of(new io.secureagent.canonical.JsonValue.JsonString("not"), parse(premise))));
		assertThat(this.model.refute(never, List.of())).as(premise).isPresent();
	}

	static io.secureagent.canonical.JsonValue parse(String json) {
		try {
			return new io.secureagent.canonical.StrictJsonParser(io.secureagent.canonical.JsonLimits.DEFAULT)
				.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}
		catch (io.secureagent.canonical.MalformedJsonException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

}
