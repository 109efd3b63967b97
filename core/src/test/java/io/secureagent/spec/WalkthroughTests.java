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
import java.util.Map;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.MalformedJsonException;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.envelope.Members;
import io.secureagent.testsupport.GeneratedSections;

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

	static final Path PAGE = Path.of("../docs/formal-model-walkthrough.md");

	private final Specification spec = Specification.load();

	/**
	 * The page's values: the delivery, what it means, the configuration, the envelope.
	 */
	private String section(Counterexample trace, String json) throws IOException {
		Map<String, Object> delivery = trace.deliveries().get(0);
		String line = json.lines().filter((candidate) -> candidate.contains("\"origin\"")).findFirst().orElseThrow();
		String sender = trace.agent(delivery, "sender");
		String receiver = trace.agent(delivery, "recv");
		int recv = (Integer) delivery.get("recv");
		int from = (Integer) delivery.get("sender");
		JsonObject envelope;
		try {
			envelope = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT)
				.parse(new TraceReplay(trace, this.spec, Variant.AS_SHIPPED).envelope(delivery));
		}
		catch (MalformedJsonException ex) {
			throw new IllegalStateException(ex);
		}
		StringBuilder out = new StringBuilder();
		out.append("<!-- generated from docs/spec/counterexample-shared-authorization.json: do not edit -->\n");
		out.append("The one delivery:\n\n```json\n").append(line.trim()).append("\n```\n\n");
		out.append("Read: **")
			.append(sender)
			.append("** (")
			.append(from)
			.append(") sends **")
			.append(receiver)
			.append("** (")
			.append(recv)
			.append(") an application **request** (`type` ")
			.append(delivery.get("type"))
			.append(", arriving as a request, `arrival` ")
			.append(delivery.get("arrival"))
			.append(", `corr` equal to `id`), issued at ")
			.append(delivery.get("issued"))
			.append(", expiring at ")
			.append(delivery.get("expires"))
			.append(", read by the receiver's pipeline at ")
			.append(delivery.get("clock"))
			.append(" and by its replay store at ")
			.append(delivery.get("storeClock"))
			.append(", with a payload that passes its schema. `origin` ")
			.append(delivery.get("origin"))
			.append(": the attacker made it, and since it claims to be from mallory, whose key the attacker holds, ")
			.append("its signature is valid. (`sid`, `seq`, `suite` and the handshake fields mean nothing for a ")
			.append("plain request.)\n\n");
		out.append("The configuration the solver chose, from the tables of the specification's functions: `grants` is ")
			.append(trace.functions().get("grants").values().contains(Boolean.TRUE) ? "true somewhere"
					: "false everywhere (no rule lets anyone send anything)")
			.append("; `dials(")
			.append(recv)
			.append(", ")
			.append(from)
			.append(")` is ")
			.append(trace.holds("dials", recv, from))
			.append(" (")
			.append(receiver)
			.append("'s client is configured to call ")
			.append(sender)
			.append("); `handles(")
			.append(recv)
			.append(", app)` is ")
			.append(trace.holds("handles", recv, 0))
			.append(".\n\n");
		out.append("Its decision under the weakened specification:\n\n```json\n")
			.append(trace.decisions().get(0).toJson())
			.append("\n```\n\n");
		out.append("The envelope `TraceReplay` builds from these values and signs with the test identities ")
			.append("(Ed25519, so that the signature is the same on every run), at the fixed instant ")
			.append(TraceReplay.BASE)
			.append(" (")
			.append(TraceReplay.BASE.toEpochMilli())
			.append(" ms):\n\n");
		out.append("| member | value |\n|---|---|\n");
		for (String member : List.of(Members.VERSION, Members.ID, Members.CORRELATION_ID, Members.SENDER,
				Members.RECIPIENT, Members.TYPE, Members.ISSUED_AT, Members.EXPIRES_AT, Members.ALG)) {
			out.append("| `").append(member).append("` | `").append(text(envelope.get(member))).append("` |\n");
		}
		out.append("| `payload` | `")
			.append(new String(JsonCanonicalizer.canonicalize(envelope.get(Members.PAYLOAD)), StandardCharsets.UTF_8))
			.append("` |\n");
		out.append("| `x5c`, `signature` | ").append(sender).append("'s SVID chain, a signature by its key |\n");
		out.append(GeneratedSections.END);
		return out.toString();
	}

	/** The authorization clause as specified, and as the mutation has it. */
	private String clauses(Mutation mutation) {
		JsonValue specified = clause(this.spec);
		JsonValue mutated = clause(mutation.apply(this.spec));
		return "<!-- generated from docs/spec/secure-agent-1.json: the authorization clause, and its mutation -->\n"
				+ "As specified:\n\n```json\n" + json(specified) + "\n```\n\nAs the mutation has it:\n\n```json\n"
				+ json(mutated) + "\n```\n" + GeneratedSections.END;
	}

	private static JsonValue clause(Specification spec) {
		return spec.checks("request")
			.stream()
			.filter((check) -> check.name().equals("authorization"))
			.findFirst()
			.orElseThrow()
			.clauses()
			.get(0)
			.pass();
	}

	private static String json(JsonValue value) {
		return new String(JsonCanonicalizer.canonicalize(value), StandardCharsets.UTF_8);
	}

	private static String text(JsonValue value) {
		if (value instanceof JsonValue.JsonString string) {
			return string.value();
		}
		return String.valueOf((long) ((JsonValue.JsonNumber) value).value());
	}

	@Test
	void theDocumentedTraceIsTheSolversAndReplaysAsDocumented() throws Exception {
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
		GeneratedSections.assertGeneratedSection(PAGE, section(trace, found));
		GeneratedSections.assertGeneratedSection(PAGE, clauses(mutation));
		List<Outcome> weakened = new TraceReplay(trace, this.spec, TraceReplayTests.VARIANTS.get(mutation.name()))
			.run();
		List<Outcome> shipped = new TraceReplay(trace, this.spec, Variant.AS_SHIPPED).run();
		assertThat(weakened).containsExactly(new Outcome(true, null, true));
		assertThat(shipped).containsExactly(new Outcome(false, "unauthorized-sender", false));
	}

}
