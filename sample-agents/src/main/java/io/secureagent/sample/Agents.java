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
package io.secureagent.sample;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.secureagent.client.SecureAgentClient;
import io.secureagent.messaging.AgentMessageHandler;
import io.secureagent.sample.Messages.PolicyDecision;
import io.secureagent.sample.Messages.PolicyQuery;
import io.secureagent.sample.Messages.TaskRequest;
import io.secureagent.sample.Messages.TaskResult;
import io.spiffe.spiffeid.SpiffeId;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The four sample agents, each a Spring Boot application with its own SPIFFE ID.
 *
 * @author secure-agent authors
 */
public final class Agents {

	private Agents() {
	}

	/**
	 * The executor: runs a tool for a planner once the policy agent has allowed it.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableReactiveMethodSecurity
	public static class Executor {

		@Bean
		ExecutorHandlers executorHandlers(SecureAgentClient client,
				@Value("${secure-agent.peers.policy.spiffe-id}") String policyId) {
			return new ExecutorHandlers(client, policyId);
		}

	}

	/**
	 * The executor's handler.
	 */
	public static class ExecutorHandlers {

		private final SecureAgentClient client;

		private final String policyId;

		ExecutorHandlers(SecureAgentClient client, String policyId) {
			this.client = client;
			this.policyId = policyId;
		}

		@AgentMessageHandler
		@PreAuthorize("hasAuthority('ROLE_PLANNER')")
		public Mono<TaskResult> run(TaskRequest task, SpiffeId sender) {
			// the client has verified that the decision is signed by the configured
			// policy agent
			return this.client.send("policy", new PolicyQuery(task.tool(), sender.toString()), PolicyDecision.class)
				.flatMap((decision) -> decision.allowed()
						? Mono.just(new TaskResult(task.tool(), Tools.run(task.tool(), task.input()), this.policyId))
						: Mono.error(new AccessDeniedException(decision.reason())));
		}

	}

	/**
	 * The policy agent: decides which tools may run.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableReactiveMethodSecurity
	public static class Policy {

		@Bean
		PolicyHandlers policyHandlers() {
			return new PolicyHandlers();
		}

	}

	/**
	 * The policy agent's handler.
	 */
	public static class PolicyHandlers {

		private static final Set<String> ALLOWED = Set.of("word-count", "uppercase");

		@AgentMessageHandler
		@PreAuthorize("hasAuthority('ROLE_EXECUTOR')")
		public Mono<PolicyDecision> decide(PolicyQuery query) {
			boolean allowed = ALLOWED.contains(query.tool());
			return Mono.just(new PolicyDecision(allowed,
					allowed ? "tool is on the allow-list" : "tool '" + query.tool() + "' is not on the allow-list"));
		}

	}

	/**
	 * The planner: sends tasks; it handles nothing.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class Planner {

	}

	/**
	 * The untrusted relay: not an agent, just a proxy that forwards what it is given to
	 * the executor and back, sees every byte, and can be told to tamper.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class Relay {

		@Bean
		RelayState relayState(@Value("${relay.target}") URI target) {
			return new RelayState(target);
		}

		@Bean
		RouterFunction<ServerResponse> relayRoutes(RelayState state, WebClient.Builder builder) {
			WebClient client = builder.build();
			return RouterFunctions
				.route(RequestPredicates.POST("/secure-agent/messages"), (request) -> forward(request, state, client))
				.andRoute(RequestPredicates.GET("/.well-known/secure-agent"),
						(request) -> client.get()
							.uri(state.target()
								.resolve("/.well-known/secure-agent?for=" + request.queryParam("for").orElse("")))
							.exchangeToMono((response) -> response.toEntity(byte[].class))
							.flatMap((entity) -> ServerResponse.status(entity.getStatusCode())
								.headers((headers) -> headers.addAll(entity.getHeaders()))
								.bodyValue((entity.getBody() != null) ? entity.getBody() : new byte[0])));
		}

		@Bean
		SecurityWebFilterChain relaySecurity(ServerHttpSecurity http) {
			// the relay is a dumb pipe: it authenticates nothing, and nothing depends on
			// it
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		private static Mono<ServerResponse> forward(ServerRequest request, RelayState state, WebClient client) {
			return request.bodyToMono(byte[].class).flatMap((body) -> {
				state.lastSeen().set(new String(body, StandardCharsets.UTF_8));
				byte[] forwarded = state.tamper().get() ? Tools.flipInCiphertext(body) : body;
				return client.post()
					.uri(state.target())
					.header("Content-Type", "application/secure-agent+json")
					.bodyValue(forwarded)
					.exchangeToMono((response) -> response.toEntity(byte[].class))
					.flatMap((entity) -> ServerResponse.status(HttpStatusCode.valueOf(entity.getStatusCode().value()))
						.headers((headers) -> headers.addAll(entity.getHeaders()))
						.bodyValue((entity.getBody() != null) ? entity.getBody() : new byte[0]));
			});
		}

	}

	/**
	 * What the relay forwards to, what it saw last, and whether it tampers.
	 *
	 * @param target the executor's endpoint
	 * @param lastSeen the last message body it forwarded
	 * @param tamper whether to alter what it forwards
	 */
	public record RelayState(URI target, AtomicReference<String> lastSeen, AtomicBoolean tamper) {

		RelayState(URI target) {
			this(target, new AtomicReference<>(""), new AtomicBoolean());
		}

	}

	/**
	 * The tools the executor runs.
	 */
	static final class Tools {

		private Tools() {
		}

		static String run(String tool, String input) {
			return switch (tool) {
				case "word-count" -> Integer.toString(input.isBlank() ? 0 : input.trim().split("\\s+").length);
				case "uppercase" -> input.toUpperCase(Locale.ROOT);
				default -> throw new IllegalArgumentException("unknown tool");
			};
		}

		static byte[] flipInCiphertext(byte[] envelope) {
			String text = new String(envelope, StandardCharsets.UTF_8);
			int at = text.indexOf("\"ciphertext\":\"");
			byte[] altered = envelope.clone();
			int index = (at >= 0) ? at + 20 : altered.length / 2;
			altered[index] = (byte) ((altered[index] == 'A') ? 'B' : 'A');
			return altered;
		}

	}

}
