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

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import io.secureagent.client.SecureAgentClient;
import io.secureagent.crypto.CryptoProvider;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.messaging.MessageVerifier;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.replay.RedisReplayStore;
import io.secureagent.replay.ReplayStore;
import io.secureagent.replay.ReplayStoreUnavailableException;
import io.secureagent.security.SecureAgentSecurityCustomizer;
import io.secureagent.session.SessionManager;
import io.secureagent.testsupport.RedisCluster;
import io.secureagent.testsupport.RedisServer;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.web.AgentMessageEndpoint;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the secure-agent auto-configurations.
 *
 * @author secure-agent authors
 */
class SecureAgentAutoConfigurationTests {

	@TempDir
	Path caDirectory;

	private ReactiveWebApplicationContextRunner runner() {
		return new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SecureAgentAutoConfiguration.class,
					SecureAgentWebFluxAutoConfiguration.class, JacksonAutoConfiguration.class,
					ValidationAutoConfiguration.class, WebFluxAutoConfiguration.class, WebClientAutoConfiguration.class,
					ReactiveWebSecurityAutoConfiguration.class))
			.withPropertyValues("secure-agent.identity.dev.ca-directory=" + this.caDirectory,
					"spring.application.name=tester");
	}

	@Test
	void defaultsWhenNothingConfiguredThenDevIdentityAndEveryBean() {
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(AgentIdentity.class).spiffeId())
				.isEqualTo(SpiffeId.parse("spiffe://example.org/tester"));
			assertThat(context).hasSingleBean(ReplayStore.class)
				.hasSingleBean(SessionManager.class)
				.hasSingleBean(EnvelopeSigner.class)
				.hasSingleBean(VerificationPipeline.class)
				.hasSingleBean(MessageVerifier.class)
				.hasSingleBean(AgentMessageEndpoint.class)
				.hasSingleBean(SecureAgentSecurityCustomizer.class)
				.hasSingleBean(SecureAgentClient.class)
				.hasSingleBean(SecurityWebFilterChain.class);
			assertThat(context.getBean(VerificationPipeline.class).checks()).extracting((check) -> check.name())
				.containsExactly("parse", "structure", "freshness", "recipient", "chain", "signature",
						"transport-binding", "authorization", "direction", "sunset", "session", "decrypt", "handshake",
						"schema", "replay");
		});
	}

	@Test
	void identityWhenUserDefinesOneThenAutoConfiguredBacksOff() throws Exception {
		DevCertificateAuthority ca = DevCertificateAuthority.create(TrustDomain.parse("own.test"), Clock.systemUTC());
		StaticIdentity own = new StaticIdentity(ca.issue(SpiffeId.parse("spiffe://own.test/me"), KeyType.ED25519),
				X509BundleSet.of(List.of(ca.bundle())));
		runner().withBean(AgentIdentity.class, () -> own).run((context) -> {
			assertThat(context).hasSingleBean(AgentIdentity.class);
			assertThat(context.getBean(AgentIdentity.class)).isSameAs(own);
		});
	}

	@Test
	void replayStoreWhenUserDefinesOneThenAutoConfiguredBacksOff() {
		InMemoryReplayStore own = new InMemoryReplayStore(7, Clock.systemUTC());
		runner().withBean(ReplayStore.class, () -> own)
			.run((context) -> assertThat(context.getBean(ReplayStore.class)).isSameAs(own));
	}

	@Test
	void replayStoreWhenRedisConfiguredThenRedisStoreSharedByReplicas() throws Exception {
		try (RedisServer redis = RedisServer.start()) {
			ReactiveWebApplicationContextRunner replica = runner().withPropertyValues("secure-agent.replay.store=redis",
					"secure-agent.replay.redis.url=" + redis.uri(), "secure-agent.replay.clock-skew=100ms");
			replica.run((first) -> replica.run((second) -> {
				assertThat(first.getBean(ReplayStore.class)).isInstanceOf(RedisReplayStore.class);
				// issued after the store's state began (plus the skew): no quarantine
				Thread.sleep(200);
				ReplayStore.Entry entry = new ReplayStore.Entry("spiffe://example.org/a", "id-1",
						Instant.now().toEpochMilli(), Instant.now().plusSeconds(60), null);
				assertThat(first.getBean(ReplayStore.class).reserve(entry)).isEqualTo(ReplayStore.Reservation.RESERVED);
				assertThat(second.getBean(ReplayStore.class).reserve(entry))
					.isEqualTo(ReplayStore.Reservation.DUPLICATE);
			}));
		}
	}

	@Test
	void clientRetriesWhenOutOfRangeThenStartupFailsNamingTheKey() {
		runner().withPropertyValues("secure-agent.client.retries=11")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("secure-agent.client.retries"));
	}

	@Test
	void cryptoProviderWhenAutoWhereAwsLcIsNotOnTheClassPathThenBouncyCastleIsUsed() {
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			// this module's tests run without the Amazon Corretto Crypto Provider
			assertThat(CryptoProvider.AWS_LC.onClassPath()).isFalse();
			assertThat(context.getBean(CryptoProvider.class)).isEqualTo(CryptoProvider.BOUNCY_CASTLE);
			assertThat(context.getBean(EnvelopeSigner.class)).isNotNull();
		});
	}

	@Test
	void messageLifetimeWhenLongerThanTheLongestAcceptedThenStartupFailsNamingTheKey() {
		runner().withPropertyValues("secure-agent.replay.message-lifetime=10m")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("secure-agent.replay.message-lifetime")
				.hasMessageContaining("secure-agent.replay.max-lifetime"));
	}

	@Test
	void replayStoreWhenRedisClusterNodesConfiguredThenStoreOnTheCluster(@TempDir Path directory) throws Exception {
		try (RedisCluster cluster = RedisCluster.start(directory)) {
			runner()
				.withPropertyValues("secure-agent.replay.store=redis", "secure-agent.replay.clock-skew=100ms",
						"secure-agent.replay.redis.cluster-nodes=" + String.join(",", cluster.uris()))
				.run((context) -> {
					ReplayStore store = context.getBean(ReplayStore.class);
					assertThat(store.health()).isNull();
					Thread.sleep(200);
					ReplayStore.Entry entry = new ReplayStore.Entry("spiffe://example.org/a", "id-1",
							Instant.now().toEpochMilli(), Instant.now().plusSeconds(60), null);
					assertThat(store.reserve(entry)).isEqualTo(ReplayStore.Reservation.RESERVED);
					assertThat(store.reserve(entry)).isEqualTo(ReplayStore.Reservation.DUPLICATE);
				});
		}
	}

	@Test
	void replayStoreWhenRedisUnreachableAndFailFastThenStartupFails() {
		runner()
			.withPropertyValues("secure-agent.replay.store=redis", "secure-agent.replay.redis.url=redis://127.0.0.1:1",
					"secure-agent.replay.redis.timeout=200ms")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(RedisStoreStartupException.class)
				.hasMessageContaining("127.0.0.1:1")
				.hasMessageContaining("Redis cannot be reached"));
	}

	@Test
	void replayStoreWhenRedisUnreachableThenStartsRefusingAndWhenMisconfiguredThenStartupFails() {
		// Redis down at start, fail-fast off: the application starts, reports the
		// store DOWN, and refuses messages until Redis is reachable
		runner()
			.withPropertyValues("secure-agent.replay.store=redis", "secure-agent.replay.redis.url=redis://127.0.0.1:1",
					"secure-agent.replay.redis.timeout=200ms", "secure-agent.replay.redis.fail-fast=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ReplayStore store = context.getBean(ReplayStore.class);
				assertThat(store.health()).isEqualTo("Redis cannot be reached");
				assertThatExceptionOfType(ReplayStoreUnavailableException.class)
					.isThrownBy(() -> store.reserve("spiffe://example.org/a", "id", Instant.now().plusSeconds(60)));
			});
		runner()
			.withPropertyValues("secure-agent.encryption.session-store=redis",
					"secure-agent.encryption.key-encryption-keys[0].id=k1",
					"secure-agent.encryption.key-encryption-keys[0].secret="
							+ Base64.getEncoder().encodeToString(new byte[32]))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("secure-agent.replay.store=redis"));
		runner()
			.withPropertyValues("secure-agent.replay.store=redis", "secure-agent.replay.redis.url=redis://127.0.0.1:1",
					"secure-agent.encryption.session-store=redis")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("secure-agent.encryption.key-encryption-keys"));
		runner().withPropertyValues("secure-agent.replay.store=redis", "secure-agent.replay.redis.url=http://nope")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void securityChainWhenUserDefinesOneThenDefaultBacksOffAndCustomizerStillApplies() {
		runner().withUserConfiguration(UserSecurity.class).run((context) -> {
			assertThat(context).hasSingleBean(SecurityWebFilterChain.class);
			assertThat(context).hasBean("userChain").doesNotHaveBean("secureAgentSecurityWebFilterChain");
			assertThat(context).hasSingleBean(SecureAgentSecurityCustomizer.class);
		});
	}

	@Test
	void disabledWhenPropertyFalseThenNoBeans() {
		runner().withPropertyValues("secure-agent.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(AgentIdentity.class)
				.doesNotHaveBean(VerificationPipeline.class)
				.doesNotHaveBean(AgentMessageEndpoint.class)
				.doesNotHaveBean(SecureAgentClient.class);
		});
	}

	@Test
	void webSideWhenSpringSecurityMissingThenOnlyProtocolBeans() {
		runner().withClassLoader(new FilteredClassLoader(ServerHttpSecurity.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(VerificationPipeline.class)
				.doesNotHaveBean(AgentMessageEndpoint.class)
				.doesNotHaveBean(SecureAgentSecurityCustomizer.class);
		});
	}

	@Test
	void pemSourceWhenFilesMissingThenStartupFailsNamingTheKey() {
		runner().withPropertyValues("secure-agent.identity.source=pem").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("secure-agent.identity.pem.certificates");
		});
	}

	@Test
	void workloadApiSourceWhenNoSocketThenStartupFailsNamingTheKey() {
		runner().withPropertyValues("secure-agent.identity.source=workload-api").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("secure-agent.identity.workload-api.socket");
		});
	}

	@Test
	void badValuesWhenConfiguredThenStartupFailsNamingTheKey() {
		runner().withPropertyValues("secure-agent.replay.capacity=0")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("secure-agent.replay.capacity"));
		runner().withPropertyValues("secure-agent.identity.dev.spiffe-id=not-a-spiffe-id")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("secure-agent.identity.dev.spiffe-id"));
		runner().withPropertyValues("secure-agent.identity.dev.spiffe-id=spiffe://other.test/agent")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("must be in trust domain"));
		runner().withPropertyValues("secure-agent.authorization[0].senders=planner")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("secure-agent.authorization[0].senders"));
		runner().withPropertyValues("secure-agent.peers.x.url=http://127.0.0.1:1/")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("secure-agent.peers.x"));
		runner().withPropertyValues("secure-agent.encryption.replay-window=100")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("secure-agent.encryption"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserSecurity {

		@Bean
		SecurityWebFilterChain userChain(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll()).build();
		}

	}

}
