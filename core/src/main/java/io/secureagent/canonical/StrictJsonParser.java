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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;

import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonBoolean;
import io.secureagent.canonical.JsonValue.JsonNull;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import org.jspecify.annotations.Nullable;

/**
 * A strict parser for I-JSON (RFC 7493) documents encoded as UTF-8 (RFC 8259).
 * <p>
 * Rejected: invalid UTF-8, a byte order mark, duplicate member names, trailing data, lone
 * surrogates and noncharacters (escaped or not), unescaped control characters, numbers
 * outside the range of an IEEE 754 double, non-zero numbers that round to zero or are
 * subnormal (formatters that fall back to big integers can take seconds over the shortest
 * form of one, as erdtman's port of David Gay's {@code dtoa} did), numbers written as
 * integers beyond {@code ±(2^53-1)}, numbers of any notation whose magnitude is between
 * {@code 2^53-1} and {@code 10^21} (their canonical form would be such an integer), and
 * anything beyond the configured {@link JsonLimits}. The size is checked before anything
 * is read and the depth before descending, so no input can exhaust the stack or the heap.
 * <p>
 * The parser reads the UTF-8 bytes themselves: outside strings a document is ASCII, so
 * only the bytes inside strings are decoded, each multi-byte sequence checked in the
 * strict form of RFC 3629 (no overlong forms, no surrogates, nothing beyond U+10FFFF),
 * and runs of plain ASCII become strings in one copy.
 *
 * @author secure-agent authors
 */
public final class StrictJsonParser {

	/** The largest integer that every I-JSON receiver holds exactly: 2^53 - 1. */
	public static final long MAX_SAFE_INTEGER = 9_007_199_254_740_991L;

	private static final BigDecimal MAX_SAFE = BigDecimal.valueOf(MAX_SAFE_INTEGER);

	private static final int MAX_NUMBER_LENGTH = 512;

	/** Integers of at most this many digits are below 2^53 and read without a detour. */
	private static final int EXACT_INTEGER_DIGITS = 15;

	/** 10^0 to 10^22, each exact as a double. */
	private static final double[] POWERS_OF_TEN = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
			1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

	private final JsonLimits limits;

	public StrictJsonParser(JsonLimits limits) {
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
		if (utf8.length >= 3 && (utf8[0] & 0xFF) == 0xEF && (utf8[1] & 0xFF) == 0xBB && (utf8[2] & 0xFF) == 0xBF) {
			throw new MalformedJsonException("byte order mark is not allowed", false);
		}
		Cursor cursor = new Cursor(utf8);
		cursor.skipWhitespace();
		JsonValue value = cursor.value(0);
		cursor.skipWhitespace();
		if (cursor.position < utf8.length) {
			throw cursor.unexpected("trailing data after the document");
		}
		return value;
	}

	/**
	 * Return why a finite double is not a number of the protocol whatever its notation,
	 * or {@code null} if it is one. The senders of this library refuse the same numbers
	 * before they sign.
	 * @param value a finite double
	 * @return the reason, or {@code null}
	 */
	public static @Nullable String outsideTheProtocolsRange(double value) {
		if (value != 0 && Math.abs(value) < Double.MIN_NORMAL) {
			// a subnormal double: this library writes its shortest form (RFC 8785) as
			// fast as any other, but formatters that fall back to big integers can spend
			// seconds on one, and the protocol spares every receiver that
			return "subnormal number";
		}
		if (Math.abs(value) > MAX_SAFE_INTEGER && Math.abs(value) < 1e21) {
			// whatever its notation, its canonical form (RFC 8785) is an integer beyond
			// 2^53-1, which no I-JSON receiver holds exactly
			return "number between 2^53-1 and 10^21 has no exact I-JSON form";
		}
		return null;
	}

