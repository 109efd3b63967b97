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

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.client.SecureAgentClient;
import io.secureagent.client.SecureAgentClientException;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.envelope.EnvelopeSigner.SignedEnvelope;
import io.secureagent.envelope.Members;
import io.secureagent.envelope.Receipt;
import io.secureagent.messaging.MessageVerifier;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.replay.ReplayStore;
import io.secureagent.session.Session;
import io.secureagent.session.SessionManager;
import io.secureagent.session.SessionStore;
import io.secureagent.testsupport.TestPki;
import io.secureagent.verification.Exchange;
import io.secureagent.verification.ReasonCode;
import io.secureagent.verification.Verdict;
import io.spiffe.spiffeid.SpiffeId;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The attacks that changed state over HTTP, run against real agents: after each
 * endpoint-level rejection nothing was recorded, and the genuine message with the same id
 * is still accepted exactly once.
 *
 * @author secure-agent authors
 */
@ExtendWith(OutputCaptureExtension.class)
class DecisionPathIntegrationTests {

	private static final SpiffeId EXECUTOR = SpiffeId.parse("spiffe://example.org/executor");

	private static final SpiffeId PLANNER = SpiffeId.parse("spiffe://example.org/planner");

	@TempDir
	Path caDirectory;

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
	void capabilityDocumentFetchedByAnyoneAndPostedToTheVictimThenUnknownTypeAndNoReplayEntry() throws Exception {
		start("secure-agent.encryption.mode=optional");
		// no credential needed: the planner signs a document for whoever is named
		byte[] document = TestAgents.get(this.planner, "/.well-known/secure-agent?for=" + EXECUTOR).getBody();
		ReplayStore replayStore = this.executor.getBean(ReplayStore.class);
		for (int i = 0; i < 20; i++) {
			TestAgents.assertProblem(post(document), 400, "unknown-type");
		}
		assertThat(replayStore.size()).isZero();
		assertGenuineWithSameIdAcceptedOnce(document);
	}

	@Test
	void answerTypeFromAConfiguredPeerPostedAsARequestThenRefusedWithoutTrace() throws Exception {
		// the executor calls the planner: the planner is one of its peers, which grants
		// it nothing on the executor's endpoint
		this.executor = TestAgents.executor(this.caDirectory, "secure-agent.peers.planner.spiffe-id=" + PLANNER,
				"secure-agent.peers.planner.url=http://127.0.0.1:1/secure-agent/messages");
		this.planner = TestAgents.planner(this.caDirectory, TestAgents.port(this.executor));
		ReplayStore replayStore = this.executor.getBean(ReplayStore.class);
		byte[] result = sign(this.planner, "task.result",
				new JsonObject(Map.of("words", new JsonNumber(1), "sender", new JsonString("x"))));
		TestAgents.assertProblem(post(result), 403, "unauthorized-sender");
		assertThat(replayStore.size()).isZero();
		assertGenuineWithSameIdAcceptedOnce(result);
	}

	@Test
	void requestFromAConfiguredPeerThatNoRuleNamesThenUnauthorized() throws Exception {
		this.executor = TestAgents.executor(this.caDirectory,
				"secure-agent.peers.policy.spiffe-id=spiffe://example.org/policy",
				"secure-agent.peers.policy.url=http://127.0.0.1:1/secure-agent/messages");
		ConfigurableApplicationContext policy = TestAgents.planner(this.caDirectory, TestAgents.port(this.executor),
				"spring.application.name=policy");
		try {
			byte[] task = sign(policy, "task.request", task("from a peer no rule names"));
			TestAgents.assertProblem(post(task), 403, "unauthorized-sender");
			assertThat(this.executor.getBean(ReplayStore.class).size()).isZero();
		}
		finally {
			policy.close();
		}
	}

