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
package io.secureagent.verification;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.crypto.AeadSuite;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.SvidChainValidator;
import io.secureagent.replay.ReplayStore;
import io.secureagent.session.InMemorySessionStore;
import io.secureagent.session.SessionLimits;
import io.secureagent.session.SessionManager;

/**
 * The receiving side of secure-agent/1: an ordered list of named {@link Check checks}
 * that a message passes in turn until one rejects it. The list is data: it can be listed
 * ({@link #checks()}) and compared with the protocol's specification.
 * <p>
 * The replay reservation is always last, so a message that fails any other check leaves
 * no trace in the replay store.
 *
 * @author secure-agent authors
 */
public final class VerificationPipeline {

	private final List<Check> checks;

	private final Clock clock;

	/**
	 * Create a pipeline from checks.
	 * @param checks the checks in order; names must be unique
	 * @param clock the clock read once per message
	 */
	public VerificationPipeline(List<Check> checks, Clock clock) {
		this.checks = List.copyOf(checks);
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
		Set<String> names = new HashSet<>();
		for (Check check : this.checks) {
			if (!names.add(check.name())) {
				throw new IllegalArgumentException("duplicate check name " + check.name());
			}
		}
	}

	/**
	 * Create the standard secure-agent/1 pipeline with sessions kept in memory: parse,
	 * structure, freshness, recipient, chain, signature, session, decrypt, handshake,
	 * replay.
	 * @param identity this agent's identity and trust bundles
	 * @param replayStore the replay store
	 * @param policy the rules
	 * @param clock the clock
	 * @return the pipeline
	 */
	public static VerificationPipeline standard(AgentIdentity identity, ReplayStore replayStore,
			VerificationPolicy policy, Clock clock) {
		return standard(identity, replayStore, policy, clock, defaultSessions(identity, policy, clock));
	}

	/**
	 * Create the standard secure-agent/1 pipeline.
	 * @param identity this agent's identity and trust bundles
	 * @param replayStore the replay store
	 * @param policy the rules
	 * @param clock the clock
	 * @param sessions the sessions of this agent
	 * @return the pipeline
	 */
	public static VerificationPipeline standard(AgentIdentity identity, ReplayStore replayStore,
			VerificationPolicy policy, Clock clock, SessionManager sessions) {
		return new VerificationPipeline(standardChecks(identity, replayStore, policy, sessions), clock);
	}

	/**
	 * Create the session manager that
	 * {@link #standard(AgentIdentity, ReplayStore, VerificationPolicy, Clock)} uses:
	 * default limits, both suites (AES-256-GCM first), an in-memory store of 10,000
	 * sessions.
	 * @param identity this agent's identity
	 * @param policy the rules, whose JSON limits apply to decrypted payloads
	 * @param clock the clock
	 * @return the session manager
	 */
	public static SessionManager defaultSessions(AgentIdentity identity, VerificationPolicy policy, Clock clock) {
		return new SessionManager(identity, new EnvelopeSigner(identity, clock, Duration.ofMinutes(1)),
				new InMemorySessionStore(10_000, clock), SessionLimits.DEFAULT, List.of(AeadSuite.values()),
				new StrictJsonParser(policy.jsonLimits()), clock);
	}

	/**
	 * Return the standard checks, for callers that insert their own between them.
	 * @param identity this agent's identity and trust bundles
	 * @param replayStore the replay store
	 * @param policy the rules
	 * @param sessions the sessions of this agent
	 * @return the checks, in order
	 */
	public static List<Check> standardChecks(AgentIdentity identity, ReplayStore replayStore, VerificationPolicy policy,
			SessionManager sessions) {
		List<Check> checks = new ArrayList<>();
		checks.add(new StandardChecks.Parse(new StrictJsonParser(policy.jsonLimits()),
				policy.jsonLimits().maxDocumentBytes()));
		checks.add(new StandardChecks.Structure());
		checks.add(new StandardChecks.Freshness(policy));
		checks.add(new StandardChecks.Recipient(identity));
		checks.add(new StandardChecks.Chain(new SvidChainValidator(identity.trustBundles(), policy.chainCacheSize())));
		checks.add(new StandardChecks.Signature(policy.allowedAlgorithms()));
		checks.addAll(sessions.checks(policy.encryptionRequired()));
		checks.add(new StandardChecks.Replay(replayStore, policy));
		return checks;
	}

	/**
	 * Return the checks, in the order they run.
	 * @return the checks
	 */
	public List<Check> checks() {
		return this.checks;
	}

	/**
	 * Verify one message.
	 * @param message the message bytes as received
	 * @return the verdict
	 */
	public Verdict verify(byte[] message) {
		VerificationContext context = new VerificationContext(message, this.clock.millis());
		for (Check check : this.checks) {
			try {
				check.apply(context);
			}
			catch (CheckFailedException ex) {
				return new Verdict.Rejected(check.name(), ex.reason(), String.valueOf(ex.getMessage()));
			}
		}
		for (Check check : this.checks) {
			check.commit(context);
		}
		return new Verdict.Accepted(new VerifiedMessage(context.envelope().header(), context.payload(),
				context.sender(), context.envelope(), context.session(), context.established()));
	}

}
