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

import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.secureagent.trace.Decision;
import io.secureagent.trace.DecisionLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Writes every {@link VerdictEvent} to a {@link DecisionLog}, and its final checkpoint at
 * shutdown. The event is described where it is published; the file is written by one
 * thread of the recorder's own, in the order of the events, so that no disk write or
 * checkpoint signature runs on the thread that decided (an event loop, possibly). A log
 * that cannot be written, or falls more than {@value #BACKLOG} decisions behind, is
 * reported once and given up without its final checkpoint; the agent goes on deciding.
 *
 * @author secure-agent authors
 */
public final class DecisionLogRecorder implements ApplicationListener<ApplicationEvent>, DisposableBean {

	private static final Log logger = LogFactory.getLog(DecisionLogRecorder.class);

	/** The most decisions waiting to be written. */
	static final int BACKLOG = 65_536;

	private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
			new ArrayBlockingQueue<>(BACKLOG), (task) -> {
				Thread thread = new Thread(task, "secure-agent-decision-log");
				thread.setDaemon(true);
				return thread;
			});

	private final Opener opener;

	private @Nullable DecisionLog log;

	private final Clock clock;

	private volatile boolean failed;

	/**
	 * Create a recorder.
	 * @param opener opens the log, once the application context is refreshed and the
	 * configuration it records is complete
	 * @param clock the clock of decisions made before any pipeline read one
	 */
	public DecisionLogRecorder(Opener opener, Clock clock) {
		this.opener = Objects.requireNonNull(opener, "opener cannot be null");
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ContextRefreshedEvent) {
			log();
		}
		else if (event instanceof VerdictEvent verdict) {
			record(verdict);
		}
	}

	private synchronized @Nullable DecisionLog log() {
		if (this.log == null && !this.failed) {
			try {
				this.log = this.opener.open();
			}
			catch (IOException | RuntimeException ex) {
				this.failed = true;
				logger.error("secure-agent decision log could not be opened (" + ex.getMessage() + ")");
			}
		}
		return this.log;
	}

	private void record(VerdictEvent event) {
		DecisionLog log = log();
		if (log == null || this.failed) {
			return;
		}
		long now = (event.clockMillis() >= 0) ? event.clockMillis() : this.clock.millis();
		String direction = (event.direction() == VerdictEvent.Direction.INBOUND) ? "request" : "response";
		Decision decision = Decision.of(event.verdict(), direction, event.outcome().name().toLowerCase(Locale.ROOT),
				now, event.elapsed().toNanos() / 1000, log.recordsEnvelopes() ? event.message() : null,
				event.exchange());
		try {
			this.writer.execute(() -> write(log, decision));
		}
		catch (RejectedExecutionException ex) {
			stop(log, "it fell " + BACKLOG + " decisions behind");
		}
	}

	private void write(DecisionLog log, Decision decision) {
		if (this.failed) {
			return;
		}
		try {
			log.append(decision);
		}
		catch (IOException | RuntimeException ex) {
			stop(log, "it could not be written (" + ex.getMessage() + ")");
		}
	}

	private synchronized void stop(DecisionLog log, String why) {
		if (!this.failed) {
			this.failed = true;
			// no final checkpoint: the verifier reports the log as not closed
			log.abandon();
			logger.error("secure-agent decision log stopped: " + why);
		}
	}

	@Override
	public void destroy() throws IOException, InterruptedException {
		// what was decided before shutdown is written first
		this.writer.shutdown();
		if (!this.writer.awaitTermination(30, TimeUnit.SECONDS)) {
			this.writer.shutdownNow();
			if (this.log != null) {
				// decisions were left unwritten: no final checkpoint may claim otherwise
				stop(this.log, "its backlog was not written before shutdown");
			}
		}
		synchronized (this) {
			if (this.log != null && !this.failed) {
				this.log.close();
			}
		}
	}

	/**
	 * Opens the decision log.
	 */
	@FunctionalInterface
	public interface Opener {

		/**
		 * Open the log.
		 * @return the log
		 * @throws IOException if it cannot be opened
		 */
		DecisionLog open() throws IOException;

	}

}
