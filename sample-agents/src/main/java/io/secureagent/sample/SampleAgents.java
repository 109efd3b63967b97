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
package io.secureagent.sample;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.envelope.EnvelopeSigner.SignedEnvelope;
import io.secureagent.envelope.Members;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.identity.Svid;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;

/**
 * The sample: a planner and an executor, each with its own SPIFFE ID from a development
 * CA made at start, exchange a signed task over real HTTP on loopback; then an attacker
 * replays, tampers with, misaddresses, backdates and forges messages, and each attempt is
 * shown rejected with its reason code. Exits 0 when every step behaved as expected.
 *
 * @author secure-agent authors
 */
public final class SampleAgents {

	private static final SpiffeId PLANNER = SpiffeId.parse("spiffe://example.org/planner");

	private static final SpiffeId EXECUTOR = SpiffeId.parse("spiffe://example.org/executor");

	private final PrintStream out;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final List<String> failures = new ArrayList<>();

	SampleAgents(PrintStream out) {
		this.out = out;
	}

	public static void main(String[] args) throws Exception {
		boolean ok = new SampleAgents(System.out).run();
		System.exit(ok ? 0 : 1);
	}

	/**
	 * Run the exchange and the attacks.
	 * @return whether every step behaved as expected
	 * @throws Exception if the agents cannot start
	 */
	boolean run() throws Exception {
		Clock clock = Clock.systemUTC();
		DevCertificateAuthority ca = DevCertificateAuthority.create(TrustDomain.parse("example.org"), clock);
		X509BundleSet bundles = X509BundleSet.of(List.of(ca.bundle()));
		StaticIdentity planner = new StaticIdentity(ca.issue(PLANNER, KeyType.EC_P256), bundles);
		StaticIdentity executorIdentity = new StaticIdentity(ca.issue(EXECUTOR, KeyType.ED25519), bundles);
		EnvelopeSigner signer = new EnvelopeSigner(planner, clock, Duration.ofMinutes(1));
		VerificationPipeline plannerInbox = VerificationPipeline.standard(planner, new InMemoryReplayStore(1000, clock),
				VerificationPolicy.DEFAULT, clock);
		try (ExecutorAgent executor = new ExecutorAgent(executorIdentity, clock)) {
			this.out.println("secure-agent/1 sample: dev CA for trust domain example.org");
			this.out.println("  planner  " + PLANNER + " (ES256)");
			this.out.println("  executor " + EXECUTOR + " (EdDSA) at " + executor.uri());
			this.out.println();

			JsonValue task = new JsonObject(Map.of("tool", new JsonString("word-count"), "text",
					new JsonString("agents should sign what they say")));
			SignedEnvelope request = signer.sign("task.request", EXECUTOR, null, task);
			this.out.println("planner -> executor  task.request id=" + request.header().id());
			this.out.println("  " + ExecutorAgent.utf8(request.bytes()).substring(0, 160) + "...");
			HttpResponse<byte[]> response = post(executor, request.bytes());
			expect("signed request accepted", response.statusCode() == 200, "HTTP " + response.statusCode());
			if (response.statusCode() == 200) {
				Verdict verdict = plannerInbox.verify(response.body());
				boolean verified = verdict instanceof Verdict.Accepted accepted
						&& accepted.message().sender().spiffeId().equals(EXECUTOR)
						&& accepted.message().header().correlationId().equals(request.header().id());
				expect("signed response verified by the planner", verified, verdict.toString());
				if (verdict instanceof Verdict.Accepted accepted) {
					this.out.println("executor -> planner  task.result correlationId="
							+ accepted.message().header().correlationId() + " payload="
							+ JsonCanonicalizer.canonicalText(accepted.message().payload()));
				}
			}
			this.out.println();
			this.out.println("attacks:");
			attack(executor, "replay of the same request", request.bytes(), "replayed");
			attack(executor, "payload tampered in transit",
					rewrite(request.bytes(), Members.PAYLOAD, new JsonString("rm -rf /")), "bad-signature");
			attack(executor, "message for another agent",
					signer.sign("task.request", SpiffeId.parse("spiffe://example.org/billing"), null, task).bytes(),
					"wrong-recipient");
			EnvelopeSigner backdated = new EnvelopeSigner(planner,
					Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), ZoneOffset.UTC), Duration.ofMinutes(1));
			attack(executor, "stale message", backdated.sign("task.request", EXECUTOR, null, task).bytes(), "expired");
			DevCertificateAuthority rogue = DevCertificateAuthority.create(TrustDomain.parse("example.org"), clock);
			Svid forged = rogue.issue(PLANNER, KeyType.EC_P256);
			attack(executor, "forged planner identity from a rogue CA",
					new EnvelopeSigner(new StaticIdentity(forged, bundles), clock, Duration.ofMinutes(1))
						.sign("task.request", EXECUTOR, null, task)
						.bytes(),
					"untrusted-chain");
			attack(executor, "newer protocol version",
					rewrite(request.bytes(), Members.VERSION, new JsonString("secure-agent/2")), "unsupported-version");
			attack(executor, "duplicate member smuggling",
					ExecutorAgent.utf8(request.bytes())
						.replaceFirst("\\{", "{\"recipient\":\"spiffe://example.org/billing\",")
						.getBytes(StandardCharsets.UTF_8),
					"malformed");
		}
		this.out.println();
		if (this.failures.isEmpty()) {
			this.out.println("every step behaved as expected");
			return true;
		}
		this.out.println("unexpected: " + this.failures);
		return false;
	}

	private void attack(ExecutorAgent executor, String name, byte[] message, String expectedCode) throws Exception {
		HttpResponse<byte[]> response = post(executor, message);
		String code = problemCode(response);
		this.out.printf("  %-42s -> HTTP %d %s%n", name, response.statusCode(), code);
		expect(name, expectedCode.equals(code) && response.statusCode() >= 400 && response.statusCode() < 500,
				"got " + code);
	}

	private void expect(String step, boolean ok, String detail) {
		if (!ok) {
			this.failures.add(step + " (" + detail + ")");
		}
	}

	private HttpResponse<byte[]> post(ExecutorAgent executor, byte[] body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(executor.uri())
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", ExecutorAgent.MEDIA_TYPE)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
	}

	private static String problemCode(HttpResponse<byte[]> response) throws Exception {
		if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
			return "(no problem document)";
		}
		JsonObject problem = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(response.body());
		return ((JsonString) problem.get("code")).value();
	}

	private static byte[] rewrite(byte[] message, String member, JsonValue value) throws Exception {
		JsonObject tree = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(message);
		return JsonCanonicalizer.canonicalize(tree.with(member, value));
	}

}
