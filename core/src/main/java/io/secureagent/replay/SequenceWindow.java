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
package io.secureagent.replay;

import java.util.Arrays;

/**
 * A sliding anti-replay window over 64-bit sequence numbers, as IPsec (RFC 4303 section
 * 3.4.3) and DTLS keep one: the highest number seen, and one bit for each of the
 * {@code size} numbers at or below it. Memory is constant whatever the traffic.
 * <p>
 * Callers {@link #check} a number, do whatever else must succeed, then {@link #mark} it,
 * all while holding this object's monitor, so that of two racing copies exactly one is
 * marked.
 *
 * @author secure-agent authors
 */
public final class SequenceWindow {

	private final int size;

	private final long[] bits;

	private long highest = -1;

	/**
	 * Create a window.
	 * @param size how many numbers at or below the highest are remembered: a positive
	 * multiple of 64
	 */
	public SequenceWindow(int size) {
		if (size < 64 || size % 64 != 0) {
			throw new IllegalArgumentException("window size must be a positive multiple of 64");
		}
		this.size = size;
		this.bits = new long[size / 64];
	}

	/**
	 * Check a sequence number without recording it.
	 * @param sequence the number
	 * @return whether it is new, already seen, or too old to tell
	 */
	public synchronized Status check(long sequence) {
		if (sequence < 0) {
			return Status.TOO_OLD;
		}
		if (sequence > this.highest) {
			return Status.NEW;
		}
		if (this.highest - sequence >= this.size) {
			return Status.TOO_OLD;
		}
		return isSet(sequence) ? Status.SEEN : Status.NEW;
	}

	/**
	 * Record a sequence number that {@link #check} found new.
	 * @param sequence the number
	 */
	public synchronized void mark(long sequence) {
		if (check(sequence) != Status.NEW) {
			throw new IllegalStateException("sequence number is not new");
		}
		if (sequence > this.highest) {
			long advance = sequence - this.highest;
			if (advance >= this.size) {
				Arrays.fill(this.bits, 0L);
			}
			else {
				for (long s = this.highest + 1; s <= sequence; s++) {
					clear(s);
				}
			}
			this.highest = sequence;
		}
		set(sequence);
	}

	/**
	 * Return the highest sequence number recorded, or -1.
	 * @return the highest number
	 */
	public synchronized long highest() {
		return this.highest;
	}

	private int index(long sequence) {
		return (int) (sequence % this.size);
	}

	private boolean isSet(long sequence) {
		int index = index(sequence);
		return (this.bits[index >>> 6] & (1L << (index & 63))) != 0;
	}

	private void set(long sequence) {
		int index = index(sequence);
		this.bits[index >>> 6] |= (1L << (index & 63));
	}

	private void clear(long sequence) {
		int index = index(sequence);
		this.bits[index >>> 6] &= ~(1L << (index & 63));
	}

	/**
	 * What the window knows of a sequence number.
	 */
	public enum Status {

		/** Not seen, and within or above the window. */
		NEW,

		/** Already recorded: a replay. */
		SEEN,

		/** Below the window: it cannot be told apart from a replay, so it is refused. */
		TOO_OLD

	}

}
