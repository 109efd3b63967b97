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
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonBoolean;
import io.secureagent.canonical.JsonValue.JsonNull;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;

/**
 * Writes a {@link JsonValue} in the JSON Canonicalization Scheme of RFC 8785: members
 * sorted by the UTF-16 code units of their names, no insignificant white space, the
 * shortest string escapes, and numbers in the ECMAScript
 * {@code Number.prototype.toString} form. The tree is the one {@link StrictJsonParser}
 * checked, so no text is parsed again.
 * <p>
 * The UTF-8 bytes are written directly. Members already in canonical order, as a
 * canonical sender writes them and the parser keeps them, are written without sorting.
 *
 * @author secure-agent authors
 */
public final class JsonCanonicalizer {

	private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

	private static final String[] NO_SLOTS = {};

	private static final int[] NO_OFFSETS = {};

	private JsonCanonicalizer() {
	}

	/**
	 * Return the canonical UTF-8 bytes of a value.
	 * @param value the value
	 * @return the canonical bytes
	 */
	public static byte[] canonicalize(JsonValue value) {
		Output out = new Output(256);
		write(value, out);
		return out.toByteArray();
	}

	/**
	 * Return the canonical UTF-8 bytes of an object without some of its members, as if
	 * they had been removed first.
	 * @param object the object
	 * @param omitted the names of the members to leave out
	 * @return the canonical bytes
	 */
	public static byte[] canonicalizeWithout(JsonObject object, Set<String> omitted) {
		Output out = new Output(256);
		writeObject(object, omitted, out);
		return out.toByteArray();
	}

	/**
	 * Return the canonical text of a value: its canonical bytes, decoded.
	 * @param value the value
	 * @return the canonical text
	 */
	public static String canonicalText(JsonValue value) {
		return new String(canonicalize(value), StandardCharsets.UTF_8);
	}

	private static void write(JsonValue value, Output out) {
		if (value instanceof JsonObject object) {
			writeObject(object, Set.of(), out);
		}
		else if (value instanceof JsonArray array) {
			out.write('[');
			boolean first = true;
			for (JsonValue element : array.elements()) {
				if (!first) {
					out.write(',');
				}
				first = false;
				write(element, out);
			}
			out.write(']');
		}
		else if (value instanceof JsonString string) {
			writeString(string.value(), out);
		}
		else if (value instanceof JsonNumber number) {
			writeNumber(number.value(), out);
		}
		else if (value instanceof JsonBoolean bool) {
			out.write(bool.value() ? TRUE : FALSE);
		}
		else if (value instanceof JsonNull) {
			out.write(NULL);
		}
	}

	/**
	 * Return the canonical form of an object together with the places where members of
	 * the given names, absent from it, would stand: each can then be added without
	 * writing the rest again, as a signer adds the ciphertext and then the signature.
	 * @param object the object
	 * @param names the names of members that may be added, none of them in the object
	 * @return the canonical form with its slots
	 * @throws IllegalArgumentException if a name is already a member
	 */
	public static Template template(JsonObject object, String... names) {
		for (String name : names) {
			if (object.members().containsKey(name)) {
				throw new IllegalArgumentException("'" + name + "' is already a member");
			}
		}
		String[] slots = names.clone();
		Arrays.sort(slots);
		int[] offsets = new int[slots.length];
		Output out = new Output(256);
		writeObject(object, Set.of(), out, slots, offsets);
		return new Template(out.toByteArray(), slots, offsets);
	}

	private static void writeObject(JsonObject object, Set<String> omitted, Output out) {
		writeObject(object, omitted, out, NO_SLOTS, NO_OFFSETS);
	}

