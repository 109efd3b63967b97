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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.envelope.EnvelopeSigner.SignedEnvelope;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.testsupport.TestPki;
import io.secureagent.verification.SenderRules;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision log is tamper-evident and replayable: a real pipeline's decisions are
 * logged, the log verifies, and each way of tampering with it (a changed line, a removed
 * one, two swapped, the tail cut off, the whole chain rewritten and re-hashed, a
 * checkpoint signed by another trusted agent) is named at its first bad line. Replayed
 * offline, the decisions are re-derived, the same.
 *
 * @author secure-agent authors
 */
class DecisionLogTests {

	@TempDir
	Path directory;

	private final TestPki pki = new TestPki();

	private final StaticIdentity planner = this.pki.identity(TestPki.PLANNER, KeyType.EC_P256);

	private final StaticIdentity executor = this.pki.identity(TestPki.EXECUTOR, KeyType.EC_P256);

	private final X509BundleSet bundles = X509BundleSet.of(List.of(this.pki.a.bundle(), this.pki.b.bundle()));

	private final List<SenderRules.Rule> rules = List
		.of(new SenderRules.Rule(List.of(TestPki.PLANNER.toString()), Set.of("task.request"), Set.of()));

	private List<String> lines;

	@BeforeEach
	void log() throws Exception {
		VerificationPipeline pipeline = VerificationPipeline
			.builder(this.executor, new InMemoryReplayStore(100, this.pki.clock), this.pki.clock)
			.authorization(new SenderRules(this.rules))
			.handledTypes("task.request"::equals)
			.build();
		EnvelopeSigner signer = new EnvelopeSigner(this.planner, this.pki.clock, Duration.ofMinutes(1));
		JsonObject task = new JsonObject(Map.of("task", new JsonString("count")));
		SignedEnvelope first = signer.sign("task.request", TestPki.EXECUTOR, null, task);
		SignedEnvelope other = signer.sign("task.cancel", TestPki.EXECUTOR, null, task);
		SignedEnvelope elsewhere = signer.sign("task.request", SpiffeId.parse("spiffe://b.test/other"), null, task);
		List<byte[]> messages = List.of(first.bytes(), first.bytes(), other.bytes(), elsewhere.bytes(),
				"{\"version\":".getBytes(StandardCharsets.UTF_8));
		ReplayConfiguration configuration = new ReplayConfiguration(VerificationPolicy.DEFAULT, this.rules,
				List.of("task.request"));
		try (DecisionLog log = new DecisionLog(this.directory, this.executor, this.pki.clock,
				new DecisionLog.Settings(2, Duration.ofMinutes(1), 1 << 20, true), configuration.toJson())) {
			for (byte[] message : messages) {
				long now = this.pki.clock.millis();
				Verdict verdict = pipeline.verifyAt(message, Map.of(), now);
				String outcome = (verdict instanceof Verdict.Accepted) ? "accepted" : "rejected";
				log.append(Decision.of(verdict, "request", outcome, now, 10, message, null));
				this.pki.clock.advance(Duration.ofSeconds(1));
			}
		}
		try (var files = Files.list(this.directory)) {
			Path file = files.filter((path) -> path.getFileName().toString().endsWith(".jsonl"))
				.findFirst()
				.orElseThrow();
			this.lines = Files.readAllLines(file);
		}
	}

	@Test
	void aLogAsWrittenVerifies() {
		TraceVerifier.Report report = new TraceVerifier(this.bundles).verify("log", this.lines, null);
		assertThat(report.valid()).as(report.message()).isTrue();
		assertThat(report.decisions()).isEqualTo(5);
		// every second decision and the close: three checkpoints
		assertThat(report.checkpoints()).isEqualTo(3);
		assertThat(String.join("\n", this.lines)).doesNotContain("count");
	}

	@Test
	void aChangedLineIsNamed() {
		List<String> tampered = new ArrayList<>(this.lines);
		tampered.set(2, tampered.get(2).replace("\"outcome\":\"rejected\"", "\"outcome\":\"accepted\""));
		assertThat(tampered).isNotEqualTo(this.lines);
		assertBrokenAt(tampered, 4);
	}

