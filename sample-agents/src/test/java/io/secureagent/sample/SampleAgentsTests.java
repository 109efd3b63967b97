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
package io.secureagent.sample;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import io.secureagent.crypto.CryptoProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the sample end to end, as the README's first command does.
 *
 * @author secure-agent authors
 */
class SampleAgentsTests {

	@Test
	void runWhenAgentsTalkOverHttpThenExchangeSucceedsAndEveryAttackIsRejected() throws Exception {
		if ((System.getProperty("os.name").startsWith("Linux")
				&& List.of("amd64", "x86_64").contains(System.getProperty("os.arch")))
				|| "true".equals(System.getenv("CI"))) {
			// the sample has AWS-LC's provider for this platform, and CI runs on it: its
			// agents sign with it
			assertThat(CryptoProvider.active()).as(CryptoProvider.AWS_LC.unavailableReason().orElse(""))
				.isEqualTo(CryptoProvider.AWS_LC);
		}
		String provider = CryptoProvider.active().id();
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		boolean ok = new SampleAgents(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run();
		String transcript = buffer.toString(StandardCharsets.UTF_8);
		assertThat(ok).as(transcript).isTrue();
		assertThat(transcript).contains("signatures computed by " + provider)
			.contains("task.result TaskResult[tool=word-count, output=6")
			.contains("the relay forwarded")
			.contains("HTTP 409 replayed")
			.contains("HTTP 401 bad-signature")
			.contains("HTTP 401 sender-mismatch")
			.contains("HTTP 401 untrusted-chain")
			.contains("HTTP 401 wrong-recipient")
			.contains("HTTP 401 expired")
			.contains("HTTP 400 encryption-required")
			.contains("HTTP 400 unsupported-version")
			.contains("tampering relay")
			.contains("every step behaved as expected");
	}

	@Test
	void serveWhenStartedThenAPlannerInAnotherProcessCanSendItTasks(@TempDir Path ca) {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		SampleAgents server = new SampleAgents(new PrintStream(buffer, true, StandardCharsets.UTF_8));
		try {
			String endpoint = server.serve(0, 0, ca);
			SampleAgents client = new SampleAgents(new PrintStream(buffer, true, StandardCharsets.UTF_8));
			assertThat(client.send(endpoint, "count these four words", ca)).as(buffer.toString(StandardCharsets.UTF_8))
				.isTrue();
			assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("serving until stopped").contains("output=4");
		}
		finally {
			server.close();
		}
	}

}
