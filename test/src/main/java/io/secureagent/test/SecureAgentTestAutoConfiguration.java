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
package io.secureagent.test;

import io.secureagent.autoconfigure.SecureAgentAutoConfiguration;
import io.secureagent.identity.AgentIdentity;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * What {@link AutoConfigureSecureAgentTest @AutoConfigureSecureAgentTest} adds: test
 * identities, the application's identity from them, and an {@link AgentTestClient}. Runs
 * before the starter's auto-configuration, whose identity then backs off.
 *
 * @author secure-agent authors
 */
@AutoConfiguration(before = SecureAgentAutoConfiguration.class)
public final class SecureAgentTestAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TestIdentities secureAgentTestIdentities() {
		return new TestIdentities();
	}

	@Bean
	@ConditionalOnMissingBean
	AgentIdentity secureAgentTestIdentity(TestIdentities identities, Environment environment) {
		String spiffeId = environment.getProperty("secure-agent.test.spiffe-id");
		if (!StringUtils.hasText(spiffeId)) {
			String name = environment.getProperty("spring.application.name", "agent");
			spiffeId = "spiffe://example.test/" + name.replaceAll("[^A-Za-z0-9._-]", "-");
		}
		LogFactory.getLog(SecureAgentTestAutoConfiguration.class)
			.debug("secure-agent under test as " + spiffeId + ", with a test identity");
		return identities.identity(spiffeId);
	}

	@Bean
	@Lazy
	@ConditionalOnMissingBean
	AgentTestClient secureAgentTestClient(ApplicationContext context) {
		return AgentTestClient.bindToApplicationContext(context);
	}

}
