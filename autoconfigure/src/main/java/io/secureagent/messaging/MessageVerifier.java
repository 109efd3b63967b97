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
import java.util.Map;
import java.util.Objects;

import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import org.springframework.context.ApplicationEventPublisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs the verification pipeline off the event loop (replay and session stores may block)
 * and publishes one {@link VerdictEvent} per message.
 *
 * @author secure-agent authors
 */
public final class MessageVerifier {

	private final VerificationPipeline pipeline;

	private final ApplicationEventPublisher events;

	public MessageVerifier(VerificationPipeline pipeline, ApplicationEventPublisher events) {
		this.pipeline = Objects.requireNonNull(pipeline, "pipeline cannot be null");
		this.events = Objects.requireNonNull(events, "events cannot be null");
	}

	/**
	 * Verify a message.
	 * @param message the bytes as received
	 * @param direction which way it travelled
	 * @return the verdict
	 */
	public Mono<Verdict> verify(byte[] message, VerdictEvent.Direction direction) {
		return verify(message, Map.of(), direction);
	}

	/**
	 * Verify a message with what the transport knows of it.
	 * @param message the bytes as received
	 * @param attributes attributes from the transport, such as the TLS peer
	 * @param direction which way it travelled
	 * @return the verdict
	 */
	public Mono<Verdict> verify(byte[] message, Map<String, Object> attributes, VerdictEvent.Direction direction) {
		return Mono.fromCallable(() -> {
			long start = System.nanoTime();
			Verdict verdict = this.pipeline.verify(message, attributes);
			this.events
				.publishEvent(new VerdictEvent(this, verdict, direction, Duration.ofNanos(System.nanoTime() - start)));
			return verdict;
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * Return the pipeline.
	 * @return the pipeline
	 */
	public VerificationPipeline pipeline() {
		return this.pipeline;
	}

}
