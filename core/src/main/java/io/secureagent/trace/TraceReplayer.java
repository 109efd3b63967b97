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
	 * Replay the lines of a log file that {@link TraceVerifier} verified.
	 * @param lines the lines
	 * @return one result per decision line
	 * @throws IllegalArgumentException if the lines are not a log file
	 */
	public List<Result> replay(List<String> lines) {
		JsonObject start = parse(lines.get(0));
		SpiffeId agent = SpiffeId.parse(((JsonString) start.get("agent")).value());
		ReplayConfiguration configuration = ReplayConfiguration.fromJson((JsonObject) start.get("configuration"));
		RecordedClock clock = new RecordedClock();
		AgentIdentity identity = new VerificationOnly(agent, this.bundles);
		VerificationPipeline.Builder requestBuilder = VerificationPipeline
			.builder(identity, new InMemoryReplayStore(1 << 20, clock), clock)
			.policy(configuration.policy())
			.authorization(new SenderRules(configuration.rules()))
			.handledTypes(configuration.handledTypes()::contains);
		VerificationPipeline.Builder responseBuilder = VerificationPipeline
			.responseBuilder(identity, new InMemoryReplayStore(1 << 20, clock), clock)
			.policy(configuration.policy());
		List<Check> requestChecks = requestBuilder.checks();
		List<Check> responseChecks = responseBuilder.checks();
		VerificationPipeline requests = new VerificationPipeline(Direction.REQUEST, requestChecks, clock);
		VerificationPipeline responses = new VerificationPipeline(Direction.RESPONSE, responseChecks, clock);
		StrictJsonParser envelopes = new StrictJsonParser(configuration.policy().jsonLimits());
		List<Result> results = new ArrayList<>();
		for (int i = 1; i < lines.size(); i++) {
			JsonObject line = parse(lines.get(i));
			if (!(line.get("kind") instanceof JsonString kind) || !kind.value().equals(TraceLines.DECISION)) {
				continue;
			}
			int number = i + 1;
			String recorded = recorded(line);
			if (!(line.get("envelope") instanceof JsonString encoded)) {
				results.add(new Result(number, recorded, null, Status.NOT_REPLAYABLE, "the envelope was not recorded"));
				continue;
			}
			byte[] envelope = TraceLines.fromBase64url(encoded.value());
			long now = (long) ((JsonNumber) line.get("clock")).value();
			clock.now = now;
			boolean request = ((JsonString) line.get("direction")).value().equals("request");
			Exchange exchange = request ? null : exchange((JsonObject) line.get("exchange"));
			if (needsKeys(envelopes, envelope)) {
				java.util.Optional<Verdict.Rejected> partial = (request ? requests : responses).checkBefore("session",
						envelope, exchange, now);
				if (partial.isPresent()) {
					String replayed = decision(partial.get());
					results.add(new Result(number, recorded, replayed,
							recorded.equals(replayed) ? Status.SAME : Status.DIFFERENT, "decided before the session"));
				}
				else {
					results.add(new Result(number, recorded, null, Status.NOT_REDERIVABLE,
							"encrypted or a handshake: checked through " + last(requestChecks, responseChecks, request)
									+ "; the session keys and the agent's key are not in the log, by design"));
				}
				continue;
			}
			if (line.get("check") instanceof JsonString check && UNDERIVABLE_CHECKS.contains(check.value())) {
				results.add(new Result(number, recorded, null, Status.NOT_REDERIVABLE,
						"decided by " + check.value() + ", which needs what the log does not hold"));
				continue;
			}
			Verdict verdict = request ? requests.verifyAt(envelope, Map.of(), now)
					: responses.verifyAt(envelope, Objects.requireNonNull(exchange), now);
			String replayed = decision(verdict);
			results
				.add(new Result(number, recorded, replayed, recorded.equals(replayed) ? Status.SAME : Status.DIFFERENT,
						recorded.equals(replayed) ? "same decision" : "the decision differs"));
		}
		return results;
	}

	private static String last(List<Check> requests, List<Check> responses, boolean request) {
		List<Check> checks = before(request ? requests : responses, "session");
		return checks.get(checks.size() - 1).name();
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
	 * @param line the line number
	 * @param recorded the decision recorded ({@code accepted} or
	 * {@code rejected:<reason>})
	 * @param replayed the decision re-derived, or {@code null}
	 * @param status how they compare
	 * @param note what was done
	 */
	public record Result(int line, String recorded, @Nullable String replayed, Status status, String note) {
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
