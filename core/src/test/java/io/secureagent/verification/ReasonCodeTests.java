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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.secureagent.testsupport.GeneratedSections;
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
	void protocolPageWhenRenderedThenSectionNineIsEachCodesDocumentation() throws Exception {
		String source = Files.readString(
				Path.of("src", "main", "java", "io", "secureagent", "verification", "ReasonCode.java"),
				StandardCharsets.UTF_8);
		Matcher entries = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*([A-Z_]+)\\(\"", Pattern.DOTALL)
			.matcher(source);
		Map<String, String> documented = new LinkedHashMap<>();
		while (entries.find()) {
			String text = entries.group(1)
				.lines()
				.map((line) -> line.strip().replaceFirst("^\\*\\s?", ""))
				.filter((line) -> !line.isEmpty())
				.collect(Collectors.joining(" "))
				.replaceAll("\\{@(?:code|link) ([^}]*)}", "`$1`");
			documented.put(entries.group(2), text);
		}
		StringBuilder section = new StringBuilder(
				"<!-- reason codes, rendered from ReasonCode by a test of the build -->\n\n");
		for (ReasonCode code : ReasonCode.values()) {
			String text = documented.get(code.name());
			assertThat(text).as(code + " has its documentation")
				.isNotBlank()
				.doesNotContain("*")
				.doesNotContain("enum ");
			section.append("### ")
				.append(code.slug())
				.append("\n\nHTTP ")
				.append(code.httpStatus())
				.append(". ")
				.append(text)
				.append("\n\n");
		}
		section.append(GeneratedSections.END);
		GeneratedSections.assertGeneratedSection(Path.of("..", "docs", "protocol.md"), section.toString());
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
