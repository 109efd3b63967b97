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

import java.nio.charset.StandardCharsets;

import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Adversarial input for {@link StrictJsonParser}.
 *
 * @author secure-agent authors
 */
class StrictJsonParserTests {

	private final StrictJsonParser parser = new StrictJsonParser(JsonLimits.DEFAULT);

	@ParameterizedTest
	@ValueSource(strings = { "{\"a\":1,\"a\":2}", "{\"a\":1,\"\\u0061\":2}", "{\"a\":{\"b\":1,\"b\":1}}" })
	void parseWhenDuplicateKeyThenRejected(String json) {
		assertMalformed(json, "duplicate member name");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{} {}", "{}x", "[1]]", "1 2", "\"a\"\"b\"", "{}\u0000" })
	void parseWhenTrailingDataThenRejected(String json) {
		assertMalformed(json, "");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800x\"", "\"\\ud800\\u0041\"", "\"\\ud83d\\ud83d\"" })
	void parseWhenLoneSurrogateEscapedThenRejected(String json) {
		assertMalformed(json, "surrogate");
	}

	@Test
	void parseWhenLoneSurrogateEncodedInUtf8ThenRejected() {
		// CESU-style encoding of U+D800 is not valid UTF-8
		byte[] bytes = { '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"' };
		assertMalformed(bytes, "invalid UTF-8");
	}

	@ParameterizedTest
	@ValueSource(strings = { "C0AF", "FF", "80", "E282", "F4908080", "C3" })
	void parseWhenInvalidUtf8ThenRejected(String hex) {
		byte[] body = java.util.HexFormat.of().parseHex(hex);
		byte[] bytes = new byte[body.length + 2];
		bytes[0] = '"';
		System.arraycopy(body, 0, bytes, 1, body.length);
		bytes[bytes.length - 1] = '"';
		assertMalformed(bytes, "invalid UTF-8");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"\\ufdd0\"", "\"\\uffff\"", "\"\\ufffe\"", "\"\\ud83f\\udffe\"" })
	void parseWhenNoncharacterThenRejected(String json) {
		assertMalformed(json, "noncharacter");
	}

	@Test
	void parseWhenByteOrderMarkThenRejected() {
		assertMalformed(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}' }, "byte order mark");
	}

	@ParameterizedTest
	@ValueSource(strings = { "1e400", "-1e400", "1e99999999999", "0e99999999999" })
	void parseWhenNumberOutOfRangeThenRejected(String json) {
		assertMalformed(json, "");
	}

	@ParameterizedTest
	@ValueSource(strings = { "9007199254740992", "9007199254740993", "-9007199254740993", "18446744073709551616" })
	void parseWhenIntegerBeyondSafeRangeThenRejected(String json) {
		assertMalformed(json, "2^53");
	}

	@ParameterizedTest
	@ValueSource(strings = { "9.007199254740993e15", "1.2e17", "0.000000000000000000000000012e43", "-1e20",
			"99999999999999990000.0" })
	void parseWhenAnyNotationBetweenSafeIntegersAndTenToTheTwentyOneThenRejected(String json) {
		// found by fuzzing: the canonical form of 1.2e17 is 120000000000000000
		assertMalformed(json, "no exact I-JSON form");
	}

	@Test
	void parseWhenTenToTheTwentyOneOrMoreThenAcceptedAndCanonicalFormParsesBack() throws Exception {
		for (String json : new String[] { "1e21", "1E30", "-1.5e300", "1.7976931348623157e308" }) {
			JsonValue value = parse(json);
			assertThat(this.parser.parse(JsonCanonicalizer.canonicalize(value))).isEqualTo(value);
		}
	}

	@Test
	void parseWhenLargestSafeIntegerThenAccepted() throws Exception {
		assertThat(parse("9007199254740991")).isEqualTo(new JsonNumber(9007199254740991d));
		assertThat(parse("-9007199254740991")).isEqualTo(new JsonNumber(-9007199254740991d));
	}

	@ParameterizedTest
	@ValueSource(strings = { "1e-315", "-4.9e-324", "2.2250738585072009e-308", "[1,1e-310]" })
	void parseWhenSubnormalThenRejectedBeforeTheCanonicalFormSpendsSecondsOnIt(String json) {
		// found by fuzzing: formatting 1e-315 in its shortest form took the number
		// formatter seconds, for any sender, before the signature was checked
		assertMalformed(json, "subnormal number");
	}

	@Test
	void parseWhenSmallestNormalThenAcceptedAndCanonicalFormQuick() throws Exception {
		JsonValue value = new StrictJsonParser(JsonLimits.DEFAULT)
			.parse("2.2250738585072014e-308".getBytes(StandardCharsets.US_ASCII));
		assertThat(new String(JsonCanonicalizer.canonicalize(value), StandardCharsets.US_ASCII))
			.isEqualTo("2.2250738585072014e-308");
	}

	@Test
	void parseWhenNonZeroUnderflowsThenRejected() {
		assertMalformed("1e-400", "rounds to zero");
	}

	@ParameterizedTest
	@ValueSource(strings = { "01", "+1", ".5", "1.", "1e", "-", "0x10", "NaN", "Infinity", "1_000", "--1" })
	void parseWhenNumberNotInGrammarThenRejected(String json) {
		assertMalformed(json, "");
	}

	@Test
	void parseWhenHugeNumberLiteralThenRejectedCheaply() {
		assertMalformed("1" + "0".repeat(100_000), "");
		assertMalformed("0." + "1".repeat(100_000), "number literal longer");
	}

	@Test
	void parseWhenDeepNestingThenRejectedWithoutStackOverflow() {
		String deep = "[".repeat(100_000) + "]".repeat(100_000);
		StrictJsonParser roomy = new StrictJsonParser(new JsonLimits(10 * 1024 * 1024, 32, 1024, 1024));
		assertThatExceptionOfType(MalformedJsonException.class)
			.isThrownBy(() -> roomy.parse(deep.getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("nesting deeper than 32");
		String deepObjects = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
		assertThatExceptionOfType(MalformedJsonException.class)
			.isThrownBy(() -> roomy.parse(deepObjects.getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("nesting deeper than 32");
	}

	@Test
	void parseWhenNestingAtLimitThenAccepted() throws Exception {
		String atLimit = "[".repeat(32) + "]".repeat(32);
		assertThat(parse(atLimit)).isNotNull();
	}

	@Test
	void parseWhenDocumentTooLargeThenRejectedAsTooLarge() {
		byte[] big = ("\"" + "a".repeat(10 * 1024 * 1024) + "\"").getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(MalformedJsonException.class).isThrownBy(() -> this.parser.parse(big))
			.satisfies((ex) -> assertThat(ex.isTooLarge()).isTrue());
	}

	@Test
	void parseWhenStringTooLongThenRejected() {
		StrictJsonParser roomy = new StrictJsonParser(new JsonLimits(20 * 1024 * 1024, 8, 1024, 1024));
		byte[] big = ("\"" + "a".repeat(10 * 1024 * 1024) + "\"").getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(MalformedJsonException.class).isThrownBy(() -> roomy.parse(big))
			.withMessageContaining("string longer than 1024")
			.satisfies((ex) -> assertThat(ex.isTooLarge()).isFalse());
	}

	@Test
	void parseWhenStringExactlyAtLimitThenAccepted() throws Exception {
		StrictJsonParser small = new StrictJsonParser(new JsonLimits(4096, 8, 4, 16));
		assertThat(small.parse("\"abcd\"".getBytes(StandardCharsets.UTF_8))).isEqualTo(new JsonString("abcd"));
		assertThatExceptionOfType(MalformedJsonException.class)
			.isThrownBy(() -> small.parse("\"abcde\"".getBytes(StandardCharsets.UTF_8)));
		assertThatExceptionOfType(MalformedJsonException.class)
			.isThrownBy(() -> small.parse("{\"abcde\":1}".getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void parseWhenTooManyMembersThenRejected() {
		StrictJsonParser small = new StrictJsonParser(new JsonLimits(4096, 8, 64, 3));
		assertThatExceptionOfType(MalformedJsonException.class)
			.isThrownBy(() -> small.parse("[1,2,3,4]".getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("more than 3 members");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"a\u0001\"", "\"tab\there\"", "\"\\x41\"", "\"\\u12\"", "\"\\u12G4\"", "\"open",
			"{\"a\"}", "{\"a\":}", "[1,]", "{,}", "{\"a\":1,}", "tru", "nul", "'a'", "{a:1}", "", " " })
	void parseWhenSyntaxErrorThenRejected(String json) {
		assertMalformed(json, "");
	}

	@Test
	void parseWhenValidDocumentThenTreeKeepsOrderAndValues() throws Exception {
		JsonValue value = parse("{\"b\":[true,false,null],\"a\":\"\\u20ac\\ud83d\\ude02\",\"n\":-0.5e1}");
		assertThat(value).isInstanceOf(JsonObject.class);
		JsonObject object = (JsonObject) value;
		assertThat(object.members().keySet()).containsExactly("b", "a", "n");
		assertThat(object.get("a")).isEqualTo(new JsonString("\u20ac\ud83d\ude02"));
		assertThat(object.get("n")).isEqualTo(new JsonNumber(-5));
	}

	@Test
	void errorMessageWhenRejectedThenDoesNotEchoContent() {
		assertThatExceptionOfType(MalformedJsonException.class)
			.isThrownBy(() -> parse("{\"secret-token-123\":1,\"secret-token-123\":2}"))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("secret-token-123"));
	}

	private JsonValue parse(String json) throws MalformedJsonException {
		return this.parser.parse(json.getBytes(StandardCharsets.UTF_8));
	}

	private void assertMalformed(String json, String message) {
		assertMalformed(json.getBytes(StandardCharsets.UTF_8), message);
	}

	private void assertMalformed(byte[] json, String message) {
		assertThatExceptionOfType(MalformedJsonException.class).isThrownBy(() -> this.parser.parse(json))
			.withMessageContaining(message);
	}

}
