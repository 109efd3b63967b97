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

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A startup that fails for want of the agent's identity reads as Boot's report: the cause
 * and the action, not a long stack trace.
 *
 * @author secure-agent authors
 */
@ExtendWith(OutputCaptureExtension.class)
class IdentityFailureAnalyzerTests {

	@Test
	void startWhenPemKeyIsMissingThenReportNamesTheCauseAndTheAction(@TempDir Path directory, CapturedOutput output)
			throws Exception {
		Path certificates = Files.writeString(directory.resolve("svid.pem"), "not a certificate");
		Path bundle = Files.writeString(directory.resolve("bundle.pem"), "not a bundle");
		assertThatException().isThrownBy(
				() -> new SpringApplicationBuilder(TestAgents.PlannerApp.class)
					.properties("server.port=0", "secure-agent.identity.source=pem",
							"secure-agent.identity.pem.certificates=" + certificates,
							"secure-agent.identity.pem.private-key=" + directory.resolve("missing.pem"),
							"secure-agent.trust-bundles.example.org=" + bundle)
					.run());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("secure-agent could not load this agent's SPIFFE identity: ")
			.contains("Action:")
			.contains("secure-agent.identity");
	}

}
