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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.MalformedJsonException;
import io.secureagent.identity.ChainValidationException;
import io.secureagent.identity.SvidChainValidator;
import io.secureagent.identity.ValidatedSender;
import io.spiffe.bundle.BundleSource;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.spiffeid.SpiffeId;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a decision log: every line canonical, numbered in order and chained to the one
 * before; every checkpoint signed, over the chain up to it, by an SVID of the log's agent
 * that chains to the trust bundles given, at a time no earlier than the one before it;
 * every file of the log continuing the one before it (a rolled-over file) or naming its
 * head (a later run), all of one agent; each file but the last ending with its
 * {@code rollover} checkpoint and the last with the {@code final} one. It names the first
 * line that fails.
 * <p>
 * What it cannot see without an anchor kept elsewhere: the newest files of a log removed
 * whole. Keep the {@linkplain Report#head() head} it reports where the agent cannot
 * write.
 *
 * @author secure-agent authors
 */
public final class TraceVerifier {

	private static final Set<String> CHECKPOINT_MEMBERS = Set.of("n", "prev", "kind", "time", "reason", "alg", "x5c",
			"signature");

	private final SvidChainValidator chains;

	/**
	 * Create a verifier.
	 * @param bundles the trust bundles the agent's SVIDs chain to
	 */
	public TraceVerifier(BundleSource<X509Bundle> bundles) {
		this.chains = new SvidChainValidator(Objects.requireNonNull(bundles, "bundles cannot be null"), 16);
	}

	/**
	 * Read and verify the files of one log, in order.
	 * @param files the files
	 * @return the report
	 * @throws IOException if a file cannot be read
	 */
	public Report verify(List<Path> files) throws IOException {
		List<LogFile> read = new ArrayList<>();
		for (Path file : files) {
			read.add(new LogFile(file.getFileName().toString(), Files.readAllLines(file, StandardCharsets.UTF_8)));
		}
		return verifyLines(read);
	}

	/**
	 * Verify the files of one log, in order: the first may follow an earlier run not
	 * given; each after it continues it (rolled over) or names its head (a later run).
	 * @param files the files' names and lines
	 * @return the report, of the first file that fails or of the whole log
	 */
	public Report verifyLines(List<LogFile> files) {
		return verifyLines(files, null);
	}

	/**
	 * Verify the files of one log, in order, the first of which continues or follows a
	 * file no longer there, whose head was kept.
	 * @param files the files' names and lines
	 * @param after the head of the file before the first, kept from an earlier
	 * verification, or {@code null}
	 * @return the report, of the first file that fails or of the whole log
	 */
	public Report verifyLines(List<LogFile> files, @Nullable String after) {
		if (files.isEmpty()) {
			throw new IllegalArgumentException("no file to verify");
		}
		String head = null;
		String agent = null;
		Long firstTime = null;
		long lastTime = 0;
		int lines = 0;
		int decisions = 0;
		int checkpoints = 0;
		List<String> notes = new ArrayList<>();
		Map<String, String> heads = new LinkedHashMap<>();
		for (int i = 0; i < files.size(); i++) {
			LogFile file = files.get(i);
			boolean next = i + 1 < files.size();
			End end = (next && continues(files.get(i + 1))) ? End.ROLLOVER : next ? End.BEFORE_RUN : End.LAST;
			FileReport report = verifyFile(file, (i == 0) ? after : head, agent, end, notes);
			if (report.problem() != null) {
				return new Report(file.name(), false, 0, 0, 0, report.badLine(), report.problem(), null, agent, null,
						null, List.copyOf(notes), Map.of());
			}
			agent = report.agent();
			head = report.head();
			heads.put(file.name(), head);
			if (firstTime == null) {
				firstTime = report.startTime();
			}
			lastTime = report.lastCheckpoint();
			lines += file.lines().size();
			decisions += report.decisions();
			checkpoints += report.checkpoints();
		}
		return new Report(files.get(files.size() - 1).name(), true, lines, decisions, checkpoints, 0, "verified", head,
				agent, Instant.ofEpochMilli(Objects.requireNonNull(firstTime)), Instant.ofEpochMilli(lastTime),
				List.copyOf(notes), Collections.unmodifiableMap(heads));
	}

	/**
	 * Verify one file alone, as a whole log.
	 * @param name the file's name, for the report
	 * @param lines its lines
	 * @param continues the head of the file it continues, or {@code null}
	 * @return the report
	 */
	public Report verify(String name, List<String> lines, @Nullable String continues) {
		return verifyLines(List.of(new LogFile(name, lines)), continues);
	}

	private static boolean continues(LogFile file) {
		try {
			return !file.lines().isEmpty() && TraceLines.parse(file.lines().get(0)).get("continues") != null;
		}
		catch (MalformedJsonException | IllegalArgumentException ex) {
			return false;
		}
	}

	/** How a file must end. */
	private enum End {

		/** With its rollover checkpoint: the next file given continues it. */
		ROLLOVER,

		/**
		 * With its final checkpoint, or, if its agent stopped without writing one,
		 * vouched for by the next run, whose first line names this file's last line.
		 */
		BEFORE_RUN,

		/** With its final checkpoint: nothing given follows it. */
		LAST

	}

	private FileReport verifyFile(LogFile file, @Nullable String before, @Nullable String expectedAgent, End end,
			List<String> notes) {
		List<String> lines = file.lines();
		if (lines.isEmpty()) {
			return FileReport.broken(1, "the file is empty");
		}
		String head = TraceLines.GENESIS;
		SpiffeId agent = null;
		long startTime = 0;
		long lastCheckpoint = Long.MIN_VALUE;
		String lastReason = null;
		int checkpoints = 0;
		int anchored = 0;
		int decisions = 0;
		for (int i = 0; i < lines.size(); i++) {
			int number = i + 1;
			String line = lines.get(i);
			JsonObject object;
			try {
				object = TraceLines.parse(line);
			}
			catch (MalformedJsonException | IllegalArgumentException ex) {
				return FileReport.broken(number, "line " + number + " is not a JSON object: " + ex.getMessage());
			}
			if (!TraceLines.line(object).equals(line)) {
				return FileReport.broken(number, "line " + number + " is not in canonical form: it was rewritten");
			}
			if (!(object.get("n") instanceof JsonNumber n) || n.value() != number) {
				return FileReport.broken(number, "line " + number + " is numbered out of order");
			}
			String kind = (object.get("kind") instanceof JsonString value) ? value.value() : "";
			if ((number == 1) != kind.equals(TraceLines.START)) {
				return FileReport.broken(number, "a log file starts with its start line, and only there");
			}
			if (number == 1) {
				String problem = start(object, before);
				if (problem != null) {
					return FileReport.broken(1, problem);
				}
				if (before == null && object.get("previous") != null) {
					notes.add(file.name() + " follows an earlier run, not given");
				}
				head = ((JsonString) object.get("prev")).value();
				try {
					agent = SpiffeId.parse(((JsonString) object.get("agent")).value());
					startTime = (long) ((JsonNumber) object.get("time")).value();
				}
				catch (RuntimeException ex) {
					return FileReport.broken(1, "the start line names no agent or time");
				}
				if (expectedAgent != null && !expectedAgent.equals(agent.toString())) {
					return FileReport.broken(1, "this file is the log of " + agent + ", not of " + expectedAgent);
				}
				lastCheckpoint = startTime;
			}
			else if (!(object.get("prev") instanceof JsonString prev) || !prev.value().equals(head)) {
				return FileReport.broken(number, "line " + number
						+ " does not follow the line before it: a line was changed, removed or moved before it");
			}
			switch (kind) {
				case TraceLines.START -> {
				}
				case TraceLines.DECISION -> decisions++;
				case TraceLines.CHECKPOINT -> {
					String problem = checkpoint(object, Objects.requireNonNull(agent), lastCheckpoint);
					if (problem != null) {
						return FileReport.broken(number, "checkpoint at line " + number + " " + problem);
					}
					checkpoints++;
					anchored = number;
					lastCheckpoint = (long) ((JsonNumber) object.get("time")).value();
					lastReason = ((JsonString) object.get("reason")).value();
				}
				default -> {
					return FileReport.broken(number, "line " + number + " is of no known kind");
				}
			}
			head = TraceLines.hash(line);
		}
		if (end == End.BEFORE_RUN && (anchored < lines.size() || !TraceLines.FINAL.equals(lastReason))) {
			// the next file's start line must name this file's last line: checked there
			notes.add(file.name()
					+ " ends without its final checkpoint (its agent stopped); the next run's first line vouches for its last line, "
					+ lines.size());
			return new FileReport(null, 0, Objects.requireNonNull(agent).toString(), head, decisions, checkpoints,
					startTime, lastCheckpoint);
		}
		boolean last = end != End.ROLLOVER;
		if (anchored < lines.size()) {
			return FileReport.broken(anchored + 1, "lines " + (anchored + 1) + " to " + lines.size()
					+ " follow the last checkpoint and are not anchored: the file was cut off, or the agent stopped without writing its final checkpoint");
		}
		String expected = last ? TraceLines.FINAL : TraceLines.ROLLOVER;
		if (!expected.equals(lastReason)) {
			String problem = last ? (TraceLines.ROLLOVER.equals(lastReason)
					? "the log goes on in a file not given: give every file of the log, in order"
					: "the file ends at a " + lastReason + " checkpoint, not the final one: it was cut off after line "
							+ lines.size() + ", or the agent stopped without closing its log")
					: "the file ends without its rollover checkpoint: it is not the whole file, or not the one the next continues";
			return FileReport.broken(lines.size(), problem);
		}
		return new FileReport(null, 0, Objects.requireNonNull(agent).toString(), head, decisions, checkpoints,
				startTime, lastCheckpoint);
	}

	private static @Nullable String start(JsonObject start, @Nullable String before) {
		if (!(start.get("prev") instanceof JsonString prev)) {
			return "the start line has no prev";
		}
		String continues = (start.get("continues") instanceof JsonString value) ? value.value() : null;
		String previous = (start.get("previous") instanceof JsonString value) ? value.value() : null;
		if (continues != null) {
			if (before == null) {
				return "this file continues another file of the log: give that file before it, or its head with --after";
			}
			if (!continues.equals(before) || !prev.value().equals(continues)) {
				return "this file does not continue the file given before it";
			}
			return null;
		}
		if (!prev.value().equals(TraceLines.GENESIS)) {
			return "the start line does not start a chain";
		}
		if (before != null && !before.equals(previous)) {
			return "this file does not follow the file given before it: a file or a whole run is missing between them";
		}
		return null;
	}

	private @Nullable String checkpoint(JsonObject object, SpiffeId agent, long notBefore) {
		if (!CHECKPOINT_MEMBERS.equals(object.members().keySet())) {
			return "has other members than a checkpoint's";
		}
		if (!(object.get("signature") instanceof JsonString signature) || !(object.get("x5c") instanceof JsonArray x5c)
				|| !(object.get("alg") instanceof JsonString alg) || !(object.get("time") instanceof JsonNumber time)
				|| !(object.get("reason") instanceof JsonString reason)
				|| !Set.of(TraceLines.PERIODIC, TraceLines.ROLLOVER, TraceLines.FINAL).contains(reason.value())) {
			return "is incomplete";
		}
		if ((long) time.value() < notBefore) {
			return "is dated before the checkpoint or start before it";
		}
		List<byte[]> chain = new ArrayList<>();
		try {
			for (JsonValue certificate : x5c.elements()) {
				chain.add(Base64.getDecoder().decode(((JsonString) certificate).value()));
			}
			ValidatedSender signer = this.chains.validate(chain, agent, Instant.ofEpochMilli((long) time.value()));
			if (!signer.verifier().algorithm().jwaName().equals(alg.value())) {
				return "names another algorithm than its key's";
			}
			if (!signer.verifier()
				.verify(TraceLines.signingInput(object.without("signature")),
						TraceLines.fromBase64url(signature.value()))) {
				return "has a signature that does not verify: the lines before it were rewritten";
			}
			return null;
		}
		catch (ChainValidationException ex) {
			return "is not signed by an SVID of " + agent + " that chains to the trust bundles given";
		}
		catch (IllegalArgumentException | ClassCastException ex) {
			return "is malformed";
		}
	}

	/**
	 * A log file's name and lines.
	 *
	 * @param name the name, for reports
	 * @param lines the lines
	 */
	public record LogFile(String name, List<String> lines) {

		public LogFile {
			Objects.requireNonNull(name, "name cannot be null");
			lines = List.copyOf(lines);
		}

	}

	private record FileReport(@Nullable String problem, int badLine, @Nullable String agent, @Nullable String head,
			int decisions, int checkpoints, long startTime, long lastCheckpoint) {

		static FileReport broken(int line, String problem) {
			return new FileReport(problem, line, null, null, 0, 0, 0, 0);
		}

	}

	/**
	 * The outcome of verifying a log.
	 *
	 * @param file the file last verified, or the one that failed
	 * @param valid whether the log verified
	 * @param lines its number of lines
	 * @param decisions the decisions in it
	 * @param checkpoints the checkpoints in it
	 * @param firstBadLine the first line that failed, or 0
	 * @param message what was found
	 * @param head the hash of its last line: keep it where the agent cannot write, to
	 * notice later if newer files were removed
	 * @param agent the agent whose log it is
	 * @param from the start of the log's first file
	 * @param to the time of its last checkpoint
	 * @param notes what a reader of the log should know: an earlier run not given, a run
	 * that ended without its final checkpoint
	 * @param heads each file's head, in order: keep a file's head before deleting it, to
	 * verify what remains with it
	 */
	public record Report(String file, boolean valid, int lines, int decisions, int checkpoints, int firstBadLine,
			String message, @Nullable String head, @Nullable String agent, @Nullable Instant from, @Nullable Instant to,
			List<String> notes, Map<String, String> heads) {

	}

}
