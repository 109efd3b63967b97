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

import io.micrometer.core.instrument.MeterRegistry;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.replay.ReplayStore;
import io.secureagent.session.SessionStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator support for secure-agent: a health indicator ({@code secureAgent}) and
 * Micrometer meters of every verdict.
 *
 * @author secure-agent authors
 */
@AutoConfiguration(after = SecureAgentAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBean(AgentIdentity.class)
public final class SecureAgentActuatorAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("secureagent")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "secureAgentHealthIndicator")
		SecureAgentHealthIndicator secureAgentHealthIndicator(AgentIdentity identity, ReplayStore replayStore,
				SessionStore sessionStore, Clock secureAgentClock) {
			return new SecureAgentHealthIndicator(identity, replayStore, sessionStore, secureAgentClock);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SecureAgentMetrics secureAgentMetrics(MeterRegistry registry, ResolvedProperties resolved) {
			return new SecureAgentMetrics(registry, resolved.deprecations().keySet());
		}

	}

}
