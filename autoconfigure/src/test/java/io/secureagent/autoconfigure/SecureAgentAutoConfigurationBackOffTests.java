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
import java.util.stream.Stream;

import io.lettuce.core.RedisClient;
import io.secureagent.client.SecureAgentClient;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.messaging.MessageTypes;
import io.secureagent.messaging.MessageVerifier;
import io.secureagent.messaging.RecordPayloadBinder;
import io.secureagent.problem.Problems;
import io.secureagent.replay.ReplayStore;
import io.secureagent.security.ProblemAuthenticationFailureHandler;
import io.secureagent.security.SecureAgentAuthenticationConverter;
import io.secureagent.security.SecureAgentSecurityCustomizer;
import io.secureagent.session.SessionManager;
import io.secureagent.session.SessionStore;
import io.secureagent.verification.AuthorizationPolicy;
import io.secureagent.verification.VerificationPolicy;
import io.secureagent.web.AgentMessageEndpoint;
import io.secureagent.web.CapabilityPublisher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The auto-configurations' structure, in Boot's style: every bean backs off when the
 * application defines its own, one identity configuration per source, the Redis stores
 * and the client only where their classes are, and Spring Security's own
 * {@code @EnableWebFluxSecurity} (Boot's) rather than a copy.
 *
 * @author secure-agent authors
 */
class SecureAgentAutoConfigurationBackOffTests {

	@TempDir
	static Path caDirectory;

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SecureAgentAutoConfiguration.class,
				SecureAgentWebFluxAutoConfiguration.class, JacksonAutoConfiguration.class,
				ValidationAutoConfiguration.class, WebFluxAutoConfiguration.class, WebClientAutoConfiguration.class,
				ReactiveWebSecurityAutoConfiguration.class))
		.withPropertyValues("secure-agent.identity.dev.ca-directory=" + caDirectory, "spring.application.name=tester");

	static Stream<Class<?>> beans() {
		return Stream.of(ReplayStore.class, SessionStore.class, EnvelopeSigner.class, MessageTypes.class,
				RecordPayloadBinder.class, AuthorizationPolicy.class, Problems.class, CapabilityPublisher.class,
				AgentMessageEndpoint.class, SecureAgentAuthenticationConverter.class,
				ProblemAuthenticationFailureHandler.class, SecureAgentSecurityCustomizer.class,
				SecureAgentClient.class);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("beans")
	<T> void beanWhenTheApplicationDefinesOneThenTheAutoConfiguredOneBacksOff(Class<T> type) {
		T own = mock(type);
		this.contextRunner.withBean("own", type, () -> own).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(type);
			assertThat(context.getBean(type)).isSameAs(own);
		});
	}

	@Test
	void verificationPolicyWhenTheApplicationDefinesOneThenTheAutoConfiguredOneBacksOff() {
		VerificationPolicy own = new VerificationPolicy(VerificationPolicy.DEFAULT.maxClockSkew(),
				VerificationPolicy.DEFAULT.freshnessWindow(), VerificationPolicy.DEFAULT.maxLifetime(),
				VerificationPolicy.DEFAULT.allowedAlgorithms(), VerificationPolicy.DEFAULT.jsonLimits(),
				VerificationPolicy.DEFAULT.chainCacheSize(), true);
		this.contextRunner.withBean(VerificationPolicy.class, () -> own)
			.run((context) -> assertThat(context.getBean(VerificationPolicy.class)).isSameAs(own));
	}

	@Test
	void clockWhenTheApplicationDefinesSecureAgentClockThenItIsUsed() {
		Clock own = Clock.systemUTC();
		this.contextRunner.withBean("secureAgentClock", Clock.class, () -> own)
			.run((context) -> assertThat(context.getBean("secureAgentClock")).isSameAs(own));
	}

	@Test
	void identitySourceWhenUnsetThenOnlyTheDevelopmentConfiguration() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(IdentityConfigurations.Dev.class)
			.doesNotHaveBean(IdentityConfigurations.Pem.class)
			.doesNotHaveBean(IdentityConfigurations.WorkloadApi.class));
	}

	@Test
	void identitySourceWhenWorkloadApiInAnyRelaxedFormThenTheWorkloadApiConfiguration() {
		for (String value : new String[] { "workload-api", "workload_api", "WORKLOAD_API" }) {
			this.contextRunner.withPropertyValues("secure-agent.identity.source=" + value)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("secure-agent.identity.workload-api.socket"));
		}
	}

	@Test
	void identitySourceWhenPemThenThePemConfiguration() {
		this.contextRunner.withPropertyValues("secure-agent.identity.source=pem")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("secure-agent.identity.pem.certificates"));
	}

	@Test
	void redisStoresWhenLettuceIsMissingThenInMemoryStoresAndNoFactory() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisClient.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RedisReplayStoreFactory.class)
				.hasSingleBean(ReplayStore.class)
				.hasSingleBean(SessionManager.class));
	}

	@Test
	void redisStoreWhenAskedForAndLettuceIsMissingThenStartupFailsNamingTheKey() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisClient.class))
			.withPropertyValues("secure-agent.replay.store=redis")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("secure-agent.replay.store")
				.hasMessageContaining("lettuce-core"));
	}

	@Test
	void clientWhenWebClientIsMissingThenNoClientButTheEndpoint() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebClient.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SecureAgentClient.class)
				.hasSingleBean(AgentMessageEndpoint.class)
				.hasSingleBean(MessageVerifier.class));
	}

	@Test
	void webSecurityWhenBootsAutoConfigurationRunsThenOneFilterChainProxyAndNoManagerBean() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(WebFilterChainProxy.class);
			// the endpoint's manager is no bean: a ReactiveAuthenticationManager bean
			// would become every chain's, in place of the application's users
			assertThat(context).doesNotHaveBean(ReactiveAuthenticationManager.class);
		});
	}

	@Test
	void propertiesWhenUsedByTheWebAndActuatorSideThenMappedOnce() {
		this.contextRunner
			.withPropertyValues("secure-agent.authorization[0].senders=spiffe://example.org/a",
					"secure-agent.authorization[0].types=task.request")
			.run((context) -> assertThat(context).hasSingleBean(ResolvedProperties.class));
	}

}
