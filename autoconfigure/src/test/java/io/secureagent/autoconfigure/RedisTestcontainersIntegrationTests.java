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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.redis.testcontainers.RedisContainer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.client.SecureAgentClient;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.replay.RedisReplayStore;
import io.secureagent.replay.ReplayStore;
import io.secureagent.session.RedisSessionStore;
import io.secureagent.session.SessionStore;
import io.spiffe.spiffeid.SpiffeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent tested the way its users test theirs: a {@code @SpringBootTest} whose Redis is
 * a Testcontainers container, wired by {@code @ServiceConnection} alone. No
 * {@code secure-agent.replay.redis.url} is set: the stores use the Redis that Boot
 * connects to.
 *
 * @author secure-agent authors
 */
@EnabledIf("io.secureagent.autoconfigure.DockerSupport#available")
@Testcontainers
@SpringBootTest(classes = TestAgents.ExecutorApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=executor", "secure-agent.replay.store=redis",
				"secure-agent.replay.clock-skew=1s", "secure-agent.encryption.session-store=redis",
				"secure-agent.encryption.key-encryption-keys[0].id=k1",
				"secure-agent.encryption.key-encryption-keys[0].secret=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
				"secure-agent.authorization[0].senders=spiffe://example.org/planner",
				"secure-agent.authorization[0].types=task.request",
				"secure-agent.authorization[0].authorities=ROLE_PLANNER" })
class RedisTestcontainersIntegrationTests {

	private static final SpiffeId EXECUTOR = SpiffeId.parse("spiffe://example.org/executor");

	@Container
	@ServiceConnection
	static final RedisContainer redis = new RedisContainer(
			DockerImageName.parse(DockerSupport.REDIS_IMAGE).asCompatibleSubstituteFor("redis"));

	private static Path caDirectory;

	private static ConfigurableApplicationContext planner;

	@Autowired
	ReplayStore replayStore;

	@Autowired
	SessionStore sessionStore;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void caDirectory(DynamicPropertyRegistry registry) throws IOException {
		caDirectory = Files.createTempDirectory("secure-agent-ca");
		registry.add("secure-agent.identity.dev.ca-directory", caDirectory::toString);
	}

	@AfterAll
	static void close() {
		if (planner != null) {
			planner.close();
		}
	}

	@Test
	void storesWhenOnlyAServiceConnectionNamesRedisThenUseTheContainer() throws Exception {
		assertThat(this.replayStore).isInstanceOf(RedisReplayStore.class);
		assertThat(this.sessionStore).isInstanceOf(RedisSessionStore.class);
		assertThat(this.replayStore.health()).isNull();
		RedisClient client = RedisClient.create(redis.getRedisURI());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			// the store's marker is in the container, not in a Redis on localhost
			assertThat(connection.sync().exists("{secure-agent}:epoch")).isEqualTo(1);
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void messagesWhenSentThenAcceptedOnceAndSessionsKeptInTheContainer() throws Exception {
		Thread.sleep(1200);
		ConfigurableApplicationContext planner = planner();
		byte[] task = planner.getBean(EnvelopeSigner.class)
			.sign("task.request", EXECUTOR, null,
					new JsonObject(Map.of("tool", new JsonString("word-count"), "text", new JsonString("a b c"),
							"priority", new JsonNumber(1))))
			.bytes();
		assertThat(post(task).getStatusCode().value()).isEqualTo(200);
		TestAgents.assertProblem(post(task), 409, "replayed");
		// an encrypted exchange: the session lives in the container's Redis
		TaskResult result = planner.getBean(SecureAgentClient.class)
			.send("executor", new TaskRequest("word-count", "one two", 1), TaskResult.class)
			.block(Duration.ofSeconds(30));
		assertThat(result.words()).isEqualTo(2);
		assertThat(this.sessionStore.size()).isEqualTo(1);
	}

	private ResponseEntity<byte[]> post(byte[] body) {
		return TestAgents.post(this.port, body);
	}

	private ConfigurableApplicationContext planner() {
		if (planner == null) {
			planner = TestAgents.planner(caDirectory, this.port, "secure-agent.encryption.mode=optional",
					"secure-agent.capabilities.negotiate=false");
		}
		return planner;
	}

}