	private static void writeObject(JsonObject object, Set<String> omitted, Output out, String[] slots, int[] offsets) {
		String[] names;
		JsonValue[] values;
		if (object.members() instanceof OwnedMembers owned && owned.smallNames() != null
				&& inOrder(owned.smallNames())) {
			// the common case: a small object whose members came in order is written
			// from its own arrays
			names = owned.smallNames();
			values = owned.smallValues();
		}
		else {
			names = new String[object.members().size()];
			values = new JsonValue[names.length];
			sorted(object.members(), names, values);
		}
		out.write('{');
		boolean first = true;
		int slot = 0;
		for (int i = 0; i < names.length; i++) {
			String name = names[i];
			if (omitted.contains(name)) {
				continue;
			}
			while (slot < slots.length && slots[slot].compareTo(name) < 0) {
				offsets[slot++] = out.count;
			}
			if (!first) {
				out.write(',');
			}
			first = false;
			writeString(name, out);
			out.write(':');
			write(values[i], out);
		}
		while (slot < slots.length) {
			offsets[slot++] = out.count;
		}
		out.write('}');
	}

	@SuppressWarnings("unchecked")
	private static void sorted(Map<String, JsonValue> members, String[] names, JsonValue[] values) {
		Map.Entry<String, JsonValue>[] entries = members.entrySet().toArray(new Map.Entry[0]);
		// String.compareTo orders by UTF-16 code units, as RFC 8785 section 3.2.3
		// requires
		Arrays.sort(entries, Map.Entry.comparingByKey());
		for (int i = 0; i < entries.length; i++) {
			names[i] = entries[i].getKey();
			values[i] = entries[i].getValue();
		}
	}

	private static boolean inOrder(String[] names) {
		for (int i = 1; i < names.length; i++) {
			if (names[i - 1].compareTo(names[i]) >= 0) {
				return false;
			}
		}
		return true;
	}

	private static void writeString(String value, Output out) {
		// the JDK encodes an ASCII string by a vectorized check and one copy; it would
		// write a lone surrogate, which has no UTF-8 form, as '?', and so sign other
		// text than the sender's: a tree from the parser never holds one, and a tree
		// made by hand that does is refused
		byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
		if (PlainRun.contains(utf8, (byte) '?')) {
			checkNoLoneSurrogate(value);
		}
		out.write('"');
		int position = 0;
		while (position < utf8.length) {
			int end = PlainRun.end(utf8, position, utf8.length);
			out.write(utf8, position, end - position);
			if (end == utf8.length) {
				break;
			}
			byte b = utf8[end];
			if (b < 0) {
				// a byte of a multi-byte sequence: UTF-8 goes out as it is
				out.write(b);
			}
			else {
				escape((char) b, out);
			}
			position = end + 1;
		}
		out.write('"');
	}

	private static void checkNoLoneSurrogate(String value) {
		int at = loneSurrogate(value);
		if (at >= 0) {
			throw new IllegalArgumentException("a JSON string holds a lone surrogate at index " + at
					+ ", which has no UTF-8 form (RFC 8785 section 3.2.2.2)");
		}
	}

