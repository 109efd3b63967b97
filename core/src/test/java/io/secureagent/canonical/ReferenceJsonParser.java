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

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonBoolean;
import io.secureagent.canonical.JsonValue.JsonNull;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;

/**
 * The strict parser as it was first written: it decodes the whole document to a string
 * with the JDK's reporting UTF-8 decoder, then walks the characters. Kept as the oracle
 * that the byte-level {@link StrictJsonParser} is compared with, document by document.
 *
 * @author secure-agent authors
 */
final class ReferenceJsonParser {

	/** The largest integer that every I-JSON receiver holds exactly: 2^53 - 1. */
	public static final long MAX_SAFE_INTEGER = 9_007_199_254_740_991L;

	private static final BigDecimal MAX_SAFE = BigDecimal.valueOf(MAX_SAFE_INTEGER);

	private static final int MAX_NUMBER_LENGTH = 512;

	private final JsonLimits limits;

	ReferenceJsonParser(JsonLimits limits) {
		this.limits = Objects.requireNonNull(limits, "limits cannot be null");
	}

	/**
	 * Parse one document.
	 * @param utf8 the document bytes
	 * @return the parsed value
	 * @throws MalformedJsonException if the document is not strict I-JSON or breaks a
	 * limit
	 */
	public JsonValue parse(byte[] utf8) throws MalformedJsonException {
		if (utf8.length > this.limits.maxDocumentBytes()) {
			throw new MalformedJsonException("document exceeds " + this.limits.maxDocumentBytes() + " bytes", true);
		}
		String text = decode(utf8);
		Cursor cursor = new Cursor(text);
		cursor.skipWhitespace();
		JsonValue value = cursor.value(0);
		cursor.skipWhitespace();
		if (cursor.position < text.length()) {
			throw cursor.error("trailing data after the document");
		}
		return value;
	}

