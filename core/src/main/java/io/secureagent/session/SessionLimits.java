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

import java.time.Duration;
import java.util.Objects;

/**
 * How long and how much a session may be used.
 *
 * @param maxAge the longest a session lives after its handshake
 * @param maxMessages the most messages sent in one direction; sequence numbers run from 0
 * to {@code maxMessages - 1} and never wrap
 * @param rekeyAt the fraction of either limit at which a sender starts a new handshake
 * @param replayWindow how many sequence numbers below the highest a receiver remembers
 * @param handshakeTimeout how long an initiator waits for an accept
 * @author secure-agent authors
 */
public record SessionLimits(Duration maxAge, long maxMessages, double rekeyAt, int replayWindow,
		Duration handshakeTimeout) {

	/** Sequence numbers travel as I-JSON integers, so they stay below 2^53. */
	public static final long MAX_SEQUENCE = 9_007_199_254_740_991L;

	/**
	 * One hour, a million messages each way, rekey at 80 %, a 128-message window, 30 s to
	 * accept.
	 */
	public static final SessionLimits DEFAULT = new SessionLimits(Duration.ofHours(1), 1_000_000, 0.8, 128,
			Duration.ofSeconds(30));

	public SessionLimits {
		Objects.requireNonNull(maxAge, "maxAge cannot be null");
		Objects.requireNonNull(handshakeTimeout, "handshakeTimeout cannot be null");
		if (maxAge.isNegative() || maxAge.isZero() || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
			throw new IllegalArgumentException("maxAge and handshakeTimeout must be positive");
		}
		if (maxMessages <= 0 || maxMessages > MAX_SEQUENCE) {
			throw new IllegalArgumentException("maxMessages must be between 1 and 2^53-1");
		}
		if (!(rekeyAt > 0 && rekeyAt <= 1)) {
			throw new IllegalArgumentException("rekeyAt must be in (0, 1]");
		}
		if (replayWindow < 64 || replayWindow % 64 != 0) {
			throw new IllegalArgumentException("replayWindow must be a positive multiple of 64");
		}
	}

}