	@Test
	void sessionAcceptPostedToTheInitiatorsEndpointByARelayThenRefusedAndNoSessionCommitted() throws Exception {
		// the planner takes requests from the executor too: a rule names it
		this.executor = TestAgents.executor(this.caDirectory);
		this.planner = TestAgents.planner(this.caDirectory, TestAgents.port(this.executor),
				"secure-agent.authorization[0].senders=" + EXECUTOR, "secure-agent.authorization[0].types=*");
		SessionManager plannerSessions = this.planner.getBean(SessionManager.class);
		SignedEnvelope init = plannerSessions.initiate(EXECUTOR);
		byte[] accept = post(init.bytes()).getBody();
		ResponseEntity<byte[]> relayed = TestAgents.post(this.planner, accept);
		TestAgents.assertProblem(relayed, 400, "wrong-direction");
		assertThat(this.planner.getBean(SessionStore.class).size()).isZero();
		assertThat(this.planner.getBean(ReplayStore.class).size()).isZero();
		assertThat(plannerSessions.sessionWith(EXECUTOR)).isEmpty();
		// the planner's own traffic is unharmed
		assertThat(client().send("executor", new TaskRequest("word-count", "still fine", 1), TaskResult.class)
			.block(Duration.ofSeconds(30))
			.words()).isEqualTo(2);
	}

	@Test
	void sendWhenTheResponderLostTheSessionThenOneNewHandshakeAndTheMessageGoesThrough() {
		start("secure-agent.encryption.mode=optional");
		SecureAgentClient client = client();
		assertThat(client.send("executor", new TaskRequest("word-count", "one two", 1), TaskResult.class)
			.block(Duration.ofSeconds(30))
			.words()).isEqualTo(2);
		Session lost = this.planner.getBean(SessionManager.class).sessionWith(EXECUTOR).orElseThrow();
		// the executor restarts (or another replica answers): it no longer knows the
		// session
		SessionStore executorSessions = this.executor.getBean(SessionStore.class);
		executorSessions.remove(executorSessions.find(lost.id()).orElseThrow());
		assertThat(client.send("executor", new TaskRequest("word-count", "one two three", 2), TaskResult.class)
			.block(Duration.ofSeconds(30))
			.words()).isEqualTo(3);
		assertThat(this.planner.getBean(SessionManager.class).sessionWith(EXECUTOR).orElseThrow().id())
			.isNotEqualTo(lost.id());
		assertThat(this.planner.getBean(MeterRegistry.class).counter("secure.agent.session.recoveries").count())
			.isEqualTo(1);
	}

	@Test
	void sendWhenAnOnPathPartyForgesUnknownSessionAfterTheHandlerRanThenTheResendIsAReplayNotASecondRun()
			throws Exception {
		// problem documents are not signed: a relay lets the sealed task through, then
		// answers as if the executor had lost the session
		this.executor = TestAgents.executor(this.caDirectory, "secure-agent.encryption.mode=optional");
		AtomicInteger forged = new AtomicInteger();
		DisposableServer relay = relay(0, this.executor, (body, answer) -> {
			boolean sealedTask = new String(body, StandardCharsets.UTF_8).contains("\"ciphertext\"");
			if (sealedTask && forged.getAndIncrement() == 0) {
				return ResponseEntity.status(401)
					.contentType(MediaType.APPLICATION_PROBLEM_JSON)
					.body("{\"code\":\"unknown-session\",\"status\":401}".getBytes(StandardCharsets.UTF_8));
			}
			return answer;
		});
		try {
			this.planner = TestAgents.planner(this.caDirectory, relay.port(), "secure-agent.encryption.mode=optional");
			assertThatExceptionOfType(SecureAgentClientException.class)
				.isThrownBy(() -> client()
					.send("executor", new TaskRequest("word-count", "run me once", 1), TaskResult.class)
					.block(Duration.ofSeconds(30)))
				.satisfies((ex) -> assertThat(ex.code()).isEqualTo("replayed"));
			// the handler ran once; the one resend, under the same id, was refused
			assertThat(counter(this.executor, "rejected")).isEqualTo(1);
			assertThat(this.executor.getBean(MeterRegistry.class)
				.find("secure.agent.messages")
				.tag("reason", "replayed")
				.counter()
				.count()).isEqualTo(1);
			assertThat(forged).hasValue(2);
		}
		finally {
			relay.disposeNow();
		}
	}

