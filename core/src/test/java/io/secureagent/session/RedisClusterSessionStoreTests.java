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
package io.secureagent.session;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.secureagent.replay.RedisReplayStore;
import io.secureagent.replay.ReplayStore;
import io.secureagent.testsupport.RedisCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every case of {@link RedisSessionStoreTests} again, against a real three-node Redis
 * Cluster on loopback, and the key design that makes it work: all of an agent's keys in
 * one slot.
 *
 * @author secure-agent authors
 */
class RedisClusterSessionStoreTests extends RedisSessionStoreTests {

	@TempDir
	Path directory;

	private RedisCluster cluster;

	private RedisClusterClient client;

	@Override
	protected void startRedis() throws Exception {
		this.cluster = RedisCluster.start(this.directory);
		this.client = RedisClusterClient.create(this.cluster.uris().stream().map((uri) -> {
			RedisURI parsed = RedisURI.create(uri);
			parsed.setTimeout(Duration.ofSeconds(2));
			return parsed;
		}).toList());
		StatefulRedisClusterConnection<String, String> connection = this.client.connect();
		this.connection = connection;
		this.commands = connection.sync();
	}

	@Override
	protected void stopRedis() throws Exception {
		if (this.client != null) {
			this.client.shutdown();
		}
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void keysWhenWrittenThenAllInTheSlotOfTheStoresHashTag() throws Exception {
		RedisReplayStore store = new RedisReplayStore(() -> this.connection, "executor", 100, 100,
				java.time.Clock.systemUTC())
			.options(new RedisReplayStore.Options(Duration.ZERO, Duration.ZERO, false));
		Instant now = Instant.now();
		for (int i = 0; i < 5; i++) {
			assertThat(store.reserve(new ReplayStore.Entry("spiffe://example.org/s" + i, "id" + i, now.toEpochMilli(),
					now.plusSeconds(60), new ReplayStore.Sequence("session" + i, 0, 64, now.plusSeconds(600)))))
				.isEqualTo(ReplayStore.Reservation.RESERVED);
		}
		List<String> keys = this.commands.keys("*");
		assertThat(keys).hasSizeGreaterThan(10);
		Set<Long> slots = new HashSet<>();
		keys.forEach((key) -> slots.add(this.commands.clusterKeyslot(key)));
		assertThat(slots).hasSize(1);
	}

}
