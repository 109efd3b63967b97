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

import io.secureagent.verification.Exchange;
import io.secureagent.verification.Verdict;
import org.jspecify.annotations.Nullable;
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

	private final Outcome outcome;

	private final long clockMillis;

	private final byte @Nullable [] message;

	private final @Nullable Exchange exchange;

	public VerdictEvent(Object source, Verdict verdict, Direction direction, Duration elapsed) {
		this(source, verdict, direction, elapsed,
				(verdict instanceof Verdict.Accepted) ? Outcome.ACCEPTED : Outcome.REJECTED);
	}

	/**
	 * Create an event with the outcome of a verified request's handler.
	 * @param source the source
	 * @param verdict the pipeline's verdict
	 * @param direction which way the message travelled
	 * @param elapsed the time spent in the pipeline
	 * @param outcome what became of the message: for an accepted request, what its
	 * handler did
	 */
	public VerdictEvent(Object source, Verdict verdict, Direction direction, Duration elapsed, Outcome outcome) {
		this(source, verdict, direction, elapsed, outcome, -1, null, null);
	}

	/**
	 * Create an event with what a decision log records of the message.
	 * @param source the source
	 * @param verdict the pipeline's verdict
	 * @param direction which way the message travelled
	 * @param elapsed the time spent in the pipeline
	 * @param outcome what became of the message
	 * @param clockMillis the pipeline's one clock reading for the message, or -1 if it
	 * never reached the pipeline
	 * @param message the message as received, or {@code null}
	 * @param exchange for an answer, the request it was verified against
	 */
	public VerdictEvent(Object source, Verdict verdict, Direction direction, Duration elapsed, Outcome outcome,
			long clockMillis, byte @Nullable [] message, @Nullable Exchange exchange) {
		super(source);
		this.clockMillis = clockMillis;
		this.message = message;
		this.exchange = exchange;
		this.verdict = Objects.requireNonNull(verdict, "verdict cannot be null");
		this.direction = Objects.requireNonNull(direction, "direction cannot be null");
		this.elapsed = Objects.requireNonNull(elapsed, "elapsed cannot be null");
		this.outcome = Objects.requireNonNull(outcome, "outcome cannot be null");
		if ((verdict instanceof Verdict.Rejected) != (outcome == Outcome.REJECTED)) {
			throw new IllegalArgumentException("a rejected verdict has the outcome REJECTED, and only it");
		}
	}

	/**
	 * Return the pipeline's clock reading for the message.
	 * @return milliseconds since the epoch, or -1 if it never reached the pipeline
	 */
	public long clockMillis() {
		return this.clockMillis;
	}

	/**
	 * Return the message as received.
	 * @return the bytes, or {@code null}
	 */
	public byte @Nullable [] message() {
		return this.message;
	}

	/**
	 * Return the request an answer was verified against.
	 * @return the exchange, or {@code null} for a request
	 */
	public @Nullable Exchange exchange() {
		return this.exchange;
	}

	/**
	 * Return what became of the message.
	 * @return the outcome
	 */
	public Outcome outcome() {
		return this.outcome;
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
	 * What became of a message. A protocol decision is {@link #ACCEPTED} or
	 * {@link #REJECTED}; {@link #DENIED} and {@link #FAILED} are the application's, on a
	 * request the protocol accepted.
	 */
	public enum Outcome {

		/** Accepted, and for a request, answered by its handler. */
		ACCEPTED,

		/** Refused by a check of the pipeline, with its reason code. */
		REJECTED,

		/** Accepted by the protocol, then denied by the handler's method security. */
		DENIED,

		/** Accepted by the protocol, then its handler failed or answered nothing. */
		FAILED

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