	@Test
	void aRemovedLineIsNamed() {
		List<String> tampered = new ArrayList<>(this.lines);
		tampered.remove(2);
		assertBrokenAt(tampered, 3);
	}

	@Test
	void swappedLinesAreNamed() {
		List<String> tampered = new ArrayList<>(this.lines);
		String line = tampered.remove(1);
		tampered.add(2, line);
		assertBrokenAt(tampered, 2);
	}

	@Test
	void aCutOffTailIsNamed() {
		// everything up to the second decision's checkpoint stays; the rest is cut
		List<String> tampered = new ArrayList<>(this.lines.subList(0, 5));
		assertBrokenAt(tampered, 5);
	}

	@Test
	void aFileCutRightAfterAnEarlierCheckpointIsNamed() {
		// line 4 is the checkpoint after the second decision: a cut there leaves a chain
		// that ends in a valid signature, but not in the final checkpoint
		List<String> tampered = new ArrayList<>(this.lines.subList(0, 4));
		assertBrokenAt(tampered, 4);
		assertThat(new TraceVerifier(this.bundles).verify("log", tampered, null).message())
			.contains("not the final one");
	}

	@Test
	void rolledOverFilesVerifyInOrderAndAMissingOrMovedFileIsNamed() throws Exception {
		Path rolled = this.directory.resolve("rolled");
		try (DecisionLog log = new DecisionLog(rolled, this.executor, this.pki.clock,
				new DecisionLog.Settings(1000, Duration.ofHours(1), 4096, true), configuration().toJson())) {
			for (int i = 0; i < 40; i++) {
				log.append(new Decision(this.pki.clock.millis(), "request", "rejected", "parse", "malformed", null,
						null, null, null, null, null, 3, new byte[200], null));
			}
		}
		List<TraceVerifier.LogFile> files = files(rolled);
		assertThat(files).hasSizeGreaterThanOrEqualTo(3);
		TraceVerifier verifier = new TraceVerifier(this.bundles);
		TraceVerifier.Report whole = verifier.verifyLines(files);
		assertThat(whole.valid()).as(whole.message()).isTrue();
		assertThat(whole.decisions()).isEqualTo(40);
		List<TraceVerifier.LogFile> withoutMiddle = new ArrayList<>(files);
		withoutMiddle.remove(1);
		assertThat(verifier.verifyLines(withoutMiddle).message()).contains("does not continue");
		assertThat(verifier.verifyLines(files.subList(1, files.size())).message()).contains("continues another file");
		assertThat(verifier.verifyLines(files.subList(0, files.size() - 1)).message())
			.contains("goes on in a file not given");
		List<TraceVerifier.LogFile> swapped = new ArrayList<>(files);
		swapped.set(1, files.get(2));
		swapped.set(2, files.get(1));
		assertThat(verifier.verifyLines(swapped).valid()).isFalse();
		assertThat(new TraceReplayer(this.bundles).replayFiles(files))
			.allMatch((result) -> result.status() == TraceReplayer.Status.SAME);
	}

	@Test
	void aLaterRunNamesTheEarlierRunsHeadSoThatARemovedRunIsNamed() throws Exception {
		Path runs = this.directory.resolve("runs");
		for (int run = 0; run < 3; run++) {
			try (DecisionLog log = new DecisionLog(runs, this.executor, this.pki.clock,
					new DecisionLog.Settings(1000, Duration.ofHours(1), 1 << 20, false), configuration().toJson())) {
				log.append(new Decision(this.pki.clock.millis(), "request", "rejected", "parse", "malformed", null,
						null, null, null, null, null, 3, null, null));
			}
		}
		List<TraceVerifier.LogFile> files = files(runs);
		assertThat(files).hasSize(3);
		TraceVerifier verifier = new TraceVerifier(this.bundles);
		TraceVerifier.Report all = verifier.verifyLines(files);
		assertThat(all.valid()).as(all.file() + ": " + all.message()).isTrue();
		// the latest run alone verifies: it follows a run not given
		assertThat(verifier.verifyLines(files.subList(2, 3)).valid()).isTrue();
		assertThat(verifier.verifyLines(List.of(files.get(0), files.get(2))).message())
			.contains("a file or a whole run is missing");
	}

