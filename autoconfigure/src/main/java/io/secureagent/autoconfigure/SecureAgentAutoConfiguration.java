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

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the secure-agent protocol: this agent's identity (one
 * configuration per source), the replay and session stores, and the protocol's beans,
 * from the signer to the two pipelines. Every bean backs off when the application defines
 * its own.
 *
 * @author secure-agent authors
 */
@AutoConfiguration(after = { JacksonAutoConfiguration.class, ValidationAutoConfiguration.class },
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnProperty(prefix = "secure-agent", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(SecureAgentProperties.class)
@Import({ IdentityConfigurations.Dev.class, IdentityConfigurations.Pem.class, IdentityConfigurations.WorkloadApi.class,
		StoreConfiguration.class, ProtocolConfiguration.class })
public final class SecureAgentAutoConfiguration {

}