	/** Return the index of the first surrogate that is not half of a pair, or -1. */
	static int loneSurrogate(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < value.length()
					&& Character.isLowSurrogate(value.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return i;
			}
		}
		return -1;
	}

	private static void escape(char c, Output out) {
		switch (c) {
			case '"' -> out.write('\\', '"');
			case '\\' -> out.write('\\', '\\');
			case '\b' -> out.write('\\', 'b');
			case '\f' -> out.write('\\', 'f');
			case '\n' -> out.write('\\', 'n');
			case '\r' -> out.write('\\', 'r');
			case '\t' -> out.write('\\', 't');
			default -> {
				out.write('\\', 'u');
				out.write('0', '0');
				out.write(HEX[c >> 4], HEX[c & 0xF]);
			}
		}
	}

	private static void writeNumber(double value, Output out) {
		if (value == Math.rint(value) && Math.abs(value) <= StrictJsonParser.MAX_SAFE_INTEGER) {
			// the common case: integers print as themselves, and -0 prints as 0
			out.writeLong((long) value);
		}
		else {
			out.writeNumber(value);
		}
	}

	/** The canonical form of one number, as {@link #canonicalize} writes it. */
	static String serializeNumber(double value) {
		return EcmaNumbers.toString(value);
	}

	/**
	 * The canonical form of an object and the places where members of some names would
	 * stand. Each {@link #with} gives the canonical form of the object with one more
	 * member, byte for byte what {@link #canonicalize} writes for it.
	 */
	public static final class Template {

		private final byte[] bytes;

		private final String[] slots;

		private final int[] offsets;

		private Template(byte[] bytes, String[] slots, int[] offsets) {
			this.bytes = bytes;
			this.slots = slots;
			this.offsets = offsets;
		}

		/**
		 * Return the canonical bytes of the object as it is.
		 * @return the canonical bytes
		 */
		public byte[] bytes() {
			return this.bytes.clone();
		}

		/**
		 * Return the template of the object with one more member, in its slot.
		 * @param name the member name, one of the template's slots
		 * @param value the member value
		 * @return the template with the member added and its slot gone
		 * @throws IllegalArgumentException if the name has no slot
		 */
		public Template with(String name, JsonValue value) {
			int index = Arrays.binarySearch(this.slots, name);
			if (index < 0) {
				throw new IllegalArgumentException("no slot for '" + name + "'");
			}
			int offset = this.offsets[index];
			// members before the slot are followed by ",member"; a slot right after '{'
			// takes "member" and a ',' if members follow it
			boolean before = offset > 1;
			boolean after = this.bytes[offset] != '}';
			Output member = new Output(64);
			if (before) {
				member.write(',');
			}
			writeString(name, member);
			member.write(':');
			write(value, member);
			int memberEnd = member.count;
			if (!before && after) {
				member.write(',');
			}
			Output out = new Output(this.bytes.length + member.count);
			out.write(this.bytes, 0, offset);
			out.write(member.bytes, 0, member.count);
			out.write(this.bytes, offset, this.bytes.length - offset);
			String[] slots = new String[this.slots.length - 1];
			int[] offsets = new int[slots.length];
			for (int i = 0, j = 0; i < this.slots.length; i++) {
				if (i == index) {
					continue;
				}
				slots[j] = this.slots[i];
				if (this.offsets[i] > offset) {
					offsets[j] = this.offsets[i] + member.count;
				}
				else if (this.offsets[i] == offset && i > index) {
					// a later slot at the same place now stands right after the member
					offsets[j] = offset + memberEnd;
				}
				else {
					offsets[j] = this.offsets[i];
				}
				j++;
			}
			return new Template(out.toByteArray(), slots, offsets);
		}

	}

	/**
	 * A growable byte buffer that writes UTF-8.
	 */
	private static final class Output {

		private byte[] bytes;

		private int count;

		Output(int capacity) {
			this.bytes = new byte[capacity];
		}

		void ensure(int more) {
			if (this.count + more > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.count + more));
			}
		}

		void write(int b) {
			ensure(1);
			this.bytes[this.count++] = (byte) b;
		}

		void write(int first, int second) {
			ensure(2);
			this.bytes[this.count++] = (byte) first;
			this.bytes[this.count++] = (byte) second;
		}

		void write(byte[] literal) {
			ensure(literal.length);
			System.arraycopy(literal, 0, this.bytes, this.count, literal.length);
			this.count += literal.length;
		}

		void write(byte[] source, int from, int length) {
			ensure(length);
			System.arraycopy(source, from, this.bytes, this.count, length);
			this.count += length;
		}

		void writeNumber(double value) {
			ensure(EcmaNumbers.MAX_LENGTH);
			this.count = EcmaNumbers.write(value, this.bytes, this.count);
		}

		void writeLong(long value) {
			if (value == 0) {
				write('0');
				return;
			}
			ensure(20);
			long rest = value;
			if (rest < 0) {
				this.bytes[this.count++] = '-';
				rest = -rest;
			}
			int start = this.count;
			while (rest > 0) {
				this.bytes[this.count++] = (byte) ('0' + (int) (rest % 10));
				rest /= 10;
			}
			for (int i = start, j = this.count - 1; i < j; i++, j--) {
				byte swap = this.bytes[i];
				this.bytes[i] = this.bytes[j];
				this.bytes[j] = swap;
			}
		}

		byte[] toByteArray() {
			return Arrays.copyOf(this.bytes, this.count);
		}

	}

}
