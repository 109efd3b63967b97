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

import java.util.Locale;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.secureagent.client.SessionRecoveredEvent;
import io.secureagent.messaging.VerdictEvent;
import io.secureagent.verification.Verdict;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;

/**
 * Counts every verdict ({@code secure.agent.messages}, tagged with direction, outcome,
 * reason code and the check that decided) and times the pipeline
 * ({@code secure.agent.pipeline}, tagged with direction and outcome), and counts accepted
 * messages of deprecated types ({@code secure.agent.deprecated}, tagged with the type).
 *
 * @author secure-agent authors
 */
public final class SecureAgentMetrics implements ApplicationListener<ApplicationEvent> {

	private final MeterRegistry registry;

	private final Set<String> deprecatedTypes;

	/**
	 * Create the meters.
	 * @param registry the registry
	 * @param deprecatedTypes the deprecated message types, whose use is counted in
	 * {@code secure.agent.deprecated}
	 */
	public SecureAgentMetrics(MeterRegistry registry, Set<String> deprecatedTypes) {
		this.registry = registry;
		this.deprecatedTypes = Set.copyOf(deprecatedTypes);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof VerdictEvent verdict) {
			count(verdict);
		}
		else if (event instanceof SessionRecoveredEvent) {
			Counter.builder("secure.agent.session.recoveries")
				.description("Sealed requests sent again in a new session after the peer lost the old one")
				.register(this.registry)
				.increment();
		}
	}

	private void count(VerdictEvent event) {
		String direction = event.direction().name().toLowerCase(Locale.ROOT);
		String outcome;
		String reason;
		String check;
		outcome = event.outcome().name().toLowerCase(Locale.ROOT);
		if (event.verdict() instanceof Verdict.Rejected rejected) {
			reason = rejected.reason().slug();
			check = rejected.check();
		}
		else {
			reason = "none";
			check = "none";
			String type = ((Verdict.Accepted) event.verdict()).message().header().type();
			if (event.direction() == VerdictEvent.Direction.INBOUND && this.deprecatedTypes.contains(type)) {
				Counter.builder("secure.agent.deprecated")
					.description("Messages of deprecated types accepted before their sunset")
					.tag("type", type)
					.register(this.registry)
					.increment();
			}
		}
		Counter.builder("secure.agent.messages")
			.description("Messages verified, by outcome and reason code")
			.tag("direction", direction)
			.tag("outcome", outcome)
			.tag("reason", reason)
			.tag("check", check)
			.register(this.registry)
			.increment();
		Timer.builder("secure.agent.pipeline")
			.description("Time spent in the verification pipeline")
			.tag("direction", direction)
			.tag("outcome", outcome)
			.register(this.registry)
			.record(event.elapsed());
	}

}
