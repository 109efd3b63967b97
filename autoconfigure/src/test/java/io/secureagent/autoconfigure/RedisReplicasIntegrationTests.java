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
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.client.SecureAgentClient;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.session.RedisSessionStore;
import io.secureagent.session.Session;
import io.secureagent.session.SessionManager;
import io.secureagent.session.SessionStore;
import io.secureagent.testsupport.RedisServer;
import io.spiffe.spiffeid.SpiffeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two executor replicas behind one SPIFFE ID, sharing one real Redis (a
 * {@code redis-server} the test starts on loopback) for replay state and sessions.
 *
 * @author secure-agent authors
 */
class RedisReplicasIntegrationTests {

	private static final SpiffeId EXECUTOR = SpiffeId.parse("spiffe://example.org/executor");

	private static final String KEK = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'k');

	@TempDir
	Path caDirectory;

	private RedisServer redis;

	private ConfigurableApplicationContext a;

	private ConfigurableApplicationContext b;

	private ConfigurableApplicationContext planner;

	@BeforeEach
	void start() throws Exception {
		this.redis = RedisServer.start();
		String[] shared = { "secure-agent.replay.store=redis", "secure-agent.replay.redis.url=" + this.redis.uri(),
				"secure-agent.replay.redis.timeout=500ms", "secure-agent.replay.clock-skew=1s",
				"secure-agent.encryption.session-store=redis", "secure-agent.encryption.key-encryption-keys[0].id=k1",
				"secure-agent.encryption.key-encryption-keys[0].secret=" + KEK };
		this.a = TestAgents.executor(this.caDirectory, shared);
		this.b = TestAgents.executor(this.caDirectory, shared);
		this.planner = TestAgents.planner(this.caDirectory, TestAgents.port(this.a),
				"secure-agent.encryption.mode=optional", "secure-agent.capabilities.negotiate=false");
		// a fresh Redis is treated as one that lost its state: messages issued before its
		// marker plus the skew are refused
		Thread.sleep(1200);
	}

	@AfterEach
	void stop() throws Exception {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { this.planner, this.b,
				this.a }) {
			if (context != null) {
				context.close();
			}
		}
		this.redis.close();
	}

	@Test
	void sessionWhenEstablishedWithOneReplicaThenUsedAtTheOther() {
		assertThat(this.a.getBean(SessionStore.class)).isInstanceOf(RedisSessionStore.class);
		assertThat(send(this.a, "one two")).isEqualTo(2);
		Session session = sessions().sessionWith(EXECUTOR).orElseThrow();
		// the load balancer sends the next message to the other replica
		assertThat(send(this.b, "one two three")).isEqualTo(3);
		assertThat(sessions().sessionWith(EXECUTOR).orElseThrow()).isSameAs(session);
	}

	@Test
	void replayWhenSentToTheOtherReplicaThenRefused() throws Exception {
		byte[] plain = this.planner.getBean(EnvelopeSigner.class).sign("task.request", EXECUTOR, null, task()).bytes();
		assertThat(TestAgents.post(this.a, plain).getStatusCode().value()).isEqualTo(200);
		TestAgents.assertProblem(TestAgents.post(this.b, plain), 409, "replayed");
	}

	@Test
	void sequenceNumberWhenReplayedToTheOtherReplicaThenRefused() throws Exception {
		send(this.a, "open a session");
		Session session = sessions().sessionWith(EXECUTOR).orElseThrow();
		byte[] sealed = sessions().seal(session, "task.request", null, task()).bytes();
		assertThat(TestAgents.post(this.a, sealed).getStatusCode().value()).isEqualTo(200);
		TestAgents.assertProblem(TestAgents.post(this.b, sealed), 409, "replayed");
	}

	@Test
	void redisWhenStoppedMidRunThenRefusedWith503AndNothingAcceptedThenRecovers() throws Exception {
		send(this.a, "before");
		this.redis.stop();
		byte[] plain = this.planner.getBean(EnvelopeSigner.class).sign("task.request", EXECUTOR, null, task()).bytes();
		ResponseEntity<byte[]> refused = TestAgents.post(this.b, plain);
		assertThat(refused.getStatusCode().value()).isEqualTo(503);
		assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("1");
		assertThat(health(this.a).getStatusCode().value()).isEqualTo(503);
		this.redis.restart();
		// restarted empty: the message signed before is refused as possibly seen
		awaitHealthy(this.a);
		TestAgents.assertProblem(TestAgents.post(this.b, plain), 503, "replay-state-lost");
		// a fresh message, issued after the detection plus the skew, goes through
		Thread.sleep(1200);
		byte[] fresh = this.planner.getBean(EnvelopeSigner.class).sign("task.request", EXECUTOR, null, task()).bytes();
		assertThat(TestAgents.post(this.b, fresh).getStatusCode().value()).isEqualTo(200);
	}

	@Test
	void evictionPolicyWhenChangedWhileRunningThenHealthDownAndRefusedUntilFixed() throws Exception {
		RedisClient client = RedisClient.create(this.redis.uri());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.sync().configSet("maxmemory-policy", "allkeys-lru");
			ResponseEntity<byte[]> health = health(this.a);
			assertThat(health.getStatusCode().value()).isEqualTo(503);
			assertThat(new String(health.getBody(), StandardCharsets.UTF_8)).contains("allkeys-lru");
			byte[] plain = this.planner.getBean(EnvelopeSigner.class)
				.sign("task.request", EXECUTOR, null, task())
				.bytes();
			TestAgents.assertProblem(TestAgents.post(this.a, plain), 503, "replay-store-unavailable");
			connection.sync().configSet("maxmemory-policy", "noeviction");
			assertThat(health(this.a).getStatusCode().value()).isEqualTo(200);
			assertThat(TestAgents.post(this.a, plain).getStatusCode().value()).isEqualTo(200);
		}
		finally {
			client.shutdown();
		}
	}

	private int send(ConfigurableApplicationContext replica, String text) {
		SecureAgentClient.Peer peer = new SecureAgentClient.Peer(EXECUTOR,
				URI.create("http://127.0.0.1:" + TestAgents.port(replica) + "/secure-agent/messages"));
		return this.planner.getBean(SecureAgentClient.class)
			.send(peer, new TaskRequest("word-count", text, 1), TaskResult.class)
			.block(Duration.ofSeconds(30))
			.words();
	}

	private SessionManager sessions() {
		return this.planner.getBean(SessionManager.class);
	}

	private static JsonValue task() {
		return new JsonObject(Map.of("tool", new JsonString("word-count"), "text", new JsonString("a b"), "priority",
				new JsonNumber(1)));
	}

	private static ResponseEntity<byte[]> health(ConfigurableApplicationContext replica) {
		return TestAgents.get(replica, "/actuator/health");
	}

	private static void awaitHealthy(ConfigurableApplicationContext replica) throws InterruptedException {
		Instant deadline = Instant.now().plusSeconds(20);
		while (health(replica).getStatusCode().value() != 200 && Instant.now().isBefore(deadline)) {
			Thread.sleep(100);
		}
	}

}
