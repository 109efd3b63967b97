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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.client.SecureAgentClient;
import io.secureagent.client.SecureAgentClientException;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.replay.ReplayStore;
import io.secureagent.session.SessionManager;
import io.secureagent.session.SessionStore;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.session.CookieWebSessionIdResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two real Spring Boot agents exchanging messages over HTTP on loopback, signed only and
 * encrypted, and the bad-input suite over HTTP: every rejection is a problem document
 * with its reason code, and changes no state. An agent message touches no
 * {@code WebSession}, in the starter's chain or in an application's.
 *
 * @author secure-agent authors
 */
class TwoAgentsIntegrationTests {

	private static final SpiffeId EXECUTOR = SpiffeId.parse("spiffe://example.org/executor");

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
	void sendWhenSignedOnlyThenTypedAnswerFromTheExecutor() {
		start("secure-agent.encryption.mode=off");
		TaskResult result = client()
			.send("executor", new TaskRequest("word-count", "agents sign what they say", 3), TaskResult.class)
			.block(Duration.ofSeconds(30));
		assertThat(result).isEqualTo(new TaskResult(5, "spiffe://example.org/planner"));
		assertThat(this.executor.getBean(SessionStore.class).size()).isZero();
		// the signed capability request, then the task
		assertThat(counter(this.executor, "accepted", "none")).isEqualTo(2);
		// the executor's capability document, then its answer
		assertThat(counter(this.planner, "accepted", "none")).isEqualTo(2);
	}

	@Test
	void sendWhenEncryptionRequiredThenSessionEstablishedAndReused() {
		start("secure-agent.encryption.mode=required");
		SecureAgentClient client = client();
		for (int i = 1; i <= 3; i++) {
			TaskResult result = client
				.send("executor", new TaskRequest("word-count", "one two three", i), TaskResult.class)
				.block(Duration.ofSeconds(30));
			assertThat(result.words()).isEqualTo(3);
		}
		assertThat(this.planner.getBean(SessionManager.class).sessionWith(EXECUTOR)).isPresent();
		assertThat(this.executor.getBean(SessionStore.class).size()).isEqualTo(1);
		// a capability request, a handshake and three messages each way
		assertThat(counter(this.executor, "accepted", "none")).isEqualTo(5);
	}

	@Test
	void postWhenPlaintextButEncryptionRequiredThenRejected() throws Exception {
		start("secure-agent.encryption.mode=required");
		ResponseEntity<byte[]> response = post(signedByPlanner("task.request", task("a b", 2)));
		TestAgents.assertProblem(response, 400, "encryption-required");
	}

