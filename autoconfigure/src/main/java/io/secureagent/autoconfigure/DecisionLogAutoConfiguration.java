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
import java.util.List;

import io.secureagent.identity.AgentIdentity;
import io.secureagent.messaging.DecisionLogRecorder;
import io.secureagent.replay.ReplayStore;
import io.secureagent.trace.DecisionLog;
import io.secureagent.trace.ReplayConfiguration;
import io.secureagent.verification.VerificationPolicy;
import io.secureagent.web.AgentMessageHandlers;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Writes the agent's decisions to a {@link DecisionLog} when
 * {@code secure-agent.trace.enabled} is set.
 *
 * @author secure-agent authors
 */
@AutoConfiguration(after = { SecureAgentAutoConfiguration.class, SecureAgentWebFluxAutoConfiguration.class })
@ConditionalOnProperty(prefix = "secure-agent.trace", name = "enabled", havingValue = "true")
@ConditionalOnBean(AgentIdentity.class)
@EnableConfigurationProperties(DecisionLogProperties.class)
public final class DecisionLogAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DecisionLogRecorder secureAgentDecisionLog(DecisionLogProperties properties, AgentIdentity identity,
			VerificationPolicy policy, ReplayStore replayStore, ResolvedProperties resolved,
			ObjectProvider<AgentMessageHandlers> handlers, Clock secureAgentClock) {
		// settings out of range fail the start, not the first decision
		DecisionLog.Settings settings = new DecisionLog.Settings(properties.checkpointEvery(),
				properties.checkpointInterval(), properties.maxFileSize().toBytes(), properties.recordEnvelopes(),
				(int) Math.min(Integer.MAX_VALUE, properties.maxEnvelopeSize().toBytes()));
		return new DecisionLogRecorder(() -> {
			AgentMessageHandlers available = handlers.getIfAvailable();
			ReplayConfiguration configuration = new ReplayConfiguration(policy, resolved.senderRules().rules(),
					(available != null) ? available.handledTypes() : List.of(), replayStore.survivesRestarts());
			return new DecisionLog(properties.directory(), identity, secureAgentClock, settings,
					configuration.toJson());
		}, secureAgentClock);
	}

}
