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
package io.secureagent.trace.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.trace.Decision;
import io.secureagent.trace.DecisionLog;
import io.secureagent.trace.ReplayConfiguration;
import io.secureagent.verification.SenderRules;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace tool on a real agent's log: verify and replay pass on the log as written, a
 * changed line fails with its number, and wrong usage exits 2. The log and its bundle are
 * left in {@code target/cli-fixture} for the packaged jar's check.
 *
 * @author secure-agent authors
 */
class TraceCommandTests {

	private final Path fixture = Path.of("target/cli-fixture");

	private Path log;

	private Path bundle;

	@BeforeEach
	void writeLog() throws Exception {
		Clock clock = Clock.systemUTC();
		DevCertificateAuthority ca = DevCertificateAuthority.create(TrustDomain.parse("example.test"), clock);
		X509BundleSet bundles = X509BundleSet.of(List.of(ca.bundle()));
		SpiffeId plannerId = SpiffeId.parse("spiffe://example.test/planner");
		SpiffeId executorId = SpiffeId.parse("spiffe://example.test/executor");
		StaticIdentity planner = new StaticIdentity(ca.issue(plannerId, KeyType.ED25519), bundles);
		StaticIdentity executor = new StaticIdentity(ca.issue(executorId, KeyType.ED25519), bundles);
		List<SenderRules.Rule> rules = List
			.of(new SenderRules.Rule(List.of(plannerId.toString()), Set.of("task.request"), Set.of()));
		VerificationPipeline pipeline = VerificationPipeline
			.builder(executor, new InMemoryReplayStore(100, clock), clock)
			.authorization(new SenderRules(rules))
			.handledTypes("task.request"::equals)
			.build();
		EnvelopeSigner signer = new EnvelopeSigner(planner, clock, Duration.ofMinutes(1));
		byte[] message = signer
			.sign("task.request", executorId, null, new JsonObject(Map.of("task", new JsonString("count"))))
			.bytes();
		Files.createDirectories(this.fixture);
		try (var old = Files.list(this.fixture)) {
			for (Path file : old.toList()) {
				Files.delete(file);
			}
		}
		try (DecisionLog decisions = new DecisionLog(this.fixture, executor, clock,
				new DecisionLog.Settings(10, Duration.ofMinutes(1), 1 << 20, true),
				new ReplayConfiguration(VerificationPolicy.DEFAULT, rules, List.of("task.request")).toJson())) {
			for (int i = 0; i < 2; i++) {
				long now = clock.millis();
				Verdict verdict = pipeline.verifyAt(message, Map.of(), now);
				decisions.append(Decision.of(verdict, "request",
						(verdict instanceof Verdict.Accepted) ? "accepted" : "rejected", now, 5, message, null));
			}
			this.log = decisions.file();
		}
		this.bundle = this.fixture.resolve("example.test.pem");
		Files.writeString(this.bundle,
				"-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
					.encodeToString(ca.certificate().getEncoded()) + "\n-----END CERTIFICATE-----\n");
	}

	@Test
	void verifiesAndReplaysALogAsWritten() {
		Run verify = run("trace", "verify", "--bundle", "example.test=" + this.bundle, this.log.toString());
		assertThat(verify.code()).as(verify.out()).isZero();
		assertThat(verify.out()).contains("VERIFIED 1 file(s) of spiffe://example.test/executor").contains("head ");
		Run replay = run("trace", "replay", "--bundle", "example.test=" + this.bundle, this.log.toString());
		assertThat(replay.code()).as(replay.out()).isZero();
		assertThat(replay.out()).contains(":2 SAME recorded accepted", ":3 SAME recorded rejected:replayed",
				"REPLAYED 2 same, 0 different, 0 not re-derivable");
	}

	@Test
	void aChangedLineExitsOneNamingIt() throws Exception {
		List<String> lines = new ArrayList<>(Files.readAllLines(this.log));
		lines.set(2, lines.get(2).replace("\"reason\":\"replayed\"", "\"reason\":\"expired\""));
		Path tampered = this.fixture.resolve("tampered.jsonl");
		Files.write(tampered, lines);
		Run verify = run("trace", "verify", "--bundle", "example.test=" + this.bundle, tampered.toString());
		assertThat(verify.code()).isEqualTo(1);
		assertThat(verify.out()).startsWith("BROKEN").contains("line 4:");
		Files.delete(tampered);
	}

	@Test
	void anotherAgentsLogExitsOne() {
		Run verify = run("trace", "verify", "--bundle", "example.test=" + this.bundle, "--agent",
				"spiffe://example.test/planner", this.log.toString());
		assertThat(verify.code()).isEqualTo(1);
		assertThat(verify.out()).contains("not spiffe://example.test/planner's");
	}

	@Test
	void hostileBytesExitOneWithoutAStackTrace() throws Exception {
		Path garbage = this.fixture.resolve("garbage.jsonl");
		Files.write(garbage, new byte[] { (byte) 0xff, (byte) 0xfe, '{', '\n' });
		Run verify = run("trace", "replay", "--bundle", "example.test=" + this.bundle, garbage.toString());
		assertThat(verify.code()).isEqualTo(1);
		assertThat(verify.out()).startsWith("BROKEN").doesNotContain("Exception").doesNotContain("\tat ");
		Files.delete(garbage);
	}

	@Test
	void wrongUsageExitsTwo() {
		assertThat(run("trace", "check", this.log.toString()).code()).isEqualTo(2);
		assertThat(run("trace", "verify", this.log.toString()).code()).isEqualTo(2);
		assertThat(run("trace", "verify", "--bundle", "example.test=/nonexistent.pem", this.log.toString()).code())
			.isEqualTo(2);
	}

	private static Run run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = TraceCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(code, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
	}

	private record Run(int code, String out) {
	}

}
