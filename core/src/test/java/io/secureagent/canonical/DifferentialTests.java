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

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.secureagent.canonical.JsonCanonicalizer.Template;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonBoolean;
import io.secureagent.canonical.JsonValue.JsonNull;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * The byte-level parser and the direct canonical writer against their first
 * implementations ({@link ReferenceJsonParser}, {@link ReferenceCanonicalizer}), on
 * generated documents and on byte-level mutations of them: the same documents accepted,
 * the same trees, the same refusals (and the same "too large" flag), the same canonical
 * bytes.
 *
 * @author secure-agent authors
 */
class DifferentialTests {

	private static final int DOCUMENTS = 20_000;

	/** Byte sequences at the edges of UTF-8 validity (RFC 3629, section 4). */
	private static final String[] UTF8_EDGES = { "C2 80", "DF BF", "E0 A0 80", "E0 9F BF", "ED 9F BF", "ED A0 80",
			"ED BF BF", "EE 80 80", "EF B7 90", "EF B7 AF", "EF BF BE", "EF BF BF", "F0 90 80 80", "F0 8F BF BF",
			"F4 8F BF BF", "F4 90 80 80", "F5 80 80 80", "C0 80", "C1 BF", "80", "BF", "FE", "FF", "E2 82", "F0 9F 98",
			"F0 9F 98 80", "F3 BF BF BE" };

	private static final String[] NUMBERS = { "0", "-0", "1", "-1", "123456789012345", "-999999999999999",
			"1234567890123456", "9007199254740991", "9007199254740992", "-9007199254740991", "1.5", "-0.0", "1e3",
			"1E-3", "1e+21", "1e21", "1.2e17", "5e-324", "1e-400", "1e400", "0.1", "2.5e-7", "123.456e2", "00", "01",
			"1.", ".1", "-", "1e", "1e+", "+1", "0x1", "1_0" };

	@Test
	void parseWhenGeneratedAndMutatedDocumentsThenSameVerdictsAndTreesAsTheReference() {
		Random random = new Random(20261201);
		JsonLimits[] limits = { JsonLimits.DEFAULT, new JsonLimits(4096, 3, 5, 4), new JsonLimits(64, 32, 100, 100) };
		int accepted = 0;
		int refused = 0;
		for (int i = 0; i < DOCUMENTS; i++) {
			byte[] document = document(random);
			if (random.nextInt(3) > 0) {
				document = mutate(document, random);
			}
			JsonLimits limit = limits[random.nextInt(limits.length)];
			if (compare(document, limit)) {
				accepted++;
			}
			else {
				refused++;
			}
		}
		// both kinds must be well represented, or the comparison shows little
		assertThat(accepted).isGreaterThan(DOCUMENTS / 5);
		assertThat(refused).isGreaterThan(DOCUMENTS / 5);
	}

	@Test
	void parseWhenUtf8EdgeSequencesInStringsAndOutsideThenSameVerdictsAsTheReference() {
		for (String edge : UTF8_EDGES) {
			byte[] bytes = hex(edge);
			compare(concat("\"a".getBytes(StandardCharsets.US_ASCII), bytes, "b\"".getBytes(StandardCharsets.US_ASCII)),
					JsonLimits.DEFAULT);
			compare(concat("[".getBytes(StandardCharsets.US_ASCII), bytes, "]".getBytes(StandardCharsets.US_ASCII)),
					JsonLimits.DEFAULT);
			compare(concat("{\"".getBytes(StandardCharsets.US_ASCII), bytes,
					"\":1}".getBytes(StandardCharsets.US_ASCII)), JsonLimits.DEFAULT);
			compare(concat("\"".getBytes(StandardCharsets.US_ASCII), bytes), JsonLimits.DEFAULT);
		}
	}

	@Test
	void parseWhenNumbersOfEveryFormThenSameVerdictsAndValuesAsTheReference() {
		for (String number : NUMBERS) {
			compare(number.getBytes(StandardCharsets.US_ASCII), JsonLimits.DEFAULT);
			compare(("[" + number + "]").getBytes(StandardCharsets.US_ASCII), JsonLimits.DEFAULT);
			compare(("-" + number).getBytes(StandardCharsets.US_ASCII), JsonLimits.DEFAULT);
		}
	}

