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
package io.secureagent.trace;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.MalformedJsonException;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.envelope.Members;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.IdentityUnavailableException;
import io.secureagent.identity.Svid;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.verification.Check;
import io.secureagent.verification.Direction;
import io.secureagent.verification.Exchange;
import io.secureagent.verification.SenderRules;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.spiffe.bundle.BundleSource;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.spiffeid.SpiffeId;
import org.jspecify.annotations.Nullable;

/**
 * Re-runs a verified decision log offline: each recorded envelope goes through the
 * standard pipeline of its direction, built from the log's recorded configuration, at the
 * recorded clock reading, with replay stores rebuilt from the log's own earlier
 * decisions. Each decision is re-derived and compared, line by line.
 * <p>
 * Some decisions cannot be re-derived, by design, and are reported with what was checked
 * up to that point: an encrypted message or a handshake (the session keys and the agent's
 * private key are not in the log), a schema decision (it needs the application's message
 * types), a decision without its envelope.
 *
 * @author secure-agent authors
 */
public final class TraceReplayer {

	private static final Set<String> UNDERIVABLE_CHECKS = Set.of("schema", "sunset", "transport-binding");

	private final BundleSource<X509Bundle> bundles;

	/**
	 * Create a replayer.
	 * @param bundles the trust bundles the senders' SVIDs chain to
	 */
	public TraceReplayer(BundleSource<X509Bundle> bundles) {
		this.bundles = Objects.requireNonNull(bundles, "bundles cannot be null");
	}

	/**
	 * Replay one log file that {@link TraceVerifier} verified.
	 * @param lines the lines
	 * @return one result per decision line
	 * @throws IllegalArgumentException if the lines are not a log file
	 */
	public List<Result> replay(List<String> lines) {
		return replayFiles(List.of(new TraceVerifier.LogFile("log", lines)));
	}

	/**
	 * Replay the files of one log that {@link TraceVerifier} verified, in order, as one
	 * sequence: the replay stores go on from one file to the next, and from one run to
	 * the next only where the agent's store outlived its restarts (Redis).
	 * @param files the files, as verified
	 * @return one result per decision line
	 * @throws IllegalArgumentException if the files are not log files
	 */
	public List<Result> replayFiles(List<TraceVerifier.LogFile> files) {
		List<Result> results = new ArrayList<>();
		Pipelines pipelines = null;
		for (TraceVerifier.LogFile file : files) {
			List<String> lines = file.lines();
			JsonObject start = parse(lines.get(0));
			boolean newRun = start.get("continues") == null;
			ReplayConfiguration configuration = ReplayConfiguration.fromJson((JsonObject) start.get("configuration"));
			if (pipelines == null || newRun) {
				// each run decides by its own configuration; its replay stores go on from
				// the run before only where they outlived the restart
				boolean keep = pipelines != null && configuration.storeSurvivesRestarts();
				pipelines = new Pipelines(SpiffeId.parse(((JsonString) start.get("agent")).value()), configuration,
						this.bundles, keep ? pipelines : null);
			}
			for (int i = 1; i < lines.size(); i++) {
				JsonObject line = parse(lines.get(i));
				if (line.get("kind") instanceof JsonString kind && kind.value().equals(TraceLines.DECISION)) {
					results.add(replay(file.name(), i + 1, line, pipelines));
				}
			}
		}
		return results;
	}

	private static Result replay(String file, int number, JsonObject line, Pipelines pipelines) {
		String recorded = recorded(line);
		if (!(line.get("envelope") instanceof JsonString encoded)) {
			return new Result(file, number, recorded, null, Status.NOT_REPLAYABLE, "the envelope was not recorded");
		}
		try {
			byte[] envelope = TraceLines.fromBase64url(encoded.value());
			long now = (long) ((JsonNumber) line.get("clock")).value();
			pipelines.clock.now = now;
			boolean request = ((JsonString) line.get("direction")).value().equals("request");
			Exchange exchange = request ? null : exchange((JsonObject) line.get("exchange"));
			VerificationPipeline pipeline = request ? pipelines.requests : pipelines.responses;
			if (needsKeys(pipelines.parser, envelope)) {
				Optional<Verdict.Rejected> partial = pipeline.checkBefore("session", envelope, exchange, now);
				if (partial.isPresent()) {
					String replayed = decision(partial.get());
					return new Result(file, number, recorded, replayed,
							recorded.equals(replayed) ? Status.SAME : Status.DIFFERENT, "decided before the session");
				}
				return new Result(file, number, recorded, null, Status.NOT_REDERIVABLE,
						"encrypted or a handshake: checked through " + last(pipeline.checks())
								+ "; the session keys and the agent's key are not in the log, by design");
			}
			if (line.get("check") instanceof JsonString check && UNDERIVABLE_CHECKS.contains(check.value())) {
				return new Result(file, number, recorded, null, Status.NOT_REDERIVABLE,
						"decided by " + check.value() + ", which needs what the log does not hold");
			}
			Verdict verdict = request ? pipeline.verifyAt(envelope, Map.of(), now)
					: pipeline.verifyAt(envelope, Objects.requireNonNull(exchange), now);
			String replayed = decision(verdict);
			boolean same = recorded.equals(replayed);
			return new Result(file, number, recorded, replayed, same ? Status.SAME : Status.DIFFERENT,
					same ? "same decision" : "the decision differs");
		}
		catch (RuntimeException ex) {
			return new Result(file, number, recorded, null, Status.DIFFERENT,
					"the line cannot be replayed: it is malformed");
		}
	}