	@Test
	void aRunThatStoppedWithoutItsFinalCheckpointIsVouchedForByTheNextRunAndACutIsStillNamed() throws Exception {
		Path runs = this.directory.resolve("crash");
		DecisionLog crashed = new DecisionLog(runs, this.executor, this.pki.clock,
				new DecisionLog.Settings(1, Duration.ofHours(1), 1 << 20, false), configuration().toJson());
		for (int i = 0; i < 3; i++) {
			crashed.append(malformed());
		}
		// killed: no final checkpoint; a decision after the last checkpoint would be
		// lost with a crash in the middle of writing, here the file ends at a checkpoint
		crashed.abandon();
		try (DecisionLog next = new DecisionLog(runs, this.executor, this.pki.clock,
				new DecisionLog.Settings(1000, Duration.ofHours(1), 1 << 20, false), configuration().toJson())) {
			next.append(malformed());
		}
		List<TraceVerifier.LogFile> files = files(runs);
		TraceVerifier verifier = new TraceVerifier(this.bundles);
		TraceVerifier.Report report = verifier.verifyLines(files);
		assertThat(report.valid()).as(report.message()).isTrue();
		assertThat(report.notes()).anyMatch((note) -> note.contains("ends without its final checkpoint"));
		// the crashed run cut back to an earlier checkpoint no longer fits the next run
		List<String> cut = files.get(0).lines().subList(0, 3);
		TraceVerifier.Report broken = verifier
			.verifyLines(List.of(new TraceVerifier.LogFile(files.get(0).name(), cut), files.get(1)));
		assertThat(broken.valid()).isFalse();
		assertThat(broken.message()).contains("a file or a whole run is missing");
	}

	@Test
	void aLogWhoseOldestFilesWereRotatedAwayVerifiesFromTheHeadKeptOfThem() throws Exception {
		Path rolled = this.directory.resolve("rotated");
		try (DecisionLog log = new DecisionLog(rolled, this.executor, this.pki.clock,
				new DecisionLog.Settings(1000, Duration.ofHours(1), 4096, false), configuration().toJson())) {
			for (int i = 0; i < 60; i++) {
				log.append(malformed());
			}
		}
		List<TraceVerifier.LogFile> files = files(rolled);
		TraceVerifier verifier = new TraceVerifier(this.bundles);
		// before the oldest file is deleted, its head is kept from a verification
		String head = verifier.verifyLines(files).heads().get(files.get(0).name());
		assertThat(head).isEqualTo(TraceLines.hash(files.get(0).lines().get(files.get(0).lines().size() - 1)));
		List<TraceVerifier.LogFile> remaining = files.subList(1, files.size());
		assertThat(verifier.verifyLines(remaining).message()).contains("--after");
		TraceVerifier.Report report = verifier.verifyLines(remaining, head);
		assertThat(report.valid()).as(report.message()).isTrue();
		assertThat(verifier.verifyLines(remaining, TraceLines.GENESIS).valid()).isFalse();
	}

	@Test
	void agentsSharingADirectoryEachChainTheirOwnRuns() throws Exception {
		Path shared = this.directory.resolve("shared");
		StaticIdentity other = this.pki.identity(SpiffeId.parse("spiffe://b.test/other"), KeyType.EC_P256);
		for (StaticIdentity agent : List.of(this.executor, other, this.executor)) {
			try (DecisionLog log = new DecisionLog(shared, agent, this.pki.clock,
					new DecisionLog.Settings(1000, Duration.ofHours(1), 1 << 20, false), configuration().toJson())) {
				log.append(malformed());
			}
		}
		List<TraceVerifier.LogFile> files = files(shared);
		assertThat(files).hasSize(3);
		// the executor's two runs, without the other agent's between them, chain
		TraceVerifier.Report report = new TraceVerifier(this.bundles).verifyLines(List.of(files.get(0), files.get(2)));
		assertThat(report.valid()).as(report.message()).isTrue();
		assertThat(report.agent()).isEqualTo(TestPki.EXECUTOR.toString());
	}

