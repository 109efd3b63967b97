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

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Remembers which message ids each sender has used, so that no message is accepted twice.
 * <p>
 * Implementations must make {@link #reserve} atomic (of two racing reservations of one
 * key exactly one succeeds), must keep every entry until its retention time has passed,
 * and must refuse new entries when full rather than evict a live one. They decide what
 * has expired by one clock of their own, read once per reservation, and refuse a
 * reservation whose retention time has already passed by that clock: a copy arriving just
 * as the original is swept must not be reserved again.
 * <p>
 * For an encrypted message the reservation also takes its sequence number in the
 * session's receive window ({@link Sequence}), in the same atomic step: the window is
 * replay state, kept where the ids are, so that replicas sharing a store share windows
 * too. Either both are reserved or neither.
 *
 * @author secure-agent authors
 */
public interface ReplayStore {

	/**
	 * Reserve a message id for a sender, if it is not already reserved.
	 * @param sender the sender's SPIFFE ID
	 * @param messageId the message id
	 * @param retainUntil the instant until which the reservation must be kept
	 * @return the outcome
	 * @throws ReplayStoreUnavailableException if the store cannot answer; callers fail
	 * closed
	 */
	default Reservation reserve(String sender, String messageId, Instant retainUntil)
			throws ReplayStoreUnavailableException {
		return reserve(new Entry(sender, messageId, Long.MIN_VALUE, retainUntil, null));
	}

	/**
	 * Reserve a message id for a sender and, for an encrypted message, its sequence
	 * number in its session's window: both, atomically, or neither.
	 * @param entry what to reserve
	 * @return the outcome
	 * @throws ReplayStoreUnavailableException if the store cannot answer; callers fail
	 * closed
	 */
	Reservation reserve(Entry entry) throws ReplayStoreUnavailableException;

	/**
	 * Forget the receive window of a session that ended.
	 * @param sessionId the session
	 * @throws ReplayStoreUnavailableException if the store cannot answer
	 */
	void forgetWindow(String sessionId) throws ReplayStoreUnavailableException;

	/**
	 * Tell whether this store's entries outlive the agent's restarts, as a shared
	 * server's do; entries in the agent's memory do not.
	 * @return whether they do
	 */
	default boolean survivesRestarts() {
		return false;
	}

	/**
	 * Check the store, for health reports: a store kept outside this process says here
	 * why it refuses reservations (unreachable, an evicting memory policy).
	 * @return the problem, or {@code null} when the store is healthy
	 */
	default @Nullable String health() {
		return null;
	}

	/**
	 * Return the number of entries held, including any not yet swept after expiry.
	 * @return the number of entries
	 * @throws ReplayStoreUnavailableException if the store cannot answer
	 */
	long size() throws ReplayStoreUnavailableException;

	/**
	 * The outcome of a reservation.
	 */
	enum Reservation {

		/** The id was new and is now reserved. */
		RESERVED,

		/** The id is already reserved: the message is a replay. */
		DUPLICATE,

		/** The retention time has already passed by the store's clock. */
		EXPIRED,

		/** The sender holds its whole share of the store's entries. */
		SENDER_FULL,

		/** The store is full of live entries and refused the id. */
		FULL,

		/** The sequence number was already received in its session. */
		SEQUENCE_SEEN,

		/** The sequence number is below its session's window. */
		SEQUENCE_TOO_OLD,

		/**
		 * The session's window is gone: the session ended, here or at another replica.
		 */
		UNKNOWN_SESSION,

		/**
		 * The store lost its state (a restart without persistence, a failover, a flush):
		 * until every message that could have been accepted before has expired, messages
		 * issued before the loss was detected are refused.
		 */
		QUARANTINED

	}

	/**
	 * What a reservation reserves.
	 *
	 * @param sender the sender's SPIFFE ID
	 * @param messageId the message id
	 * @param issuedAt the message's issued-at, in milliseconds, against which a store
	 * that lost its state decides what to refuse
	 * @param retainUntil the instant until which the reservation must be kept
	 * @param sequence the sequence number of an encrypted message, or {@code null}
	 */
	record Entry(String sender, String messageId, long issuedAt, Instant retainUntil, @Nullable Sequence sequence) {

		public Entry {
			Objects.requireNonNull(sender, "sender cannot be null");
			Objects.requireNonNull(messageId, "messageId cannot be null");
			Objects.requireNonNull(retainUntil, "retainUntil cannot be null");
		}

	}

	/**
	 * A sequence number to take in a session's receive window.
	 *
	 * @param sessionId the session
	 * @param number the sequence number
	 * @param window the window's size, a multiple of 64
	 * @param sessionExpiresAt when the session, and so its window, expires
	 */
	record Sequence(String sessionId, long number, int window, Instant sessionExpiresAt) {

		public Sequence {
			Objects.requireNonNull(sessionId, "sessionId cannot be null");
			Objects.requireNonNull(sessionExpiresAt, "sessionExpiresAt cannot be null");
			if (window < 64 || window % 64 != 0) {
				throw new IllegalArgumentException("window must be a positive multiple of 64");
			}
		}

	}

}
