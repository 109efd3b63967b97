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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.secureagent.replay.ReplayStore.Reservation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link ReplayStore} must do, run against each implementation.
 *
 * @author secure-agent authors
 */
abstract class ReplayStoreContractTests {

	/**
	 * Return an empty store.
	 * @param capacity the capacity
	 * @param capacityPerSender the share of one sender
	 * @return the store
	 * @throws Exception if it cannot be made
	 */
	protected abstract ReplayStore store(int capacity, int capacityPerSender) throws Exception;

	/**
	 * Return the store's present, by the clock it decides expiry with.
	 * @return the instant
	 */
	protected abstract Instant now();

	/**
	 * Let time pass for the store.
	 * @param duration how much
	 * @throws Exception if interrupted
	 */
	protected abstract void advance(Duration duration) throws Exception;

	/**
	 * Return the unit of time of these tests: as long as a store's clock can be advanced
	 * cheaply.
	 * @return the unit
	 */
	protected abstract Duration unit();

	private ReplayStore store(int capacity) throws Exception {
		return store(capacity, capacity);
	}

	private Instant later(int units) {
		return now().plus(unit().multipliedBy(units));
	}

	@Test
	void reserveWhenNewThenReservedAndWhenRepeatedThenDuplicate() throws Exception {
		ReplayStore store = store(10);
		Instant until = later(60);
		assertThat(store.reserve("spiffe://a/x", "id1", until)).isEqualTo(Reservation.RESERVED);
		assertThat(store.reserve("spiffe://a/x", "id1", until)).isEqualTo(Reservation.DUPLICATE);
		assertThat(store.reserve("spiffe://a/y", "id1", until)).isEqualTo(Reservation.RESERVED);
		assertThat(store.size()).isEqualTo(2);
	}

	@Test
	void reserveWhenRetentionAlreadyPassedByTheStoresClockThenExpired() throws Exception {
		ReplayStore store = store(10);
		Instant until = later(4);
		assertThat(store.reserve("s", "id", until)).isEqualTo(Reservation.RESERVED);
		advance(unit().multipliedBy(5));
		// the copy arrives after the original's retention: the sweep erases the original,
		// and the copy itself is refused, never reserved in its place
		assertThat(store.reserve("s", "id", until)).isEqualTo(Reservation.EXPIRED);
		assertThat(store.reserve("s", "other", until)).isEqualTo(Reservation.EXPIRED);
		assertThat(store.size()).isZero();
	}

	@Test
	void reserveWhenFullThenRefusesAndKeepsLiveEntriesUntilTheyExpire() throws Exception {
		ReplayStore store = store(3);
		Instant until = later(4);
		for (int i = 0; i < 3; i++) {
			assertThat(store.reserve("s", "id" + i, until)).isEqualTo(Reservation.RESERVED);
		}
		assertThat(store.reserve("s", "id3", until)).isEqualTo(Reservation.FULL);
		for (int i = 0; i < 3; i++) {
			assertThat(store.reserve("s", "id" + i, until)).isEqualTo(Reservation.DUPLICATE);
		}
		advance(unit().multipliedBy(5));
		assertThat(store.reserve("s", "id3", later(60))).isEqualTo(Reservation.RESERVED);
		assertThat(store.size()).isEqualTo(1);
	}

	@Test
	void reserveWhenSenderHoldsItsShareThenSenderFullAndOthersStillReserve() throws Exception {
		ReplayStore store = store(10, 2);
		Instant until = later(4);
		assertThat(store.reserve("spiffe://a/flood", "1", until)).isEqualTo(Reservation.RESERVED);
		assertThat(store.reserve("spiffe://a/flood", "2", until)).isEqualTo(Reservation.RESERVED);
		assertThat(store.reserve("spiffe://a/flood", "3", until)).isEqualTo(Reservation.SENDER_FULL);
		assertThat(store.reserve("spiffe://a/flood", "1", until)).isEqualTo(Reservation.DUPLICATE);
		assertThat(store.reserve("spiffe://a/other", "1", until)).isEqualTo(Reservation.RESERVED);
		assertThat(store.size()).isEqualTo(3);
		advance(unit().multipliedBy(5));
		assertThat(store.reserve("spiffe://a/flood", "3", later(60))).isEqualTo(Reservation.RESERVED);
	}

	@Test
	void reserveWhenExpiriesOutOfOrderThenEachLivesItsOwnTime() throws Exception {
		ReplayStore store = store(10);
		store.reserve("s", "late", later(60));
		Instant early = later(3);
		store.reserve("s", "early", early);
		advance(unit().multipliedBy(4));
		store.reserve("s", "probe", later(60));
		assertThat(store.size()).isEqualTo(2);
		assertThat(store.reserve("s", "late", later(60))).isEqualTo(Reservation.DUPLICATE);
		assertThat(store.reserve("s", "early", later(60))).isEqualTo(Reservation.RESERVED);
	}

	@Test
	void reserveWhenCopiesRaceThenExactlyOneWins() throws Exception {
		ReplayStore store = store(1000);
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			for (int round = 0; round < 20; round++) {
				String id = "id" + round;
				CountDownLatch go = new CountDownLatch(1);
				List<Future<Reservation>> results = new ArrayList<>();
				Instant until = later(60);
				for (int i = 0; i < 8; i++) {
					results.add(threads.submit(() -> {
						go.await();
						return store.reserve("s", id, until);
					}));
				}
				go.countDown();
				int reserved = 0;
				for (Future<Reservation> result : results) {
					reserved += (result.get() == Reservation.RESERVED) ? 1 : 0;
				}
				assertThat(reserved).isEqualTo(1);
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

}
