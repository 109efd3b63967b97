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
package io.secureagent.test.example;

// tag::handler[]
import java.util.concurrent.atomic.AtomicInteger;

import io.secureagent.messaging.AgentMessageHandler;
import io.spiffe.spiffeid.SpiffeId;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Counts words, for senders granted {@code words:count}.
 *
 * @author secure-agent authors
 */
@Component
public class WordCountHandler {

	private final AtomicInteger total = new AtomicInteger();

	@AgentMessageHandler
	@PreAuthorize("hasAuthority('words:count')")
	public Mono<Void> record(RecordWords request) {
		return Mono.fromRunnable(() -> this.total.addAndGet(request.text().trim().split("\\s+").length));
	}

	public int total() {
		return this.total.get();
	}

	@AgentMessageHandler
	@PreAuthorize("hasAuthority('words:count')")
	public Mono<WordCount> count(CountWords request, SpiffeId sender) {
		return Mono.just(new WordCount(request.text().trim().split("\\s+").length, sender.toString()));
	}

}
// end::handler[]
