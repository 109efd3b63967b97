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
package io.secureagent.session;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.spiffe.spiffeid.SpiffeId;
import org.jspecify.annotations.Nullable;

/**
 * Sessions in memory, bounded in all and per peer. Expired sessions are swept, and their
 * keys erased, at each handshake and whenever the store is full.
 *
 * @author secure-agent authors
 */
public final class InMemorySessionStore implements SessionStore {

	private final int capacity;

	private final int capacityPerPeer;

	private final Clock clock;

	private final Map<String, Session> sessions = new ConcurrentHashMap<>();

	private final Set<String> published = ConcurrentHashMap.newKeySet();

	private final Map<SpiffeId, Integer> perPeer = new HashMap<>();

	/**
	 * Create a store in which one peer may hold every session.
	 * @param capacity the most sessions held at once
	 * @param clock the clock that decides when sessions have expired
	 */
	public InMemorySessionStore(int capacity, Clock clock) {
		this(capacity, capacity, clock);
	}

	/**
	 * Create a store.
	 * @param capacity the most sessions held at once
	 * @param capacityPerPeer the most sessions held at once with one peer
	 * @param clock the clock that decides when sessions have expired
	 */
	public InMemorySessionStore(int capacity, int capacityPerPeer, Clock clock) {
		if (capacity <= 0 || capacityPerPeer <= 0) {
			throw new IllegalArgumentException("capacity and capacityPerPeer must be positive");
		}
		this.capacity = capacity;
		this.capacityPerPeer = Math.min(capacity, capacityPerPeer);
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
	}

	@Override
	public synchronized Admission add(Session session) {
		// handshakes are rare next to messages: sweep on each, so that expired keys are
		// erased soon, not only when the store fills
		sweep();
		Admission admission = admissible(session.peer(), session.id());
		if (admission == Admission.ADMITTED) {
			this.sessions.put(session.id(), session);
			this.perPeer.merge(session.peer(), 1, Integer::sum);
		}
		return admission;
	}

	@Override
	public synchronized Admission admissible(SpiffeId peer, @Nullable String sessionId) {
		if (sessionId != null && this.sessions.containsKey(sessionId)) {
			return Admission.ID_IN_USE;
		}
		if (this.sessions.size() >= this.capacity || this.perPeer.getOrDefault(peer, 0) >= this.capacityPerPeer) {
			sweep();
		}
		if (this.sessions.size() >= this.capacity) {
			return Admission.FULL;
		}
		if (this.perPeer.getOrDefault(peer, 0) >= this.capacityPerPeer) {
			return Admission.PEER_QUOTA_EXCEEDED;
		}
		return Admission.ADMITTED;
	}

	@Override
	public void publish(Session session) {
		if (this.sessions.get(session.id()) == session) {
			this.published.add(session.id());
		}
	}

	@Override
	public Optional<Session> find(String sessionId) {
		return this.published.contains(sessionId) ? Optional.ofNullable(this.sessions.get(sessionId))
				: Optional.empty();
	}

	@Override
	public synchronized void remove(Session session) {
		if (this.sessions.remove(session.id(), session)) {
			this.published.remove(session.id());
			release(session.peer());
		}
		session.destroy();
	}

	@Override
	public int size() {
		return this.sessions.size();
	}

	@Override
	public synchronized int size(SpiffeId peer) {
		return this.perPeer.getOrDefault(peer, 0);
	}

	private void release(SpiffeId peer) {
		this.perPeer.computeIfPresent(peer, (key, count) -> (count > 1) ? count - 1 : null);
	}

	private void sweep() {
		Instant now = this.clock.instant();
		Iterator<Session> iterator = this.sessions.values().iterator();
		while (iterator.hasNext()) {
			Session session = iterator.next();
			if (session.isExpired(now)) {
				iterator.remove();
				this.published.remove(session.id());
				release(session.peer());
				session.destroy();
			}
		}
	}

}
