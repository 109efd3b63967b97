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

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.testsupport.GeneratedSections;
import io.secureagent.testsupport.TestPki;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check tables of {@code docs/protocol.md} and {@code docs/securing-endpoints.md} are
 * rendered from the two pipelines' {@link VerificationPipeline#checks()}, so the docs
 * cannot disagree with the code. Run the build with {@code UPDATE_DOCS=true} to rewrite
 * them.
 *
 * @author secure-agent authors
 */
class PipelineDocumentationTests {

	private static final String BEGIN = "<!-- generated from the pipelines' checks: do not edit -->";

	private final TestPki pki = new TestPki();

	private final StaticIdentity executor = this.pki.identity(TestPki.EXECUTOR, KeyType.EC_P256);

	@Test
	void checkTablesWhenRenderedFromThePipelinesThenMatchTheDocs() throws Exception {
		VerificationPipeline requests = VerificationPipeline
			.builder(this.executor, new InMemoryReplayStore(1, this.pki.clock), this.pki.clock)
			.build();
		VerificationPipeline answers = VerificationPipeline
			.responseBuilder(this.executor, new InMemoryReplayStore(1, this.pki.clock), this.pki.clock)
			.build();
		String expected = BEGIN + "\n\n" + table("Requests, verified by the endpoint", requests) + "\n"
				+ table("Answers, verified by the client", answers) + "\n" + GeneratedSections.END;
		for (String page : List.of("protocol.md", "securing-endpoints.md")) {
			GeneratedSections.assertGeneratedSection(Path.of("..", "docs", page), expected);
		}
	}

	private static String table(String title, VerificationPipeline pipeline) {
		StringBuilder table = new StringBuilder("**").append(title)
			.append("**\n\n| # | check | what it establishes | rejects with |\n|---|---|---|---|\n");
		int number = 1;
		for (Check check : pipeline.checks()) {
			table.append("| ")
				.append(number++)
				.append(" | `")
				.append(check.name())
				.append("` | ")
				.append(check.summary())
				.append(" | ")
				.append(check.reasons()
					.stream()
					.map((reason) -> "`" + reason.slug() + "`")
					.collect(Collectors.joining(", ")))
				.append(" |\n");
		}
		return table.toString();
	}

}
