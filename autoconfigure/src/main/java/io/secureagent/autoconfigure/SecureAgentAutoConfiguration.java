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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.client.SecureAgentClient;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.IdentityUnavailableException;
import io.secureagent.identity.ReloadingPemIdentity;
import io.secureagent.identity.X509SourceIdentity;
import io.micrometer.observation.ObservationRegistry;
import io.secureagent.messaging.MessageObservations;
import io.secureagent.messaging.MessageTypes;
import io.secureagent.messaging.MessageVerifier;
import io.secureagent.messaging.RecordPayloadBinder;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.replay.ReplayStore;
import io.secureagent.session.InMemorySessionStore;
import io.secureagent.session.KeyEncryptionKeys;
import io.secureagent.session.SessionLimits;
import io.secureagent.session.SessionManager;
import io.secureagent.session.SessionStore;
import io.secureagent.verification.AuthorizationPolicy;
import io.secureagent.verification.SenderRules;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import io.secureagent.web.AgentMessageHandlers;
import io.secureagent.web.CapabilityPublisher;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of the secure-agent protocol: this agent's identity, the replay and
 * session stores, the signer, the registered message types and the receiving pipeline.
 * Every bean backs off when the application defines its own.
 *
 * @author secure-agent authors
 */
@AutoConfiguration(after = { JacksonAutoConfiguration.class, ValidationAutoConfiguration.class },
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnProperty(prefix = "secure-agent", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(SecureAgentProperties.class)
public final class SecureAgentAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "secureAgentClock")
	Clock secureAgentClock() {
		return Clock.systemUTC();
	}

	@Bean
	@ConditionalOnMissingBean
	AgentIdentity secureAgentIdentity(SecureAgentProperties properties, Environment environment, Clock secureAgentClock)
			throws IOException {
		SecureAgentProperties.Identity identity = properties.identity();
		try {
			return switch (identity.source()) {
				case DEV -> devIdentity(identity.dev(), environment, secureAgentClock);
				case PEM -> pemIdentity(properties, secureAgentClock);
				case WORKLOAD_API -> workloadApiIdentity(identity.workloadApi(), environment);
			};
		}
		catch (IdentityUnavailableException ex) {
			throw new IllegalStateException("secure-agent identity is unavailable: " + ex.getMessage(), ex);
		}
	}

	private static AgentIdentity devIdentity(SecureAgentProperties.Dev dev, Environment environment, Clock clock)
			throws IOException {
		TrustDomain trustDomain = parse("secure-agent.identity.dev.trust-domain", dev.trustDomain(),
				TrustDomain::parse);
		String name = environment.getProperty("spring.application.name", "agent");
		SpiffeId spiffeId = (dev.spiffeId() != null)
				? parse("secure-agent.identity.dev.spiffe-id", dev.spiffeId(), SpiffeId::parse)
				: trustDomain.newSpiffeId(name.replaceAll("[^A-Za-z0-9._-]", "-"));
		if (!spiffeId.memberOf(trustDomain)) {
			throw new InvalidConfigurationPropertyValueException("secure-agent.identity.dev.spiffe-id", spiffeId,
					"must be in trust domain " + trustDomain);
		}
		Path directory = (dev.caDirectory() != null) ? dev.caDirectory()
				: Path.of(System.getProperty("java.io.tmpdir"), "secure-agent-dev-ca");
		DevCertificateAuthority ca = DevCertificateAuthority.loadOrCreate(directory, trustDomain, clock);
		LogFactory.getLog(SecureAgentAutoConfiguration.class)
			.warn("secure-agent uses a development identity, " + spiffeId + ", from the CA in " + directory
					+ ": for local runs only; set secure-agent.identity.source to workload-api or pem");
		return ca.renewingIdentity(spiffeId, dev.keyType(), X509BundleSet.of(List.of(ca.bundle())));
	}

	private static AgentIdentity pemIdentity(SecureAgentProperties properties, Clock clock)
			throws IdentityUnavailableException {
		SecureAgentProperties.Pem pem = properties.identity().pem();
		if (pem.certificates() == null) {
			throw new InvalidConfigurationPropertyValueException("secure-agent.identity.pem.certificates", null,
					"is required when secure-agent.identity.source is pem");
		}
		if (pem.privateKey() == null) {
			throw new InvalidConfigurationPropertyValueException("secure-agent.identity.pem.private-key", null,
					"is required when secure-agent.identity.source is pem");
		}
		if (properties.trustBundles().isEmpty()) {
			throw new InvalidConfigurationPropertyValueException("secure-agent.trust-bundles", null,
					"at least one trust bundle is required when secure-agent.identity.source is pem");
		}
		Map<TrustDomain, Path> bundles = new LinkedHashMap<>();
		properties.trustBundles()
			.forEach((domain, path) -> bundles.put(
					parse("secure-agent.trust-bundles[" + domain + "]", domain, TrustDomain::parse),
					parse("secure-agent.trust-bundles[" + domain + "]", path, Path::of)));
		return new ReloadingPemIdentity(pem.certificates(), pem.privateKey(), bundles, pem.reloadInterval(), clock);
	}

	private static AgentIdentity workloadApiIdentity(SecureAgentProperties.WorkloadApi workloadApi,
			Environment environment) throws IdentityUnavailableException {
		String socket = (workloadApi.socket() != null) ? workloadApi.socket()
				: environment.getProperty("SPIFFE_ENDPOINT_SOCKET");
		if (socket == null || socket.isBlank()) {
			throw new InvalidConfigurationPropertyValueException("secure-agent.identity.workload-api.socket", null,
					"is required when secure-agent.identity.source is workload-api and SPIFFE_ENDPOINT_SOCKET is not set");
		}
		return X509SourceIdentity.connect(socket, workloadApi.initTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	ReplayStore secureAgentReplayStore(SecureAgentProperties properties, Clock secureAgentClock,
			ObjectProvider<RedisReplayStoreFactory> redis) {
		int capacity = properties.replay().capacity();
		if (capacity <= 0) {
			throw new InvalidConfigurationPropertyValueException("secure-agent.replay.capacity", capacity,
					"must be positive");
		}
		if (properties.replay().store() == SecureAgentProperties.Store.REDIS) {
			RedisReplayStoreFactory factory = redis.getIfAvailable();
			if (factory == null) {
				throw new InvalidConfigurationPropertyValueException("secure-agent.replay.store", "redis",
						"needs io.lettuce:lettuce-core on the classpath");
			}
			return factory.create(properties, secureAgentClock);
		}
		return new InMemoryReplayStore(capacity, senderShare(properties), secureAgentClock);
	}

	static int senderShare(SecureAgentProperties properties) {
		int share = properties.replay().senderShare();
		if (share <= 0) {
			throw new InvalidConfigurationPropertyValueException("secure-agent.replay.capacity-per-sender", share,
					"must be positive");
		}
		return share;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RedisClient.class)
	static class RedisReplayStoreConfiguration {

		@Bean(destroyMethod = "close")
		RedisReplayStoreFactory secureAgentRedisReplayStoreFactory(
				ObjectProvider<RedisReplayStoreFactory.RedisEndpoint> bootRedis) {
			return new RedisReplayStoreFactory(bootRedis.getIfAvailable());
		}

	}

	/**
	 * Observations of the endpoint's messages and the client's calls, where Micrometer's
	 * Observation API is present.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
	static class ObservationConfiguration {

		@Bean
		@ConditionalOnMissingBean(MessageObservations.class)
		@ConditionalOnBean(ObservationRegistry.class)
		MessageObservations secureAgentMessageObservations(ObservationRegistry registry) {
			return new MicrometerMessageObservations(registry);
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

	@Bean
	@ConditionalOnMissingBean
	SessionStore secureAgentSessionStore(SecureAgentProperties properties, Clock secureAgentClock,
			ObjectProvider<RedisReplayStoreFactory> redis) {
		int capacity = properties.encryption().sessionCapacity();
		if (capacity <= 0) {
			throw new InvalidConfigurationPropertyValueException("secure-agent.encryption.session-capacity", capacity,
					"must be positive");
		}
		int perPeer = properties.encryption().sessionsPerPeer();
		if (perPeer <= 0) {
			throw new InvalidConfigurationPropertyValueException("secure-agent.encryption.sessions-per-peer", perPeer,
					"must be positive");
		}
		if (properties.encryption().sessionStore() == SecureAgentProperties.Store.REDIS) {
			RedisReplayStoreFactory factory = redis.getIfAvailable();
			if (factory == null) {
				throw new InvalidConfigurationPropertyValueException("secure-agent.encryption.session-store", "redis",
						"needs io.lettuce:lettuce-core on the classpath");
			}
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

	@Bean
	@ConditionalOnMissingBean
	EnvelopeSigner secureAgentEnvelopeSigner(AgentIdentity identity, SecureAgentProperties properties,
			Clock secureAgentClock) {
		SecureAgentProperties.Replay replay = properties.replay();
		if (replay.messageLifetime().compareTo(replay.maxLifetime()) > 0) {
			// receivers configured as this agent refuse every message it signs
			throw new InvalidConfigurationPropertyValueException("secure-agent.replay.message-lifetime",
					replay.messageLifetime(), "must not exceed secure-agent.replay.max-lifetime ("
							+ replay.maxLifetime() + "), or every message is refused invalid-lifetime");
		}
		return new EnvelopeSigner(identity, secureAgentClock, replay.messageLifetime());
	}

	@Bean
	@ConditionalOnMissingBean
	VerificationPolicy secureAgentVerificationPolicy(SecureAgentProperties properties) {
		SecureAgentProperties.Replay replay = properties.replay();
		SecureAgentProperties.Limits limits = properties.limits();
		try {
			JsonLimits jsonLimits = new JsonLimits(Math.toIntExact(limits.maxMessageSize().toBytes()),
					limits.maxDepth(), limits.maxStringLength(), limits.maxMembers());
			return new VerificationPolicy(replay.clockSkew(), replay.freshnessWindow(), replay.maxLifetime(),
					VerificationPolicy.DEFAULT.allowedAlgorithms(), jsonLimits,
					VerificationPolicy.DEFAULT.chainCacheSize(),
					properties.encryption().mode() == SecureAgentProperties.Mode.REQUIRED);
		}
		catch (IllegalArgumentException | ArithmeticException ex) {
			throw new InvalidConfigurationPropertyValueException("secure-agent.limits", limits,
					"limits and durations must be positive: " + ex.getMessage());
		}
	}

	@Bean
	@ConditionalOnMissingBean
	SessionManager secureAgentSessionManager(AgentIdentity identity, EnvelopeSigner signer, SessionStore sessionStore,
			SecureAgentProperties properties, VerificationPolicy policy, Clock secureAgentClock) {
		SecureAgentProperties.Encryption encryption = properties.encryption();
		SessionLimits limits;
		try {
			limits = new SessionLimits(encryption.sessionMaxAge(), encryption.sessionMaxMessages(),
					SessionLimits.DEFAULT.rekeyAt(), encryption.replayWindow(),
					SessionLimits.DEFAULT.handshakeTimeout());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("secure-agent.encryption", encryption,
					ex.getMessage());
		}
		if (encryption.suites().isEmpty()) {
			throw new InvalidConfigurationPropertyValueException("secure-agent.encryption.suites", encryption.suites(),
					"must name at least one suite");
		}
		return new SessionManager(identity, signer, sessionStore, limits, encryption.suites(),
				new StrictJsonParser(policy.jsonLimits()), secureAgentClock);
	}

	@Bean
	@ConditionalOnMissingBean
	MessageTypes secureAgentMessageTypes() {
		return new MessageTypes();
	}

	@Bean
	@ConditionalOnMissingBean
	RecordPayloadBinder secureAgentPayloadBinder(MessageTypes types, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<Validator> validator) {
		return new RecordPayloadBinder(types, jsonMapper.getIfAvailable(JsonMapper::new),
				validator.getIfAvailable(() -> Validation.buildDefaultValidatorFactory().getValidator()));
	}

	@Bean
	@ConditionalOnMissingBean
	AuthorizationPolicy secureAgentAuthorizationPolicy(SecureAgentProperties properties) {
		// the rules alone: the peers this agent dials gain nothing on its endpoint, their
		// answers are authorized by the exchange in the response pipeline
		return senderRules(properties);
	}

	static SenderRules senderRules(SecureAgentProperties properties) {
		List<SenderRules.Rule> rules = new ArrayList<>();
		for (int i = 0; i < properties.authorization().size(); i++) {
			SecureAgentProperties.Rule rule = properties.authorization().get(i);
			try {
				rules.add(
						new SenderRules.Rule(rule.senders(), Set.copyOf(rule.types()), Set.copyOf(rule.authorities())));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException("secure-agent.authorization[" + i + "].senders",
						rule.senders(), ex.getMessage());
			}
		}
		return new SenderRules(rules);
	}

	static Map<String, SecureAgentClient.Peer> peers(SecureAgentProperties properties) {
		Map<String, SecureAgentClient.Peer> peers = new LinkedHashMap<>();
		properties.peers().forEach((name, peer) -> {
			if (peer.spiffeId() == null || peer.url() == null) {
				throw new InvalidConfigurationPropertyValueException("secure-agent.peers." + name, peer,
						"needs both spiffe-id and url");
			}
			peers.put(name, new SecureAgentClient.Peer(
					parse("secure-agent.peers." + name + ".spiffe-id", peer.spiffeId(), SpiffeId::parse), peer.url()));
		});
		return peers;
	}

	@Bean
	@ConditionalOnMissingBean
	VerificationPipeline secureAgentVerificationPipeline(AgentIdentity identity, ReplayStore replayStore,
			VerificationPolicy policy, SessionManager sessions, AuthorizationPolicy authorization,
			RecordPayloadBinder binder, SecureAgentProperties properties, MessageTypes types,
			ObjectProvider<AgentMessageHandlers> handlers, Clock secureAgentClock) {
		Map<String, Instant> sunsets = new LinkedHashMap<>();
		deprecations(properties).forEach((type, deprecation) -> sunsets.put(type, deprecation.sunset()));
		return VerificationPipeline.builder(identity, replayStore, secureAgentClock)
			.policy(policy)
			.sessions(sessions)
			.authorization(authorization)
			.sunsets(sunsets, () -> {
				AgentMessageHandlers available = handlers.getIfAvailable();
				return (available != null) ? available.handledTypes() : types.all().keySet();
			})
			.handledTypes((type) -> {
				// without an endpoint, this agent takes no requests but handshakes
				AgentMessageHandlers available = handlers.getIfAvailable();
				return available != null && available.handles(type);
			})
			.payloadBinder(binder)
			.build();
	}

	static Map<String, CapabilityPublisher.Deprecation> deprecations(SecureAgentProperties properties) {
		Map<String, CapabilityPublisher.Deprecation> deprecations = new LinkedHashMap<>();
		for (int i = 0; i < properties.deprecations().size(); i++) {
			SecureAgentProperties.Deprecation deprecation = properties.deprecations().get(i);
			String key = "secure-agent.deprecations[" + i + "]";
			if (deprecation.type() == null || deprecation.since() == null || deprecation.sunset() == null) {
				throw new InvalidConfigurationPropertyValueException(key, deprecation, "needs type, since and sunset");
			}
			if (!deprecation.since().isBefore(deprecation.sunset())) {
				throw new InvalidConfigurationPropertyValueException(key + ".sunset", deprecation.sunset(),
						"must be after since");
			}
			deprecations.put(deprecation.type(),
					new CapabilityPublisher.Deprecation(deprecation.since(), deprecation.sunset()));
		}
		return deprecations;
	}

	@Bean
	@ConditionalOnMissingBean
	MessageVerifier secureAgentMessageVerifier(VerificationPipeline pipeline, AgentIdentity identity,
			VerificationPolicy policy, SessionManager sessions, RecordPayloadBinder binder,
			SecureAgentProperties properties, ApplicationEventPublisher events, Clock secureAgentClock) {
		// answers are reserved in a store of their own, in memory: an answer is received
		// by the replica that sent its request, and must never use up the room kept for
		// requests
		int capacity = properties.replay().capacity();
		VerificationPipeline responses = VerificationPipeline
			.responseBuilder(identity, new InMemoryReplayStore(capacity, capacity, secureAgentClock), secureAgentClock)
			.policy(policy)
			.sessions(sessions)
			.payloadBinder(binder)
			.build();
		return new MessageVerifier(pipeline, responses, events);
	}

	private static <T> T parse(String key, String value, Function<String, T> parser) {
		try {
			return parser.apply(value);
		}
		catch (RuntimeException ex) {
			throw new InvalidConfigurationPropertyValueException(key, value, ex.getMessage());
		}
	}

}
