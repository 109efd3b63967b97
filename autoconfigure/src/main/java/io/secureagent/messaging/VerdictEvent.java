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
package io.secureagent.messaging;

import java.time.Duration;
import java.util.Objects;

import io.secureagent.verification.Verdict;
import org.springframework.context.ApplicationEvent;

/**
 * Published once per verified message, inbound request or response to a call, with its
 * verdict and how long the pipeline took.
 *
 * @author secure-agent authors
 */
public final class VerdictEvent extends ApplicationEvent {

	private final Verdict verdict;

	private final Direction direction;

	private final Duration elapsed;

	public VerdictEvent(Object source, Verdict verdict, Direction direction, Duration elapsed) {
		super(source);
		this.verdict = Objects.requireNonNull(verdict, "verdict cannot be null");
		this.direction = Objects.requireNonNull(direction, "direction cannot be null");
		this.elapsed = Objects.requireNonNull(elapsed, "elapsed cannot be null");
	}

	public Verdict verdict() {
		return this.verdict;
	}

	public Direction direction() {
		return this.direction;
	}

	public Duration elapsed() {
		return this.elapsed;
	}

	/**
	 * Which way the message travelled.
	 */
	public enum Direction {

		/** A message received by this agent's endpoint. */
		INBOUND,

		/** A response received by this agent's client. */
		RESPONSE

	}

}