	static boolean isNoncharacter(int codePoint) {
		return (codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
	}

	private final class Cursor {

		private final byte[] bytes;

		private int position;

		private String[] names = new String[16];

		private JsonValue[] values = new JsonValue[16];

		private int top;

		// member names seen lately: the same few names recur in every element of an
		// array of objects, and are made once
		private final String[] recentNames = new String[64];

		private final byte[][] recentNameBytes = new byte[64][];

		Cursor(byte[] bytes) {
			this.bytes = bytes;
		}

		MalformedJsonException error(String message) {
			return new MalformedJsonException(message + " at offset " + this.position, false);
		}

		/**
		 * The error for a byte that the grammar does not allow here: a byte that starts
		 * no valid UTF-8 sequence is reported as such, as a decoder would.
		 */
		MalformedJsonException unexpected(String message) {
			if (this.position < this.bytes.length && this.bytes[this.position] < 0) {
				int at = this.position;
				try {
					codePoint();
				}
				catch (MalformedJsonException ex) {
					return ex;
				}
				finally {
					this.position = at;
				}
			}
			return error(message);
		}

		void skipWhitespace() {
			byte[] bytes = this.bytes;
			int position = this.position;
			while (position < bytes.length) {
				byte b = bytes[position];
				if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
					break;
				}
				position++;
			}
			this.position = position;
		}

		byte peek() throws MalformedJsonException {
			if (this.position >= this.bytes.length) {
				throw error("unexpected end of document");
			}
			return this.bytes[this.position];
		}

		void expect(char expected) throws MalformedJsonException {
			if (peek() != expected) {
				throw unexpected("expected '" + expected + "'");
			}
			this.position++;
		}

		JsonValue value(int depth) throws MalformedJsonException {
			byte c = peek();
			return switch (c) {
				case '{' -> object(depth + 1);
				case '[' -> array(depth + 1);
				case '"' -> new JsonString(string(false));
				case 't' -> literal("true", JsonBoolean.TRUE);
				case 'f' -> literal("false", JsonBoolean.FALSE);
				case 'n' -> literal("null", JsonNull.INSTANCE);
				default -> {
					if (c == '-' || (c >= '0' && c <= '9')) {
						yield number();
					}
					throw unexpected("unexpected character");
				}
			};
		}

		private void checkDepth(int depth) throws MalformedJsonException {
			if (depth > StrictJsonParser.this.limits.maxDepth()) {
				throw error("nesting deeper than " + StrictJsonParser.this.limits.maxDepth());
			}
		}

		private void checkCount(int count) throws MalformedJsonException {
			if (count > StrictJsonParser.this.limits.maxMembers()) {
				throw error("more than " + StrictJsonParser.this.limits.maxMembers() + " members");
			}
		}

		JsonObject object(int depth) throws MalformedJsonException {
			checkDepth(depth);
			this.position++;
			// the members of small objects go on a stack shared by all objects of the
			// document, and leave it in arrays of their exact size; a larger object
			// moves to a map
			int base = this.top;
			LinkedHashMap<String, JsonValue> large = null;
			skipWhitespace();
			if (peek() == '}') {
				this.position++;
				return JsonObject.owning(this.names, this.values, base, base);
			}
			while (true) {
				skipWhitespace();
				if (peek() != '"') {
					throw unexpected("expected a member name");
				}
				int nameStart = this.position;
				String name = string(true);
				skipWhitespace();
				expect(':');
				skipWhitespace();
				JsonValue value = value(depth);
				int count;
				if (large != null) {
					if (large.putIfAbsent(name, value) != null) {
						this.position = nameStart;
						throw error("duplicate member name");
					}
					count = large.size();
				}
				else {
					for (int i = base; i < this.top; i++) {
						if (this.names[i].equals(name)) {
							this.position = nameStart;
							throw error("duplicate member name");
						}
					}
					if (this.top - base == OwnedMembers.SMALL) {
						large = new LinkedHashMap<>();
						for (int i = base; i < this.top; i++) {
							large.put(this.names[i], this.values[i]);
						}
						large.put(name, value);
						this.top = base;
					}
					else {
						push(name, value);
					}
					count = (large != null) ? large.size() : this.top - base;
				}
				checkCount(count);
				skipWhitespace();
				byte c = peek();
				this.position++;
				if (c == '}') {
					JsonObject object = (large != null) ? JsonObject.owning(large)
							: JsonObject.owning(this.names, this.values, base, this.top);
					this.top = base;
					return object;
				}
				if (c != ',') {
					this.position--;
					throw unexpected("expected ',' or '}'");
				}
			}
		}

		private void push(String name, JsonValue value) {
			if (this.top == this.names.length) {
				this.names = Arrays.copyOf(this.names, 2 * this.top);
				this.values = Arrays.copyOf(this.values, 2 * this.top);
			}
			this.names[this.top] = name;
			this.values[this.top] = value;
			this.top++;
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
				byte c = peek();
				this.position++;
				if (c == ']') {
					return new JsonArray(elements);
				}
				if (c != ',') {
					this.position--;
					throw unexpected("expected ',' or ']'");
				}
			}
		}

		JsonValue literal(String literal, JsonValue value) throws MalformedJsonException {
			int end = this.position + literal.length();
			if (end > this.bytes.length) {
				throw error("unexpected literal");
			}
			for (int i = 0; i < literal.length(); i++) {
				if (this.bytes[this.position + i] != literal.charAt(i)) {
					throw error("unexpected literal");
				}
			}
			this.position = end;
			return value;
		}

