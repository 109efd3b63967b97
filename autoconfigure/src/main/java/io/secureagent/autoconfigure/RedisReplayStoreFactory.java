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

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.secureagent.replay.RedisReplayStore;
import io.secureagent.session.KeyEncryptionKeys;
import io.secureagent.session.RedisSessionStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Creates the Redis replay store and owns its client: commands fail at once while Redis
 * is unreachable or slower than the timeout (so messages are refused with 503 rather than
 * queued), the connection is opened lazily and again after a failure (so the application
 * starts while Redis is down and resumes by itself), and the store's health (reachable,
 * lost-state marker, eviction policy) is checked at start and every ten seconds.
 *
 * @author secure-agent authors
 */
final class RedisReplayStoreFactory implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisReplayStoreFactory.class);

	private final List<AbstractRedisClient> clients = new ArrayList<>();

	private final Map<String, RedisReplayStore.Connector> connectors = new LinkedHashMap<>();

	private final List<RedisReplayStore> stores = new ArrayList<>();

	private @Nullable ScheduledExecutorService checks;

	synchronized RedisReplayStore create(SecureAgentProperties properties, Clock clock) {
		SecureAgentProperties.Redis redis = properties.replay().redis();
		SecureAgentProperties.Replay replay = properties.replay();
		RedisReplayStore store = new RedisReplayStore(connector(redis), redis.keyPrefix(), replay.capacity(),
				SecureAgentAutoConfiguration.senderShare(properties), clock)
			.options(new RedisReplayStore.Options(replay.maxLifetime().plus(replay.clockSkew().multipliedBy(2)),
					replay.clockSkew(), properties.encryption().sessionStore() == SecureAgentProperties.Store.REDIS));
		String problem = store.checkHealth();
		if (problem != null) {
			logger.warn("secure-agent replay store at " + redis.url().replaceAll("//[^@/]*@", "//") + ": " + problem
					+ "; messages are refused until it is fixed");
		}
		this.stores.add(store);
		if (this.checks == null) {
			ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "secure-agent-redis-health");
				thread.setDaemon(true);
				return thread;
			});
			checks.scheduleWithFixedDelay(this::checkAll, 10, 10, TimeUnit.SECONDS);
			this.checks = checks;
		}
		return store;
	}

	synchronized RedisSessionStore createSessions(SecureAgentProperties properties, KeyEncryptionKeys keys,
			Clock clock) {
		SecureAgentProperties.Redis redis = properties.replay().redis();
		SecureAgentProperties.Encryption encryption = properties.encryption();
		return new RedisSessionStore(connector(redis), redis.keyPrefix(), encryption.sessionCapacity(),
				encryption.sessionsPerPeer(), keys, clock);
	}

	private RedisReplayStore.Connector connector(SecureAgentProperties.Redis redis) {
		List<String> nodes = (redis.clusterNodes() != null) ? redis.clusterNodes() : List.of();
		String name = nodes.isEmpty() ? redis.url() : String.join(",", nodes);
		RedisReplayStore.Connector existing = this.connectors.get(name);
		if (existing != null) {
			return existing;
		}
		RedisReplayStore.Connector connector;
		if (nodes.isEmpty()) {
			RedisClient client = RedisClient.create(uri("secure-agent.replay.redis.url", redis.url(), redis));
			client.setOptions(ClientOptions.builder()
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.autoReconnect(true)
				.build());
			this.clients.add(client);
			connector = client::connect;
		}
		else {
			List<RedisURI> uris = new ArrayList<>();
			for (int i = 0; i < nodes.size(); i++) {
				uris.add(uri("secure-agent.replay.redis.cluster-nodes[" + i + "]", nodes.get(i), redis));
			}
			RedisClusterClient client = RedisClusterClient.create(uris);
			client.setOptions(ClusterClientOptions.builder()
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.autoReconnect(true)
				.build());
			this.clients.add(client);
			connector = client::connect;
		}
		this.connectors.put(name, connector);
		return connector;
	}

	private static RedisURI uri(String key, String value, SecureAgentProperties.Redis redis) {
		RedisURI uri;
		try {
			uri = RedisURI.create(value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(key, value, "is not a Redis URL");
		}
		uri.setTimeout(redis.timeout());
		return uri;
	}

	private synchronized void checkAll() {
		this.stores.forEach(RedisReplayStore::checkHealth);
	}

	@Override
	public synchronized void close() {
		if (this.checks != null) {
			this.checks.shutdownNow();
		}
		this.stores.forEach(RedisReplayStore::close);
		this.stores.clear();
		this.clients.forEach(AbstractRedisClient::shutdown);
		this.clients.clear();
	}

}