	@Test
	void postWhenBadInputThenProblemWithReasonCodeAndNoStateChange() throws Exception {
		start("secure-agent.encryption.mode=optional");
		ReplayStore replayStore = this.executor.getBean(ReplayStore.class);
		byte[] genuine = signedByPlanner("task.request", task("count these words", 2));

		TestAgents.assertProblem(post("not json".getBytes(StandardCharsets.UTF_8)), 400, "malformed");
		String text = new String(genuine, StandardCharsets.UTF_8);
		TestAgents.assertProblem(post(text.replaceFirst("\\{", "{\"recipient\":\"spiffe://example.org/executor\",")
			.getBytes(StandardCharsets.UTF_8)), 400, "malformed");
		TestAgents.assertProblem(post(("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.UTF_8)),
				400, "malformed");
		TestAgents.assertProblem(post(new byte[2 * 1024 * 1024]), 413, "message-too-large");
		TestAgents.assertProblem(post(text.replace("count these", "count those").getBytes(StandardCharsets.UTF_8)), 401,
				"bad-signature");
		TestAgents.assertProblem(
				post(signedByPlanner("task.request", task("x", 2), SpiffeId.parse("spiffe://example.org/other"))), 401,
				"wrong-recipient");
		TestAgents.assertProblem(post(signedByPlanner("task.cancel", task("x", 2))), 403, "unauthorized-sender");
		TestAgents.assertProblem(post(signedByPlanner("task.audit", task("x", 2))), 400, "unknown-type");
		ResponseEntity<byte[]> invalid = post(
				signedByPlanner("task.request", new JsonObject(Map.of("tool", new JsonString(""), "text",
						new JsonString("secret-text"), "priority", new JsonString("11"), "extra", new JsonNumber(1)))));
		TestAgents.assertProblem(invalid, 422, "schema-violation");
		assertThat(new String(invalid.getBody(), StandardCharsets.UTF_8)).contains("\"violations\"")
			.doesNotContain("secret-text");
		TestAgents.assertProblem(post(signedByPlanner("task.request", new JsonObject(
				Map.of("tool", new JsonString("t"), "text", new JsonString("x"), "priority", new JsonNumber(99))))),
				422, "schema-violation");
		assertThat(replayStore.size()).isZero();

		assertThat(post(genuine).getStatusCode().value()).isEqualTo(200);
		assertThat(replayStore.size()).isEqualTo(1);
		TestAgents.assertProblem(post(genuine), 409, "replayed");
		assertThat(replayStore.size()).isEqualTo(1);
		assertThat(counter(this.executor, "rejected", "replayed")).isEqualTo(1);
		assertThat(counter(this.executor, "rejected", "malformed")).isEqualTo(3);
		assertThat(counter(this.executor, "rejected", "message-too-large")).isEqualTo(1);
	}

	@Test
	void postWhenSenderLacksAuthorityForHandlerThenAccessDenied() throws Exception {
		start("secure-agent.encryption.mode=optional");
		Path directory = this.caDirectory;
		DevCertificateAuthority ca = DevCertificateAuthority.loadOrCreate(directory, TrustDomain.parse("example.org"),
				Clock.systemUTC());
		StaticIdentity stranger = new StaticIdentity(
				ca.issue(SpiffeId.parse("spiffe://example.org/stranger"), KeyType.EC_P256),
				X509BundleSet.of(List.of(ca.bundle())));
		byte[] message = new EnvelopeSigner(stranger, Clock.systemUTC(), Duration.ofMinutes(1))
			.sign("task.request", EXECUTOR, null, task("hello", 1))
			.bytes();
		TestAgents.assertProblem(post(message), 403, "access-denied");
		// the protocol accepted it; the handler's method security denied it: counted as
		// denied, never as accepted
		assertThat(counter(this.executor, "denied", "none")).isEqualTo(1);
		assertThat(counter(this.executor, "accepted", "none")).isZero();
	}

	@Test
	void sendWhenTheMessageViolatesItsSchemaThenRefusedLocallyWithTheViolationsAndNothingSent() {
		start("secure-agent.encryption.mode=off");
		assertThatExceptionOfType(SecureAgentClientException.class)
			.isThrownBy(() -> client().send("executor", new TaskRequest("", "x", 1), TaskResult.class)
				.block(Duration.ofSeconds(30)))
			.satisfies((ex) -> {
				assertThat(ex.code()).isEqualTo("schema-violation");
				assertThat(ex.status()).isEqualTo(422);
				assertThat(ex.isRemote()).isFalse();
				assertThat(ex.violations()).containsExactly("tool: must not be blank");
			});
		assertThat(counter(this.executor, "rejected", "schema-violation")).isZero();
	}

	@Test
	void sendWhenANumberWouldArriveAsAnotherValueThenRefusedLocallyNamingTheFieldAndNothingSent() {
		start("secure-agent.encryption.mode=off");
		// a decimal more precise than a double: every receiver would read 0.1
		assertThatExceptionOfType(SecureAgentClientException.class)
			.isThrownBy(() -> client()
				.send("executor", new PriceQuote("tea", new BigDecimal("0.10000000000000000001")), TaskResult.class)
				.block(Duration.ofSeconds(30)))
			.satisfies((ex) -> {
				assertThat(ex.code()).isEqualTo("schema-violation");
				assertThat(ex.status()).isEqualTo(422);
				assertThat(ex.isRemote()).isFalse();
				assertThat(ex.violations()).containsExactly("amount: decimal more precise than a double");
			});
		// the executor saw no message of any outcome
		assertThat(this.executor.getBean(MeterRegistry.class)
			.find("secure.agent.messages")
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum()).isZero();
	}

	@Test
	void healthWhenRunningThenReportsIdentityAndStores() {
		start("secure-agent.encryption.mode=off");
		ResponseEntity<String> health = WebClient.create("http://127.0.0.1:" + TestAgents.port(this.executor))
			.get()
			.uri("/actuator/health")
			.retrieve()
			.toEntity(String.class)
			.block(Duration.ofSeconds(10));
		assertThat(health.getStatusCode().value()).isEqualTo(200);
		assertThat(health.getBody()).contains("\"secureAgent\"")
			.contains("spiffe://example.org/executor")
			.contains("svidExpiresAt");
	}

	@Test
	void sendWhenTheStartersChainThenNoRequestLooksUpASession() throws Exception {
		start(List.of(SessionLookups.class), "secure-agent.encryption.mode=optional");
		for (int i = 1; i <= 3; i++) {
			TaskResult result = client()
				.send("executor", new TaskRequest("word-count", "one two three", i), TaskResult.class)
				.block(Duration.ofSeconds(30));
			assertThat(result.words()).isEqualTo(3);
		}
		assertThat(TestAgents.get(this.executor, "/actuator/health").getStatusCode().value()).isEqualTo(200);
		assertThat(TestAgents.get(this.executor, "/anything").getStatusCode().value()).isEqualTo(401);
		// a refused message leaves no session either
		String forged = new String(signedByPlanner("task.request", task("count these words", 1)),
				StandardCharsets.UTF_8)
			.replace("count these", "count those");
		TestAgents.assertProblem(post(forged.getBytes(StandardCharsets.UTF_8)), 401, "bad-signature");
		// the handler ran where it may block, not on a thread of Reactor's parallel
		// scheduler, where a session's creation used to leave the request
		assertThat(this.executor.getBean(ExecutorHandlers.class).nonBlockingThreads()).isEmpty();
		// the capability request, three tasks, health and a refused path
		assertThat(lookups()).isZero();
	}

	@Test
	void postWhenTheApplicationsChainHasAFormLoginThenTheMessageLooksUpNoSessionAndTheLoginStillDoes()
			throws Exception {
		start(List.of(SessionLookups.class, FormLoginChain.class), "secure-agent.encryption.mode=optional");
		this.executor.getBean(CountingResolver.class).lookups.set(0);
		for (int i = 1; i <= 3; i++) {
			ResponseEntity<byte[]> answer = post(signedByPlanner("task.request", task("count these words", i)));
			assertThat(answer.getStatusCode().value()).isEqualTo(200);
		}
		assertThat(lookups()).isZero();
		assertThat(this.executor.getBean(ExecutorHandlers.class).nonBlockingThreads()).isEmpty();
		// the application's own pages: the request is saved in a session for after the
		// login, as without the starter
		ResponseEntity<byte[]> page = WebClient.create("http://127.0.0.1:" + TestAgents.port(this.executor))
			.get()
			.uri("/private")
			.accept(MediaType.TEXT_HTML)
			.exchangeToMono((response) -> response.toEntity(byte[].class))
			.block(Duration.ofSeconds(30));
		assertThat(page.getStatusCode().value()).isEqualTo(302);
		assertThat(page.getHeaders().getFirst("Location")).endsWith("/login");
		assertThat(page.getHeaders().getFirst("Set-Cookie")).startsWith("SESSION=");
		assertThat(lookups()).isPositive();
	}

	private void start(String mode) {
		start(List.of(), mode);
	}

	private void start(List<Class<?>> executorSources, String mode) {
		this.executor = TestAgents.executor(this.caDirectory, executorSources, mode);
		this.planner = TestAgents.planner(this.caDirectory, TestAgents.port(this.executor), mode);
	}

	private int lookups() {
		return this.executor.getBean(CountingResolver.class).lookups.get();
	}

	private SecureAgentClient client() {
		return this.planner.getBean(SecureAgentClient.class);
	}

	private byte[] signedByPlanner(String type, JsonValue payload) throws Exception {
		return signedByPlanner(type, payload, EXECUTOR);
	}

	private byte[] signedByPlanner(String type, JsonValue payload, SpiffeId recipient) throws Exception {
		return this.planner.getBean(EnvelopeSigner.class).sign(type, recipient, null, payload).bytes();
	}

	private static JsonValue task(String text, int priority) {
		return new JsonObject(Map.of("tool", new JsonString("word-count"), "text", new JsonString(text), "priority",
				new JsonNumber(priority)));
	}

	private ResponseEntity<byte[]> post(byte[] body) {
		return TestAgents.post(this.executor, body);
	}

	private static double counter(ConfigurableApplicationContext context, String outcome, String reason) {
		var counter = context.getBean(MeterRegistry.class)
			.find("secure.agent.messages")
			.tag("outcome", outcome)
			.tag("reason", reason)
			.counters();
		return counter.stream().mapToDouble((c) -> c.count()).sum();
	}

	@Configuration(proxyBeanMethods = false)
	static class SessionLookups {

		@Bean
		CountingResolver webSessionIdResolver() {
			return new CountingResolver();
		}

	}

	/**
	 * Counts every look-up of a request's session: WebFlux resolves the session's id
	 * whenever a request's session is asked for, and makes a new session when there is
	 * none.
	 */
	static final class CountingResolver extends CookieWebSessionIdResolver {

		final AtomicInteger lookups = new AtomicInteger();

		@Override
		public List<String> resolveSessionIds(ServerWebExchange exchange) {
			this.lookups.incrementAndGet();
			return super.resolveSessionIds(exchange);
		}

	}

	/**
	 * An application's chain: every page behind a form login.
	 */
	@Configuration(proxyBeanMethods = false)
	static class FormLoginChain {

		@Bean
		SecurityWebFilterChain applicationChain(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.formLogin(Customizer.withDefaults())
				.build();
		}

		@Bean
		MapReactiveUserDetailsService users() {
			return new MapReactiveUserDetailsService(
					User.withUsername("operator").password("{noop}not-used-here").roles("OPERATOR").build());
		}

	}

}