	@Test
	void parseWhenShortDecimalsAroundTheQuickPathsBoundsThenSameValuesAsTheReference() {
		// 1 to 17 significant digits, leading and trailing zeros, the point anywhere,
		// exponents from -30 to 30 in every spelling: on both sides of the bounds of the
		// quick path (15 digits, 10^22)
		Random random = new Random(1522);
		for (int i = 0; i < 100_000; i++) {
			StringBuilder number = new StringBuilder();
			if (random.nextBoolean()) {
				number.append('-');
			}
			int digits = 1 + random.nextInt(17);
			StringBuilder significand = new StringBuilder();
			significand.append("0".repeat(random.nextInt(3) == 0 ? random.nextInt(6) : 0));
			for (int d = 0; d < digits; d++) {
				significand.append((char) ('0' + random.nextInt(10)));
			}
			significand.append("0".repeat(random.nextInt(3) == 0 ? random.nextInt(6) : 0));
			int point = random.nextInt(significand.length() + 1);
			String whole = significand.substring(0, point).replaceFirst("^0+(?=.)", "");
			String fraction = significand.substring(point);
			number.append(whole.isEmpty() ? "0" : whole);
			if (!fraction.isEmpty()) {
				number.append('.').append(fraction);
			}
			if (random.nextBoolean()) {
				number.append(random.nextBoolean() ? 'e' : 'E');
				int exponent = random.nextInt(61) - 30;
				number.append((exponent < 0) ? "-" : (random.nextBoolean() ? "+" : ""));
				number.append("0".repeat(random.nextInt(4) == 0 ? 2 : 0)).append(Math.abs(exponent));
			}
			compare(number.toString().getBytes(StandardCharsets.US_ASCII), JsonLimits.DEFAULT);
		}
	}

	@Test
	void parseWhenUnicodeEscapeHasNonAsciiHexDigitsThenRejected() {
		// the reference took any Unicode hex digit (Character.digit), such as the
		// fullwidth ones; JSON's grammar (RFC 8259, section 7) allows ASCII only
		byte[] fullwidth = "\"\\u00\uFF14\uFF11\"".getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(MalformedJsonException.class)
			.isThrownBy(() -> new StrictJsonParser(JsonLimits.DEFAULT).parse(fullwidth))
			.withMessageContaining("invalid unicode escape");
	}

	@Test
	void canonicalizeWhenGeneratedTreesThenSameBytesAsTheReferenceAndLoneSurrogatesRefused() {
		Random random = new Random(8785);
		int lone = 0;
		for (int i = 0; i < DOCUMENTS; i++) {
			JsonValue tree = value(random, 0, true);
			if (hasLoneSurrogate(tree)) {
				// the reference wrote '?' for it, and signed other text than the tree's
				assertThatExceptionOfType(IllegalArgumentException.class)
					.isThrownBy(() -> JsonCanonicalizer.canonicalize(tree))
					.withMessageContaining("lone surrogate");
				lone++;
				continue;
			}
			assertThat(hexOf(JsonCanonicalizer.canonicalize(tree)))
				.isEqualTo(hexOf(ReferenceCanonicalizer.canonicalize(tree)));
			assertThat(JsonCanonicalizer.canonicalText(tree))
				.isEqualTo(new String(ReferenceCanonicalizer.canonicalize(tree), StandardCharsets.UTF_8));
		}
		assertThat(lone).isGreaterThan(100).isLessThan(DOCUMENTS / 2);
	}

	@Test
	void canonicalizeWithoutWhenMembersOmittedThenSameBytesAsRemovingThemFirst() {
		Random random = new Random(4);
		for (int i = 0; i < DOCUMENTS; i++) {
			JsonObject object = object(random, 0, false);
			List<String> names = new ArrayList<>(object.members().keySet());
			names.add("absent");
			Collections.shuffle(names, random);
			Set<String> omitted = Set.copyOf(names.subList(0, random.nextInt(names.size() + 1)));
			JsonObject removed = object;
			for (String name : omitted) {
				removed = removed.without(name);
			}
			assertThat(JsonCanonicalizer.canonicalizeWithout(object, omitted))
				.isEqualTo(ReferenceCanonicalizer.canonicalize(removed));
		}
	}

