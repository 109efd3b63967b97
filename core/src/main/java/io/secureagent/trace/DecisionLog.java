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

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.MalformedJsonException;
import io.secureagent.crypto.MessageSigner;
import io.secureagent.crypto.UnsupportedKeyException;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.IdentityUnavailableException;
import io.secureagent.identity.Svid;
import org.jspecify.annotations.Nullable;

/**
 * Writes an agent's decisions as a hash-chained JSON-lines file. Each line carries the
 * hash of the one before; at intervals, before a file is rolled over and when the log is
 * closed, a checkpoint line signs the chain's head with the agent's SVID. Whoever lacks
 * the agent's key can then neither change, remove, reorder nor cut off lines without the
 * {@link TraceVerifier} noticing.
 * <p>
 * Files are named {@code decisions-<start>-<nnnn>.jsonl} in one directory. A file that
 * follows a rolled-over one starts where its chain ended; the first file of a run names
 * the head of the newest file an earlier run left in the directory, so that a run removed
 * from between two others is noticed too. Each checkpoint says why it was written: a file
 * ends with a {@code rollover} checkpoint, the log with a {@code final} one, so a file
 * cut after an earlier checkpoint is noticed. Lines are written and flushed one by one; a
 * log that fails is {@linkplain #abandon() abandoned}, without a final checkpoint, and
 * never stops the agent.
 *
 * @author secure-agent authors
 */
public final class DecisionLog implements Closeable {

	private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
		.withZone(ZoneOffset.UTC);

	private final Path directory;

	private final AgentIdentity identity;

	private final Clock clock;

	private final Settings settings;

	private final JsonObject configuration;

	private final String started;

	private int fileNumber;

	private @Nullable BufferedWriter writer;

	private @Nullable Path file;

	private long fileBytes;

	private int lineNumber;

	private String head = TraceLines.GENESIS;

	private int sinceCheckpoint;

	private long lastCheckpoint;

	private boolean closed;

	/**
	 * Open a log in a directory.
	 * @param directory the directory, made if missing
	 * @param identity the agent's identity, whose SVID signs the checkpoints
	 * @param clock the clock of the checkpoints' times
	 * @param settings when to checkpoint and roll over, whether to record envelopes
	 * @param configuration what a replay needs to decide as the agent did: its policy,
	 * rules and handled types (written in each file's first line)
	 * @throws IOException if the directory or the first file cannot be made
	 */
	public DecisionLog(Path directory, AgentIdentity identity, Clock clock, Settings settings, JsonObject configuration)
			throws IOException {
		this.directory = Objects.requireNonNull(directory, "directory cannot be null");
		this.identity = Objects.requireNonNull(identity, "identity cannot be null");
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
		this.settings = Objects.requireNonNull(settings, "settings cannot be null");
		this.configuration = Objects.requireNonNull(configuration, "configuration cannot be null");
		Files.createDirectories(directory);
		String previous;
		try {
			previous = previousHead(directory, identity.spiffeId().toString());
		}
		catch (IdentityUnavailableException ex) {
			throw new IOException("the agent's identity is not available", ex);
		}
		String started = FILE_TIME.format(clock.instant());
		// a run that starts in the same millisecond as another sorts after it
		for (int run = 2; Files.exists(fileName(directory, started, 1)); run++) {
			started = FILE_TIME.format(clock.instant()) + "_" + String.format("%04d", run);
		}
		this.started = started;
		open(null, previous);
	}

