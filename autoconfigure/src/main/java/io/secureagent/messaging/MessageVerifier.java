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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.secureagent.verification.Direction;
import io.secureagent.verification.Exchange;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs the verification pipeline off the event loop (replay and session stores may block)
 * and publishes one {@link VerdictEvent} per message.
 *
 * @author secure-agent authors
 */
public final class MessageVerifier {

	private static final Log logger = LogFactory.getLog(MessageVerifier.class);

	private final VerificationPipeline requests;

	private final VerificationPipeline responses;

	private final ApplicationEventPublisher events;

	/**
	 * Create a verifier.
	 * @param requests the pipeline of requests, at the endpoint
	 * @param responses the pipeline of answers, at the client
	 * @param events where verdicts are published
	 */
	public MessageVerifier(VerificationPipeline requests, VerificationPipeline responses,
			ApplicationEventPublisher events) {
		this.requests = Objects.requireNonNull(requests, "requests cannot be null");
		this.responses = Objects.requireNonNull(responses, "responses cannot be null");
		this.events = Objects.requireNonNull(events, "events cannot be null");
		if (requests.direction() != Direction.REQUEST || responses.direction() != Direction.RESPONSE) {
			throw new IllegalArgumentException("requests and responses must be a request and a response pipeline");
		}
	}

	/**
	 * Verify a request. A rejection is published at once; an accepted request is
	 * published by whoever handles it, with the handler's outcome ({@link #published}),
	 * so that each message gives one event.
	 * @param message the bytes as received
	 * @param attributes attributes from the transport, such as the TLS peer
	 * @return the verdict and the time it took
	 */
	public Mono<Timed> verifyRequest(byte[] message, Map<String, Object> attributes) {
		return Mono.fromCallable(() -> {
			long now = this.requests.clock().millis();
			long start = System.nanoTime();
			Verdict verdict = this.requests.verifyAt(message, attributes, now);
			Timed timed = new Timed(verdict, Duration.ofNanos(System.nanoTime() - start), now, message, null);
			if (verdict instanceof Verdict.Rejected) {
				published(timed, VerdictEvent.Direction.INBOUND, VerdictEvent.Outcome.REJECTED);
			}
			return timed;
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * Verify an answer to a request this agent sent, and publish the verdict.
	 * @param message the bytes as received
	 * @param exchange the request it must answer
	 * @return the verdict
	 */
	public Mono<Verdict> verifyResponse(byte[] message, Exchange exchange) {
		return Mono.fromCallable(() -> {
			long now = this.responses.clock().millis();
			long start = System.nanoTime();
			Verdict verdict = this.responses.verifyAt(message, exchange, now);
			published(new Timed(verdict, Duration.ofNanos(System.nanoTime() - start), now, message, exchange),
					VerdictEvent.Direction.RESPONSE, (verdict instanceof Verdict.Accepted)
							? VerdictEvent.Outcome.ACCEPTED : VerdictEvent.Outcome.REJECTED);
			return verdict;
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * Publish the event of a message.
	 * @param timed the verdict and the time it took
	 * @param direction which way it travelled
	 * @param outcome what became of it
	 */
	public void published(Timed timed, VerdictEvent.Direction direction, VerdictEvent.Outcome outcome) {
		if (timed.verdict() instanceof Verdict.Rejected rejected && logger.isDebugEnabled()) {
			// the reason, never the message's content
			logger.debug("secure-agent " + direction.name().toLowerCase(Locale.ROOT) + " message rejected by "
					+ rejected.check() + ": " + rejected.reason().slug() + " (" + rejected.detail() + ")");
		}
		this.events.publishEvent(new VerdictEvent(this, timed.verdict(), direction, timed.elapsed(), outcome,
				timed.clockMillis(), timed.message(), timed.exchange()));
	}

	/**
	 * Return the pipeline of requests.
	 * @return the pipeline
	 */
	public VerificationPipeline pipeline() {
		return this.requests;
	}

	/**
	 * Return the pipeline of answers.
	 * @return the pipeline
	 */
	public VerificationPipeline responsePipeline() {
		return this.responses;
	}

	/**
	 * A verdict, the time the pipeline took to reach it, its one clock reading and the
	 * message it decided.
	 *
	 * @param verdict the verdict
	 * @param elapsed the time
	 * @param clockMillis the pipeline's clock reading, or -1 if unknown
	 * @param message the message as received, or {@code null}
	 * @param exchange for an answer, the request it was verified against
	 */
	public record Timed(Verdict verdict, Duration elapsed, long clockMillis, byte @Nullable [] message,
			@Nullable Exchange exchange) {

		public Timed(Verdict verdict, Duration elapsed) {
			this(verdict, elapsed, -1, null, null);
		}

	}

}
