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
package io.secureagent.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.replay.ReplayStore;

/**
 * The heap that live replay entries take, measured: the in-memory store filled to its
 * capacity with fresh message ids of one sender, beside a baseline in the same run that
 * keeps the same pairs as the store did before (a hash map of (sender, id) records to
 * their retention, and a heap of the same, for expiry), each measured as the growth of
 * the used heap after full collections. Then a flood: the store refills after expiry, and
 * its heap stays where it was.
 * <p>
 * {@code java -cp benchmarks/target/benchmarks.jar io.secureagent.benchmarks.ReplayStoreFootprint [entries]}
 *
 * @author secure-agent authors
 */
public final class ReplayStoreFootprint {

	private ReplayStoreFootprint() {
	}

	public static void main(String[] args) throws Exception {
		int entries = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000_000;
		String sender = "spiffe://bench.test/sender";
		String[] ids = new String[entries];
		for (int i = 0; i < entries; i++) {
			ids[i] = EnvelopeSigner.newMessageId();
		}
		Instant until = Instant.now().plusSeconds(3600);

		long before = used();
		Map<Key, Long> map = new HashMap<>();
		PriorityQueue<Expiry> expiries = new PriorityQueue<>();
		for (String id : ids) {
			Key key = new Key(sender, id);
			map.put(key, until.toEpochMilli());
			expiries.add(new Expiry(until.toEpochMilli(), key));
		}
		long baseline = used() - before;
		System.out.printf("baseline (map and heap of records): %.1f bytes per entry (%d entries)%n",
				(double) baseline / entries, map.size());
		map = null;
		expiries = null;

		MutableClock clock = new MutableClock();
		before = used();
		InMemoryReplayStore store = new InMemoryReplayStore(entries, entries, clock);
		for (String id : ids) {
			if (store.reserve(sender, id, until) != ReplayStore.Reservation.RESERVED) {
				throw new IllegalStateException("a fresh id was refused");
			}
		}
		long compact = used() - before;
		System.out.printf("in-memory store at capacity: %.1f bytes per entry, %.2fx the baseline%n",
				(double) compact / entries, (double) compact / baseline);
		// a flood at capacity: after expiry the store refills with new ids, in place
		for (int round = 0; round < 3; round++) {
			clock.advance(3601_000);
			Instant next = clock.instant().plusSeconds(3600);
			for (int i = 0; i < entries; i++) {
				if (store.reserve(sender, round + ids[i], next) != ReplayStore.Reservation.RESERVED) {
					throw new IllegalStateException("a fresh id was refused after expiry");
				}
			}
			System.out.printf("after flood %d: %.1f bytes per entry%n", round + 1,
					(double) (used() - before) / entries);
		}
		if (store.size() != entries) {
			throw new IllegalStateException("the store lost entries");
		}
	}

	private static long used() throws InterruptedException {
		for (int i = 0; i < 4; i++) {
			System.gc();
			Thread.sleep(100);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private record Key(String sender, String id) {

	}

	private record Expiry(long until, Key key) implements Comparable<Expiry> {

		@Override
		public int compareTo(Expiry other) {
			return Long.compare(this.until, other.until);
		}

	}

	private static final class MutableClock extends Clock {

		private long millis = System.currentTimeMillis();

		void advance(long by) {
			this.millis += by;
		}

		@Override
		public java.time.ZoneId getZone() {
			return java.time.ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public long millis() {
			return this.millis;
		}

		@Override
		public Instant instant() {
			return Instant.ofEpochMilli(this.millis);
		}

	}

}
