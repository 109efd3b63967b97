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
package io.secureagent.autoconfigure;

import java.util.Objects;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.secureagent.messaging.MessageObservations;
import reactor.core.publisher.Mono;

/**
 * {@link MessageObservations} as Micrometer observations, with the message type and the
 * peer as low-cardinality keys, an error recorded, and the observation in the Reactor
 * context so that the HTTP client's own observation is its child.
 *
 * @author secure-agent authors
 */
final class MicrometerMessageObservations implements MessageObservations {

	private final ObservationRegistry registry;

	MicrometerMessageObservations(ObservationRegistry registry) {
		this.registry = Objects.requireNonNull(registry, "registry cannot be null");
	}

	@Override
	public <T> Mono<T> observe(String name, String type, String peer, Mono<T> work) {
		return Mono.deferContextual((context) -> {
			Observation parent = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
			Observation observation = Observation.createNotStarted(name, this.registry)
				.parentObservation(parent)
				.lowCardinalityKeyValue("type", type)
				.lowCardinalityKeyValue("peer", peer)
				.start();
			return work.doOnError(observation::error)
				.doFinally((signal) -> observation.stop())
				.contextWrite((inner) -> inner.put(ObservationThreadLocalAccessor.KEY, observation));
		});
	}

}
