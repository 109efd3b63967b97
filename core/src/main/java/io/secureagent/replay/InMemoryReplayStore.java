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

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link ReplayStore} for one process: a hash map of live entries beside a min-heap of
 * their retention times, both under one lock. Expired entries are swept on each
 * reservation, in order of expiry, at logarithmic cost each. When {@code capacity} live
 * entries are held, new ids are refused until some expire.
 *
 * @author secure-agent authors
 */
public final class InMemoryReplayStore implements ReplayStore {

	private final int capacity;

	private final Clock clock;

	private final Map<Key, Long> entries = new HashMap<>();

	private final PriorityQueue<Expiry> expiries = new PriorityQueue<>();

	/**
	 * Create a store.
	 * @param capacity the most live entries held at once
	 * @param clock the clock that decides when entries have expired
	 */
	public InMemoryReplayStore(int capacity, Clock clock) {
		if (capacity <= 0) {
			throw new IllegalArgumentException("capacity must be positive");
		}
		this.capacity = capacity;
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
	}

	@Override
	public synchronized Reservation reserve(String sender, String messageId, Instant retainUntil) {
		long now = this.clock.millis();
		sweep(now);
		Key key = new Key(sender, messageId);
		if (this.entries.containsKey(key)) {
			return Reservation.DUPLICATE;
		}
		if (this.entries.size() >= this.capacity) {
			return Reservation.FULL;
		}
		long until = retainUntil.toEpochMilli();
		this.entries.put(key, until);
		this.expiries.add(new Expiry(until, key));
		return Reservation.RESERVED;
	}

	@Override
	public synchronized long size() {
		return this.entries.size();
	}

	/**
	 * Return the capacity.
	 * @return the most live entries held at once
	 */
	public int capacity() {
		return this.capacity;
	}

	private void sweep(long now) {
		// an entry is live while now <= its retention time
		Expiry head = this.expiries.peek();
		while (head != null && head.until() < now) {
			this.expiries.poll();
			this.entries.remove(head.key(), head.until());
			head = this.expiries.peek();
		}
	}

	private record Key(String sender, String messageId) {

	}

	private record Expiry(long until, Key key) implements Comparable<Expiry> {

		@Override
		public int compareTo(Expiry other) {
			return Long.compare(this.until, other.until);
		}

	}

}
