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

/**
 * Remembers which message ids each sender has used, so that no message is accepted twice.
 * <p>
 * Implementations must make {@link #reserve} atomic (of two racing reservations of one
 * key exactly one succeeds), must keep every entry until its retention time has passed,
 * and must refuse new entries when full rather than evict a live one. They decide what
 * has expired by one clock of their own, read once per reservation, and refuse a
 * reservation whose retention time has already passed by that clock: a copy arriving just
 * as the original is swept must not be reserved again.
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
	Reservation reserve(String sender, String messageId, Instant retainUntil) throws ReplayStoreUnavailableException;

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
		FULL

	}

}
