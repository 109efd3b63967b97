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
package io.secureagent.testsupport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sections of the docs that tests render from the code, between a begin marker (the first
 * line of the expected text) and {@link #END}. With {@code UPDATE_DOCS=true} a stale
 * section is rewritten instead of failing.
 *
 * @author secure-agent authors
 */
public final class GeneratedSections {

	/** The marker that ends every generated section. */
	public static final String END = "<!-- end of generated reference -->";

	private GeneratedSections() {
	}

	/**
	 * Assert that a page holds a generated section as expected.
	 * @param file the page
	 * @param expected the section, from its begin marker to {@link #END}
	 * @throws Exception if the page cannot be read or written
	 */
	public static void assertGeneratedSection(Path file, String expected) throws Exception {
		String page = Files.readString(file, StandardCharsets.UTF_8);
		String begin = expected.substring(0, expected.indexOf('\n'));
		int start = page.indexOf(begin);
		int end = page.indexOf(END, Math.max(start, 0));
		assertThat(start).as(file + " has the generated section markers").isNotNegative();
		assertThat(end).isGreaterThan(start);
		String actual = page.substring(start, end + END.length());
		if (!actual.equals(expected) && "true".equals(System.getenv("UPDATE_DOCS"))) {
			Files.writeString(file, page.substring(0, start) + expected + page.substring(end + END.length()),
					StandardCharsets.UTF_8);
			return;
		}
		assertThat(actual).as(file + " is out of date: run the build with UPDATE_DOCS=true").isEqualTo(expected);
	}

}