	private static String decode(byte[] utf8) throws MalformedJsonException {
		if (utf8.length >= 3 && (utf8[0] & 0xFF) == 0xEF && (utf8[1] & 0xFF) == 0xBB && (utf8[2] & 0xFF) == 0xBF) {
			throw new MalformedJsonException("byte order mark is not allowed", false);
		}
		CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT);
		try {
			CharBuffer chars = decoder.decode(ByteBuffer.wrap(utf8));
			return chars.toString();
		}
		catch (CharacterCodingException ex) {
			throw new MalformedJsonException("invalid UTF-8", false);
		}
	}

	static boolean isNoncharacter(int codePoint) {
		return (codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
	}

	private final class Cursor {

		private final String text;

		private int position;

		Cursor(String text) {
			this.text = text;
		}

		MalformedJsonException error(String message) {
			return new MalformedJsonException(message + " at offset " + this.position, false);
		}

		void skipWhitespace() {
			while (this.position < this.text.length()) {
				char c = this.text.charAt(this.position);
				if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
					return;
				}
				this.position++;
			}
		}

		char peek() throws MalformedJsonException {
			if (this.position >= this.text.length()) {
				throw error("unexpected end of document");
			}
			return this.text.charAt(this.position);
		}

		void expect(char expected) throws MalformedJsonException {
			if (peek() != expected) {
				throw error("expected '" + expected + "'");
			}
			this.position++;
		}

		JsonValue value(int depth) throws MalformedJsonException {
			char c = peek();
			return switch (c) {
				case '{' -> object(depth + 1);
				case '[' -> array(depth + 1);
				case '"' -> new JsonString(string());
				case 't' -> literal("true", JsonBoolean.TRUE);
				case 'f' -> literal("false", JsonBoolean.FALSE);
				case 'n' -> literal("null", JsonNull.INSTANCE);
				default -> {
					if (c == '-' || (c >= '0' && c <= '9')) {
						yield number();
					}
					throw error("unexpected character");
				}
			};
		}

		private void checkDepth(int depth) throws MalformedJsonException {
			if (depth > ReferenceJsonParser.this.limits.maxDepth()) {
				throw error("nesting deeper than " + ReferenceJsonParser.this.limits.maxDepth());
			}
		}

		private void checkCount(int count) throws MalformedJsonException {
			if (count > ReferenceJsonParser.this.limits.maxMembers()) {
				throw error("more than " + ReferenceJsonParser.this.limits.maxMembers() + " members");
			}
		}

		JsonObject object(int depth) throws MalformedJsonException {
			checkDepth(depth);
			this.position++;
			Map<String, JsonValue> members = new LinkedHashMap<>();
			skipWhitespace();
			if (peek() == '}') {
				this.position++;
				return new JsonObject(members);
			}
			while (true) {
				skipWhitespace();
				if (peek() != '"') {
					throw error("expected a member name");
				}
				int nameStart = this.position;
				String name = string();
				skipWhitespace();
				expect(':');
				skipWhitespace();
				JsonValue value = value(depth);
				if (members.putIfAbsent(name, value) != null) {
					this.position = nameStart;
					throw error("duplicate member name");
				}
				checkCount(members.size());
				skipWhitespace();
				char c = peek();
				this.position++;
				if (c == '}') {
					return new JsonObject(members);
				}
				if (c != ',') {
					this.position--;
					throw error("expected ',' or '}'");
				}
			}
		}

		JsonArray array(int depth) throws MalformedJsonException {
			checkDepth(depth);
			this.position++;
			List<JsonValue> elements = new ArrayList<>();
			skipWhitespace();
			if (peek() == ']') {
				this.position++;
				return new JsonArray(elements);
			}
			while (true) {
				skipWhitespace();
				elements.add(value(depth));
				checkCount(elements.size());
				skipWhitespace();
				char c = peek();
				this.position++;
				if (c == ']') {
					return new JsonArray(elements);
				}
				if (c != ',') {
					this.position--;
					throw error("expected ',' or ']'");
				}
			}
		}

		JsonValue literal(String literal, JsonValue value) throws MalformedJsonException {
			if (!this.text.startsWith(literal, this.position)) {
				throw error("unexpected literal");
			}
			this.position += literal.length();
			return value;
		}

		String string() throws MalformedJsonException {
			this.position++;
			int maxLength = ReferenceJsonParser.this.limits.maxStringLength();
			StringBuilder builder = null;
			while (true) {
				// copy runs of characters that need no attention in one step
				int runStart = this.position;
				int end = this.text.length();
				while (this.position < end && isPlain(this.text.charAt(this.position))) {
					this.position++;
				}
				int length = ((builder != null) ? builder.length() : 0) + (this.position - runStart);
				if (length > maxLength) {
					throw error("string longer than " + maxLength);
				}
				char c = peek();
				if (c == '"') {
					String value = (builder != null) ? builder.append(this.text, runStart, this.position).toString()
							: this.text.substring(runStart, this.position);
					this.position++;
					return value;
				}
				if (builder == null) {
					builder = new StringBuilder(Math.max(16, 2 * (this.position - runStart)));
				}
				builder.append(this.text, runStart, this.position);
				if (c == '\\') {
					this.position++;
					escape(builder);
				}
				else if (c < 0x20) {
					throw error("unescaped control character in string");
				}
				else if (Character.isHighSurrogate(c)) {
					// the decoder only produces surrogates in valid pairs
					int codePoint = this.text.codePointAt(this.position);
					checkCharacter(codePoint);
					builder.appendCodePoint(codePoint);
					this.position += 2;
				}
				else {
					checkCharacter(c);
					builder.append(c);
					this.position++;
				}
				if (builder.length() > maxLength) {
					throw error("string longer than " + maxLength);
				}
			}
		}

		private static boolean isPlain(char c) {
			return c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)
					&& !(c >= 0xFDD0 && (c <= 0xFDEF || c >= 0xFFFE));
		}

		private void checkCharacter(int codePoint) throws MalformedJsonException {
			if (isNoncharacter(codePoint)) {
				throw error("noncharacter in string");
			}
		}

		private void escape(StringBuilder builder) throws MalformedJsonException {
			char c = peek();
			this.position++;
			switch (c) {
				case '"' -> builder.append('"');
				case '\\' -> builder.append('\\');
				case '/' -> builder.append('/');
				case 'b' -> builder.append('\b');
				case 'f' -> builder.append('\f');
				case 'n' -> builder.append('\n');
				case 'r' -> builder.append('\r');
				case 't' -> builder.append('\t');
				case 'u' -> unicodeEscape(builder);
				default -> {
					this.position--;
					throw error("invalid escape");
				}
			}
		}

		private void unicodeEscape(StringBuilder builder) throws MalformedJsonException {
			char first = hex4();
			if (Character.isLowSurrogate(first)) {
				throw error("lone low surrogate");
			}
			if (!Character.isHighSurrogate(first)) {
				checkCharacter(first);
				builder.append(first);
				return;
			}
			if (!this.text.startsWith("\\u", this.position)) {
				throw error("lone high surrogate");
			}
			this.position += 2;
			char second = hex4();
			if (!Character.isLowSurrogate(second)) {
				throw error("lone high surrogate");
			}
			int codePoint = Character.toCodePoint(first, second);
			checkCharacter(codePoint);
			builder.append(first).append(second);
		}

		private char hex4() throws MalformedJsonException {
			if (this.position + 4 > this.text.length()) {
				throw error("truncated unicode escape");
			}
			int value = 0;
			for (int i = 0; i < 4; i++) {
				int digit = Character.digit(this.text.charAt(this.position + i), 16);
				if (digit < 0) {
					throw error("invalid unicode escape");
				}
				value = (value << 4) | digit;
			}
			this.position += 4;
			return (char) value;
		}

		JsonNumber number() throws MalformedJsonException {
			int start = this.position;
			boolean integer = true;
			if (peekIs('-')) {
				this.position++;
			}
			if (peekIs('0')) {
				this.position++;
			}
			else if (!digits()) {
				throw error("invalid number");
			}
			if (peekIs('.')) {
				integer = false;
				this.position++;
				if (!digits()) {
					throw error("invalid number");
				}
			}
			if (peekIs('e') || peekIs('E')) {
				integer = false;
				this.position++;
				if (peekIs('+') || peekIs('-')) {
					this.position++;
				}
				if (!digits()) {
					throw error("invalid number");
				}
			}
			if (this.position - start > MAX_NUMBER_LENGTH) {
				this.position = start;
				throw error("number literal longer than " + MAX_NUMBER_LENGTH);
			}
			String literal = this.text.substring(start, this.position);
			double value = Double.parseDouble(literal);
			if (Double.isInfinite(value)) {
				this.position = start;
				throw error("number outside the range of a double");
			}
			BigDecimal exact;
			try {
				exact = new BigDecimal(literal);
			}
			catch (NumberFormatException ex) {
				this.position = start;
				throw error("number exponent out of range");
			}
			if (value == 0 && exact.signum() != 0) {
				this.position = start;
				throw error("non-zero number rounds to zero");
			}
			if (integer && exact.abs().compareTo(MAX_SAFE) > 0) {
				this.position = start;
				throw error("integer outside ±(2^53-1)");
			}
			if (Math.abs(value) > MAX_SAFE_INTEGER && Math.abs(value) < 1e21) {
				// whatever its notation, its canonical form (RFC 8785) is an integer
				// beyond
				// 2^53-1, which no I-JSON receiver holds exactly
				this.position = start;
				throw error("number between 2^53-1 and 10^21 has no exact I-JSON form");
			}
			return new JsonNumber(value);
		}

		private boolean peekIs(char c) {
			return this.position < this.text.length() && this.text.charAt(this.position) == c;
		}

		private boolean digits() {
			int start = this.position;
			while (this.position < this.text.length()) {
				char c = this.text.charAt(this.position);
				if (c < '0' || c > '9') {
					break;
				}
				this.position++;
			}
			return this.position > start;
		}

	}

}
