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
import io.lettuce.core.SocketOptions;
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
 * Creates the Redis replay store and owns its client: commands, and connecting, fail at
 * once while Redis is unreachable or slower than the timeout (so messages are refused
 * with 503 rather than queued); the connection is opened lazily and again after it closed
 * (no background reconnection that could leave a connection behind), so the application
 * starts while Redis is down and resumes by itself; and the store's health (reachable,
 * lost-state marker, eviction policy) is checked at start and every ten seconds.
 *
 * @author secure-agent authors
 */
final class RedisReplayStoreFactory implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisReplayStoreFactory.class);

	private final List<AbstractRedisClient> clients = new ArrayList<>();

	private final Map<String, RedisReplayStore.Connector> connectors = new LinkedHashMap<>();

	private final @Nullable RedisEndpoint bootRedis;

	/**
	 * Create a factory.
	 * @param bootRedis the Redis that Spring Boot connects to, if any: used when
	 * {@code secure-agent.replay.redis} names none
	 */
	RedisReplayStoreFactory(@Nullable RedisEndpoint bootRedis) {
		this.bootRedis = bootRedis;
	}

	private final List<RedisReplayStore> stores = new ArrayList<>();

	private @Nullable ScheduledExecutorService checks;

	synchronized RedisReplayStore create(SecureAgentProperties properties, Clock clock) {
		SecureAgentProperties.Redis redis = properties.replay().redis();
		SecureAgentProperties.Replay replay = properties.replay();
		RedisReplayStore store = new RedisReplayStore(connector(redis), redis.keyPrefix(), replay.capacity(),
				StoreConfiguration.senderShare(properties), clock)
			.options(new RedisReplayStore.Options(replay.maxLifetime().plus(replay.clockSkew().multipliedBy(2)),
					replay.clockSkew(), properties.encryption().sessionStore() == SecureAgentProperties.Store.REDIS));
		String problem = store.checkHealth();
		if (problem != null) {
			if (redis.failFast()) {
				store.close();
				throw new RedisStoreStartupException(problem, describe(redis));
			}
			logger.warn("secure-agent replay store: " + problem + "; messages are refused until it is fixed");
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

	/**
	 * Name the servers a store uses, without credentials, for a startup report.
	 */
	private String describe(SecureAgentProperties.Redis redis) {
		Servers servers = servers(redis);
		List<String> hosts = servers.uris().stream().map((uri) -> uri.getHost() + ":" + uri.getPort()).toList();
		return String.join(", ", hosts) + " (" + servers.property() + ")";
	}

	private RedisReplayStore.Connector connector(SecureAgentProperties.Redis redis) {
		Servers servers = servers(redis);
		return connector(servers.uris(), servers.cluster(), redis);
	}

	/**
	 * Decide which Redis a store uses: the cluster nodes or the URL of
	 * {@code secure-agent.replay.redis}, else the Redis that Boot connects to, else
	 * {@code redis://127.0.0.1:6379}.
	 */
	private Servers servers(SecureAgentProperties.Redis redis) {
		List<String> nodes = (redis.clusterNodes() != null) ? redis.clusterNodes() : List.of();
		RedisEndpoint boot = this.bootRedis;
		if (redis.url() == null && nodes.isEmpty() && boot != null) {
			return new Servers(boot.uris(), boot.cluster(), "spring.data.redis");
		}
		List<RedisURI> uris = new ArrayList<>();
		if (nodes.isEmpty()) {
			String url = (redis.url() != null) ? redis.url() : "redis://127.0.0.1:6379";
			uris.add(uri("secure-agent.replay.redis.url", url, redis));
			return new Servers(uris, false, "secure-agent.replay.redis.url");
		}
		for (int i = 0; i < nodes.size(); i++) {
			uris.add(uri("secure-agent.replay.redis.cluster-nodes[" + i + "]", nodes.get(i), redis));
		}
		return new Servers(uris, true, "secure-agent.replay.redis.cluster-nodes");
	}

	private record Servers(List<RedisURI> uris, boolean cluster, String property) {

	}

	private RedisReplayStore.Connector connector(List<RedisURI> uris, boolean cluster,
			SecureAgentProperties.Redis redis) {
		uris.forEach((uri) -> uri.setTimeout(redis.timeout()));
		String name = uris.toString();
		RedisReplayStore.Connector existing = this.connectors.get(name);
		if (existing != null) {
			return existing;
		}
		RedisReplayStore.Connector connector;
		if (!cluster) {
			RedisClient client = RedisClient.create(uris.get(0));
			client.setOptions(failFast(ClientOptions.builder(), redis).build());
			this.clients.add(client);
			connector = client::connect;
		}
		else {
			RedisClusterClient client = RedisClusterClient.create(uris);
			client.setOptions(failFast(ClusterClientOptions.builder(), redis).build());
			this.clients.add(client);
			connector = client::connect;
		}
		this.connectors.put(name, connector);
		return connector;
	}

	/**
	 * Configure a client to fail at once: commands are refused while disconnected, a
	 * connection is not reopened in the background, and connecting takes at most the
	 * timeout.
	 */
	private static <B extends ClientOptions.Builder> B failFast(B builder, SecureAgentProperties.Redis redis) {
		builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
		builder.autoReconnect(false);
		builder.socketOptions(SocketOptions.builder().connectTimeout(redis.timeout()).build());
		return builder;
	}

	private static RedisURI uri(String key, String value, SecureAgentProperties.Redis redis) {
		RedisURI uri;
		try {
			uri = RedisURI.create(value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(key, value, "is not a Redis URL");
		}
		return uri;
	}

	/**
	 * A Redis that Spring Boot knows of.
	 *
	 * @param uris the server, or the cluster's nodes
	 * @param cluster whether it is a cluster
	 */
	record RedisEndpoint(List<RedisURI> uris, boolean cluster) {

	}

	private synchronized void checkAll() {
		for (RedisReplayStore store : this.stores) {
			try {
				store.checkHealth();
			}
			catch (RuntimeException ex) {
				// a failed check must not end the periodic checks
				logger.warn("secure-agent replay store health check failed", ex);
			}
		}
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
