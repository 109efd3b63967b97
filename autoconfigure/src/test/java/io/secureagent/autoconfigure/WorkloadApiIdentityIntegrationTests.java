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
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.secureagent.client.SecureAgentClient;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.X509SourceIdentity;
import io.secureagent.testsupport.WorkloadApiServer;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent whose identity comes from the SPIFFE Workload API, served over gRPC on a unix
 * socket inside the test, answering an agent with a development identity of the same
 * trust domain.
 *
 * @author secure-agent authors
 */
class WorkloadApiIdentityIntegrationTests {

	@TempDir
	Path directory;

	@Test
	void executorWhenIdentityFromWorkloadApiThenExchangeSucceeds() throws Exception {
		Path caDirectory = this.directory.resolve("ca");
		DevCertificateAuthority ca = DevCertificateAuthority.loadOrCreate(caDirectory, TrustDomain.parse("example.org"),
				Clock.systemUTC());
		try (WorkloadApiServer workloadApi = new WorkloadApiServer(this.directory.resolve("agent.sock"),
				ca.issue(SpiffeId.parse("spiffe://example.org/executor"), KeyType.EC_P256), List.of(ca.certificate()));
				ConfigurableApplicationContext executor = TestAgents.executor(caDirectory,
						"secure-agent.identity.source=workload-api",
						"secure-agent.identity.workload-api.socket=" + workloadApi.address(),
						"secure-agent.identity.workload-api.init-timeout=20s");
				ConfigurableApplicationContext planner = TestAgents.planner(caDirectory, TestAgents.port(executor))) {
			AgentIdentity identity = executor.getBean(AgentIdentity.class);
			assertThat(identity).isInstanceOf(X509SourceIdentity.class);
			assertThat(identity.spiffeId()).isEqualTo(SpiffeId.parse("spiffe://example.org/executor"));
			TaskResult result = planner.getBean(SecureAgentClient.class)
				.send("executor", new TaskRequest("word-count", "served by the workload api", 1), TaskResult.class)
				.block(Duration.ofSeconds(30));
			assertThat(result.words()).isEqualTo(5);
		}
	}

}