	/** The pipelines of the recorded agent, rebuilt without its keys. */
	private static final class Pipelines {

		private final RecordedClock clock;

		private final VerificationPipeline requests;

		private final VerificationPipeline responses;

		private final StrictJsonParser parser;

		private final InMemoryReplayStore requestStore;

		private final InMemoryReplayStore responseStore;

		Pipelines(SpiffeId agent, ReplayConfiguration configuration, BundleSource<X509Bundle> bundles,
				@Nullable Pipelines before) {
			AgentIdentity identity = new VerificationOnly(agent, bundles);
			this.clock = (before != null) ? before.clock : new RecordedClock();
			this.requestStore = (before != null) ? before.requestStore : new InMemoryReplayStore(1 << 20, this.clock);
			this.responseStore = (before != null) ? before.responseStore : new InMemoryReplayStore(1 << 20, this.clock);
			this.requests = VerificationPipeline.builder(identity, this.requestStore, this.clock)
				.policy(configuration.policy())
				.authorization(new SenderRules(configuration.rules()))
				.handledTypes(configuration.handledTypes()::contains)
				.build();
			this.responses = VerificationPipeline.responseBuilder(identity, this.responseStore, this.clock)
				.policy(configuration.policy())
				.build();
			this.parser = new StrictJsonParser(configuration.policy().jsonLimits());
		}

	}

	private static String last(List<Check> checks) {
		List<Check> before = before(checks, "session");
		return before.get(before.size() - 1).name();
	}

	private static boolean needsKeys(StrictJsonParser parser, byte[] envelope) {
		try {
			if (parser.parse(envelope) instanceof JsonObject tree) {
				return tree.get(Members.CIPHERTEXT) != null
						|| (tree.get(Members.TYPE) instanceof JsonString type && type.value().startsWith("session."));
			}
		}
		catch (MalformedJsonException ex) {
			// the pipeline decides it
		}
		return false;
	}

	private static List<Check> before(List<Check> checks, String name) {
		List<Check> prefix = new ArrayList<>();
		for (Check check : checks) {
			if (check.name().equals(name)) {
				break;
			}
			prefix.add(check);
		}
		return prefix;
	}

	/**
	 * The protocol's decision a line records: a denied or failed request was accepted.
	 */
	private static String recorded(JsonObject line) {
		String outcome = ((JsonString) line.get("outcome")).value();
		if (outcome.equals("rejected")) {
			return "rejected:" + ((line.get("reason") instanceof JsonString reason) ? reason.value() : "?");
		}
		return "accepted";
	}

	private static String decision(Verdict verdict) {
		return (verdict instanceof Verdict.Rejected rejected) ? "rejected:" + rejected.reason().slug() : "accepted";
	}

	private static Exchange exchange(JsonObject json) {
		List<String> expected = ((JsonArray) json.get("expectedTypes")).elements()
			.stream()
			.map((value) -> ((JsonString) value).value())
			.toList();
		return new Exchange(SpiffeId.parse(((JsonString) json.get("peer")).value()), Set.copyOf(expected),
				((JsonString) json.get("correlationId")).value(),
				(json.get("sessionId") instanceof JsonString session) ? session.value() : null);
	}

	private static JsonObject parse(String line) {
		try {
			return TraceLines.parse(line);
		}
		catch (MalformedJsonException ex) {
			throw new IllegalArgumentException("not a decision log line", ex);
		}
	}

	/** How a recorded decision compares with its replay. */
	public enum Status {

		/** Re-derived, and the same. */
		SAME,

		/** Re-derived, and not the same. */
		DIFFERENT,

		/** Not re-derivable from what the log holds; what was checked is said. */
		NOT_REDERIVABLE,

		/** Recorded without its envelope. */
		NOT_REPLAYABLE

	}

	/**
	 * One decision line's replay.
	 *
	 * @param file the file's name
	 * @param line the line number
	 * @param recorded the decision recorded ({@code accepted} or
	 * {@code rejected:<reason>})
	 * @param replayed the decision re-derived, or {@code null}
	 * @param status how they compare
	 * @param note what was done
	 */
	public record Result(String file, int line, String recorded, @Nullable String replayed, Status status,
			String note) {
	}

	/** Returns the reading of the line being replayed. */
	private static final class RecordedClock extends Clock {

		private long now;

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return Instant.ofEpochMilli(this.now);
		}

	}

	/** The recorded agent's identity, without its key: enough to verify. */
	private record VerificationOnly(SpiffeId id, BundleSource<X509Bundle> trustBundles) implements AgentIdentity {

		@Override
		public Svid svid() throws IdentityUnavailableException {
			throw new IdentityUnavailableException("a replay has no key");
		}

		@Override
		public SpiffeId spiffeId() {
			return this.id;
		}

	}

}
