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
import java.time.Duration;
import java.time.Instant;

import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.IdentityUnavailableException;
import io.secureagent.identity.Svid;
import io.secureagent.replay.ReplayStore;
import io.secureagent.replay.ReplayStoreUnavailableException;
import io.secureagent.session.SessionStore;
import io.secureagent.session.SessionStoreUnavailableException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports whether this agent can take part in secure-agent/1 exchanges: its SVID is
 * loaded and not expired (with its SPIFFE ID and expiry), and the replay and session
 * stores answer (with their sizes). Down when the SVID is missing or expired, or the
 * replay store is unreachable: messages are then refused, so the agent is not ready.
 *
 * @author secure-agent authors
 */
public final class SecureAgentHealthIndicator implements HealthIndicator {

	private final AgentIdentity identity;

	private final ReplayStore replayStore;

	private final SessionStore sessionStore;

	private final Clock clock;

	public SecureAgentHealthIndicator(AgentIdentity identity, ReplayStore replayStore, SessionStore sessionStore,
			Clock clock) {
		this.identity = identity;
		this.replayStore = replayStore;
		this.sessionStore = sessionStore;
		this.clock = clock;
	}

	@Override
	public Health health() {
		Health.Builder health = Health.up();
		try {
			Svid svid = this.identity.svid();
			Instant notAfter = svid.leaf().getNotAfter().toInstant();
			Instant now = this.clock.instant();
			health.withDetail("spiffeId", svid.spiffeId().toString())
				.withDetail("svidExpiresAt", notAfter.toString())
				.withDetail("svidExpiresIn", Duration.between(now, notAfter).toString());
			if (!now.isBefore(notAfter)) {
				health.down().withDetail("identity", "SVID has expired");
			}
		}
		catch (IdentityUnavailableException ex) {
			health.down().withDetail("identity", "unavailable");
		}
		String problem = this.replayStore.health();
		if (problem != null) {
			health.down().withDetail("replayStore", problem);
		}
		try {
			health.withDetail("replayStoreEntries", this.replayStore.size());
		}
		catch (ReplayStoreUnavailableException ex) {
			health.down().withDetail("replayStore", "unavailable");
		}
		try {
			health.withDetail("sessions", this.sessionStore.size());
		}
		catch (SessionStoreUnavailableException ex) {
			health.down().withDetail("sessionStore", "unavailable");
		}
		return health.build();
	}

}