		String string(boolean name) throws MalformedJsonException {
			this.position++;
			int maxLength = StrictJsonParser.this.limits.maxStringLength();
			byte[] bytes = this.bytes;
			StringBuilder builder = null;
			while (true) {
				// runs of printable ASCII other than '"' and '\\' need no attention: they
				// are copied in one step, one UTF-16 unit per byte
				int runStart = this.position;
				int position = PlainRun.end(bytes, runStart, bytes.length);
				this.position = position;
				int length = ((builder != null) ? builder.length() : 0) + (position - runStart);
				if (length > maxLength) {
					throw error("string longer than " + maxLength);
				}
				byte c = peek();
				if (c == '"' && builder == null) {
					this.position++;
					return name ? name(runStart, position - runStart)
							: new String(bytes, runStart, position - runStart, StandardCharsets.ISO_8859_1);
				}
				if (builder == null) {
					builder = new StringBuilder(Math.max(16, 2 * (position - runStart)));
				}
				appendAscii(builder, runStart, position);
				if (c == '"') {
					this.position++;
					return builder.toString();
				}
				if (c == '\\') {
					this.position++;
					escape(builder);
				}
				else if (c >= 0) {
					throw error("unescaped control character in string");
				}
				else {
					int codePoint = codePoint();
					checkCharacter(codePoint);
					builder.appendCodePoint(codePoint);
				}
				if (builder.length() > maxLength) {
					throw error("string longer than " + maxLength);
				}
			}
		}

		/** A member name of plain ASCII: made once while it recurs. */
		private String name(int start, int length) {
			if (length == 0 || length > 32) {
				return new String(this.bytes, start, length, StandardCharsets.ISO_8859_1);
			}
			int slot = (length * 31 + this.bytes[start] * 7 + this.bytes[start + length - 1])
					& (this.recentNames.length - 1);
			byte[] recent = this.recentNameBytes[slot];
			if (recent != null && Arrays.equals(recent, 0, recent.length, this.bytes, start, start + length)) {
				return this.recentNames[slot];
			}
			String made = new String(this.bytes, start, length, StandardCharsets.ISO_8859_1);
			this.recentNames[slot] = made;
			this.recentNameBytes[slot] = Arrays.copyOfRange(this.bytes, start, start + length);
			return made;
		}

		private void appendAscii(StringBuilder builder, int from, int to) {
			for (int i = from; i < to; i++) {
				builder.append((char) this.bytes[i]);
			}
		}

