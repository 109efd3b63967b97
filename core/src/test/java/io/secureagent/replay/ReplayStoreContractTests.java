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
import io.secureagent.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link ReplayStore} must do, run against each implementation.
 *
 * @author secure-agent authors
 */
abstract class ReplayStoreContractTests {

	protected final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));

	/**
	 * Return an empty store that reads {@link #clock}.
	 * @param capacity the capacity
	 * @return the store
	 * @throws Exception if it cannot be made
	 */
	protected abstract ReplayStore store(int capacity) throws Exception;

	@Test
	void reserveWhenNewThenReservedAndWhenRepeatedThenDuplicate() throws Exception {
		ReplayStore store = store(10);
		Instant until = this.clock.instant().plusSeconds(60);
		assertThat(store.reserve("spiffe://a/x", "id1", until)).isEqualTo(Reservation.RESERVED);
		assertThat(store.reserve("spiffe://a/x", "id1", until)).isEqualTo(Reservation.DUPLICATE);
		assertThat(store.reserve("spiffe://a/y", "id1", until)).isEqualTo(Reservation.RESERVED);
		assertThat(store.size()).isEqualTo(2);
	}

	@Test
	void reserveWhenEntryAtItsRetentionInstantThenStillLive() throws Exception {
		ReplayStore store = store(10);
		Instant until = this.clock.instant().plusSeconds(60);
		store.reserve("s", "id", until);
		this.clock.set(until);
		assertThat(store.reserve("s", "id", until)).isEqualTo(Reservation.DUPLICATE);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(store.reserve("s", "other", until.plusSeconds(60))).isEqualTo(Reservation.RESERVED);
		assertThat(store.size()).isEqualTo(1);
	}

	@Test
	void reserveWhenFullThenRefusesAndKeepsLiveEntriesUntilTheyExpire() throws Exception {
		ReplayStore store = store(3);
		Instant until = this.clock.instant().plusSeconds(60);
		for (int i = 0; i < 3; i++) {
			assertThat(store.reserve("s", "id" + i, until)).isEqualTo(Reservation.RESERVED);
		}
		assertThat(store.reserve("s", "id3", until)).isEqualTo(Reservation.FULL);
		for (int i = 0; i < 3; i++) {
			assertThat(store.reserve("s", "id" + i, until)).isEqualTo(Reservation.DUPLICATE);
		}
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(store.reserve("s", "id3", until.plusSeconds(120))).isEqualTo(Reservation.RESERVED);
		assertThat(store.size()).isEqualTo(1);
	}

	@Test
	void reserveWhenExpiriesOutOfOrderThenEachLivesItsOwnTime() throws Exception {
		ReplayStore store = store(10);
		Instant now = this.clock.instant();
		store.reserve("s", "late", now.plusSeconds(300));
		store.reserve("s", "early", now.plusSeconds(10));
		this.clock.advance(Duration.ofSeconds(11));
		store.reserve("s", "probe", now.plusSeconds(300));
		assertThat(store.size()).isEqualTo(2);
		assertThat(store.reserve("s", "late", now.plusSeconds(300))).isEqualTo(Reservation.DUPLICATE);
		assertThat(store.reserve("s", "early", now.plusSeconds(300))).isEqualTo(Reservation.RESERVED);
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
				for (int i = 0; i < 8; i++) {
					results.add(threads.submit(() -> {
						go.await();
						return store.reserve("s", id, this.clock.instant().plusSeconds(60));
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
