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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded {@link SessionStore} in memory. Expired sessions are removed, and their keys
 * erased, whenever a session is added or room is asked for; live sessions are never
 * evicted: when full, new sessions are refused.
 *
 * @author secure-agent authors
 */
public final class InMemorySessionStore implements SessionStore {

	private final int capacity;

	private final Clock clock;

	private final Map<String, Session> sessions = new ConcurrentHashMap<>();

	public InMemorySessionStore(int capacity, Clock clock) {
		if (capacity <= 0) {
			throw new IllegalArgumentException("capacity must be positive");
		}
		this.capacity = capacity;
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
	}

	@Override
	public synchronized boolean add(Session session) {
		// handshakes are rare next to messages: sweep on each, so that expired keys are
		// erased soon, not only when the store fills
		sweep();
		if (this.sessions.size() >= this.capacity) {
			return false;
		}
		this.sessions.put(session.id(), session);
		return true;
	}

	@Override
	public Optional<Session> find(String sessionId) {
		return Optional.ofNullable(this.sessions.get(sessionId));
	}

	@Override
	public void remove(String sessionId) {
		Session session = this.sessions.remove(sessionId);
		if (session != null) {
			session.destroy();
		}
	}

	@Override
	public int size() {
		return this.sessions.size();
	}

	@Override
	public synchronized boolean hasRoom() {
		if (this.sessions.size() >= this.capacity) {
			sweep();
		}
		return this.sessions.size() < this.capacity;
	}

	private void sweep() {
		var now = this.clock.instant();
		this.sessions.values().removeIf((session) -> {
			if (session.isExpired(now)) {
				session.destroy();
				return true;
			}
			return false;
		});
	}

}
