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
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import io.secureagent.replay.ReplayStore.Reservation;
import io.secureagent.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compact table of the in-memory replay store, against a plain map of the same
 * entries: it never accepts a live pair twice, never refuses a new pair as a duplicate,
 * never exceeds its capacity or a sender's share, and its memory stays within its bound
 * and flat under a flood at capacity.
 *
 * @author secure-agent authors
 */
class IdTableTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));

	@Test
	void reserveWhenRandomTrafficThenAgreesWithAPlainMapOnEveryDuplicateAndLimit() throws Exception {
		int capacity = 500;
		int share = 200;
		InMemoryReplayStore store = new InMemoryReplayStore(capacity, share, this.clock);
		Map<String, Long> model = new HashMap<>();
		// entries expired less than a sweep interval ago, which the store may still count
		Map<String, Long> recent = new HashMap<>();
		Random random = new Random(20261201);
		int reserved = 0;
		int refused = 0;
		for (int step = 0; step < 100_000; step++) {
			if (random.nextInt(100) == 0) {
				this.clock.advance(Duration.ofMillis(random.nextInt(3000)));
			}
			long now = this.clock.millis();
			model.forEach((k, until) -> {
				if (until < now) {
					recent.put(k, until);
				}
			});
			model.values().removeIf((until) -> until < now);
			recent.values().removeIf((until) -> until < now - 1000);
			String sender = "spiffe://a.test/s" + random.nextInt(4);
			String id = Integer.toString(random.nextInt(2000));
			Instant until = this.clock.instant().plusMillis(random.nextInt(20_000));
			String key = sender + " " + id;
			Reservation outcome = store.reserve(sender, id, until);
			boolean live = model.containsKey(key);
			long senderHeld = model.keySet().stream().filter((k) -> k.startsWith(sender + " ")).count();
			if (live) {
				assertThat(outcome).as("step %d: a live pair", step).isEqualTo(Reservation.DUPLICATE);
				continue;
			}
			assertThat(outcome).as("step %d: a new pair is never a duplicate", step)
				.isNotEqualTo(Reservation.DUPLICATE);
			if (outcome == Reservation.RESERVED) {
				assertThat(model.size()).as("step %d: within capacity", step).isLessThan(capacity);
				assertThat(senderHeld).as("step %d: within the sender's share", step).isLessThan(share);
				model.put(key, until.toEpochMilli());
				reserved++;
			}
			else if (outcome == Reservation.FULL || outcome == Reservation.SENDER_FULL) {
				// refused only when the limits were reached, counting at most the entries
				// that expired within the last sweep interval
				long held = model.size() + recent.size();
				long senderHeldWithRecent = senderHeld
						+ recent.keySet().stream().filter((k) -> k.startsWith(sender + " ")).count();
				assertThat((outcome == Reservation.FULL) ? held >= capacity : senderHeldWithRecent >= share)
					.as("step %d: %s with %d held (%d recently expired), the sender %d", step, outcome, model.size(),
							recent.size(), senderHeld)
					.isTrue();
				refused++;
			}
		}
		assertThat(reserved).as("the traffic exercised reservations").isGreaterThan(10_000);
		assertThat(refused).as("the traffic reached the limits").isGreaterThan(1_000);
		assertThat(store.size()).isGreaterThanOrEqualTo(model.size());
	}

	@Test
	void reserveWhenFloodAtCapacityThenAtMost48BytesPerEntryAndFlat() throws Exception {
		int capacity = 100_000;
		InMemoryReplayStore store = new InMemoryReplayStore(capacity, capacity, this.clock);
		long bytesAtCapacity = 0;
		for (int round = 0; round < 3; round++) {
			Instant until = this.clock.instant().plusSeconds(90);
			for (int i = 0; i < capacity; i++) {
				assertThat(store.reserve("spiffe://a.test/flood", round + "-" + i, until))
					.isEqualTo(Reservation.RESERVED);
			}
			assertThat(store.reserve("spiffe://a.test/flood", round + "-over", until)).isEqualTo(Reservation.FULL);
			if (round == 0) {
				bytesAtCapacity = store.tableBytes();
				assertThat(bytesAtCapacity / capacity).as("bytes per live entry").isLessThanOrEqualTo(48);
			}
			assertThat(store.tableBytes()).as("flat under the flood").isEqualTo(bytesAtCapacity);
			this.clock.advance(Duration.ofSeconds(91));
		}
	}

}
