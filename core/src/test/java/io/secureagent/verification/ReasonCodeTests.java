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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReasonCode}.
 *
 * @author secure-agent authors
 */
class ReasonCodeTests {

	@Test
	void slugsWhenListedThenUniqueLowerCaseAndDocumentedWithAnAnchor() throws Exception {
		String page = Files.readString(Path.of("..", "docs", "protocol.md"), StandardCharsets.UTF_8);
		Set<String> slugs = Arrays.stream(ReasonCode.values()).map(ReasonCode::slug).collect(Collectors.toSet());
		assertThat(slugs).hasSize(ReasonCode.values().length);
		for (ReasonCode code : ReasonCode.values()) {
			assertThat(code.slug()).matches("[a-z]+(-[a-z]+)*");
			assertThat(page).contains("### " + code.slug() + "\n\nHTTP " + code.httpStatus() + ".");
		}
	}

	@Test
	void statusWhenBadInputThen4xxAndWhenInfrastructureThen503() {
		for (ReasonCode code : ReasonCode.values()) {
			if (code.isInfrastructure()) {
				assertThat(code.httpStatus()).isEqualTo(503);
			}
			else {
				assertThat(code.httpStatus()).isBetween(400, 499);
			}
		}
	}

}
