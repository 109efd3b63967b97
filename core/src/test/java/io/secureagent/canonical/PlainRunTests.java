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

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The word-at-a-time scan for plain string bytes against a byte-by-byte loop.
 *
 * @author secure-agent authors
 */
class PlainRunTests {

	@Test
	void endWhenEveryByteValueAtEveryPlaceOfAWordAndItsTailThenFirstNonPlainFound() {
		for (int value = 0; value < 256; value++) {
			for (int length = 1; length <= 19; length++) {
				for (int at = 0; at < length; at++) {
					byte[] bytes = new byte[length];
					Arrays.fill(bytes, (byte) 'a');
					bytes[at] = (byte) value;
					int expected = PlainRun.isPlain((byte) value) ? length : at;
					assertThat(PlainRun.end(bytes, 0, length)).as("byte %02x at %d of %d", value, at, length)
						.isEqualTo(expected);
				}
			}
		}
	}

	@Test
	void containsWhenEveryByteValueAtEveryPlaceThenFoundExactlyWhenPresent() {
		for (int value = 0; value < 256; value++) {
			for (int length = 0; length <= 19; length++) {
				for (int at = -1; at < length; at++) {
					byte[] bytes = new byte[length];
					Arrays.fill(bytes, (byte) 'a');
					if (at >= 0) {
						bytes[at] = (byte) value;
					}
					boolean expected = (value == '?') && at >= 0;
					assertThat(PlainRun.contains(bytes, (byte) '?')).as("byte %02x at %d of %d", value, at, length)
						.isEqualTo(expected);
				}
			}
		}
	}

	@Test
	void endWhenRandomBytesAndRangesThenSameAsOneByteAtATime() {
		Random random = new Random(1);
		// bytes around the edges of the plain range, so that borrows between bytes occur
		byte[] pool = { 0x00, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, (byte) 0x80, (byte) 0xFF, 'a',
				'Z', '0' };
		for (int i = 0; i < 100_000; i++) {
			byte[] bytes = new byte[random.nextInt(40)];
			for (int j = 0; j < bytes.length; j++) {
				bytes[j] = (random.nextInt(3) == 0) ? pool[random.nextInt(pool.length)] : (byte) ('a' + j % 26);
			}
			int from = random.nextInt(bytes.length + 1);
			int to = from + random.nextInt(bytes.length - from + 1);
			int expected = from;
			while (expected < to && PlainRun.isPlain(bytes[expected])) {
				expected++;
			}
			assertThat(PlainRun.end(bytes, from, to)).isEqualTo(expected);
		}
	}

}
