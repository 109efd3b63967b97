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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of docs/testing.md are the tagged regions of compiled, passing tests: each
 * {@code <!-- snippet: file#tag -->} is followed by exactly that region. With
 * {@code UPDATE_DOCS=true} the page is rewritten from the tests instead of failing.
 *
 * @author secure-agent authors
 */
class DocumentationSnippetsTests {

	private static final Path PAGE = Path.of("..", "docs", "testing.md");

	private static final Path SOURCES = Path.of("src", "test", "java", "io", "secureagent", "test");

	private static final Pattern SNIPPET = Pattern
		.compile("<!-- snippet: (?<file>[^#]+)#(?<tag>[a-z-]+) -->\n```java\n(?<code>.*?)```\n", Pattern.DOTALL);

	@Test
	void testingPageWhenReadThenEverySnippetIsItsTestsTaggedRegion() throws Exception {
		String page = Files.readString(PAGE, StandardCharsets.UTF_8);
		Matcher matcher = SNIPPET.matcher(page);
		StringBuilder expected = new StringBuilder();
		List<String> snippets = new ArrayList<>();
		while (matcher.find()) {
			String region = region(SOURCES.resolve(matcher.group("file")), matcher.group("tag"));
			snippets.add(matcher.group("file") + "#" + matcher.group("tag"));
			matcher.appendReplacement(expected, Matcher.quoteReplacement("<!-- snippet: " + matcher.group("file") + "#"
					+ matcher.group("tag") + " -->\n```java\n" + region + "```\n"));
		}
		matcher.appendTail(expected);
		assertThat(snippets).as("snippets on the page").hasSizeGreaterThanOrEqualTo(7);
		if (!page.contentEquals(expected) && "true".equals(System.getenv("UPDATE_DOCS"))) {
			Files.writeString(PAGE, expected, StandardCharsets.UTF_8);
			return;
		}
		assertThat(page).as(PAGE + " differs from its tests: run the build with UPDATE_DOCS=true")
			.isEqualTo(expected.toString());
	}

	@Test
	void testingPageWhenReadThenItsConfigurationIsTheTestedApplications() throws Exception {
		String page = Files.readString(PAGE, StandardCharsets.UTF_8);
		Matcher yaml = Pattern.compile("with this `application.yaml`:\n\n```yaml\n(.*?)```", Pattern.DOTALL)
			.matcher(page);
		assertThat(yaml.find()).as("the page shows the application's configuration").isTrue();
		assertThat(Files.readString(Path.of("src", "test", "resources", "application.yaml"), StandardCharsets.UTF_8))
			.contains(yaml.group(1));
	}

	private static String region(Path file, String tag) throws Exception {
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		int start = -1;
		int end = -1;
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).strip();
			if (line.equals("// tag::" + tag + "[]")) {
				start = i + 1;
			}
			else if (line.equals("// end::" + tag + "[]")) {
				end = i;
			}
		}
		assertThat(start).as(file + " has tag " + tag).isPositive();
		assertThat(end).as(file + " ends tag " + tag).isGreaterThan(start);
		List<String> region = lines.subList(start, end);
		int indent = region.stream()
			.filter((line) -> !line.isBlank())
			.mapToInt((line) -> line.length() - line.stripLeading().length())
			.min()
			.orElse(0);
		StringBuilder code = new StringBuilder();
		region.forEach((line) -> code.append(line.isBlank() ? "" : line.substring(indent)).append('\n'));
		return code.toString();
	}

}