		/**
		 * Decode the multi-byte UTF-8 sequence at the position (RFC 3629, section 4) and
		 * step over it.
		 */
		private int codePoint() throws MalformedJsonException {
			byte[] bytes = this.bytes;
			int first = bytes[this.position] & 0xFF;
			int length;
			int codePoint;
			int min;
			if (first >= 0xC2 && first <= 0xDF) {
				length = 2;
				codePoint = first & 0x1F;
				min = 0x80;
			}
			else if (first >= 0xE0 && first <= 0xEF) {
				length = 3;
				codePoint = first & 0x0F;
				min = 0x800;
			}
			else if (first >= 0xF0 && first <= 0xF4) {
				length = 4;
				codePoint = first & 0x07;
				min = 0x10000;
			}
			else {
				throw error("invalid UTF-8");
			}
			if (this.position + length > bytes.length) {
				throw error("invalid UTF-8");
			}
			for (int i = 1; i < length; i++) {
				int next = bytes[this.position + i] & 0xFF;
				if ((next & 0xC0) != 0x80) {
					throw error("invalid UTF-8");
				}
				codePoint = (codePoint << 6) | (next & 0x3F);
			}
			if (codePoint < min || codePoint > Character.MAX_CODE_POINT
					|| (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
				throw error("invalid UTF-8");
			}
			this.position += length;
			return codePoint;
		}

		private void checkCharacter(int codePoint) throws MalformedJsonException {
			if (isNoncharacter(codePoint)) {
				throw error("noncharacter in string");
			}
		}

		private void escape(StringBuilder builder) throws MalformedJsonException {
			byte c = peek();
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
			if (this.position + 2 > this.bytes.length || this.bytes[this.position] != '\\'
					|| this.bytes[this.position + 1] != 'u') {
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
			if (this.position + 4 > this.bytes.length) {
				throw error("truncated unicode escape");
			}
			int value = 0;
			for (int i = 0; i < 4; i++) {
				int digit = Character.digit(this.bytes[this.position + i], 16);
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
			boolean negative = peekIs('-');
			if (negative) {
				this.position++;
			}
			int digitsStart = this.position;
			if (peekIs('0')) {
				this.position++;
			}
			else if (!digits()) {
				throw error("invalid number");
			}
			int digitsEnd = this.position;
			int fractionEnd = digitsEnd;
			if (peekIs('.')) {
				integer = false;
				this.position++;
				if (!digits()) {
					throw error("invalid number");
				}
				fractionEnd = this.position;
			}
			int exponentStart = this.position;
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
			if (integer && digitsEnd - digitsStart <= EXACT_INTEGER_DIGITS) {
				// below 10^15, so below 2^53: the double holds it exactly
				long magnitude = 0;
				for (int i = digitsStart; i < digitsEnd; i++) {
					magnitude = magnitude * 10 + (this.bytes[i] - '0');
				}
				return new JsonNumber(negative ? -magnitude : magnitude);
			}
			if (this.position - start > MAX_NUMBER_LENGTH) {
				this.position = start;
				throw error("number literal longer than " + MAX_NUMBER_LENGTH);
			}
			if (!integer) {
				double quick = shortDecimal(digitsStart, digitsEnd, fractionEnd, exponentStart);
				if (!Double.isNaN(quick)) {
					return new JsonNumber(negative ? -quick : quick);
				}
			}
			String literal = new String(this.bytes, start, this.position - start, StandardCharsets.ISO_8859_1);
			double value = Double.parseDouble(literal);
			if (Double.isInfinite(value)) {
				this.position = start;
				throw error("number outside the range of a double");
			}
			if (integer || value == 0) {
				// only these need the exact value: a non-zero fraction that reads as a
				// finite non-zero double has neither an integer's bound nor underflow
				exact(literal, start, integer, value);
			}
			String outside = outsideTheProtocolsRange(value);
			if (outside != null) {
				this.position = start;
				throw error(outside);
			}
			return new JsonNumber(value);
		}

		/**
		 * Read a decimal of at most 15 significant digits and a power of ten within 22 as
		 * one correctly rounded IEEE operation on two exact doubles (Clinger's fast path:
		 * below 10^15 the digits are exact, and so is every power of ten up to 10^22),
		 * which is what {@link Double#parseDouble} gives. Such a number is never zero
		 * unless its digits are, never subnormal, and never between 2^53-1 and 10^21
		 * unless written so: the caller's checks are not needed for it, but the last.
		 * @return the value, or NaN when the decimal is not of that kind
		 */
		private double shortDecimal(int digitsStart, int digitsEnd, int fractionEnd, int exponentStart) {
			int exponent = 0;
			if (exponentStart < this.position) {
				int i = exponentStart + 1;
				boolean negativeExponent = this.bytes[i] == '-';
				if (this.bytes[i] == '-' || this.bytes[i] == '+') {
					i++;
				}
				if (this.position - i > 3) {
					return Double.NaN;
				}
				for (; i < this.position; i++) {
					exponent = exponent * 10 + (this.bytes[i] - '0');
				}
				if (negativeExponent) {
					exponent = -exponent;
				}
			}
			long significand = 0;
			int significant = 0;
			for (int i = digitsStart; i < fractionEnd; i++) {
				byte b = this.bytes[i];
				if (b == '.') {
					continue;
				}
				if (significand != 0 || b != '0') {
					if (++significant > EXACT_INTEGER_DIGITS) {
						return Double.NaN;
					}
				}
				significand = significand * 10 + (b - '0');
				if (i >= digitsEnd) {
					exponent--;
				}
			}
			if (exponent < -22 || exponent > 22) {
				return Double.NaN;
			}
			double value = (exponent < 0) ? significand / POWERS_OF_TEN[-exponent]
					: significand * POWERS_OF_TEN[exponent];
			if (value > MAX_SAFE_INTEGER && value < 1e21) {
				// refused by the caller, with its reason
				return Double.NaN;
			}
			return value;
		}

		private void exact(String literal, int start, boolean integer, double value) throws MalformedJsonException {
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
		}

		private boolean peekIs(char c) {
			return this.position < this.bytes.length && this.bytes[this.position] == c;
		}

		private boolean digits() {
			int start = this.position;
			while (this.position < this.bytes.length) {
				byte c = this.bytes[this.position];
				if (c < '0' || c > '9') {
					break;
				}
				this.position++;
			}
			return this.position > start;
		}

	}

}
