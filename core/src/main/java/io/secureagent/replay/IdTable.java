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

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The (sender, id) pairs of a replay store, compactly: an open-addressing table with
 * linear probing whose slot is a 128-bit digest of the pair, its retention time and the
 * index of its sender, 28 bytes, in four parallel arrays. A pair's digest is SHA-256 over
 * a random key of the table, the sender and the id, cut to 128 bits: no one can choose
 * pairs that collide without that key, and a collision by chance is as likely as guessing
 * a 128-bit key.
 * <p>
 * Entries whose retention has passed are removed lazily: a reservation that meets one
 * reuses its slot, and a sweep of the whole table (deleting by backward shift, so no
 * tombstone lengthens a probe) runs when the table or a sender's share looks full, at
 * most once per interval of the clock or per eighth of the table's slots in reservations,
 * whichever comes first; until then the counts include entries expired since the last
 * sweep. The table grows by doubling, up to what the capacity needs at 0.75 entries a
 * slot, and never shrinks: under a flood at capacity its memory stays flat. Not
 * thread-safe; the store locks around it.
 *
 * @author secure-agent authors
 */
final class IdTable {

	/** The live entries per slot at capacity, which sizes the largest table. */
	private static final double LIVE_LOAD = 0.75;

	/**
	 * The slots in use, live or expired, per slot, past which a table smaller than the
	 * largest grows. The largest never reaches it: {@link #room} refuses past the
	 * capacity, {@link #LIVE_LOAD} of its slots, so a probe always meets an empty slot.
	 */
	private static final double MAX_OCCUPANCY = 0.9;

	private static final int MIN_SLOTS = 1024;

	private static final long EMPTY = 0;

	private final int capacity;

	private final int capacityPerSender;

	private final int maxSlots;

	private final long sweepInterval;

	private final byte[] key = new byte[16];

	private final MessageDigest sha256;

	private long[] high;

	private long[] low;

	private long[] until;

	private int[] owner;

	private int occupied;

	private long lastSweep = Long.MIN_VALUE;

	private int sinceSweep;

	private final Map<String, Integer> senderIndex = new HashMap<>();

	private String[] senders = new String[16];

	private int[] perSender = new int[16];

	private final Deque<Integer> freeSenders = new ArrayDeque<>();

