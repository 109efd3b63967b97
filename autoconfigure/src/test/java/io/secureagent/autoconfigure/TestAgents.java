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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.client.SecureAgentClient;
import io.secureagent.session.SessionManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real Spring Boot agents for integration tests, on random ports, sharing a
 * development CA directory.
 */
final class TestAgents {

	private TestAgents() {
	}

	static ConfigurableApplicationContext executor(Path caDirectory, String... properties) {
		return executor(caDirectory, List.of(), properties);
	}

	static ConfigurableApplicationContext executor(Path caDirectory, List<Class<?>> sources, String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.application.name=executor", "server.port=0",
				"secure-agent.identity.dev.ca-directory=" + caDirectory,
				"secure-agent.authorization[0].senders=spiffe://example.org/planner",
				"secure-agent.authorization[0].types=task.request,task.request.v2,task.audit,task.delegate,task.note,task.close,price.quote",
				"secure-agent.authorization[0].authorities=ROLE_PLANNER",
				"secure-agent.authorization[1].senders=spiffe://example.org/stranger",
				"secure-agent.authorization[1].types=task.request", "management.endpoints.web.exposure.include=health",
				// Spring Data Redis is on this module's classpath for its connection
				// details; these agents use no Redis of Boot's
				"management.health.redis.enabled=false", "management.endpoint.health.show-details=always"));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(ExecutorApp.class).sources(sources.toArray(Class<?>[]::new))
			.properties(all.toArray(String[]::new))
			.run();
	}

	static ConfigurableApplicationContext planner(Path caDirectory, int executorPort, String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.application.name=planner", "server.port=0",
				"secure-agent.identity.dev.ca-directory=" + caDirectory,
				"secure-agent.peers.executor.spiffe-id=spiffe://example.org/executor",
				"secure-agent.peers.executor.url=http://127.0.0.1:" + executorPort + "/secure-agent/messages",
				"management.health.redis.enabled=false"));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(PlannerApp.class).properties(all.toArray(String[]::new)).run();
	}

	static ResponseEntity<byte[]> post(ConfigurableApplicationContext agent, byte[] body) {
		return post(port(agent), body);
	}

	static ResponseEntity<byte[]> post(int port, byte[] body) {
		return WebClient.create("http://127.0.0.1:" + port)
			.post()
			.uri("/secure-agent/messages")
			.header("Content-Type", "application/secure-agent+json")
			.bodyValue(body)
			.exchangeToMono((response) -> response.toEntity(byte[].class))
			.block(Duration.ofSeconds(30));
	}

	static ResponseEntity<byte[]> get(ConfigurableApplicationContext agent, String path) {
		return WebClient.create("http://127.0.0.1:" + port(agent))
			.get()
			.uri(path)
			.exchangeToMono((response) -> response.toEntity(byte[].class))
			.block(Duration.ofSeconds(30));
	}

	/**
	 * Assert that an answer is a problem document with a status and a code, and that it
	 * shows no stack trace.
	 */
	static void assertProblem(ResponseEntity<byte[]> response, int status, String code) throws Exception {
		String body = (response.getBody() != null) ? new String(response.getBody(), StandardCharsets.UTF_8) : "";
		assertThat(response.getStatusCode().value()).as(body).isEqualTo(status);
		assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
		JsonObject problem = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(response.getBody());
		assertThat(problem.get("code")).isEqualTo(new JsonString(code));
		assertThat(problem.get("status")).isEqualTo(new JsonNumber(status));
		assertThat(((JsonString) problem.get("type")).value()).endsWith("#" + code);
		assertThat(body).doesNotContain("Exception").doesNotContain("at io.");
	}

	static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "0"));
	}

	/**
	 * Records every observation that stops: its name and its type and peer keys.
	 */
	static final class RecordedObservations implements ObservationHandler<Observation.Context> {

		final List<String> stopped = new CopyOnWriteArrayList<>();

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

		@Override
		public void onStop(Observation.Context context) {
			KeyValue type = context.getLowCardinalityKeyValue("type");
			KeyValue peer = context.getLowCardinalityKeyValue("peer");
			this.stopped.add(context.getName() + ((type != null) ? " " + type.getValue() : "")
					+ ((peer != null) ? " " + peer.getValue() : ""));
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableReactiveMethodSecurity
	static class ExecutorApp {

		@Bean
		RecordedObservations recordedObservations() {
			return new RecordedObservations();
		}

		@Bean
		ExecutorHandlers executorHandlers(ObjectProvider<SecureAgentClient> client,
				ObjectProvider<SessionManager> sessions) {
			return new ExecutorHandlers(client, sessions);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class PlannerApp {

		@Bean
		RecordedObservations recordedObservations() {
			return new RecordedObservations();
		}

	}

}
