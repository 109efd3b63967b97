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

import io.secureagent.replay.ReplayStore.Reservation;
import io.secureagent.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link InMemoryReplayStore}.
 *
 * @author secure-agent authors
 */
class InMemoryReplayStoreTests extends ReplayStoreContractTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));

	@Override
	protected ReplayStore store(int capacity, int capacityPerSender) {
		return new InMemoryReplayStore(capacity, capacityPerSender, this.clock);
	}

	@Override
	protected Instant now() {
		return this.clock.instant();
	}

	@Override
	protected void advance(Duration duration) {
		this.clock.advance(duration);
	}

	@Override
	protected Duration unit() {
		return Duration.ofSeconds(1);
	}

	@Test
	void reserveWhenEntryAtItsRetentionInstantThenStillLive() throws Exception {
		ReplayStore store = store(10, 10);
		Instant until = this.clock.instant().plusSeconds(60);
		store.reserve("s", "id", until);
		this.clock.set(until);
		assertThat(store.reserve("s", "id", until)).isEqualTo(Reservation.DUPLICATE);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(store.reserve("s", "other", until.plusSeconds(60))).isEqualTo(Reservation.RESERVED);
		assertThat(store.size()).isEqualTo(1);
	}

	@Test
	void createWhenCapacityNotPositiveThenFails() {
		assertThatIllegalArgumentException().isThrownBy(() -> new InMemoryReplayStore(0, this.clock));
	}

}