	/**
	 * Create a table.
	 * @param capacity the most live entries
	 * @param capacityPerSender the most live entries of one sender
	 * @param sweepInterval the least time between two sweeps, in the clock's milliseconds
	 */
	IdTable(int capacity, int capacityPerSender, long sweepInterval) {
		if (capacity > (Integer.MAX_VALUE - 8) * LIVE_LOAD) {
			throw new IllegalArgumentException(
					"capacity must be at most " + (long) ((Integer.MAX_VALUE - 8) * LIVE_LOAD));
		}
		this.capacity = capacity;
		this.capacityPerSender = capacityPerSender;
		this.sweepInterval = sweepInterval;
		this.maxSlots = (int) Math.min(Integer.MAX_VALUE - 8, (long) Math.ceil(capacity / LIVE_LOAD) + 1);
		allocate(Math.min(this.maxSlots, MIN_SLOTS));
		new SecureRandom().nextBytes(this.key);
		try {
			this.sha256 = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

	/**
	 * Look a pair up: its digest is kept for {@link #room} and {@link #add}.
	 * @param sender the sender
	 * @param id the message id
	 * @param now the store's clock reading
	 * @return {@code DUPLICATE} if the pair is held and live, else {@code RESERVED}
	 */
	ReplayStore.Reservation check(String sender, String id, long now) {
		digest(sender, id);
		int slot = find(now);
		return (slot >= 0) ? ReplayStore.Reservation.DUPLICATE : ReplayStore.Reservation.RESERVED;
	}

	/**
	 * Whether the pair whose digest {@link #check} computed can be added now, sweeping
	 * first if the table or the sender's share looks full.
	 * @param sender the sender
	 * @param now the store's clock reading
	 * @return {@code RESERVED}, {@code FULL} or {@code SENDER_FULL}
	 */
	ReplayStore.Reservation room(String sender, long now) {
		this.sinceSweep++;
		Integer index = this.senderIndex.get(sender);
		boolean senderFull = index != null && this.perSender[index] >= this.capacityPerSender;
		if ((this.occupied >= this.capacity || senderFull) && maySweep(now)) {
			// the counts include expired entries not yet swept: sweep, at most once per
			// interval, so that a sender at its share cannot make every message a sweep
			sweep(now);
			index = this.senderIndex.get(sender);
			senderFull = index != null && this.perSender[index] >= this.capacityPerSender;
		}
		if (this.occupied >= this.capacity) {
			return ReplayStore.Reservation.FULL;
		}
		return senderFull ? ReplayStore.Reservation.SENDER_FULL : ReplayStore.Reservation.RESERVED;
	}

	/**
	 * Add the pair whose digest {@link #check} computed, after {@link #room} allowed it.
	 * @param sender the sender
	 * @param retainUntil the retention time
	 * @param now the store's clock reading
	 */
	void add(String sender, long retainUntil, long now) {
		// room() keeps the slots in use, live or expired, at most the capacity, which is
		// 0.75 of the largest table: only a smaller one can fill up, and it grows
		if (this.occupied + 1 > this.high.length * MAX_OCCUPANCY && this.high.length < this.maxSlots) {
			grow();
		}
		int slot = insertionSlot(now);
		if (this.until[slot] != EMPTY) {
			// an expired entry's slot, reused
			release(this.owner[slot]);
			this.occupied--;
		}
		this.high[slot] = this.h;
		this.low[slot] = this.l;
		this.until[slot] = retainUntil + 1;
		this.owner[slot] = acquire(sender);
		this.occupied++;
	}

	/**
	 * Return the number of entries held: the live ones, and those expired since the last
	 * sweep, which runs first unless one ran less than the sweep interval ago.
	 * @param now the store's clock reading
	 * @return the entries held
	 */
	int size(long now) {
		if (maySweep(now)) {
			sweep(now);
		}
		return this.occupied;
	}

	/**
	 * Whether a sweep may run: once per interval, or once an eighth of the table's slots
	 * in reservations have come since the last, so that a busy table sweeps often while
	 * one sweep costs at most eight slot visits per reservation, amortized.
	 */
	private boolean maySweep(long now) {
		return this.lastSweep == Long.MIN_VALUE || now - this.lastSweep >= this.sweepInterval
				|| this.sinceSweep >= this.high.length / 8;
	}

	/**
	 * Return the bytes the slots take, for measurements.
	 * @return the bytes of the four arrays
	 */
	long slotBytes() {
		return (long) this.high.length * (8 + 8 + 8 + 4);
	}

	// the digest of the pair being reserved
	private long h;

	private long l;

	private void digest(String sender, String id) {
		this.sha256.update(this.key);
		this.sha256.update(sender.getBytes(StandardCharsets.UTF_8));
		this.sha256.update((byte) 0);
		byte[] hash = this.sha256.digest(id.getBytes(StandardCharsets.UTF_8));
		long first = 0;
		long second = 0;
		for (int i = 0; i < 8; i++) {
			first = (first << 8) | (hash[i] & 0xff);
			second = (second << 8) | (hash[8 + i] & 0xff);
		}
		this.h = first;
		this.l = second;
	}

	private int home(long high, int slots) {
		// Lemire's multiply-shift: a uniform index without a power-of-two table
		return (int) (((high >>> 32) * slots) >>> 32);
	}

	/**
	 * Find the live slot of the current digest.
	 * @return the slot, or -1
	 */
	private int find(long now) {
		int slots = this.high.length;
		int i = home(this.h, slots);
		while (this.until[i] != EMPTY) {
			if (this.high[i] == this.h && this.low[i] == this.l) {
				return (this.until[i] - 1 >= now) ? i : -1;
			}
			i = (i + 1 == slots) ? 0 : i + 1;
		}
		return -1;
	}

	private int insertionSlot(long now) {
		int slots = this.high.length;
		int i = home(this.h, slots);
		int reusable = -1;
		while (this.until[i] != EMPTY) {
			if (this.high[i] == this.h && this.low[i] == this.l) {
				// the same pair, expired: its slot
				return i;
			}
			if (reusable < 0 && this.until[i] - 1 < now) {
				reusable = i;
			}
			i = (i + 1 == slots) ? 0 : i + 1;
		}
		return (reusable >= 0) ? reusable : i;
	}

	private void sweep(long now) {
		this.lastSweep = now;
		this.sinceSweep = 0;
		int slots = this.high.length;
		int i = 0;
		while (i < slots) {
			if (this.until[i] != EMPTY && this.until[i] - 1 < now) {
				release(this.owner[i]);
				this.occupied--;
				delete(i);
				// what moved into slot i is looked at again
			}
			else {
				i++;
			}
		}
	}

	/**
	 * Empty a slot by backward shift (Knuth, TAOCP vol. 3, algorithm 6.4R): every later
	 * entry of its probe run that would be unreachable is moved up.
	 */
	private void delete(int slot) {
		int slots = this.high.length;
		int hole = slot;
		int j = slot;
		while (true) {
			j = (j + 1 == slots) ? 0 : j + 1;
			if (this.until[j] == EMPTY) {
				break;
			}
			int k = home(this.high[j], slots);
			boolean stays = (hole <= j) ? (hole < k && k <= j) : (hole < k || k <= j);
			if (!stays) {
				this.high[hole] = this.high[j];
				this.low[hole] = this.low[j];
				this.until[hole] = this.until[j];
				this.owner[hole] = this.owner[j];
				hole = j;
			}
		}
		this.until[hole] = EMPTY;
		this.high[hole] = 0;
		this.low[hole] = 0;
		this.owner[hole] = 0;
	}

	private void grow() {
		long[] oldHigh = this.high;
		long[] oldLow = this.low;
		long[] oldUntil = this.until;
		int[] oldOwner = this.owner;
		allocate((int) Math.min(this.maxSlots, 2L * oldHigh.length));
		int slots = this.high.length;
		for (int s = 0; s < oldHigh.length; s++) {
			if (oldUntil[s] != EMPTY) {
				int i = home(oldHigh[s], slots);
				while (this.until[i] != EMPTY) {
					i = (i + 1 == slots) ? 0 : i + 1;
				}
				this.high[i] = oldHigh[s];
				this.low[i] = oldLow[s];
				this.until[i] = oldUntil[s];
				this.owner[i] = oldOwner[s];
			}
		}
	}

	private void allocate(int slots) {
		this.high = new long[slots];
		this.low = new long[slots];
		this.until = new long[slots];
		this.owner = new int[slots];
	}

	private int acquire(String sender) {
		Integer index = this.senderIndex.get(sender);
		if (index == null) {
			index = this.freeSenders.isEmpty() ? this.senderIndex.size() : this.freeSenders.pop();
			if (index >= this.senders.length) {
				this.senders = Arrays.copyOf(this.senders, this.senders.length * 2);
				this.perSender = Arrays.copyOf(this.perSender, this.perSender.length * 2);
			}
			this.senders[index] = sender;
			this.senderIndex.put(sender, index);
		}
		this.perSender[index]++;
		return index;
	}

	private void release(int index) {
		if (--this.perSender[index] == 0) {
			this.senderIndex.remove(this.senders[index]);
			this.senders[index] = null;
			this.freeSenders.push(index);
		}
	}

}
