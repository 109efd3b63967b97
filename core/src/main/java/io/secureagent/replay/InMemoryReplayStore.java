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
 * A {@link ReplayStore} for one process, under one lock. The (sender, id) pairs live in a
 * compact open-addressing table (28 bytes a slot, at most 4/3 slot per entry at capacity,
 * about 41 bytes per live entry measured, allocated as the entries come and never more
 * than the capacity needs), keyed by a keyed 128-bit digest of the pair; one clock
 * reading per reservation decides what has expired and refuses a reservation already past
 * its retention. When {@code capacity} live entries are held, or one sender holds
 * {@code capacityPerSender}, new ids (of that sender) are refused until some expire;
 * expired entries are reclaimed by reuse and by sweeps of the table, at most one a second
 * unless the table has no other room. Each session's receive window lives beside the ids,
 * created with the session's first message and swept when the session expires.
 *
 * @author secure-agent authors
 */
public final class InMemoryReplayStore implements ReplayStore {

	private final int capacity;

	private final int capacityPerSender;

	private final Clock clock;

	private final IdTable ids;

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
		this.ids = new IdTable(capacity, this.capacityPerSender, 1000);
	}

	@Override
	public synchronized Reservation reserve(Entry entry) {
		long now = this.clock.millis();
		sweep(now);
		long until = entry.retainUntil().toEpochMilli();
		if (this.ids.check(entry.sender(), entry.messageId(), now) == Reservation.DUPLICATE) {
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
		Reservation room = this.ids.room(entry.sender(), now);
		if (room != Reservation.RESERVED) {
			return room;
		}
		this.ids.add(entry.sender(), until, now);
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
		return this.ids.size(this.clock.millis());
	}

	/**
	 * Return the bytes the table of ids takes now, for measurements.
	 * @return the bytes of its slots
	 */
	public synchronized long tableBytes() {
		return this.ids.slotBytes();
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
	}

	private record Window(SequenceWindow received, long until) {

	}

	private record WindowExpiry(long until, String sessionId) implements Comparable<WindowExpiry> {

		@Override
		public int compareTo(WindowExpiry other) {
			return Long.compare(this.until, other.until);
		}

	}

}