	@Test
	void templateWhenMembersAddedInAnyOrderThenSameBytesAsTheWholeObject() {
		Random random = new Random(7);
		for (int i = 0; i < DOCUMENTS; i++) {
			JsonObject whole = object(random, 0, false);
			List<String> names = new ArrayList<>(whole.members().keySet());
			Collections.shuffle(names, random);
			List<String> added = names.subList(0, random.nextInt(names.size() + 1));
			JsonObject rest = whole;
			for (String name : added) {
				rest = rest.without(name);
			}
			Template template = JsonCanonicalizer.template(rest, added.toArray(String[]::new));
			assertThat(template.bytes()).isEqualTo(ReferenceCanonicalizer.canonicalize(rest));
			JsonObject partial = rest;
			for (String name : added) {
				template = template.with(name, whole.get(name));
				partial = partial.with(name, whole.get(name));
				assertThat(template.bytes()).isEqualTo(ReferenceCanonicalizer.canonicalize(partial));
			}
		}
	}

	@Test
	void templateWhenNameIsAMemberOrHasNoSlotThenRefused() {
		JsonObject object = new JsonObject(Map.of("a", JsonNull.INSTANCE));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> JsonCanonicalizer.template(object, "a"));
		Template template = JsonCanonicalizer.template(object, "b");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> template.with("c", JsonNull.INSTANCE));
		Template filled = template.with("b", JsonBoolean.TRUE);
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> filled.with("b", JsonBoolean.TRUE));
	}

	@Test
	void parseWhenADuplicateNameAtAnyPlaceOfSmallAndLargeObjectsThenRejectedAsTheReferenceDoes() {
		for (int size = 1; size <= 2 * OwnedMembers.SMALL; size++) {
			for (int duplicate = 0; duplicate < size; duplicate++) {
				StringBuilder json = new StringBuilder("{");
				for (int i = 0; i < size; i++) {
					json.append("\"m").append(i).append("\":").append(i).append(',');
				}
				json.append("\"m").append(duplicate).append("\":true}");
				byte[] document = json.toString().getBytes(StandardCharsets.US_ASCII);
				assertThat(compare(document, JsonLimits.DEFAULT)).isFalse();
				byte[] distinct = json.toString()
					.replace("\"m" + duplicate + "\":true", "\"x\":true")
					.getBytes(StandardCharsets.US_ASCII);
				assertThat(compare(distinct, JsonLimits.DEFAULT)).isTrue();
			}
		}
	}

	@Test
	void objectWhenAMemberValueOrNameIsNullThenRefused() {
		Map<String, JsonValue> nullValue = new LinkedHashMap<>();
		nullValue.put("a", null);
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> new JsonObject(nullValue));
		Map<String, JsonValue> nullName = new LinkedHashMap<>();
		nullName.put(null, JsonNull.INSTANCE);
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> new JsonObject(nullName));
		JsonObject empty = new JsonObject(Map.of());
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> empty.with("a", null));
	}

	@Test
	void membersWhenParsedThenUnmodifiable() throws Exception {
		JsonObject object = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT)
			.parse("{\"a\":1,\"b\":[2]}".getBytes(StandardCharsets.US_ASCII));
		assertUnmodifiable(object.members());
		JsonObject large = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT)
			.parse("{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9}"
				.getBytes(StandardCharsets.US_ASCII));
		assertThat(large.members()).hasSize(9).containsEntry("i", new JsonNumber(9));
		assertUnmodifiable(large.members());
		JsonObject expected = new JsonObject(
				Map.of("a", new JsonNumber(1), "b", new JsonArray(List.of(new JsonNumber(2)))));
		assertThat(object).isEqualTo(expected);
		assertThat(object.hashCode()).isEqualTo(expected.hashCode());
	}

	private static void assertUnmodifiable(Map<String, JsonValue> members) {
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> members.put("c", JsonNull.INSTANCE));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> members.remove("a"));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(members::clear);
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> members.entrySet().iterator().next().setValue(JsonNull.INSTANCE));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> members.keySet().remove("a"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> members.replaceAll((name, value) -> JsonNull.INSTANCE));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> members.values().remove(new JsonNumber(1)));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> {
			var iterator = members.entrySet().iterator();
			iterator.next();
			iterator.remove();
		});
	}

	@Test
	void canonicalizeWhenAQuestionMarkOrAPairThenWrittenAndWhenALoneSurrogateThenRefused() {
		assertThat(JsonCanonicalizer.canonicalText(new JsonString("why?\uD83D\uDE00")))
			.isEqualTo("\"why?\uD83D\uDE00\"");
		for (String lone : List.of("a\uD800", "\uDC00b?", "?\uD83D?", "\uDE00\uD83D")) {
			assertThatExceptionOfType(IllegalArgumentException.class)
				.isThrownBy(() -> JsonCanonicalizer.canonicalize(new JsonObject(Map.of("k", new JsonString(lone)))));
		}
	}

	private static boolean hasLoneSurrogate(JsonValue value) {
		if (value instanceof JsonString string) {
			return JsonCanonicalizer.loneSurrogate(string.value()) >= 0;
		}
		if (value instanceof JsonObject object) {
			return object.members()
				.entrySet()
				.stream()
				.anyMatch((member) -> hasLoneSurrogate(new JsonString(member.getKey()))
						|| hasLoneSurrogate(member.getValue()));
		}
		if (value instanceof JsonArray array) {
			return array.elements().stream().anyMatch(DifferentialTests::hasLoneSurrogate);
		}
		return false;
	}

	/** Parse with both; return whether they accepted. */
	private static boolean compare(byte[] document, JsonLimits limits) {
		JsonValue expected = null;
		MalformedJsonException expectedError = null;
		try {
			expected = new ReferenceJsonParser(limits).parse(document);
		}
		catch (MalformedJsonException ex) {
			expectedError = ex;
		}
		JsonValue actual = null;
		MalformedJsonException actualError = null;
		try {
			actual = new StrictJsonParser(limits).parse(document);
		}
		catch (MalformedJsonException ex) {
			actualError = ex;
		}
		String shown = hexOf(document);
		if (expectedError != null) {
			if (actualError == null) {
				fail("accepted what the reference refused (" + expectedError.getMessage() + "): " + shown);
			}
			assertThat(actualError.isTooLarge()).as(shown).isEqualTo(expectedError.isTooLarge());
			return false;
		}
		if (actualError != null && actualError.getMessage().startsWith("subnormal number")) {
			// refused on purpose: the reference took subnormals, whose canonical form
			// costs seconds (StrictJsonParserTests)
			return false;
		}
		if (actualError != null) {
			fail("refused what the reference accepted (" + actualError.getMessage() + "): " + shown);
		}
		assertThat(actual).as(shown).isEqualTo(expected);
		return true;
	}

	private static byte[] document(Random random) {
		JsonValue tree = value(random, 0, false);
		StringBuilder text = new StringBuilder();
		write(tree, text, random);
		return text.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] mutate(byte[] document, Random random) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int at = random.nextInt(document.length + 1);
		out.write(document, 0, at);
		switch (random.nextInt(5)) {
			case 0 -> out.writeBytes(hex(UTF8_EDGES[random.nextInt(UTF8_EDGES.length)]));
			case 1 -> out.write(random.nextInt(256));
			case 2 -> at = Math.min(document.length, at + 1 + random.nextInt(3));
			case 3 -> out.writeBytes("\\u".getBytes(StandardCharsets.US_ASCII));
			default -> out.write("{}[]\",:\\ 0-e.tfn".charAt(random.nextInt(16)));
		}
		out.write(document, at, document.length - at);
		return out.toByteArray();
	}

	private static JsonValue value(Random random, int depth, boolean anyString) {
		int kind = random.nextInt(depth > 3 ? 4 : 6);
		return switch (kind) {
			case 0 -> new JsonString(string(random, anyString));
			case 1 -> number(random);
			case 2 -> random.nextBoolean() ? JsonBoolean.TRUE : JsonBoolean.FALSE;
			case 3 -> JsonNull.INSTANCE;
			case 4 -> object(random, depth, anyString);
			default -> {
				List<JsonValue> elements = new ArrayList<>();
				for (int i = random.nextInt(4); i > 0; i--) {
					elements.add(value(random, depth + 1, anyString));
				}
				yield new JsonArray(elements);
			}
		};
	}

	private static JsonObject object(Random random, int depth, boolean anyString) {
		Map<String, JsonValue> members = new LinkedHashMap<>();
		// small objects mostly, and now and then one past the parser's array form
		int count = random.nextInt((random.nextInt(6) == 0) ? 14 : 6);
		for (int i = count; i > 0; i--) {
			members.put(string(random, anyString), value(random, depth + 1, anyString));
		}
		return new JsonObject(members);
	}

	private static JsonNumber number(Random random) {
		return switch (random.nextInt(5)) {
			case 0 -> new JsonNumber(random.nextInt(2000) - 1000);
			case 1 -> new JsonNumber((random.nextLong() >> random.nextInt(64)) % StrictJsonParser.MAX_SAFE_INTEGER);
			case 2 -> new JsonNumber(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
			case 3 -> new JsonNumber(
					Math.max(Double.MIN_NORMAL, Double.longBitsToDouble(random.nextLong() & 0x7FEFFFFFFFFFFFFFL)));
			default -> new JsonNumber(1e21 * (1 + random.nextInt(100)));
		};
	}

	/**
	 * A string of ASCII, escapes' targets, BMP and supplementary characters, and, only
	 * where a tree is made directly, lone surrogates and noncharacters.
	 */
	private static String string(Random random, boolean anyString) {
		StringBuilder string = new StringBuilder();
		for (int i = random.nextInt(8); i > 0; i--) {
			switch (random.nextInt(anyString ? 8 : 6)) {
				case 0 -> string.append((char) (0x20 + random.nextInt(0x5F)));
				case 1 -> string.append("\"\\/\b\f\n\r\t\u0000\u001f\u007f".charAt(random.nextInt(11)));
				case 2 -> string.append((char) (0x80 + random.nextInt(0x780)));
				case 3 -> string.append((char) (0x800 + random.nextInt(0xD000)));
				case 4 -> string.appendCodePoint(0x10000 + random.nextInt(0x100000 - 2));
				case 5 -> string.append("abcXYZ09");
				case 6 -> string.append((char) (0xD800 + random.nextInt(0x800)));
				default -> string.append(random.nextBoolean() ? '\uFFFE' : '\uFDD0');
			}
		}
		if (!anyString) {
			// keep generated documents free of noncharacters and surrogates out of pairs
			String text = string.toString();
			StringBuilder clean = new StringBuilder();
			text.codePoints()
				.filter((c) -> !StrictJsonParser.isNoncharacter(c) && !(c >= 0xD800 && c <= 0xDFFF))
				.forEach(clean::appendCodePoint);
			return clean.toString();
		}
		return string.toString();
	}

	/** Write a tree as JSON text with random white space and random (valid) escapes. */
	private static void write(JsonValue value, StringBuilder out, Random random) {
		space(out, random);
		if (value instanceof JsonObject object) {
			out.append('{');
			boolean first = true;
			for (Map.Entry<String, JsonValue> member : object.members().entrySet()) {
				out.append(first ? "" : ",");
				first = false;
				space(out, random);
				writeString(member.getKey(), out, random);
				space(out, random);
				out.append(':');
				write(member.getValue(), out, random);
			}
			space(out, random);
			out.append('}');
		}
		else if (value instanceof JsonArray array) {
			out.append('[');
			for (int i = 0; i < array.elements().size(); i++) {
				out.append(i == 0 ? "" : ",");
				write(array.elements().get(i), out, random);
			}
			space(out, random);
			out.append(']');
		}
		else if (value instanceof JsonString string) {
			writeString(string.value(), out, random);
		}
		else if (value instanceof JsonNumber number) {
			out.append(random.nextBoolean() ? JsonCanonicalizer.serializeNumber(number.value())
					: NUMBERS[random.nextInt(NUMBERS.length)]);
		}
		else {
			out.append(value instanceof JsonBoolean bool ? String.valueOf(bool.value()) : "null");
		}
		space(out, random);
	}

	private static void writeString(String value, StringBuilder out, Random random) {
		out.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\' || c < 0x20 || random.nextInt(10) == 0) {
				out.append(String.format(random.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c));
			}
			else {
				out.append(c);
			}
		}
		out.append('"');
	}

	private static void space(StringBuilder out, Random random) {
		if (random.nextInt(4) == 0) {
			out.append(" \t\n\r".charAt(random.nextInt(4)));
		}
	}

	private static byte[] hex(String hex) {
		String[] parts = hex.split(" ");
		byte[] bytes = new byte[parts.length];
		for (int i = 0; i < parts.length; i++) {
			bytes[i] = (byte) Integer.parseInt(parts[i], 16);
		}
		return bytes;
	}

	private static String hexOf(byte[] bytes) {
		StringBuilder hex = new StringBuilder();
		for (byte b : bytes) {
			hex.append(String.format("%02x", b & 0xFF));
		}
		return hex.toString();
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Arrays.stream(parts).forEach(out::writeBytes);
		return out.toByteArray();
	}

}
