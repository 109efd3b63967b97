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
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Actuator side: the {@code secureAgent} health indicator and the verdict meters,
 * each where its classes and beans are, each backing off.
 *
 * @author secure-agent authors
 */
class SecureAgentActuatorAutoConfigurationTests {

	@TempDir
	static Path caDirectory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(SecureAgentAutoConfiguration.class, SecureAgentActuatorAutoConfiguration.class))
		.withPropertyValues("secure-agent.identity.dev.ca-directory=" + caDirectory, "spring.application.name=tester");

	@Test
	void healthWhenActuatorPresentThenIndicatorReportsUp() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(SecureAgentHealthIndicator.class);
			assertThat(context.getBean(SecureAgentHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void healthWhenDisabledThenNoIndicator() {
		this.contextRunner.withPropertyValues("management.health.secureagent.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SecureAgentHealthIndicator.class));
	}

	@Test
	void healthWhenHealthClassesMissingThenNoIndicator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SecureAgentHealthIndicator.class));
	}

	@Test
	void healthWhenTheApplicationDefinesTheIndicatorThenOursBacksOff() {
		HealthIndicator own = () -> null;
		this.contextRunner.withBean("secureAgentHealthIndicator", HealthIndicator.class, () -> own)
			.run((context) -> assertThat(context.getBean("secureAgentHealthIndicator")).isSameAs(own));
	}

	@Test
	void metricsWhenAMeterRegistryThenMeters() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).hasSingleBean(SecureAgentMetrics.class));
	}

	@Test
	void metricsWhenNoMeterRegistryThenNoMeters() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SecureAgentMetrics.class));
	}

	@Test
	void metricsWhenTheApplicationDefinesThemThenOursBackOff() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean("own", SecureAgentMetrics.class,
					() -> new SecureAgentMetrics(new SimpleMeterRegistry(), Set.of()))
			.run((context) -> assertThat(context).hasSingleBean(SecureAgentMetrics.class).hasBean("own"));
	}

}
