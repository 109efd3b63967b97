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
import java.util.List;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.secureagent.replay.RedisReplayStore;
import io.secureagent.replay.ReplayStoreUnavailableException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Creates the Redis replay store and owns its client: commands fail at once while Redis
 * is unreachable (so messages are refused with 503 rather than queued), and the
 * connection comes back by itself.
 *
 * @author secure-agent authors
 */
final class RedisReplayStoreFactory implements AutoCloseable {

	private final List<RedisClient> clients = new ArrayList<>();

	synchronized RedisReplayStore create(SecureAgentProperties properties, Clock clock)
			throws ReplayStoreUnavailableException {
		SecureAgentProperties.Redis redis = properties.replay().redis();
		RedisURI uri;
		try {
			uri = RedisURI.create(redis.url());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("secure-agent.replay.redis.url", redis.url(),
					"is not a Redis URL");
		}
		uri.setTimeout(redis.timeout());
		RedisClient client = RedisClient.create(uri);
		client.setOptions(ClientOptions.builder()
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.autoReconnect(true)
			.build());
		this.clients.add(client);
		StatefulRedisConnection<String, String> connection;
		try {
			connection = client.connect();
		}
		catch (RuntimeException ex) {
			throw new ReplayStoreUnavailableException(
					"Redis at " + uri.getHost() + ":" + uri.getPort() + " cannot be reached", ex);
		}
		return new RedisReplayStore(connection, redis.keyPrefix(), properties.replay().capacity(),
				SecureAgentAutoConfiguration.senderShare(properties), clock);
	}

	@Override
	public synchronized void close() {
		this.clients.forEach(RedisClient::shutdown);
		this.clients.clear();
	}

}