	/**
	 * The head of the newest log file an earlier run left, or {@code null}: the hash of
	 * its last line, read from its end. A file that is not a regular file, or whose last
	 * line is longer than a line can be, names no head; the verifier then reports the
	 * break.
	 */
	private static @Nullable String previousHead(Path directory, String agent) throws IOException {
		List<Path> candidates = new ArrayList<>();
		try (var files = Files.list(directory)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				String name = file.getFileName().toString();
				if (name.startsWith("decisions-") && name.endsWith(".jsonl")
						&& Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
					candidates.add(file);
				}
			}
		}
		// newest first; another agent's files in the same directory are not this log's
		candidates.sort(Comparator.comparing((Path file) -> file.getFileName().toString()).reversed());
		for (Path candidate : candidates) {
			if (isLogOf(candidate, agent)) {
				return lastLineHash(candidate);
			}
		}
		return null;
	}

	/** Whether a file's start line, read up to a line's length, names the agent. */
	private static boolean isLogOf(Path file, String agent) throws IOException {
		try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
			byte[] start = in.readNBytes(TraceLines.MAX_LINE_BYTES);
			int end = 0;
			while (end < start.length && start[end] != '\n') {
				end++;
			}
			JsonObject line = TraceLines.parse(new String(start, 0, end, StandardCharsets.UTF_8));
			return line.get("agent") instanceof JsonString named && named.value().equals(agent);
		}
		catch (MalformedJsonException | IllegalArgumentException ex) {
			return false;
		}
	}

	private static @Nullable String lastLineHash(Path newest) throws IOException {
		try (RandomAccessFile file = new RandomAccessFile(newest.toFile(), "r")) {
			long end = file.length();
			// past the final newline, then back to the one before the last line
			if (end > 0) {
				file.seek(end - 1);
				if (file.read() == '\n') {
					end--;
				}
			}
			long start = end;
			int limit = TraceLines.MAX_LINE_BYTES;
			while (start > 0 && end - start <= limit) {
				file.seek(start - 1);
				if (file.read() == '\n') {
					break;
				}
				start--;
			}
			if (end == start || end - start > limit) {
				return null;
			}
			byte[] line = new byte[(int) (end - start)];
			file.seek(start);
			file.readFully(line);
			return TraceLines.hash(line);
		}
	}

	/**
	 * Return whether envelopes are recorded with their decisions.
	 * @return whether they are
	 */
	public boolean recordsEnvelopes() {
		return this.settings.recordEnvelopes();
	}

	/**
	 * Return the file now written.
	 * @return the file
	 */
	public synchronized @Nullable Path file() {
		return this.file;
	}

	/**
	 * Append one decision, then a checkpoint if one is due.
	 * @param decision the decision
	 * @throws IOException if the line cannot be written
	 */
	public synchronized void append(Decision decision) throws IOException {
		if (this.closed) {
			throw new IOException("the decision log is closed");
		}
		write(TraceLines.DECISION, members(decision));
		this.sinceCheckpoint++;
		if (this.sinceCheckpoint >= this.settings.checkpointEvery()
				|| this.clock.millis() - this.lastCheckpoint >= this.settings.checkpointInterval().toMillis()) {
			checkpoint(TraceLines.PERIODIC);
		}
		if (this.fileBytes >= this.settings.maxFileBytes()) {
			rollOver();
		}
	}

	/**
	 * Sign the chain's head now.
	 * @throws IOException if the line cannot be written, or there is no SVID to sign with
	 */
	public synchronized void checkpoint() throws IOException {
		checkpoint(TraceLines.PERIODIC);
	}

	private void checkpoint(String reason) throws IOException {
		Svid svid;
		MessageSigner signer;
		try {
			svid = this.identity.svid();
			signer = MessageSigner.of(svid.privateKey());
		}
		catch (IdentityUnavailableException | UnsupportedKeyException ex) {
			throw new IOException("no SVID to sign the checkpoint with", ex);
		}
		List<JsonValue> x5c = new ArrayList<>();
		for (X509Certificate certificate : svid.chain()) {
			try {
				x5c.add(new JsonString(Base64.getEncoder().encodeToString(certificate.getEncoded())));
			}
			catch (CertificateEncodingException ex) {
				throw new IOException(ex);
			}
		}
		Map<String, JsonValue> members = new LinkedHashMap<>();
		members.put("time", new JsonNumber(this.clock.millis()));
		members.put("reason", new JsonString(reason));
		members.put("alg", new JsonString(signer.algorithm().jwaName()));
		members.put("x5c", new JsonArray(x5c));
		JsonObject unsigned = envelope(TraceLines.CHECKPOINT, members);
		byte[] signature = signer.sign(TraceLines.signingInput(unsigned));
		append(unsigned.with("signature", new JsonString(TraceLines.base64url(signature))));
		this.sinceCheckpoint = 0;
		this.lastCheckpoint = this.clock.millis();
	}

	/**
	 * Write the final checkpoint and close the file.
	 * @throws IOException if the checkpoint cannot be written
	 */
	@Override
	public synchronized void close() throws IOException {
		if (this.closed) {
			return;
		}
		try {
			checkpoint(TraceLines.FINAL);
		}
		finally {
			this.closed = true;
			if (this.writer != null) {
				this.writer.close();
			}
		}
	}

	/**
	 * Close the file without a final checkpoint, after a failure: what was written stays
	 * verifiable up to its last checkpoint, and the verifier reports the log as not
	 * closed.
	 */
	public synchronized void abandon() {
		this.closed = true;
		if (this.writer != null) {
			try {
				this.writer.close();
			}
			catch (IOException ex) {
				// the file is given up either way
			}
		}
	}

	private void rollOver() throws IOException {
		checkpoint(TraceLines.ROLLOVER);
		if (this.writer != null) {
			this.writer.close();
		}
		open(this.head, null);
	}

	private void open(@Nullable String continues, @Nullable String previous) throws IOException {
		this.fileNumber++;
		this.file = fileName(this.directory, this.started, this.fileNumber);
		this.writer = Files.newBufferedWriter(this.file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
				StandardOpenOption.WRITE);
		this.fileBytes = 0;
		this.lineNumber = 0;
		Map<String, JsonValue> members = new LinkedHashMap<>();
		try {
			members.put("agent", new JsonString(this.identity.spiffeId().toString()));
		}
		catch (IdentityUnavailableException ex) {
			throw new IOException("the agent's identity is not available", ex);
		}
		members.put("protocol", new JsonString("secure-agent/1"));
		members.put("time", new JsonNumber(this.clock.millis()));
		members.put("envelopes",
				this.settings.recordEnvelopes() ? JsonValue.JsonBoolean.TRUE : JsonValue.JsonBoolean.FALSE);
		members.put("configuration", this.configuration);
		if (continues != null) {
			members.put("continues", new JsonString(continues));
		}
		if (previous != null) {
			members.put("previous", new JsonString(previous));
		}
		write(TraceLines.START, members);
		this.lastCheckpoint = this.clock.millis();
	}

	private static Path fileName(Path directory, String started, int number) {
		return directory.resolve("decisions-" + started + "-" + String.format("%04d", number) + ".jsonl");
	}

	private void write(String kind, Map<String, JsonValue> members) throws IOException {
		append(envelope(kind, members));
	}

	private JsonObject envelope(String kind, Map<String, JsonValue> members) {
		Map<String, JsonValue> line = new LinkedHashMap<>();
		line.put("n", new JsonNumber(this.lineNumber + 1));
		line.put("prev", new JsonString(this.head));
		line.put("kind", new JsonString(kind));
		line.putAll(members);
		return new JsonObject(line);
	}

	private void append(JsonObject object) throws IOException {
		String line = TraceLines.line(object);
		try {
			BufferedWriter out = Objects.requireNonNull(this.writer);
			out.write(line);
			out.write('\n');
			out.flush();
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
		this.lineNumber++;
		this.head = TraceLines.hash(line);
		this.fileBytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
	}

	private Map<String, JsonValue> members(Decision decision) {
		Map<String, JsonValue> members = new LinkedHashMap<>();
		members.put("clock", new JsonNumber(decision.clockMillis()));
		members.put("direction", new JsonString(decision.direction()));
		members.put("outcome", new JsonString(decision.outcome()));
		optional(members, "check", decision.check());
		optional(members, "reason", decision.reason());
		optional(members, "id", decision.id());
		optional(members, "correlationId", decision.correlationId());
		optional(members, "peer", decision.peer());
		optional(members, "type", decision.type());
		optional(members, "session", decision.session());
		if (decision.seq() != null) {
			members.put("seq", new JsonNumber(decision.seq()));
		}
		members.put("elapsedMicros", new JsonNumber(decision.elapsedMicros()));
		byte[] envelope = decision.envelope();
		if (envelope != null && this.settings.recordEnvelopes()
				&& envelope.length <= this.settings.maxEnvelopeBytes()) {
			members.put("envelope", new JsonString(TraceLines.base64url(envelope)));
		}
		Decision.ExchangeRecord exchange = decision.exchange();
		if (exchange != null) {
			Map<String, JsonValue> fields = new LinkedHashMap<>();
			fields.put("peer", new JsonString(exchange.peer()));
			fields.put("expectedTypes", new JsonArray(
					exchange.expectedTypes().stream().map(JsonString::new).map(JsonValue.class::cast).toList()));
			fields.put("correlationId", new JsonString(exchange.correlationId()));
			optional(fields, "sessionId", exchange.sessionId());
			members.put("exchange", new JsonObject(fields));
		}
		return members;
	}

	private static void optional(Map<String, JsonValue> members, String name, @Nullable String value) {
		if (value != null) {
			members.put(name, new JsonString(value));
		}
	}

	/**
	 * When a log checkpoints and rolls over, and whether it records envelopes.
	 *
	 * @param checkpointEvery the most decisions between two checkpoints
	 * @param checkpointInterval the longest time from a checkpoint to the next decision
	 * without one
	 * @param maxFileBytes the size past which the log goes on in a new file
	 * @param recordEnvelopes whether each decision carries its message as received
	 * @param maxEnvelopeBytes the largest message recorded with its decision; a larger
	 * one is decided in the log without its envelope, so that a flood of large refused
	 * messages cannot fill the disk faster than the decisions do
	 */
	public record Settings(int checkpointEvery, Duration checkpointInterval, long maxFileBytes, boolean recordEnvelopes,
			int maxEnvelopeBytes) {

		/** The largest envelope a line can carry and still be read back. */
		public static final int MAX_ENVELOPE_BYTES = 4 * 1024 * 1024;

		public Settings(int checkpointEvery, Duration checkpointInterval, long maxFileBytes, boolean recordEnvelopes) {
			this(checkpointEvery, checkpointInterval, maxFileBytes, recordEnvelopes, 64 * 1024);
		}

		public Settings {
			if (checkpointEvery < 1) {
				throw new IllegalArgumentException("checkpointEvery must be positive");
			}
			Objects.requireNonNull(checkpointInterval, "checkpointInterval cannot be null");
			if (maxFileBytes < 4096) {
				throw new IllegalArgumentException("maxFileBytes must be at least 4096");
			}
			if (maxEnvelopeBytes < 0 || maxEnvelopeBytes > MAX_ENVELOPE_BYTES) {
				throw new IllegalArgumentException("maxEnvelopeBytes must be between 0 and " + MAX_ENVELOPE_BYTES);
			}
		}

	}

}
