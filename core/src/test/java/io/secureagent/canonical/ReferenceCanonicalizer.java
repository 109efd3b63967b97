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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonBoolean;
import io.secureagent.canonical.JsonValue.JsonNull;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import org.erdtman.jcs.NumberToJSON;

/**
 * The canonical form as it was first written: members sorted through a {@code TreeMap},
 * text built in a {@code StringBuilder}, then encoded. Kept as the oracle that
 * {@link JsonCanonicalizer} is compared with.
 *
 * @author secure-agent authors
 */
final class ReferenceCanonicalizer {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private ReferenceCanonicalizer() {
	}

	/**
	 * Return the canonical UTF-8 bytes of a value.
	 * @param value the value
	 * @return the canonical bytes
	 */
	public static byte[] canonicalize(JsonValue value) {
		StringBuilder builder = new StringBuilder(256);
		write(value, builder);
		return builder.toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Return the canonical text of a value.
	 * @param value the value
	 * @return the canonical text
	 */
	public static String canonicalText(JsonValue value) {
		StringBuilder builder = new StringBuilder(256);
		write(value, builder);
		return builder.toString();
	}

	private static void write(JsonValue value, StringBuilder out) {
		if (value instanceof JsonObject object) {
			writeObject(object, out);
		}
		else if (value instanceof JsonArray array) {
			out.append('[');
			boolean first = true;
			for (JsonValue element : array.elements()) {
				if (!first) {
					out.append(',');
				}
				first = false;
				write(element, out);
			}
			out.append(']');
		}
		else if (value instanceof JsonString string) {
			writeString(string.value(), out);
		}
		else if (value instanceof JsonNumber number) {
			out.append(serializeNumber(number.value()));
		}
		else if (value instanceof JsonBoolean bool) {
			out.append(bool.value() ? "true" : "false");
		}
		else if (value instanceof JsonNull) {
			out.append("null");
		}
	}

	private static void writeObject(JsonObject object, StringBuilder out) {
		// String.compareTo orders by UTF-16 code units, as RFC 8785 section 3.2.3
		// requires
		Map<String, JsonValue> sorted = new TreeMap<>(object.members());
		out.append('{');
		boolean first = true;
		for (Map.Entry<String, JsonValue> member : sorted.entrySet()) {
			if (!first) {
				out.append(',');
			}
			first = false;
			writeString(member.getKey(), out);
			out.append(':');
			write(member.getValue(), out);
		}
		out.append('}');
	}

	static void writeString(String value, StringBuilder out) {
		out.append('"');
		int runStart = 0;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c >= 0x20 && c != '"' && c != '\\') {
				continue;
			}
			out.append(value, runStart, i);
			runStart = i + 1;
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\b' -> out.append("\\b");
				case '\f' -> out.append("\\f");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
			}
		}
		out.append(value, runStart, value.length());
		out.append('"');
	}

	static String serializeNumber(double value) {
		if (value == Math.rint(value) && Math.abs(value) <= StrictJsonParser.MAX_SAFE_INTEGER) {
			// the common case: integers print as themselves, and -0 prints as 0
			return Long.toString((long) value);
		}
		try {
			return NumberToJSON.serializeNumber(value);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