	@Test
	void whatIsPlantedInTheDirectoryDoesNotStopTheLog() throws Exception {
		Path planted = this.directory.resolve("planted");
		Files.createDirectories(planted.resolve("decisions-99991231T000000000Z-0001.jsonl"));
		Files.write(planted.resolve("decisions-99991230T000000000Z-0001.jsonl"),
				new byte[] { (byte) 0xff, (byte) 0xfe, '\n' });
		try (DecisionLog log = new DecisionLog(planted, this.executor, this.pki.clock,
				new DecisionLog.Settings(1000, Duration.ofHours(1), 1 << 20, false), configuration().toJson())) {
			log.append(malformed());
			assertThat(log.file()).isNotNull();
		}
	}

	private Decision malformed() {
		return new Decision(this.pki.clock.millis(), "request", "rejected", "parse", "malformed", null, null, null,
				null, null, null, 3, null, null);
	}

	@Test
	void aLogAbandonedAfterAFailureIsNotFinal() throws Exception {
		Path abandoned = this.directory.resolve("abandoned");
		DecisionLog log = new DecisionLog(abandoned, this.executor, this.pki.clock,
				new DecisionLog.Settings(1, Duration.ofHours(1), 1 << 20, false), configuration().toJson());
		log.append(new Decision(this.pki.clock.millis(), "request", "rejected", "parse", "malformed", null, null, null,
				null, null, null, 3, null, null));
		log.abandon();
		TraceVerifier.Report report = new TraceVerifier(this.bundles).verifyLines(files(abandoned));
		assertThat(report.valid()).isFalse();
		assertThat(report.message()).contains("not the final one");
	}

	@Test
	void aCheckpointWithAnotherMemberOrAnEarlierTimeIsRefused() throws Exception {
		List<String> tampered = new ArrayList<>(this.lines);
		int last = tampered.size() - 1;
		JsonObject checkpoint = TraceLines.parse(tampered.get(last));
		tampered.set(last, TraceLines.line(checkpoint.with("note", new JsonString("x"))));
		assertBrokenAt(tampered, this.lines.size());
	}

	@Test
	void envelopesOverTheLimitAreLoggedWithoutThem() throws Exception {
		Path limited = this.directory.resolve("limited");
		try (DecisionLog log = new DecisionLog(limited, this.executor, this.pki.clock,
				new DecisionLog.Settings(1000, Duration.ofHours(1), 1 << 20, true, 100), configuration().toJson())) {
			log.append(new Decision(this.pki.clock.millis(), "request", "rejected", "parse", "malformed", null, null,
					null, null, null, null, 3, new byte[101], null));
			log.append(new Decision(this.pki.clock.millis(), "request", "rejected", "parse", "malformed", null, null,
					null, null, null, null, 3, new byte[100], null));
		}
		List<String> written = files(limited).get(0).lines();
		assertThat(written.get(1)).doesNotContain("\"envelope\"");
		assertThat(written.get(2)).contains("\"envelope\"");
	}

	@Test
	void aChainRewrittenAndRehashedWithoutTheKeyFailsAtItsFirstCheckpoint() throws Exception {
		// the attacker changes the first decision and recomputes every hash after it,
		// keeping the signatures, which it cannot remake
		List<String> tampered = new ArrayList<>();
		String head = TraceLines.GENESIS;
		for (String line : this.lines) {
			JsonObject object = TraceLines.parse(line);
			if (object.get("n").equals(new io.secureagent.canonical.JsonValue.JsonNumber(2))) {
				object = object.with("outcome", new JsonString("rejected")).with("reason", new JsonString("replayed"));
			}
			String rewritten = TraceLines.line(object.with("prev", new JsonString(head)));
			tampered.add(rewritten);
			head = TraceLines.hash(rewritten);
		}
		assertBrokenAt(tampered, 4);
		assertThat(new TraceVerifier(this.bundles).verify("log", tampered, null).message()).contains("does not verify");
	}

