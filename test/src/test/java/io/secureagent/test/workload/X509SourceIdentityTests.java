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
package io.secureagent.test.workload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.IdentityUnavailableException;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.Svid;
import io.secureagent.identity.X509SourceIdentity;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.testsupport.TestPki;
import io.secureagent.verification.ReasonCode;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An identity loaded over the real SPIFFE Workload API protocol (gRPC on a unix socket).
 *
 * @author secure-agent authors
 */
class X509SourceIdentityTests {

	private final TestPki pki = new TestPki();

	@Test
	void connectWhenWorkloadApiServesSvidThenSignedMessagesVerify(@TempDir Path dir) throws Exception {
		Svid issued = this.pki.a.issue(TestPki.PLANNER, KeyType.EC_P256);
		try (WorkloadApiServer server = new WorkloadApiServer(dir.resolve("agent.sock"), issued,
				List.of(this.pki.a.certificate()));
				X509SourceIdentity planner = X509SourceIdentity.connect(server.address(), Duration.ofSeconds(20))) {
			assertThat(planner.spiffeId()).isEqualTo(TestPki.PLANNER);
			assertThat(planner.svid().leaf()).isEqualTo(issued.leaf());
			// the source's SVID is adapted once, not per message
			assertThat(planner.svid()).isSameAs(planner.svid());
			assertThat(planner.trustBundles().getBundleForTrustDomain(this.pki.a.trustDomain()).getX509Authorities())
				.containsExactly(this.pki.a.certificate());
			VerificationPipeline executor = VerificationPipeline.standard(
					this.pki.identity(TestPki.EXECUTOR, KeyType.EC_P256), new InMemoryReplayStore(100, this.pki.clock),
					VerificationPolicy.DEFAULT, this.pki.clock);
			EnvelopeSigner signer = new EnvelopeSigner(planner, this.pki.clock, Duration.ofMinutes(1));
			byte[] message = signer.sign("task.request", TestPki.EXECUTOR, null, new JsonString("hello")).bytes();
			assertThat(executor.verify(message)).isInstanceOf(Verdict.Accepted.class);

			// the agent pushes a rotated SVID: the next message is signed with it and
			// verifies
			Svid rotated = this.pki.a.issue(TestPki.PLANNER, KeyType.EC_P256);
			server.rotate(rotated, List.of(this.pki.a.certificate()));
			await().atMost(Duration.ofSeconds(10)).until(() -> planner.svid().leaf().equals(rotated.leaf()));
			byte[] afterRotation = signer.sign("task.request", TestPki.EXECUTOR, null, new JsonString("again")).bytes();
			assertThat(new String(afterRotation)).contains(TestPki.base64(rotated.leaf()));
			assertThat(executor.verify(afterRotation)).isInstanceOf(Verdict.Accepted.class);
			assertThat(((Verdict.Rejected) executor.verify(message)).reason()).isEqualTo(ReasonCode.REPLAYED);
		}
	}

	@Test
	void connectWhenNoWorkloadApiThenUnavailableAfterTimeout(@TempDir Path dir) {
		assertThatExceptionOfType(IdentityUnavailableException.class).isThrownBy(
				() -> X509SourceIdentity.connect("unix:" + dir.resolve("missing.sock"), Duration.ofMillis(500)));
	}

	@Test
	void connectWhenAddressInvalidThenUnavailable() {
		assertThatExceptionOfType(IdentityUnavailableException.class)
			.isThrownBy(() -> X509SourceIdentity.connect("http://not-a-socket", Duration.ofMillis(500)));
	}

}
