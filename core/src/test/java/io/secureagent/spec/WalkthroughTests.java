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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.secureagent.spec.Mutations.Mutation;
import io.secureagent.spec.TraceReplay.Outcome;
import io.secureagent.spec.TraceReplay.Variant;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counterexample that {@code docs/formal-model-walkthrough.md} walks through is the
 * one the solver finds now, byte for byte ({@code UPDATE_DOCS=true} writes it again), and
 * the file in {@code docs/spec} replays as the page says: accepted by the weakened
 * pipeline, refused {@code unauthorized-sender} by the shipped one.
 *
 * @author secure-agent authors
 */
class WalkthroughTests {

	static final Path TRACE = Path.of("../docs/spec/counterexample-shared-authorization.json");

	private final Specification spec = Specification.load();

	@Test
	void theDocumentedTraceIsTheSolversAndReplaysAsDocumented() throws IOException {
		Mutation mutation = Mutations.all()
			.stream()
			.filter((candidate) -> candidate.name().equals("shared-authorization"))
			.findFirst()
			.orElseThrow();
		String found = Mutations.shortestCounterexample(this.spec, mutation).orElseThrow().toJson();
		if (Boolean.parseBoolean(System.getenv("UPDATE_DOCS"))) {
			Files.writeString(TRACE, found);
		}
		assertThat(Files.readString(TRACE, StandardCharsets.UTF_8)).as("regenerate with UPDATE_DOCS=true")
			.isEqualTo(found);
		Counterexample trace = Counterexample.fromJson(Files.readAllBytes(TRACE));
		// the page shows the delivery as the file has it, and its envelope's id and
		// parties
		String page = Files.readString(Path.of("../docs/formal-model-walkthrough.md"), StandardCharsets.UTF_8);
		String delivery = found.lines().filter((line) -> line.contains("\"origin\"")).findFirst().orElseThrow().trim();
		assertThat(page).contains(delivery)
			.contains(TraceReplay.wireId((Integer) trace.deliveries().get(0).get("id")))
			.contains(TraceReplay.spiffeId(trace.agent(trace.deliveries().get(0), "recipient")).toString())
			.contains(TraceReplay.spiffeId(trace.agent(trace.deliveries().get(0), "sender")).toString());
		List<Outcome> weakened = new TraceReplay(trace, this.spec, TraceReplayTests.VARIANTS.get(mutation.name()))
			.run();
		List<Outcome> shipped = new TraceReplay(trace, this.spec, Variant.AS_SHIPPED).run();
		assertThat(weakened).containsExactly(new Outcome(true, null, true));
		assertThat(shipped).containsExactly(new Outcome(false, "unauthorized-sender", false));
	}

}
