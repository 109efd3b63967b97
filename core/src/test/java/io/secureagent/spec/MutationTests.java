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

import io.secureagent.spec.Mutations.Mutation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Every invariant is one the model can see broken: for each, a weakened specification
 * lets Z3 find a counterexample, reported in concrete values and written as a trace, on
 * which the unmodified specification rejects the offending delivery.
 *
 * @author secure-agent authors
 */
class MutationTests {

	private final Specification spec = Specification.load();

	static List<Mutation> mutations() {
		return Mutations.all();
	}

	@Test
	void theFormalModelPageListsEveryMutationWithTheReasonTheShippedPipelineGives() throws IOException {
		List<String> lines = Files.readAllLines(Path.of("../docs/formal-model.md"));
		for (Mutation mutation : Mutations.all()) {
			assertThat(lines).as("the row of invariant " + mutation.invariant())
				.anyMatch((line) -> line.startsWith("| " + mutation.invariant() + " |") && line
					.endsWith("| `" + mutation.shippedReason() + "`" + line.substring(line.lastIndexOf('`') + 1)));
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mutations")
	void solverFindsTheCounterexampleThatTheUnmodifiedSpecificationRejects(Mutation mutation) throws IOException {
		Optional<Counterexample> found = Mutations.shortestCounterexample(this.spec, mutation);
		assertThat(found).as("a counterexample to invariant %d under %s", mutation.invariant(), mutation.name())
			.isPresent();
		Counterexample trace = found.get();
		Path file = Path.of("target/spec/counterexample-" + mutation.name() + ".json");
		Files.createDirectories(file.getParent());
		Files.writeString(file, trace.toJson());
		if (mutation.environment()) {
			// honest agents, as specified, never make this trace
			try (Z3Model model = new Z3Model(this.spec, trace.deliveries().size(), trace.originals().size())) {
				assertThatIllegalStateException().isThrownBy(() -> model.decide(trace));
			}
			return;
		}
		List<Counterexample.Decision> unmodified;
		try (Z3Model model = new Z3Model(this.spec, trace.deliveries().size(), trace.originals().size())) {
			unmodified = model.decide(trace);
		}
		// the same trace, decided by the unmodified specification, keeps the invariant:
		// some delivery the mutation accepted, or let write, is rejected
		assertThat(unmodified).isNotEqualTo(trace.decisions());
		assertThat(Mutations.holds(this.spec, mutation.invariant(), trace)).isTrue();
	}

}
