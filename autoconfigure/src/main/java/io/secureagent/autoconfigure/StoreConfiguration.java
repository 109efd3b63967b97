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
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.replay.ReplayStore;
import io.secureagent.session.InMemorySessionStore;
import io.secureagent.session.KeyEncryptionKeys;
import io.secureagent.session.SessionStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The replay and session stores: in memory, or in Redis (single or cluster) where Lettuce
 * is on the classpath. Each store backs off when the application defines its own.
 *
 * @author secure-agent authors
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReplayStore secureAgentReplayStore(SecureAgentProperties properties, Clock secureAgentClock,
			ObjectProvider<RedisReplayStoreFactory> redis) {
		int capacity = positive("secure-agent.replay.capacity", properties.replay().capacity());
		if (capacity > 1_500_000_000) {
			throw new InvalidConfigurationPropertyValueException("secure-agent.replay.capacity", capacity,
					"must be at most 1,500,000,000");
		}
		if (properties.replay().store() == SecureAgentProperties.Store.REDIS) {
			return redis("secure-agent.replay.store", redis).create(properties, secureAgentClock);
		}
		return new InMemoryReplayStore(capacity, senderShare(properties), secureAgentClock);
	}

	static int senderShare(SecureAgentProperties properties) {
		return positive("secure-agent.replay.capacity-per-sender", properties.replay().senderShare());
	}

	private static int positive(String key, int value) {
		if (value <= 0) {
			throw new InvalidConfigurationPropertyValueException(key, value, "must be positive");
		}
		return value;
	}

	private static RedisReplayStoreFactory redis(String key, ObjectProvider<RedisReplayStoreFactory> redis) {
		RedisReplayStoreFactory factory = redis.getIfAvailable();
		if (factory == null) {
			throw new InvalidConfigurationPropertyValueException(key, "redis",
					"needs io.lettuce:lettuce-core on the classpath");
		}
		return factory;
	}

	@Bean
	@ConditionalOnMissingBean
	SessionStore secureAgentSessionStore(SecureAgentProperties properties, Clock secureAgentClock,
			ObjectProvider<RedisReplayStoreFactory> redis) {
		int capacity = positive("secure-agent.encryption.session-capacity", properties.encryption().sessionCapacity());
		int perPeer = positive("secure-agent.encryption.sessions-per-peer", properties.encryption().sessionsPerPeer());
		if (properties.encryption().sessionStore() == SecureAgentProperties.Store.REDIS) {
			RedisReplayStoreFactory factory = redis("secure-agent.encryption.session-store", redis);
			if (properties.replay().store() != SecureAgentProperties.Store.REDIS) {
				throw new InvalidConfigurationPropertyValueException("secure-agent.encryption.session-store", "redis",
						"needs secure-agent.replay.store=redis: the receive windows of shared sessions are replay state");
			}
			return factory.createSessions(properties, keyEncryptionKeys(properties), secureAgentClock);
		}
		return new InMemorySessionStore(capacity, perPeer, secureAgentClock);
	}

	static KeyEncryptionKeys keyEncryptionKeys(SecureAgentProperties properties) {
		List<SecureAgentProperties.KeyEncryptionKey> configured = properties.encryption().keyEncryptionKeys();
		if (configured == null || configured.isEmpty()) {
			throw new InvalidConfigurationPropertyValueException("secure-agent.encryption.key-encryption-keys", null,
					"at least one key is required when secure-agent.encryption.session-store is redis: session keys are never stored in clear");
		}
		List<KeyEncryptionKeys.Key> keys = new ArrayList<>();
		for (int i = 0; i < configured.size(); i++) {
			SecureAgentProperties.KeyEncryptionKey key = configured.get(i);
			String name = "secure-agent.encryption.key-encryption-keys[" + i + "]";
			String encoded;
			try {
				encoded = (key.secretFile() != null) ? Files.readString(key.secretFile()).strip() : key.secret();
			}
			catch (IOException ex) {
				throw new InvalidConfigurationPropertyValueException(name + ".secret-file", key.secretFile(),
						"cannot be read");
			}
			if (key.id() == null || encoded == null) {
				throw new InvalidConfigurationPropertyValueException(name, key.id(),
						"needs an id and a secret or secret-file");
			}
			try {
				keys.add(new KeyEncryptionKeys.Key(key.id(), Base64.getDecoder().decode(encoded)));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(name, key.id(),
						"must be 32 bytes in base64, with an id that has no ':'");
			}
		}
		try {
			return new KeyEncryptionKeys(keys);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("secure-agent.encryption.key-encryption-keys",
					keys.size(), ex.getMessage());
		}
	}

	/**
	 * The factory of the Redis stores, where Lettuce is on the classpath.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RedisClient.class)
	static class RedisStoresConfiguration {

		@Bean(destroyMethod = "close")
		RedisReplayStoreFactory secureAgentRedisReplayStoreFactory(
				ObjectProvider<RedisReplayStoreFactory.RedisEndpoint> bootRedis) {
			return new RedisReplayStoreFactory(bootRedis.getIfAvailable());
		}

	}

	/**
	 * The Redis that Spring Boot connects to ({@code spring.data.redis.*}, or a service
	 * connection such as a Testcontainers container), for stores whose own URL is not
	 * set.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "io.lettuce.core.RedisClient",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails" })
	static class BootRedisConfiguration {

		@Bean
		@ConditionalOnBean(DataRedisConnectionDetails.class)
		RedisReplayStoreFactory.RedisEndpoint secureAgentBootRedis(DataRedisConnectionDetails details) {
			List<RedisURI> uris = new ArrayList<>();
			DataRedisConnectionDetails.Cluster cluster = details.getCluster();
			if (cluster != null) {
				cluster.getNodes().forEach((node) -> uris.add(uri(details, node.host(), node.port(), 0)));
				return new RedisReplayStoreFactory.RedisEndpoint(uris, true);
			}
			DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
			String host = (standalone != null) ? standalone.getHost() : "127.0.0.1";
			int port = (standalone != null) ? standalone.getPort() : 6379;
			uris.add(uri(details, host, port, (standalone != null) ? standalone.getDatabase() : 0));
			return new RedisReplayStoreFactory.RedisEndpoint(uris, false);
		}

		private static RedisURI uri(DataRedisConnectionDetails details, String host, int port, int database) {
			RedisURI.Builder uri = RedisURI.builder().withHost(host).withPort(port).withDatabase(database);
			if (details.getPassword() != null) {
				uri = (details.getUsername() != null)
						? uri.withAuthentication(details.getUsername(), details.getPassword().toCharArray())
						: uri.withPassword(details.getPassword().toCharArray());
			}
			if (details.getSslBundle() != null) {
				uri = uri.withSsl(true);
			}
			return uri.build();
		}

	}

}
