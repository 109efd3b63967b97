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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.Svid;
import io.secureagent.identity.X509SourceIdentity;
import io.secureagent.test.AgentTestClient;
import io.secureagent.test.TestIdentities;
import io.secureagent.test.example.CountWords;
import io.secureagent.test.example.WordCount;
import io.secureagent.test.example.WordCountApplication;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The word counter with its identity from the SPIFFE Workload API, served in the test's
 * JVM over the real gRPC protocol on a unix socket: it answers agents of a federated
 * trust domain, and follows a rotation of its SVID without a restart.
 *
 * @author secure-agent authors
 */
@SpringBootTest(classes = { WordCountApplication.class, WorkloadApiIdentityTests.WorkloadApiConfiguration.class })
@DirtiesContext
class WorkloadApiIdentityTests {

	static final SpiffeId EXECUTOR = SpiffeId.parse("spiffe://example.org/executor");

	// tag::workload-api[]
	static final TestIdentities identities = new TestIdentities();

	static final WorkloadApiServer workloadApi = start();

	static WorkloadApiServer start() {
		try {
			// a.test is federated: its CA exists before the first SVID is served
			identities.authority(TrustDomain.parse("a.test"));
			Path socket = Files.createTempDirectory("workload-api").resolve("agent.sock");
			return WorkloadApiServer.start(socket, identities, EXECUTOR);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void workloadApi(DynamicPropertyRegistry registry) {
		registry.add("secure-agent.identity.source", () -> "workload-api");
		registry.add("secure-agent.identity.workload-api.socket", workloadApi::address);
	}
	// end::workload-api[]

	/**
	 * The server as a bean, made before the application's identity and so closed after
	 * it, when the context closes: the application never sees its Workload API vanish.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class WorkloadApiConfiguration {

		@Bean(destroyMethod = "close")
		WorkloadApiServer workloadApiServer() {
			return workloadApi;
		}

	}

	@Autowired
	ApplicationContext context;

	@Autowired
	AgentIdentity identity;

	@Test
	void sendWhenIdentityFromWorkloadApiThenAnsweredAndRotationFollowed() throws Exception {
		assertThat(this.identity).isInstanceOf(X509SourceIdentity.class);
		assertThat(this.identity.spiffeId()).isEqualTo(EXECUTOR);
		AgentTestClient agents = AgentTestClient.bindToApplicationContext(this.context, identities);
		assertThat(agents.as("spiffe://a.test/planner").send(new CountWords("one two"), WordCount.class).words())
			.isEqualTo(2);

		Svid rotated = workloadApi.rotate();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.identity.svid().leaf().equals(rotated.leaf()));
		assertThat(agents.as("spiffe://a.test/planner")
			.encrypted()
			.send(new CountWords("after the rotation"), WordCount.class)
			.words()).isEqualTo(3);
	}

}
