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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.client.SecureAgentClient;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.trace.TraceReplayer;
import io.secureagent.trace.TraceVerifier;
import io.spiffe.spiffeid.SpiffeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision log of a real agent over HTTP: every decision, accepted or refused, is a
 * line; at shutdown the chain is anchored; the log verifies against the agent's trust
 * bundles and replays offline to the same decisions, except those that need keys the log
 * does not hold, which are said.
 *
 * @author secure-agent authors
 */
class DecisionLogIntegrationTests {

	@TempDir
	Path caDirectory;

	@TempDir
	Path traceDirectory;

	private ConfigurableApplicationContext executor;

	private ConfigurableApplicationContext planner;

	@AfterEach
	void close() {
		if (this.planner != null) {
			this.planner.close();
		}
		if (this.executor != null) {
			this.executor.close();
		}
	}

	@Test
	void signedMessagesAndAttacksAreLoggedVerifiedAndReplayed() throws Exception {
		start("secure-agent.encryption.mode=off");
		SecureAgentClient client = this.planner.getBean(SecureAgentClient.class);
		for (int i = 1; i <= 2; i++) {
			client.send("executor", new TaskRequest("word-count", "agents sign what they say", i), TaskResult.class)
				.block(Duration.ofSeconds(30));
		}
		byte[] genuine = signed("task.request", SpiffeId.parse("spiffe://example.org/executor"));
		assertThat(TestAgents.post(this.executor, genuine).getStatusCode().value()).isEqualTo(200);
		TestAgents.assertProblem(TestAgents.post(this.executor, genuine), 409, "replayed");
		TestAgents.assertProblem(
				TestAgents.post(this.executor, signed("task.cancel", SpiffeId.parse("spiffe://example.org/executor"))),
				403, "unauthorized-sender");
		TestAgents.assertProblem(
				TestAgents.post(this.executor, signed("task.request", SpiffeId.parse("spiffe://example.org/other"))),
				401, "wrong-recipient");
		TestAgents.assertProblem(TestAgents.post(this.executor, "not json".getBytes(StandardCharsets.UTF_8)), 400,
				"malformed");
		AgentIdentity identity = this.executor.getBean(AgentIdentity.class);
		this.executor.close();
		List<String> lines = Files.readAllLines(logFile());
		TraceVerifier.Report report = new TraceVerifier(identity.trustBundles()).verify("executor", lines, null);
		assertThat(report.valid()).as(report.message()).isTrue();
		// the capability request, the two tasks and the five posts
		assertThat(report.decisions()).isGreaterThanOrEqualTo(7);
		List<TraceReplayer.Result> results = new TraceReplayer(identity.trustBundles()).replay(lines);
		assertThat(results).hasSize(report.decisions());
		assertThat(results).allMatch((result) -> result.status() == TraceReplayer.Status.SAME,
				"every decision re-derived the same");
		assertThat(results.stream().map(TraceReplayer.Result::recorded)).contains("accepted", "rejected:replayed",
				"rejected:unauthorized-sender", "rejected:wrong-recipient", "rejected:malformed");
	}

	@Test
	void encryptedMessagesAreLoggedAsCiphertextAndSaidToNeedTheirKeys() throws Exception {
		start("secure-agent.encryption.mode=required");
		SecureAgentClient client = this.planner.getBean(SecureAgentClient.class);
		for (int i = 1; i <= 2; i++) {
			client.send("executor", new TaskRequest("word-count", "confidential words here", i), TaskResult.class)
				.block(Duration.ofSeconds(30));
		}
		AgentIdentity identity = this.executor.getBean(AgentIdentity.class);
		this.executor.close();
		List<String> lines = Files.readAllLines(logFile());
		assertThat(String.join("\n", lines)).doesNotContain("confidential")
			.doesNotContain(java.util.Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString("confidential".getBytes(StandardCharsets.UTF_8))
				.substring(0, 12));
		assertThat(new TraceVerifier(identity.trustBundles()).verify("executor", lines, null).valid()).isTrue();
		List<TraceReplayer.Result> results = new TraceReplayer(identity.trustBundles()).replay(lines);
		assertThat(results).filteredOn((result) -> result.status() == TraceReplayer.Status.NOT_REDERIVABLE)
			.hasSizeGreaterThanOrEqualTo(3)
			.allMatch((result) -> result.note().contains("checked through sunset"));
		assertThat(results).noneMatch((result) -> result.status() == TraceReplayer.Status.DIFFERENT);
	}

	private void start(String mode) {
		this.executor = TestAgents.executor(this.caDirectory, mode, "secure-agent.trace.enabled=true",
				"secure-agent.trace.directory=" + this.traceDirectory, "secure-agent.trace.record-envelopes=true",
				"secure-agent.trace.checkpoint-every=3");
		this.planner = TestAgents.planner(this.caDirectory, TestAgents.port(this.executor), mode);
	}

	private Path logFile() throws Exception {
		try (Stream<Path> files = Files.list(this.traceDirectory)) {
			List<Path> all = files.toList();
			assertThat(all).hasSize(1);
			return all.get(0);
		}
	}

	private byte[] signed(String type, SpiffeId recipient) throws Exception {
		return this.planner.getBean(EnvelopeSigner.class)
			.sign(type, recipient, null,
					new JsonObject(Map.of("tool", new JsonString("word-count"), "text", new JsonString("a b"),
							"priority", new JsonNumber(2))))
			.bytes();
	}

}
