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
 * reservation, in order of expiry, at logarithmic cost each, with the same clock reading
 * that refuses a reservation already past its retention. When {@code capacity} live
 * entries are held, or one sender holds {@code capacityPerSender}, new ids (of that
 * sender) are refused until some expire. Each session's receive window lives beside the
 * ids, created with the session's first message and swept when the session expires.
 *
 * @author secure-agent authors
 */
public final class InMemoryReplayStore implements ReplayStore {

	private final int capacity;

	private final int capacityPerSender;

	private final Clock clock;

	private final Map<Key, Long> entries = new HashMap<>();

	private final Map<String, Integer> perSender = new HashMap<>();

	private final PriorityQueue<Expiry> expiries = new PriorityQueue<>();

	private final Map<String, Window> windows = new HashMap<>();

	private final PriorityQueue<WindowExpiry> windowExpiries = new PriorityQueue<>();

	/**
	 * Create a store.
	 * @param capacity the most live entries held at once
	 * @param clock the clock that decides when entries have expired
	 */
	public InMemoryReplayStore(int capacity, Clock clock) {
		this(capacity, capacity, clock);
	}

	/**
	 * Create a store that keeps a share for each sender.
	 * @param capacity the most live entries held at once
	 * @param capacityPerSender the most live entries one sender may hold
	 * @param clock the clock that decides when entries have expired
	 */
	public InMemoryReplayStore(int capacity, int capacityPerSender, Clock clock) {
		if (capacity <= 0 || capacityPerSender <= 0) {
			throw new IllegalArgumentException("capacity and capacityPerSender must be positive");
		}
		this.capacity = capacity;
		this.capacityPerSender = Math.min(capacity, capacityPerSender);
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
	}

	@Override
	public synchronized Reservation reserve(Entry entry) {
		long now = this.clock.millis();
		sweep(now);
		long until = entry.retainUntil().toEpochMilli();
		Key key = new Key(entry.sender(), entry.messageId());
		if (this.entries.containsKey(key)) {
			return Reservation.DUPLICATE;
		}
		if (until < now) {
			return Reservation.EXPIRED;
		}
		Sequence sequence = entry.sequence();
		Window window = null;
		if (sequence != null) {
			window = this.windows.get(sequence.sessionId());
			SequenceWindow.Status status = (window != null) ? window.received().check(sequence.number())
					: (sequence.number() < 0) ? SequenceWindow.Status.TOO_OLD : SequenceWindow.Status.NEW;
			switch (status) {
				case SEEN -> {
					return Reservation.SEQUENCE_SEEN;
				}
				case TOO_OLD -> {
					return Reservation.SEQUENCE_TOO_OLD;
				}
				case NEW -> {
				}
			}
		}
		if (this.entries.size() >= this.capacity) {
			return Reservation.FULL;
		}
		if (this.perSender.getOrDefault(entry.sender(), 0) >= this.capacityPerSender) {
			return Reservation.SENDER_FULL;
		}
		this.entries.put(key, until);
		this.perSender.merge(entry.sender(), 1, Integer::sum);
		this.expiries.add(new Expiry(until, key));
		if (sequence != null) {
			if (window == null) {
				window = new Window(new SequenceWindow(sequence.window()), sequence.sessionExpiresAt().toEpochMilli());
				this.windows.put(sequence.sessionId(), window);
				this.windowExpiries.add(new WindowExpiry(window.until(), sequence.sessionId()));
			}
			window.received().mark(sequence.number());
		}
		return Reservation.RESERVED;
	}

	@Override
	public synchronized void forgetWindow(String sessionId) {
		this.windows.remove(sessionId);
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
		WindowExpiry window = this.windowExpiries.peek();
		while (window != null && window.until() < now) {
			this.windowExpiries.poll();
			Window held = this.windows.get(window.sessionId());
			if (held != null && held.until() == window.until()) {
				this.windows.remove(window.sessionId());
			}
			window = this.windowExpiries.peek();
		}
		// an entry is live while now <= its retention time
		Expiry head = this.expiries.peek();
		while (head != null && head.until() < now) {
			this.expiries.poll();
			if (this.entries.remove(head.key(), head.until())) {
				this.perSender.computeIfPresent(head.key().sender(), (sender, count) -> (count > 1) ? count - 1 : null);
			}
			head = this.expiries.peek();
		}
	}

	private record Key(String sender, String messageId) {

	}

	private record Window(SequenceWindow received, long until) {

	}

	private record WindowExpiry(long until, String sessionId) implements Comparable<WindowExpiry> {

		@Override
		public int compareTo(WindowExpiry other) {
			return Long.compare(this.until, other.until);
		}

	}

	private record Expiry(long until, Key key) implements Comparable<Expiry> {

		@Override
		public int compareTo(Expiry other) {
			return Long.compare(this.until, other.until);
		}

	}

}
