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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.observation.ObservationRegistry;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.crypto.CryptoProvider;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.messaging.MessageObservations;
import io.secureagent.messaging.MessageTypes;
import io.secureagent.messaging.MessageVerifier;
import io.secureagent.messaging.RecordPayloadBinder;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.replay.ReplayStore;
import io.secureagent.session.SessionLimits;
import io.secureagent.session.SessionManager;
import io.secureagent.session.SessionStore;
import io.secureagent.verification.AuthorizationPolicy;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import io.secureagent.web.AgentMessageHandlers;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.function.SingletonSupplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * The protocol: the clock, the signer, the policy, sessions, message types and binding,
 * authorization and the two pipelines. Every bean backs off when the application defines
 * its own.
 *
 * @author secure-agent authors
 */
@Configuration(proxyBeanMethods = false)
class ProtocolConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "secureAgentClock")
	Clock secureAgentClock() {
		return Clock.systemUTC();
	}

	@Bean
	ResolvedProperties secureAgentResolvedProperties(SecureAgentProperties properties) {
		return new ResolvedProperties(properties);
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

	/**
	 * The provider that computes this agent's signatures, said once at startup, with the
	 * reason where AWS-LC is on the class path but cannot be used. The context fails to
	 * start when {@value CryptoProvider#PROPERTY} asks for a provider that cannot be
	 * used.
	 * @return the provider
	 */
	@Bean
	CryptoProvider secureAgentCryptoProvider() {
		CryptoProvider active = CryptoProvider.active();
		Log logger = LogFactory.getLog(ProtocolConfiguration.class);
		String setting = System.getProperty(CryptoProvider.PROPERTY, "auto").strip();
		if (active == CryptoProvider.AWS_LC) {
			logger.info("secure-agent computes ES256 and EdDSA signatures with AWS-LC");
		}
		else if (setting.equalsIgnoreCase(CryptoProvider.BOUNCY_CASTLE.id())) {
			logger.info("secure-agent computes signatures with Bouncy Castle, as " + CryptoProvider.PROPERTY + " asks");
		}
		else if (CryptoProvider.AWS_LC.onClassPath()) {
			logger.warn("secure-agent computes signatures with Bouncy Castle, because AWS-LC cannot be used: "
					+ CryptoProvider.AWS_LC.unavailableReason().orElse("unknown"));
		}
		else {
			logger.info("secure-agent computes signatures with Bouncy Castle");
		}
		return active;
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
	AuthorizationPolicy secureAgentAuthorizationPolicy(ResolvedProperties resolved) {
		// the rules alone: the peers this agent dials gain nothing on its endpoint, their
		// answers are authorized by the exchange in the response pipeline
		return resolved.senderRules();
	}

	@Bean
	@ConditionalOnMissingBean
	VerificationPipeline secureAgentVerificationPipeline(AgentIdentity identity, ReplayStore replayStore,
			VerificationPolicy policy, SessionManager sessions, AuthorizationPolicy authorization,
			RecordPayloadBinder binder, ResolvedProperties resolved, MessageTypes types,
			ObjectProvider<AgentMessageHandlers> handlers, Clock secureAgentClock) {
		Map<String, Instant> sunsets = new LinkedHashMap<>();
		resolved.deprecations().forEach((type, deprecation) -> sunsets.put(type, deprecation.sunset()));
		// looked up once it exists, not per message: a bean factory look-up costs more
		// than the check it serves
		SingletonSupplier<AgentMessageHandlers> endpoint = SingletonSupplier.of(handlers::getIfAvailable);
		return VerificationPipeline.builder(identity, replayStore, secureAgentClock)
			.policy(policy)
			.sessions(sessions)
			.authorization(authorization)
			.sunsets(sunsets, () -> {
				AgentMessageHandlers available = endpoint.get();
				return (available != null) ? available.handledTypes() : types.all().keySet();
			})
			.handledTypes((type) -> {
				// without an endpoint, this agent takes no requests but handshakes
				AgentMessageHandlers available = endpoint.get();
				return available != null && available.handles(type);
			})
			.payloadBinder(binder)
			.build();
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

}
