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

import java.time.Clock;
import java.time.Duration;

import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.verification.ReasonCode;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import io.spiffe.spiffeid.TrustDomain;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test identities of different trust domains verify each other's messages; those of other
 * {@link TestIdentities} do not.
 *
 * @author secure-agent authors
 */
class TestIdentitiesTests {

	private final TestIdentities identities = new TestIdentities();

	@Test
	void identityWhenOtherTrustDomainThenMessagesVerifyBothWays() throws Exception {
		AgentIdentity planner = this.identities.identity("spiffe://a.test/planner");
		AgentIdentity executor = this.identities.identity("spiffe://b.test/executor");
		assertThat(verify(planner, executor)).isInstanceOf(Verdict.Accepted.class);
		assertThat(verify(executor, planner)).isInstanceOf(Verdict.Accepted.class);
		assertThat(this.identities.trustDomains()).containsExactlyInAnyOrder(TrustDomain.parse("a.test"),
				TrustDomain.parse("b.test"));
	}

	@Test
	void identityWhenFromOtherTestIdentitiesThenUntrusted() throws Exception {
		AgentIdentity planner = new TestIdentities().identity("spiffe://a.test/planner");
		AgentIdentity executor = this.identities.identity("spiffe://b.test/executor");
		this.identities.authority(TrustDomain.parse("a.test"));
		Verdict verdict = verify(planner, executor);
		assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
		assertThat(((Verdict.Rejected) verdict).reason()).isEqualTo(ReasonCode.UNTRUSTED_CHAIN);
	}

	private static Verdict verify(AgentIdentity sender, AgentIdentity recipient) throws Exception {
		byte[] message = new EnvelopeSigner(sender, Clock.systemUTC(), Duration.ofMinutes(1))
			.sign("ping", recipient.spiffeId(), null, new JsonString("hello"))
			.bytes();
		VerificationPipeline pipeline = VerificationPipeline.standard(recipient,
				new InMemoryReplayStore(10, Clock.systemUTC()), VerificationPolicy.DEFAULT, Clock.systemUTC());
		return pipeline.verify(message);
	}

}
