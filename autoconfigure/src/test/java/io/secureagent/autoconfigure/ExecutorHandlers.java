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

import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.secureagent.client.SecureAgentClient;
import io.secureagent.messaging.AgentMessageHandler;
import io.secureagent.session.SessionManager;
import io.secureagent.verification.VerifiedMessage;
import io.spiffe.spiffeid.SpiffeId;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.access.prepost.PreAuthorize;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A test executor: counts the words of a task, for planners only.
 */
public class ExecutorHandlers {

	/** An agent that does not listen: loopback, a port nothing serves. */
	static final SecureAgentClient.Peer UNREACHABLE = new SecureAgentClient.Peer(
			SpiffeId.parse("spiffe://example.org/unreachable"), URI.create("http://127.0.0.1:9/secure-agent/messages"));

	private final ObjectProvider<SecureAgentClient> client;

	private final List<String> notes = new CopyOnWriteArrayList<>();

	private final List<String> nonBlockingThreads = new CopyOnWriteArrayList<>();

	private final ObjectProvider<SessionManager> sessions;

	public ExecutorHandlers(ObjectProvider<SecureAgentClient> client, ObjectProvider<SessionManager> sessions) {
		this.client = client;
		this.sessions = sessions;
	}

	/**
	 * Return the notes handled, in order.
	 * @return the notes
	 */
	public List<String> notes() {
		return List.copyOf(this.notes);
	}

	/**
	 * Return the threads on which {@code run} was called where blocking is not allowed
	 * (an event loop or Reactor's parallel scheduler).
	 * @return their names
	 */
	public List<String> nonBlockingThreads() {
		return List.copyOf(this.nonBlockingThreads);
	}

	/**
	 * Close the session the message came in, then complete: the receipt cannot be sealed.
	 * @param close the request
	 * @param message the verified message
	 * @return completes
	 */
	@AgentMessageHandler
	@PreAuthorize("hasAuthority('ROLE_PLANNER')")
	public Mono<Void> closeSession(TaskClose close, VerifiedMessage message) {
		return Mono.fromRunnable(() -> {
			if (message.session() != null) {
				this.sessions.getObject().close(message.session());
			}
		});
	}

	@AgentMessageHandler
	@PreAuthorize("hasAuthority('ROLE_PLANNER')")
	public Mono<Void> note(TaskNote note) {
		return Mono.fromRunnable(() -> this.notes.add(note.text()));
	}

	@AgentMessageHandler
	@PreAuthorize("hasAuthority('ROLE_PLANNER')")
	public Mono<TaskResult> delegate(TaskDelegation task) {
		return this.client.getObject()
			.send(UNREACHABLE, new TaskRequest("word-count", task.text(), 1), TaskResult.class);
	}

	/**
	 * Answers a quote with a surcharge too fine for a double: an answer that JSON cannot
	 * carry exactly.
	 * @param quote the quote
	 * @return the quote with the surcharge
	 */
	@AgentMessageHandler
	@PreAuthorize("hasAuthority('ROLE_PLANNER')")
	public Mono<PriceQuote> quote(PriceQuote quote) {
		return Mono.just(new PriceQuote(quote.item(), quote.amount().add(new BigDecimal("1e-30"))));
	}

	@AgentMessageHandler
	@PreAuthorize("hasAuthority('ROLE_PLANNER')")
	public Mono<TaskResult> run(TaskRequest task, SpiffeId sender) {
		if (Schedulers.isInNonBlockingThread()) {
			this.nonBlockingThreads.add(Thread.currentThread().getName());
		}
		int words = task.text().isBlank() ? 0 : task.text().trim().split("\\s+").length;
		return Mono.just(new TaskResult(words, sender.toString()));
	}

	@AgentMessageHandler
	@PreAuthorize("hasAuthority('ROLE_PLANNER')")
	public Mono<TaskResult> runV2(TaskRequestV2 task, SpiffeId sender) {
		int words = task.lines().stream().mapToInt((line) -> line.trim().split("\\s+").length).sum();
		return Mono.just(new TaskResult(words, sender.toString()));
	}

}
