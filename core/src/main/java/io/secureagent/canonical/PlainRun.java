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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds the end of a run of bytes that a JSON string holds as they are: printable ASCII
 * other than {@code "} and {@code \\}. Eight bytes are tested at a time, as one
 * {@code long}, so that long runs (base64 ciphertext, most of all) cost a fraction of a
 * byte-by-byte loop.
 *
 * @author secure-agent authors
 */
final class PlainRun {

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private static final long ONES = 0x0101010101010101L;

	private static final long HIGHS = 0x8080808080808080L;

	private static final long SPACES = 0x2020202020202020L;

	private static final long QUOTES = 0x2222222222222222L;

	private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

	private PlainRun() {
	}

	/**
	 * Return the index of the first byte from {@code from} on that is not plain, or
	 * {@code to} if there is none.
	 * @param bytes the bytes
	 * @param from the first index
	 * @param to the index after the last
	 * @return the end of the plain run
	 */
	static int end(byte[] bytes, int from, int to) {
		int i = from;
		while (i + Long.BYTES <= to) {
			long word = (long) LONGS.get(bytes, i);
			long special = special(word);
			if (special != 0) {
				// little-endian: the lowest flagged byte is the first in the array
				return i + (Long.numberOfTrailingZeros(special) >>> 3);
			}
			i += Long.BYTES;
		}
		while (i < to && isPlain(bytes[i])) {
			i++;
		}
		return i;
	}

	/**
	 * Return whether a byte occurs in an array, eight bytes tested at a time.
	 * @param bytes the bytes
	 * @param value the byte to find, below 0x80
	 * @return whether it occurs
	 */
	static boolean contains(byte[] bytes, byte value) {
		long pattern = ONES * value;
		int i = 0;
		while (i + Long.BYTES <= bytes.length) {
			if ((zeroBytes((long) LONGS.get(bytes, i) ^ pattern) & HIGHS) != 0) {
				return true;
			}
			i += Long.BYTES;
		}
		while (i < bytes.length) {
			if (bytes[i++] == value) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Flag (with its high bit) every byte of a word that is not plain. A borrow can flag
	 * a byte after a flagged one wrongly, never before it, so the lowest flag is exact.
	 */
	static long special(long word) {
		long control = (word - SPACES) & ~word;
		long quote = zeroBytes(word ^ QUOTES);
		long backslash = zeroBytes(word ^ BACKSLASHES);
		return (word | control | quote | backslash) & HIGHS;
	}

	private static long zeroBytes(long word) {
		return (word - ONES) & ~word;
	}

	static boolean isPlain(byte b) {
		return b >= 0x20 && b != '"' && b != '\\';
	}

}