	@Test
	void sendWhenARelayHoldsTheResendUntilTheFirstCopysReplayEntryIsGoneThenTheResendHasExpiredToo() throws Exception {
		// the relay lets the first copy through (its handler runs), forges
		// unknown-session
		// a moment later, keeps the resend, and delivers it once the first copy's replay
		// entry has expired: a resend that outlived its first copy would run again
		this.executor = TestAgents.executor(this.caDirectory, "secure-agent.encryption.mode=optional",
				"secure-agent.replay.clock-skew=1s");
		List<byte[]> sealed = new java.util.concurrent.CopyOnWriteArrayList<>();
		DisposableServer relay = relay(0, this.executor, (body, answer) -> {
			if (!new String(body, StandardCharsets.UTF_8).contains("\"ciphertext\"")) {
				return answer;
			}
			sealed.add(body);
			try {
				Thread.sleep(1500);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return ResponseEntity.status(401)
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body("{\"code\":\"unknown-session\",\"status\":401}".getBytes(StandardCharsets.UTF_8));
		}, (body) -> sealed.size() < 1 || !new String(body, StandardCharsets.UTF_8).contains("\"ciphertext\""));
		try {
			this.planner = TestAgents.planner(this.caDirectory, relay.port(), "secure-agent.encryption.mode=optional",
					"secure-agent.replay.message-lifetime=3s");
			assertThatExceptionOfType(SecureAgentClientException.class)
				.isThrownBy(() -> client()
					.send("executor", new TaskRequest("word-count", "run me once", 1), TaskResult.class)
					.block(Duration.ofSeconds(30)))
				.satisfies((ex) -> assertThat(ex.code()).isEqualTo("unknown-session"));
			assertThat(sealed).hasSize(2);
			long firstExpires = expiresAt(sealed.get(0));
			long skew = 1000;
			while (System.currentTimeMillis() <= firstExpires + skew + 100) {
				Thread.sleep(50);
			}
			// the first copy's replay entry is gone: the resend must be dead too
			TestAgents.assertProblem(post(sealed.get(1)), ReasonCode.EXPIRED.httpStatus(), "expired");
			assertThat(expiresAt(sealed.get(1))).isLessThanOrEqualTo(firstExpires);
		}
		finally {
			relay.disposeNow();
		}
	}

	private static long expiresAt(byte[] envelope) throws Exception {
		JsonObject tree = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(envelope);
		return (long) ((JsonNumber) tree.get("expiresAt")).value();
	}

	@Test
	void sendWhenThePeerStartsListeningMomentsLaterThenTheUndeliveredRequestIsSentAgain() throws Exception {
		this.executor = TestAgents.executor(this.caDirectory, "secure-agent.encryption.mode=off");
		int port;
		try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			port = probe.getLocalPort();
		}
		this.planner = TestAgents.planner(this.caDirectory, port, "secure-agent.encryption.mode=off",
				"secure-agent.client.retries=5");
		var answer = client().send("executor", new TaskRequest("word-count", "x y", 1), TaskResult.class).toFuture();
		// nothing listens yet: the first attempts are refused, undelivered
		Thread.sleep(1000);
		assertThat(answer).isNotDone();
		DisposableServer late = relay(port, this.executor, (body, forwarded) -> forwarded);
		try {
			assertThat(answer.get(30, java.util.concurrent.TimeUnit.SECONDS).words()).isEqualTo(2);
		}
		finally {
			late.disposeNow();
		}
	}

