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
package io.secureagent.autoconfigure;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;
import java.util.TreeMap;

import io.secureagent.problem.Problems;
import io.secureagent.testsupport.GeneratedSections;
import io.secureagent.verification.ReasonCode;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the generated parts of {@code docs/} true: the configuration reference is
 * rendered from the configuration metadata the build generates, and the error reference
 * has one anchor per code that a problem's {@code type} can point at. Run with
 * {@code UPDATE_DOCS=true} to rewrite them.
 *
 * @author secure-agent authors
 */
class DocumentationTests {

	private static final Path DOCS = Path.of("..", "docs");

	private static final String BEGIN = "<!-- generated from the configuration metadata: do not edit -->";

	private static final String END = GeneratedSections.END;

	@Test
	void configurationReferenceWhenRenderedFromMetadataThenMatchesTheDocs() throws Exception {
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("configuration metadata").isNotNull();
			metadata = JsonMapper.builder().build().readTree(in);
		}
		Map<String, JsonNode> properties = new TreeMap<>();
		metadata.get("properties").forEach((property) -> properties.put(property.get("name").asString(), property));
		assertThat(properties).containsKeys("secure-agent.identity.source", "secure-agent.replay.capacity",
				"secure-agent.encryption.mode", "secure-agent.limits.max-message-size");
		StringBuilder table = new StringBuilder(BEGIN).append("\n\n| property | type | default | description |\n")
			.append("|---|---|---|---|\n");
		properties.forEach((name, property) -> table.append("| `")
			.append(name)
			.append("` | `")
			.append(simpleType(property.path("type").asString("")))
			.append("` | ")
			.append(property.has("defaultValue") ? "`" + defaultValue(property.get("defaultValue")) + "`" : "")
			.append(" | ")
			.append(property.path("description")
				.asString("")
				.replace("\n", " ")
				.replaceAll("\\{@code ([^}]*)}", "`$1`")
				.replace("|", "\\|"))
			.append(" |\n"));
		table.append("\n").append(END);
		GeneratedSections.assertGeneratedSection(DOCS.resolve("configuration.md"), table.toString());
	}

	@Test
	void metadataWhenReadThenEveryGroupDescribedEveryEnumHintedAndRecordFieldsListed() throws Exception {
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			metadata = JsonMapper.builder().build().readTree(in);
		}
		metadata.get("groups")
			.forEach((group) -> assertThat(group.path("description").asString(""))
				.as(group.get("name").asString() + " has a description")
				.isNotBlank());
		Map<String, List<String>> hints = new TreeMap<>();
		metadata.get("hints").forEach((hint) -> {
			List<String> values = new ArrayList<>();
			hint.get("values").forEach((value) -> values.add(value.get("value").asString()));
			hints.put(hint.get("name").asString(), values);
		});
		Set<String> names = new TreeSet<>();
		metadata.get("properties").forEach((property) -> {
			String name = property.get("name").asString();
			names.add(name);
			assertThat(property.path("description").asString("")).as(name + " has a description").isNotBlank();
			Class<?> type = enumType(property.path("type").asString(""));
			if (type != null) {
				List<String> constants = Arrays.stream(type.getEnumConstants())
					.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
					.toList();
				assertThat(hints.get(name)).as(name + " lists each value of " + type.getSimpleName())
					.containsExactlyInAnyOrderElementsOf(constants);
			}
		});
		assertThat(names).contains("secure-agent.authorization[].senders", "secure-agent.authorization[].types",
				"secure-agent.authorization[].authorities", "secure-agent.peers.*.spiffe-id",
				"secure-agent.peers.*.url", "secure-agent.deprecations[].type", "secure-agent.deprecations[].since",
				"secure-agent.deprecations[].sunset", "secure-agent.encryption.key-encryption-keys[].id");
	}

	private static Class<?> enumType(String type) {
		String element = type.replaceAll("^java\\.util\\.List<(.*)>$", "$1");
		try {
			Class<?> candidate = Class.forName(element);
			return candidate.isEnum() ? candidate : null;
		}
		catch (ClassNotFoundException ex) {
			return null;
		}
	}

	@Test
	void errorReferenceWhenListedThenOneAnchorPerCode() throws Exception {
		StringBuilder section = new StringBuilder(BEGIN.replace("configuration metadata", "reason codes"))
			.append("\n\n");
		for (ReasonCode code : ReasonCode.values()) {
			section.append("### ")
				.append(code.slug())
				.append("\n\nHTTP ")
				.append(code.httpStatus())
				.append(code.isInfrastructure() ? " (infrastructure: retry later)" : "")
				.append(". See [protocol.md](protocol.md#")
				.append(code.slug())
				.append(") for the check that raises it.\n\n");
		}
		List<String[]> web = new ArrayList<>();
		web.add(new String[] { Problems.ACCESS_DENIED, "403",
				"The message was verified, but the handler's method security (for example `@PreAuthorize`) denied its sender." });
		web.add(new String[] { Problems.HANDLER_FAILED, "500",
				"The message was verified and accepted, but its handler failed or returned nothing. No detail is disclosed." });
		web.add(new String[] { Problems.DOWNSTREAM_FAILED, "502",
				"The message was verified and accepted, but its handler's own call to another agent failed; the detail names the downstream code." });
		web.add(new String[] { Problems.ANSWER_UNSIGNED, "503",
				"The handler completed, but this agent could not sign or seal its answer (its identity became unavailable, the request's session ended meanwhile, or the answer holds a number that JSON cannot carry exactly, see [numbers](client.md#numbers); the log names the field). The handler's effect may stand and the message id is spent: do not send the same request again under a new id." });
		web.add(new String[] { Problems.NOT_AN_AGENT_MESSAGE, "401",
				"The request reached the agent endpoint without a verified envelope." });
		web.add(new String[] { Problems.UNAUTHENTICATED, "401",
				"A path of the default security chain that needs authentication the request did not carry, or the capability path when it is `authenticated` and no TLS client certificate names the requester." });
		web.add(new String[] { Problems.FORBIDDEN, "403", "A path of the default security chain that is not open." });
		web.add(new String[] { Problems.NOT_FOUND, "404",
				"The capability path, when `secure-agent.capabilities.well-known` is `off`." });
		web.add(new String[] { Problems.RATE_LIMITED, "429",
				"The capability path signed as many documents this second as it may; retry after the `Retry-After` delay." });
		web.add(new String[] { "peer-unreachable", "503",
				"Raised by `SecureAgentClient`, not answered by a peer: the request could not be delivered (connection refused or reset before sending). Sent again up to `secure-agent.client.retries` times." });
		web.add(new String[] { "peer-timeout", "504",
				"Raised by `SecureAgentClient`: the peer did not answer within `secure-agent.client.timeout`. The request may have been handled." });
		web.add(new String[] { "bad-answer", "502",
				"Raised by `SecureAgentClient`: the peer's answer could not be read. The request may have been handled." });
		web.add(new String[] { "bad-receipt", "502",
				"Raised by `SecureAgentClient.notify`: the peer's answer was a verified, correlated receipt, but for other bytes than the message sent (its digest differs). The peer may have handled the message." });
		web.add(new String[] { "session-exhausted", "503",
				"Raised by `SecureAgentClient`: the session ended or has no sequence numbers left while a message was being sealed; the next call runs a new handshake." });
		for (String[] code : web) {
			section.append("### ")
				.append(code[0])
				.append("\n\nHTTP ")
				.append(code[1])
				.append(". ")
				.append(code[2])
				.append("\n\n");
		}
		section.append(END);
		GeneratedSections.assertGeneratedSection(DOCS.resolve("errors.md"),
				section.toString().replace("\n\n" + END, "\n" + END));
	}

	private static String simpleType(String type) {
		return type.replaceAll("[a-zA-Z0-9_.]*\\.([A-Za-z0-9_]+)", "$1").replace("$", ".");
	}

	private static String defaultValue(JsonNode value) {
		if (value.isArray()) {
			List<String> items = new ArrayList<>();
			value.forEach((item) -> items.add(item.asString()));
			return String.join(",", items);
		}
		return value.asString();
	}

}