	@Test
	void aCheckpointSignedByAnotherTrustedAgentFails() throws Exception {
		StaticIdentity other = this.pki.identity(SpiffeId.parse("spiffe://b.test/other"), KeyType.EC_P256);
		Path elsewhere = this.directory.resolve("other");
		try (DecisionLog log = new DecisionLog(elsewhere, other, this.pki.clock,
				new DecisionLog.Settings(10, Duration.ofMinutes(1), 1 << 20, false),
				new ReplayConfiguration(VerificationPolicy.DEFAULT, List.of(), List.of()).toJson())) {
			log.checkpoint();
		}
		List<String> forged;
		try (var files = Files.list(elsewhere)) {
			forged = new ArrayList<>(Files.readAllLines(files.findFirst().orElseThrow()));
		}
		// the other agent's log, claiming to be the executor's: its start line says so
		JsonObject start = TraceLines.parse(forged.get(0)).with("agent", new JsonString(TestPki.EXECUTOR.toString()));
		forged.set(0, TraceLines.line(start));
		List<String> rechained = new ArrayList<>();
		String head = TraceLines.GENESIS;
		for (String line : forged) {
			String rewritten = TraceLines.line(TraceLines.parse(line).with("prev", new JsonString(head)));
			rechained.add(rewritten);
			head = TraceLines.hash(rewritten);
		}
		TraceVerifier.Report report = new TraceVerifier(this.bundles).verify("log", rechained, null);
		assertThat(report.valid()).isFalse();
		assertThat(report.message()).contains("not signed by an SVID of " + TestPki.EXECUTOR);
	}

	@Test
	void replayReDerivesEveryDecision() {
		List<TraceReplayer.Result> results = new TraceReplayer(this.bundles).replay(this.lines);
		assertThat(results).hasSize(5);
		assertThat(results).allMatch((result) -> result.status() == TraceReplayer.Status.SAME);
		assertThat(results.stream().map(TraceReplayer.Result::replayed)).containsExactly("accepted",
				"rejected:replayed", "rejected:unauthorized-sender", "rejected:wrong-recipient", "rejected:malformed");
	}

	@Test
	void replayNamesADecisionThatDiffers() throws Exception {
		// a log whose chain is intact but whose agent decided otherwise (here: a line
		// written by a different rule set) is reported line by line
		List<String> changed = new ArrayList<>(this.lines);
		JsonObject start = TraceLines.parse(changed.get(0));
		JsonObject configuration = new ReplayConfiguration(VerificationPolicy.DEFAULT, List.of(),
				List.of("task.request"))
			.toJson();
		changed.set(0, TraceLines.line(start.with("configuration", configuration)));
		List<TraceReplayer.Result> results = new TraceReplayer(this.bundles).replay(changed);
		assertThat(results.get(0).status()).isEqualTo(TraceReplayer.Status.DIFFERENT);
		assertThat(results.get(0).replayed()).isEqualTo("rejected:unauthorized-sender");
	}

	private ReplayConfiguration configuration() {
		return new ReplayConfiguration(VerificationPolicy.DEFAULT, this.rules, List.of("task.request"));
	}

	private static List<TraceVerifier.LogFile> files(Path directory) throws Exception {
		try (var listed = Files.list(directory)) {
			List<TraceVerifier.LogFile> files = new ArrayList<>();
			for (Path file : listed.filter(Files::isRegularFile).sorted().toList()) {
				files.add(new TraceVerifier.LogFile(file.getFileName().toString(), Files.readAllLines(file)));
			}
			return files;
		}
	}

	private void assertBrokenAt(List<String> tampered, int line) {
		TraceVerifier.Report report = new TraceVerifier(this.bundles).verify("log", tampered, null);
		assertThat(report.valid()).isFalse();
		assertThat(report.firstBadLine()).as(report.message()).isEqualTo(line);
	}

}