	@Test
	void sendWhenObservedThenTheClientsCallAndTheEndpointsMessageAreObservations() {
		start("secure-agent.encryption.mode=optional");
		assertThat(client().send("executor", new TaskRequest("word-count", "observed", 1), TaskResult.class)
			.block(Duration.ofSeconds(30))
			.words()).isEqualTo(1);
		// an observation stops once its signal has passed downstream: just after the
		// caller has its answer
		Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(this.planner.getBean(TestAgents.RecordedObservations.class).stopped)
				.contains("secure.agent.client.send task.request spiffe://example.org/executor");
			assertThat(this.executor.getBean(TestAgents.RecordedObservations.class).stopped)
				.contains("secure.agent.endpoint task.request spiffe://example.org/planner")
				.contains("secure.agent.endpoint session.init spiffe://example.org/planner");
		});
	}

	@Test
	void sendWhenSixteenFirstCallsRaceThenOneHandshake() {
		start("secure-agent.encryption.mode=optional");
		SecureAgentClient client = client();
		List<TaskResult> results = Flux.fromStream(IntStream.range(0, 16).boxed())
			.flatMap((i) -> client.send("executor", new TaskRequest("word-count", "a b", 1 + i % 9), TaskResult.class),
					16)
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(results).hasSize(16);
		assertThat(this.executor.getBean(SessionStore.class).size()).isEqualTo(1);
	}

	@Test
	void capabilityPathWhenRequesterIsNotATrustedSpiffeIdThenBadRequestAndWhenOffThenNotFound() throws Exception {
		start("secure-agent.encryption.mode=optional");
		TestAgents.assertProblem(
				TestAgents.get(this.planner, "/.well-known/secure-agent?for=spiffe://foreign.example/x"), 400,
				"malformed");
		TestAgents.assertProblem(
				TestAgents.get(this.planner, "/.well-known/secure-agent?for=spiffe://example.org/" + "a".repeat(2100)),
				400, "malformed");
		TestAgents.assertProblem(TestAgents.get(this.planner, "/.well-known/secure-agent"), 400, "malformed");
		// within a few seconds, the same requester gets the same signed document
		byte[] first = TestAgents.get(this.planner, "/.well-known/secure-agent?for=" + EXECUTOR).getBody();
		byte[] second = TestAgents.get(this.planner, "/.well-known/secure-agent?for=" + EXECUTOR).getBody();
		assertThat(second).isEqualTo(first);
		this.executor.close();
		this.executor = TestAgents.executor(this.caDirectory, "secure-agent.capabilities.well-known=off");
		TestAgents.assertProblem(TestAgents.get(this.executor, "/.well-known/secure-agent?for=" + PLANNER), 404,
				"not-found");
	}

	@Test
	void handlerWhenItsOwnCallToAnotherAgentFailsThenBadGatewayAndCountedAsFailed(CapturedOutput output)
			throws Exception {
		start("secure-agent.encryption.mode=off", "logging.level.io.secureagent=error");
		ResponseEntity<byte[]> response = post(
				sign(this.planner, "task.delegate", new JsonObject(Map.of("text", new JsonString("pass it on")))));
		TestAgents.assertProblem(response, 502, "downstream-failed");
		assertThat(new String(response.getBody(), StandardCharsets.UTF_8)).contains("peer-unreachable");
		assertThat(counter(this.executor, "failed")).isEqualTo(1);
		assertThat(counter(this.executor, "accepted")).isZero();
		// logged at ERROR, with what identifies the exchange
		assertThat(output).contains("ERROR")
			.contains(
					"secure-agent handler for task.delegate from spiffe://example.org/planner failed (correlationId ");
	}

	@Test
	void sendWhenThePeerCannotBeReachedThenClientExceptionAsAnErrorSignal() {
		start("secure-agent.encryption.mode=optional");
		assertThatExceptionOfType(SecureAgentClientException.class)
			.isThrownBy(() -> client()
				.send(ExecutorHandlers.UNREACHABLE, new TaskRequest("word-count", "x", 1), TaskResult.class)
				.block(Duration.ofSeconds(30)))
			.satisfies((ex) -> {
				assertThat(ex.code()).isEqualTo("peer-unreachable");
				assertThat(ex.status()).isEqualTo(503);
				assertThat(ex.isRemote()).isFalse();
			});
		// a handshake that could not be sent leaves nothing pending
		assertThat(this.planner.getBean(SessionManager.class).pendingHandshakes()).isZero();
	}

	@Test
	void startWhenSecureAgentConfiguresAuthenticationThenNoGeneratedDefaultUserAndASummary(CapturedOutput output)
			throws Exception {
		this.executor = TestAgents.executor(this.caDirectory, "secure-agent.encryption.mode=optional",
				"logging.level.io.secureagent=info", "logging.level.io.secureagent.messaging.MessageVerifier=debug");
		assertThat(this.executor.getBeansOfType(ReactiveUserDetailsService.class)).isEmpty();
		assertThat(output).doesNotContain("generated security password")
			.contains("secure-agent uses a development identity, spiffe://example.org/executor")
			.contains("secure-agent spiffe://example.org/executor at POST /secure-agent/messages; encryption optional;"
					+ " replay store InMemoryReplayStore, sessions InMemorySessionStore; trust domains [example.org]");
		// a rejection is logged at DEBUG with its reason, never with the message's
		// content
		TestAgents.assertProblem(post("{\"secret\":\"do-not-log-me\"".getBytes(StandardCharsets.UTF_8)), 400,
				"malformed");
		assertThat(output).contains("secure-agent inbound message rejected by parse: malformed")
			.doesNotContain("do-not-log-me");
	}

	@Test
	void anyOtherPathWhenRefusedThenProblemDocument() throws Exception {
		start("secure-agent.encryption.mode=optional");
		TestAgents.assertProblem(TestAgents.get(this.executor, "/admin"), 401, "unauthenticated");
		// a method that changes state, without a CSRF token: refused by the CSRF filter,
		// with a problem document too, on the agent endpoint and elsewhere
		TestAgents.assertProblem(exchange(HttpMethod.PUT, "/secure-agent/messages"), 403, "forbidden");
		TestAgents.assertProblem(exchange(HttpMethod.DELETE, "/secure-agent/messages"), 403, "forbidden");
		TestAgents.assertProblem(exchange(HttpMethod.POST, "/admin"), 403, "forbidden");
	}

	private ResponseEntity<byte[]> exchange(HttpMethod method, String path) {
		return WebClient.create("http://127.0.0.1:" + TestAgents.port(this.executor))
			.method(method)
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchangeToMono((response) -> response.toEntity(byte[].class))
			.block(Duration.ofSeconds(30));
	}

	@Test
	void notifyWhenTheOneWayHandlerCompletesThenTheReceiptEndsTheCallAndTheHandlerRanOnce() {
		start("secure-agent.encryption.mode=required");
		client().notify("executor", new TaskNote("remember this")).block(Duration.ofSeconds(30));
		assertThat(this.executor.getBean(ExecutorHandlers.class).notes()).containsExactly("remember this");
		client().notify("executor", new TaskNote("and this")).block(Duration.ofSeconds(30));
		assertThat(this.executor.getBean(ExecutorHandlers.class).notes()).containsExactly("remember this", "and this");
	}

	@Test
	void postWhenOneWayThenTheAnswerIsASignedReceiptBoundToTheMessageByItsDigest() throws Exception {
		this.executor = TestAgents.executor(this.caDirectory, "secure-agent.encryption.mode=off");
		// even a rule that names the receipt type does not make a receipt a request
		this.planner = TestAgents.planner(this.caDirectory, TestAgents.port(this.executor),
				"secure-agent.encryption.mode=off",
				"secure-agent.authorization[0].senders=spiffe://example.org/executor",
				"secure-agent.authorization[0].types=message.receipt");
		byte[] note = sign(this.planner, "task.note", new JsonObject(Map.of("text", new JsonString("a note"))));
		JsonObject sent = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(note);
		String id = ((JsonString) sent.get(Members.ID)).value();
		ResponseEntity<byte[]> response = post(note);
		assertThat(response.getStatusCode().value()).isEqualTo(200);
		Verdict verdict = this.planner.getBean(MessageVerifier.class)
			.responsePipeline()
			.verify(response.getBody(), new Exchange(EXECUTOR, Set.of(Receipt.TYPE), id, null));
		assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
		JsonValue receipt = ((Verdict.Accepted) verdict).message().payload();
		assertThat(Receipt.acknowledges(receipt, id, JsonCanonicalizer.canonicalize(sent.without(Members.SIGNATURE))))
			.isTrue();
		assertThat(Receipt.acknowledges(receipt, id, "another message".getBytes(StandardCharsets.UTF_8))).isFalse();
		// the receipt, posted to the planner as if it were a request, is refused
		TestAgents.assertProblem(TestAgents.post(this.planner, response.getBody()), 400, "wrong-direction");
	}

	@Test
	void notifyWhenTheHandlerCompletedButItsReceiptCannotBeSealedThenAnswerUnsignedNotHandlerFailed() {
		start("secure-agent.encryption.mode=required");
		// the handler ends the session its message came in: the receipt has nothing to be
		// sealed in
		assertThatExceptionOfType(SecureAgentClientException.class)
			.isThrownBy(() -> client().notify("executor", new TaskClose("done")).block(Duration.ofSeconds(30)))
			.satisfies((ex) -> {
				assertThat(ex.code()).isEqualTo("answer-unsigned");
				assertThat(ex.status()).isEqualTo(503);
			});
	}

	@Test
	void sendWhenTheHandlersAnswerHoldsANumberJsonCannotCarryThenAnswerUnsignedAndNothingAccepted() {
		start("secure-agent.encryption.mode=off");
		// the handler completed; its answer would arrive as another amount, so it is not
		// signed
		assertThatExceptionOfType(SecureAgentClientException.class)
			.isThrownBy(() -> client().send("executor", new PriceQuote("tea", BigDecimal.ONE), PriceQuote.class)
				.block(Duration.ofSeconds(30)))
			.satisfies((ex) -> {
				assertThat(ex.code()).isEqualTo("answer-unsigned");
				assertThat(ex.status()).isEqualTo(503);
				assertThat(ex.isRemote()).isTrue();
			});
		// the quote's one event is "failed"; the one accepted message is the capability
		// request that negotiation sends first
		assertThat(inbound("failed")).isEqualTo(1);
		assertThat(inbound("accepted")).isEqualTo(1);
	}

	private double inbound(String outcome) {
		return this.executor.getBean(MeterRegistry.class)
			.find("secure.agent.messages")
			.tag("direction", "inbound")
			.tag("outcome", outcome)
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

	@Test
	void notifyWhenTheReceiptIsNotForThisMessageThenRefused() throws Exception {
		this.executor = TestAgents.executor(this.caDirectory, "secure-agent.encryption.mode=off");
		AtomicInteger calls = new AtomicInteger();
		AtomicReference<ResponseEntity<byte[]>> first = new AtomicReference<>();
		EnvelopeSigner executorSigner = this.executor.getBean(EnvelopeSigner.class);
		DisposableServer relay = relay(0, this.executor, (body, answer) -> {
			if (!new String(body, StandardCharsets.UTF_8).contains("\"type\":\"task.note\"")) {
				// the capability request that negotiation sends first
				return answer;
			}
			int call = calls.getAndIncrement();
			if (call == 0) {
				first.set(answer);
				return answer;
			}
			if (call == 1) {
				// the genuine receipt of the first note, for the second
				return first.get();
			}
			// signed by the executor and correlated, but for other bytes than were sent
			try {
				String id = ((JsonString) ((JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(body))
					.get(Members.ID)).value();
				byte[] forged = executorSigner
					.sign(Receipt.TYPE, PLANNER, id,
							Receipt.payload(id, "another message".getBytes(StandardCharsets.UTF_8)))
					.bytes();
				return ResponseEntity.ok()
					.contentType(MediaType.parseMediaType("application/secure-agent+json"))
					.body(forged);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		try {
			this.planner = TestAgents.planner(this.caDirectory, relay.port(), "secure-agent.encryption.mode=off");
			client().notify("executor", new TaskNote("one")).block(Duration.ofSeconds(30));
			assertThatExceptionOfType(SecureAgentClientException.class)
				.isThrownBy(() -> client().notify("executor", new TaskNote("two")).block(Duration.ofSeconds(30)))
				.satisfies((ex) -> assertThat(ex.code()).isEqualTo("uncorrelated"));
			assertThatExceptionOfType(SecureAgentClientException.class)
				.isThrownBy(() -> client().notify("executor", new TaskNote("three")).block(Duration.ofSeconds(30)))
				.satisfies((ex) -> assertThat(ex.code()).isEqualTo("bad-receipt"));
		}
		finally {
			relay.disposeNow();
		}
	}

	/**
	 * Start an HTTP relay on a loopback port that forwards each message to an agent and
	 * hands back its answer, or whatever the rewrite makes of it.
	 */
	private static DisposableServer relay(int port, ConfigurableApplicationContext agent,
			BiFunction<byte[], ResponseEntity<byte[]>, ResponseEntity<byte[]>> rewrite) {
		return relay(port, agent, rewrite, (body) -> true);
	}

	/**
	 * A relay on loopback that forwards what {@code forwardIf} allows to the agent and
	 * answers as {@code rewrite} says; what it keeps back, {@code rewrite} answers alone
	 * (with no answer of the agent's).
	 */
	private static DisposableServer relay(int port, ConfigurableApplicationContext agent,
			BiFunction<byte[], ResponseEntity<byte[]>, ResponseEntity<byte[]>> rewrite,
			java.util.function.Predicate<byte[]> forwardIf) {
		WebClient forward = WebClient.create("http://127.0.0.1:" + TestAgents.port(agent));
		return HttpServer.create()
			.host("127.0.0.1")
			.port(port)
			.route((routes) -> routes.post("/secure-agent/messages",
					(request, response) -> request.receive()
						.aggregate()
						.asByteArray()
						.flatMap((body) -> forwardIf.test(body)
								? forward.post()
									.uri("/secure-agent/messages")
									.header("Content-Type", "application/secure-agent+json")
									.bodyValue(body)
									.exchangeToMono((answer) -> answer.toEntity(byte[].class))
									.map((answer) -> rewrite.apply(body, answer))
								: Mono.fromCallable(() -> rewrite.apply(body, null)))
						.flatMap((answer) -> response.status(answer.getStatusCode().value())
							.header("Content-Type", String.valueOf(answer.getHeaders().getContentType()))
							.sendByteArray(Mono.just(answer.getBody()))
							.then())))
			.bindNow();
	}

	private static double counter(ConfigurableApplicationContext context, String outcome) {
		return context.getBean(MeterRegistry.class)
			.find("secure.agent.messages")
			.tag("outcome", outcome)
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

	private void assertGenuineWithSameIdAcceptedOnce(byte[] refused) throws Exception {
		JsonObject tree = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(refused);
		JsonObject genuine = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT)
			.parse(sign(this.planner, "task.request", task("the genuine one")));
		byte[] sameId = TestPki.sign(
				genuine.with(Members.ID, tree.get(Members.ID)).with(Members.CORRELATION_ID, tree.get(Members.ID)),
				this.planner.getBean(AgentIdentity.class).svid());
		assertThat(post(sameId).getStatusCode().value()).isEqualTo(200);
		TestAgents.assertProblem(post(sameId), 409, "replayed");
		assertThat(this.executor.getBean(ReplayStore.class).size()).isEqualTo(1);
	}

	private void start(String... properties) {
		this.executor = TestAgents.executor(this.caDirectory, properties);
		this.planner = TestAgents.planner(this.caDirectory, TestAgents.port(this.executor), properties);
	}

	private SecureAgentClient client() {
		return this.planner.getBean(SecureAgentClient.class);
	}

	private static byte[] sign(ConfigurableApplicationContext agent, String type, JsonValue payload) throws Exception {
		return agent.getBean(EnvelopeSigner.class).sign(type, EXECUTOR, null, payload).bytes();
	}

	private static JsonValue task(String text) {
		return new JsonObject(Map.of("tool", new JsonString("word-count"), "text", new JsonString(text), "priority",
				new JsonNumber(1)));
	}

	private ResponseEntity<byte[]> post(byte[] body) {
		return TestAgents.post(this.executor, body);
	}

}
