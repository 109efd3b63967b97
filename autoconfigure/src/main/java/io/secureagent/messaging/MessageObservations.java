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

import reactor.core.publisher.Mono;

/**
 * Observes the work done for one message: a message the endpoint answers, or a call the
 * client makes. With Micrometer's Observation API present, each is an observation (and so
 * a span where tracing is set up); without it, nothing.
 *
 * @author secure-agent authors
 */
@FunctionalInterface
public interface MessageObservations {

	/** Observes nothing. */
	MessageObservations NONE = new MessageObservations() {

		@Override
		public <T> Mono<T> observe(String name, String type, String peer, Mono<T> work) {
			return work;
		}

	};

	/**
	 * Observe work, from subscription to its end.
	 * @param <T> the result
	 * @param name the observation's name, such as {@code secure.agent.client.send}
	 * @param type the message type, a low-cardinality key
	 * @param peer the other agent's SPIFFE ID, a low-cardinality key (peers are
	 * configured)
	 * @param work the work
	 * @return the observed work
	 */
	<T> Mono<T> observe(String name, String type, String peer, Mono<T> work);

}
