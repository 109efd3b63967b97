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

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.client.SecureAgentClient;
import io.secureagent.client.SecureAgentClientException;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.envelope.Members;
import io.secureagent.negotiation.CapabilityDocument;
import io.secureagent.messaging.MessageVerifier;
import io.secureagent.verification.Exchange;
import io.secureagent.verification.ReasonCode;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.spiffe.spiffeid.SpiffeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two real agents with different message type versions: overlap, no overlap, deprecated,
 * past sunset; the capability document tampered with or signed by another agent; and the
 * capability exchange as messages.
 *
 * @author secure-agent authors
 */
class VersionNegotiationIntegrationTests {

	private static final SpiffeId EXECUTOR = SpiffeId.parse("spiffe://example.org/executor");

	@TempDir
	Path caDirectory;

	private ConfigurableApplicationContext executor;

	private ConfigurableApplicationContext planner;

	private ConfigurableApplicationContext relay;

	@AfterEach
	void close() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { this.planner,
				this.executor, this.relay }) {
			if (context != null) {
				context.close();
			}
		}
	}

	@Test
	void sendWhenPeerAcceptsTheVersionThenAnswered() {
		start();
		assertThat(client().send("executor", new TaskRequestV2("wc", List.of("a b", "c"), true), TaskResult.class)
			.block(Duration.ofSeconds(30))
			.words()).isEqualTo(3);
		assertThat(client().send("executor", new TaskRequest("wc", "a b", 1), TaskResult.class)
			.block(Duration.ofSeconds(30))
			.words()).isEqualTo(2);
		CapabilityDocument document = client().capabilities(peer()).block(Duration.ofSeconds(30));
		assertThat(document.agent()).isEqualTo(EXECUTOR);
		assertThat(document.versionsOf("task.request")).containsExactly(1, 2);
		assertThat(document.protocolVersions()).containsExactly("secure-agent/1");
	}

	@Test
	void highestCommonVersionWhenBothSidesHaveSeveralThenHighestSharedOrClearError() {
		start();
		assertThat(client()
			.highestCommonVersion("executor", List.of(TaskRequest.class, TaskRequestV2.class, TaskRequestV3.class))
			.block(Duration.ofSeconds(30))).isEqualTo(TaskRequestV2.class);
		assertThatExceptionOfType(SecureAgentClientException.class)
			.isThrownBy(() -> client().highestCommonVersion("executor", List.of(TaskRequestV3.class))
				.block(Duration.ofSeconds(30)))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("no-common-version"));
	}

	@Test
	void highestCommonVersionWhenNewestPastSunsetThenOlderOne() {
		start("secure-agent.deprecations[0].type=task.request.v2",
				"secure-agent.deprecations[0].since=2019-01-01T00:00:00Z",
				"secure-agent.deprecations[0].sunset=2020-01-01T00:00:00Z");
		assertThat(client().highestCommonVersion("executor", List.of(TaskRequest.class, TaskRequestV2.class))
			.block(Duration.ofSeconds(30))).isEqualTo(TaskRequest.class);
	}

	@Test
	void sendWhenPeerLacksTheVersionThenClearErrorNamingBothSidesAndNothingSent() {
		start();
		assertThatExceptionOfType(SecureAgentClientException.class)
			.isThrownBy(() -> client().send("executor", new TaskRequestV3("wc"), TaskResult.class)
				.block(Duration.ofSeconds(30)))
			.satisfies((ex) -> {
				assertThat(ex.code()).isEqualTo("no-common-version");
				assertThat(ex.isRemote()).isFalse();
				assertThat(ex.getMessage()).contains("this agent has [task.request.v3]")
					.contains("the peer accepts [task.request, task.request.v2]");
			});
		// only the signed capability request reached the executor: no task was sent
		assertThat(counter(this.executor, "secure.agent.messages")).isEqualTo(1);
	}

	@Test
	void sendWhenTypeDeprecatedThenAcceptedWithDeprecationAndSunsetHeadersAndCounted() throws Exception {
		start("secure-agent.deprecations[0].type=task.request",
				"secure-agent.deprecations[0].since=2026-01-01T00:00:00Z",
				"secure-agent.deprecations[0].sunset=2099-01-01T00:00:00Z");
		assertThat(client().send("executor", new TaskRequest("wc", "still works", 1), TaskResult.class)
			.block(Duration.ofSeconds(30))
			.words()).isEqualTo(2);
		assertThat(client().capabilities(peer()).block().find("task.request").orElseThrow().sunset())
			.hasToString("2099-01-01T00:00:00Z");
		ResponseEntity<byte[]> response = post(signed("task.request", Map.of("tool", new JsonString("wc"), "text",
				new JsonString("x"), "priority", new JsonValue.JsonNumber(1))));
		assertThat(response.getStatusCode().value()).isEqualTo(200);
		assertThat(response.getHeaders().getFirst("Deprecation")).isEqualTo("@1767225600");
		assertThat(response.getHeaders().getFirst("Sunset")).isEqualTo("Thu, 1 Jan 2099 00:00:00 GMT");
		assertThat(counter(this.executor, "secure.agent.deprecated")).isEqualTo(2);
	}

	@Test
	void sendWhenTypePastSunsetThenRefusedNamingSupportedVersions() throws Exception {
		start("secure-agent.deprecations[0].type=task.request",
				"secure-agent.deprecations[0].since=2019-01-01T00:00:00Z",
				"secure-agent.deprecations[0].sunset=2020-01-01T00:00:00Z");
		assertThatExceptionOfType(SecureAgentClientException.class)
			.isThrownBy(() -> client().send("executor", new TaskRequest("wc", "too late", 1), TaskResult.class)
				.block(Duration.ofSeconds(30)))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("the peer accepts [task.request.v2]"));
		ResponseEntity<byte[]> response = post(signed("task.request", Map.of("tool", new JsonString("wc"), "text",
				new JsonString("x"), "priority", new JsonValue.JsonNumber(1))));
		String body = new String(response.getBody(), StandardCharsets.UTF_8);
		assertThat(response.getStatusCode().value()).as(body).isEqualTo(410);
		assertThat(body).contains("\"code\":\"sunset\"").contains("[task.request.v2]");
	}

	@Test
	void capabilityDocumentWhenTamperedThenRejected() throws Exception {
		start();
		byte[] document = WebClient.create("http://127.0.0.1:" + TestAgents.port(this.executor))
			.get()
			.uri("/.well-known/secure-agent?for=spiffe://example.org/planner")
			.retrieve()
			.bodyToMono(byte[].class)
			.block(Duration.ofSeconds(10));
		JsonObject tree = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(document);
		JsonObject payload = ((JsonObject) tree.get(Members.PAYLOAD)).with("protocolVersions",
				new JsonValue.JsonArray(List.of(new JsonString("secure-agent/0"))));
		// a fetched document is an answer: verified by the response pipeline, never as a
		// request
		VerificationPipeline answers = this.planner.getBean(MessageVerifier.class).responsePipeline();
		Exchange exchange = new Exchange(EXECUTOR, Set.of(CapabilityDocument.DOCUMENT),
				((JsonString) tree.get(Members.CORRELATION_ID)).value(), null);
		Verdict verdict = answers.verify(JsonCanonicalizer.canonicalize(tree.with(Members.PAYLOAD, payload)), exchange);
		assertThat(((Verdict.Rejected) verdict).reason()).isEqualTo(ReasonCode.BAD_SIGNATURE);
		assertThat(answers.verify(document, exchange)).isInstanceOf(Verdict.Accepted.class);
		assertThat(this.planner.getBean(VerificationPipeline.class).verify(document))
			.isInstanceOf(Verdict.Rejected.class);
	}

	@Test
	void capabilityDocumentWhenSignedByAnotherAgentThenRejected() {
		this.executor = TestAgents.executor(this.caDirectory);
		this.relay = TestAgents.executor(this.caDirectory, "spring.application.name=relay");
		// the planner believes the executor lives where the relay answers
		this.planner = TestAgents.planner(this.caDirectory, TestAgents.port(this.relay));
		assertThatExceptionOfType(SecureAgentClientException.class)
			.isThrownBy(() -> client().send("executor", new TaskRequest("wc", "x", 1), TaskResult.class)
				.block(Duration.ofSeconds(30)))
			.satisfies((ex) -> {
				// the request is addressed to the executor: the relay cannot accept it,
				// nor answer for the executor
				assertThat(ex.code()).isEqualTo("wrong-recipient");
				assertThat(ex.isRemote()).isTrue();
			});
	}

	@Test
	void capabilityRequestWhenSentAsMessageThenSignedResponse() throws Exception {
		start();
		ResponseEntity<byte[]> response = post(signed(CapabilityDocument.REQUEST, Map.of()));
		assertThat(response.getStatusCode().value()).isEqualTo(200);
		byte[] request = this.lastRequest;
		Verdict verdict = this.planner.getBean(MessageVerifier.class)
			.responsePipeline()
			.verify(response.getBody(),
					new Exchange(EXECUTOR, Set.of(CapabilityDocument.RESPONSE),
							((JsonString) ((JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(request))
								.get(Members.CORRELATION_ID)).value(),
							null));
		assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
		var message = ((Verdict.Accepted) verdict).message();
		assertThat(message.header().type()).isEqualTo(CapabilityDocument.RESPONSE);
		assertThat(CapabilityDocument.fromJson(message.payload()).versionsOf("task.request")).containsExactly(1, 2);
	}

	private void start(String... executorProperties) {
		this.executor = TestAgents.executor(this.caDirectory, executorProperties);
		this.planner = TestAgents.planner(this.caDirectory, TestAgents.port(this.executor));
	}

	private SecureAgentClient client() {
		return this.planner.getBean(SecureAgentClient.class);
	}

	private SecureAgentClient.Peer peer() {
		return new SecureAgentClient.Peer(EXECUTOR,
				URI.create("http://127.0.0.1:" + TestAgents.port(this.executor) + "/secure-agent/messages"));
	}

	private byte[] lastRequest;

	private byte[] signed(String type, Map<String, JsonValue> payload) throws Exception {
		this.lastRequest = this.planner.getBean(EnvelopeSigner.class)
			.sign(type, EXECUTOR, null, new JsonObject(payload))
			.bytes();
		return this.lastRequest;
	}

	private ResponseEntity<byte[]> post(byte[] body) {
		return WebClient.create("http://127.0.0.1:" + TestAgents.port(this.executor))
			.post()
			.uri("/secure-agent/messages")
			.bodyValue(body)
			.exchangeToMono((response) -> response.toEntity(byte[].class))
			.block(Duration.ofSeconds(30));
	}

	private static double counter(ConfigurableApplicationContext context, String name) {
		return context.getBean(MeterRegistry.class)
			.find(name)
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

}
