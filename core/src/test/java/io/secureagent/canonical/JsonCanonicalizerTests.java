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
package io.secureagent.canonical;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 8785 test vectors (see {@code src/test/resources/rfc8785/SOURCE.md}).
 *
 * @author secure-agent authors
 */
class JsonCanonicalizerTests {

	private final StrictJsonParser parser = new StrictJsonParser(JsonLimits.DEFAULT);

	@ParameterizedTest
	@ValueSource(strings = { "arrays", "french", "structures", "unicode", "values", "weird" })
	void canonicalizeWhenRfc8785VectorThenBytesMatchExactly(String name) throws Exception {
		byte[] input = resource("/rfc8785/input/" + name + ".json");
		byte[] expected = resource("/rfc8785/output/" + name + ".json");
		assertThat(JsonCanonicalizer.canonicalize(this.parser.parse(input))).isEqualTo(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "arrays", "french", "structures", "unicode", "values", "weird" })
	void canonicalizeWhenAlreadyCanonicalThenUnchanged(String name) throws Exception {
		byte[] expected = resource("/rfc8785/output/" + name + ".json");
		assertThat(JsonCanonicalizer.canonicalize(this.parser.parse(expected))).isEqualTo(expected);
	}

	static Stream<Arguments> numbers() throws IOException {
		String table = new String(resource("/rfc8785/numbers.txt"), StandardCharsets.US_ASCII);
		List<Arguments> rows = table.lines()
			.filter((line) -> !line.isBlank() && !line.startsWith("#"))
			.map((line) -> line.split(" "))
			.map((fields) -> Arguments.of(fields[0], fields[1]))
			.toList();
		assertThat(rows).hasSizeGreaterThan(20);
		return rows.stream();
	}

	@ParameterizedTest
	@MethodSource("numbers")
	void serializeNumberWhenRfc8785AppendixBThenMatches(String bits, String expected) {
		double value = Double.longBitsToDouble(HexFormat.fromHexDigitsToLong(bits));
		assertThat(JsonCanonicalizer.serializeNumber(value)).isEqualTo(expected);
	}

	private static byte[] resource(String path) throws IOException {
		try (InputStream in = JsonCanonicalizerTests.class.getResourceAsStream(path)) {
			assertThat(in).as(path).isNotNull();
			return in.readAllBytes();
		}
	}

}
