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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.crypto.CryptoProvider;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.client.SecureAgentClient;
import io.secureagent.client.SecureAgentClientException;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.envelope.Members;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.sample.Messages.TaskRequest;
import io.secureagent.sample.Messages.TaskResult;
import io.secureagent.session.Session;
import io.secureagent.session.SessionManager;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The one-command demo: a planner, an executor, a policy agent and an untrusted relay
 * start on loopback with SPIFFE IDs from a development CA made for the run. The planner
 * sends tasks through the relay, end-to-end encrypted; the executor consults the policy
 * agent before it runs a tool. Then an attacker tries a forged sender, a tampered
 * payload, a replay, a wrong recipient, a stale message, downgrades, and the relay
 * tampers; each is shown rejected with its reason code. Exits 0 when every step behaved
 * as expected.
 *
 * @author secure-agent authors
 */
public final class SampleAgents {

	private static final SpiffeId EXECUTOR = SpiffeId.parse("spiffe://example.org/executor");

	private final PrintStream out;

	private final List<String> failures = new ArrayList<>();

	private final List<ConfigurableApplicationContext> agents = new ArrayList<>();

	SampleAgents(PrintStream out) {
		this.out = out;
	}

	/**
	 * Run the demo; or, with {@code serve}, start the executor and its policy agent and
	 * keep them running until the JVM is stopped (Ctrl+C); or, with
	 * {@code send <url> <text>}, start a planner, send the executor at that URL one
	 * encrypted word-count task, print the answer and stop.
	 * @param args nothing, {@code serve}, or {@code send <url> <text>}
	 * @throws Exception if an agent cannot start
	 */
	public static void main(String[] args) throws Exception {
		SampleAgents sample = new SampleAgents(System.out);
		if (args.length == 1 && "serve".equals(args[0])) {
			// the web servers' threads keep the JVM running; Ctrl+C closes the agents
			sample.serve(Integer.getInteger("executor.port", 8081), Integer.getInteger("policy.port", 8082),
					Path.of(System.getProperty("java.io.tmpdir"), "secure-agent-dev-ca"));
			return;
		}
		if (args.length == 3 && "send".equals(args[0])) {
			boolean ok = sample.send(args[1], args[2],
					Path.of(System.getProperty("java.io.tmpdir"), "secure-agent-dev-ca"));
			System.exit(ok ? 0 : 1);
		}
		boolean ok = sample.run();
		System.exit(ok ? 0 : 1);
	}

	/**
	 * Start the executor and its policy agent on fixed loopback ports, with identities
	 * from the development CA in a directory that a planner in another JVM shares.
	 * @param executorPort the executor's port (0 for any)
	 * @param policyPort the policy agent's port (0 for any)
	 * @param ca the development CA's directory
	 * @return the executor's endpoint
	 */
	String serve(int executorPort, int policyPort, Path ca) {
		ConfigurableApplicationContext policy = start(Agents.Policy.class, "policy", ca, "server.port=" + policyPort,
				"secure-agent.authorization[0].senders=spiffe://example.org/executor",
				"secure-agent.authorization[0].types=policy.query",
				"secure-agent.authorization[0].authorities=ROLE_EXECUTOR");
		ConfigurableApplicationContext executor = start(Agents.Executor.class, "executor", ca,
				"server.port=" + executorPort, "secure-agent.authorization[0].senders=spiffe://example.org/planner",
				"secure-agent.authorization[0].types=task.request",
				"secure-agent.authorization[0].authorities=ROLE_PLANNER",
				"secure-agent.peers.policy.spiffe-id=spiffe://example.org/policy",
				"secure-agent.peers.policy.url=" + endpoint(policy));
		this.out.println("serving until stopped (Ctrl+C); send a task from another terminal with");
		this.out.println("  ./mvnw -q -Pdemo -pl sample-agents -am compile -Dexec.args=\"send " + endpoint(executor)
				+ " 'count these words'\"");
		return endpoint(executor).toString();
	}

	/**
	 * Start a planner, send one encrypted word-count task to an executor, print the
	 * answer and close the planner.
	 * @param url the executor's endpoint
	 * @param text the text whose words are counted
	 * @param ca the development CA's directory, shared with the executor
	 * @return whether the executor answered
	 */
	boolean send(String url, String text, Path ca) {
		ConfigurableApplicationContext planner = start(Agents.Planner.class, "planner", ca,
				"secure-agent.peers.executor.spiffe-id=spiffe://example.org/executor",
				"secure-agent.peers.executor.url=" + url);
		try {
			TaskResult result = planner.getBean(SecureAgentClient.class)
				.send("executor", new TaskRequest("word-count", text), TaskResult.class)
				.block(Duration.ofSeconds(30));
			this.out.println("executor -> planner: " + result);
			return result != null;
		}
		catch (RuntimeException ex) {
			this.out.println("the task failed: " + ex.getMessage());
			return false;
		}
		finally {
			this.agents.remove(planner);
			planner.close();
		}
	}

	/**
	 * Close every agent this sample started.
	 */
	void close() {
		for (int i = this.agents.size() - 1; i >= 0; i--) {
			this.agents.get(i).close();
		}
		this.agents.clear();
	}

	boolean run() throws Exception {
		Path ca = Files.createTempDirectory("secure-agent-demo-ca");
		try {
			ConfigurableApplicationContext policy = start(Agents.Policy.class, "policy", ca,
					"secure-agent.authorization[0].senders=spiffe://example.org/executor",
					"secure-agent.authorization[0].types=policy.query",
					"secure-agent.authorization[0].authorities=ROLE_EXECUTOR");
			ConfigurableApplicationContext executor = start(Agents.Executor.class, "executor", ca,
					"secure-agent.authorization[0].senders=spiffe://example.org/planner",
					"secure-agent.authorization[0].types=task.request",
					"secure-agent.authorization[0].authorities=ROLE_PLANNER",
					"secure-agent.peers.policy.spiffe-id=spiffe://example.org/policy",
					"secure-agent.peers.policy.url=" + endpoint(policy));
			ConfigurableApplicationContext relay = start(Agents.Relay.class, "relay", ca, "secure-agent.enabled=false",
					"relay.target=" + endpoint(executor));
			ConfigurableApplicationContext planner = start(Agents.Planner.class, "planner", ca,
					"secure-agent.peers.executor.spiffe-id=spiffe://example.org/executor",
					"secure-agent.peers.executor.url=" + endpoint(relay));
			exchange(planner, relay);
			attacks(planner, executor, relay, ca);
		}
		finally {
			for (int i = this.agents.size() - 1; i >= 0; i--) {
				this.agents.get(i).close();
			}
			try (Stream<Path> files = Files.walk(ca)) {
				files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
		this.out.println();
		if (this.failures.isEmpty()) {
			this.out.println("every step behaved as expected");
			return true;
		}
		this.out.println("unexpected: " + this.failures);
		return false;
	}

	private ConfigurableApplicationContext start(Class<?> application, String name, Path ca, String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.application.name=" + name, "server.port=0",
				"server.address=127.0.0.1", "spring.main.banner-mode=off", "logging.level.root=WARN",
				"secure-agent.identity.dev.ca-directory=" + ca, "secure-agent.encryption.mode=required"));
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.properties(all.toArray(String[]::new))
			.run();
		this.agents.add(context);
		this.out.printf("started %-9s %-32s at %s%n", name,
				context.containsBean("secureAgentIdentity") ? spiffeId(context) : "(no identity: a plain proxy)",
				endpoint(context));
		return context;
	}

	private void exchange(ConfigurableApplicationContext planner, ConfigurableApplicationContext relay) {
		SecureAgentClient client = planner.getBean(SecureAgentClient.class);
		Agents.RelayState relayState = relay.getBean(Agents.RelayState.class);
		this.out.println();
		this.out.println("signatures computed by " + planner.getBean(CryptoProvider.class).id());
		this.out.println("planner -> relay -> executor: task.request word-count, encrypted end to end");
		TaskResult result = client
			.send("executor", new TaskRequest("word-count", "agents should sign what they say"), TaskResult.class)
			.block(Duration.ofSeconds(30));
		this.out.println("  the relay forwarded: " + abbreviate(relayState.lastSeen().get()));
		boolean sealed = relayState.lastSeen().get().contains("\"ciphertext\"")
				&& !relayState.lastSeen().get().contains("agents should sign");
		expect("the relay saw only ciphertext", sealed, relayState.lastSeen().get());
		if (result != null) {
			this.out.println("  executor -> policy: policy.query word-count, allowed by " + result.approvedBy());
		}
		this.out.println("  executor -> planner: task.result " + result);
		expect("task result", result != null && "6".equals(result.output()), String.valueOf(result));

		this.out.println("planner -> executor: task.request rm (the policy agent says no)");
		String code = failure(() -> client.send("executor", new TaskRequest("rm", "-rf /"), TaskResult.class)
			.block(Duration.ofSeconds(30)));
		this.out.println("  -> " + code);
		expect("policy denial", "access-denied".equals(code), code);
	}

	private void attacks(ConfigurableApplicationContext planner, ConfigurableApplicationContext executor,
			ConfigurableApplicationContext relay, Path ca) throws Exception {
		this.out.println();
		this.out.println("attacks on the executor:");
		SessionManager sessions = planner.getBean(SessionManager.class);
		Session session = sessions.sessionWith(EXECUTOR).orElseThrow();
		JsonValue task = json("{\"tool\":\"word-count\",\"input\":\"hello\"}");
		byte[] genuine = sessions.seal(session, "task.request", null, task).bytes();
		int status = post(executor, genuine).getStatusCode().value();
		this.out.printf("  %-45s -> HTTP %d%n", "(a genuine encrypted task, for reference)", status);
		expect("genuine task", status == 200, "HTTP " + status);
		attack(executor, "replay of that same message", genuine, "replayed");
		byte[] fresh = sessions.seal(session, "task.request", null, task).bytes();
		attack(executor, "ciphertext tampered in transit", Agents.Tools.flipInCiphertext(fresh), "bad-signature");
		attack(executor, "sender field forged", rewrite(fresh, Members.SENDER, "spiffe://example.org/admin"),
				"sender-mismatch");

		DevCertificateAuthority rogue = DevCertificateAuthority.create(TrustDomain.parse("example.org"),
				Clock.systemUTC());
		AgentIdentity forged = new StaticIdentity(
				rogue.issue(SpiffeId.parse("spiffe://example.org/planner"), KeyType.EC_P256),
				X509BundleSet.of(List.of(rogue.bundle())));
		attack(executor, "planner identity forged by a rogue CA",
				new EnvelopeSigner(forged, Clock.systemUTC(), Duration.ofMinutes(1))
					.sign("task.request", EXECUTOR, null, task)
					.bytes(),
				"untrusted-chain");
		EnvelopeSigner signer = planner.getBean(EnvelopeSigner.class);
		attack(executor, "message addressed to another agent",
				signer.sign("task.request", SpiffeId.parse("spiffe://example.org/billing"), null, task).bytes(),
				"wrong-recipient");
		AgentIdentity plannerIdentity = planner.getBean(AgentIdentity.class);
		attack(executor, "old message (signed 10 minutes ago)",
				new EnvelopeSigner(plannerIdentity,
						Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), ZoneOffset.UTC), Duration.ofMinutes(1))
					.sign("task.request", EXECUTOR, null, task)
					.bytes(),
				"expired");
		attack(executor, "plaintext where encryption is required",
				signer.sign("task.request", EXECUTOR, null, task).bytes(), "encryption-required");
		byte[] init = sessions.initiate(EXECUTOR).bytes();
		JsonObject initTree = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(init);
		JsonObject weaker = ((JsonObject) initTree.get(Members.PAYLOAD)).with("suites",
				new JsonArray(List.of(new JsonString("CHACHA20-POLY1305"))));
		attack(executor, "downgrade: handshake offer rewritten",
				JsonCanonicalizer.canonicalize(initTree.with(Members.PAYLOAD, weaker)), "bad-signature");
		attack(executor, "downgrade: older protocol version", rewrite(fresh, Members.VERSION, "secure-agent/0"),
				"unsupported-version");

		this.out.println();
		this.out.println("the relay turns hostile and flips a byte of the ciphertext it forwards:");
		Agents.RelayState relayState = relay.getBean(Agents.RelayState.class);
		relayState.tamper().set(true);
		String code = failure(() -> planner.getBean(SecureAgentClient.class)
			.send("executor", new TaskRequest("word-count", "tamper with me"), TaskResult.class)
			.block(Duration.ofSeconds(30)));
		relayState.tamper().set(false);
		this.out.printf("  %-45s -> %s%n", "planner's task through the tampering relay", code);
		expect("relay tampering", "bad-signature".equals(code), code);
	}

	private void attack(ConfigurableApplicationContext executor, String name, byte[] message, String expectedCode) {
		ResponseEntity<byte[]> response = post(executor, message);
		String code = problemCode(response);
		this.out.printf("  %-45s -> HTTP %d %s%n", name, response.getStatusCode().value(), code);
		expect(name, expectedCode.equals(code) && response.getStatusCode().is4xxClientError(), code);
	}

	private static ResponseEntity<byte[]> post(ConfigurableApplicationContext executor, byte[] message) {
		return WebClient.create(endpoint(executor).toString())
			.post()
			.header("Content-Type", "application/secure-agent+json")
			.bodyValue(message)
			.exchangeToMono((answer) -> answer.toEntity(byte[].class))
			.block(Duration.ofSeconds(30));
	}

	private String failure(Runnable call) {
		try {
			call.run();
			return "(accepted)";
		}
		catch (SecureAgentClientException ex) {
			return ex.code();
		}
	}

	private void expect(String step, boolean ok, String detail) {
		if (!ok) {
			this.failures.add(step + " (" + detail + ")");
		}
	}

	private static String problemCode(ResponseEntity<byte[]> response) {
		try {
			JsonObject problem = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(response.getBody());
			return ((JsonString) problem.get("code")).value();
		}
		catch (Exception ex) {
			return "(no problem document)";
		}
	}

	private static JsonValue json(String text) throws Exception {
		return new StrictJsonParser(JsonLimits.DEFAULT).parse(text.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] rewrite(byte[] message, String member, String value) throws Exception {
		JsonObject tree = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(message);
		return JsonCanonicalizer.canonicalize(tree.with(member, new JsonString(value)));
	}

	private static String spiffeId(ConfigurableApplicationContext context) {
		try {
			return context.getBean(AgentIdentity.class).spiffeId().toString();
		}
		catch (Exception ex) {
			return "(unavailable)";
		}
	}

	private static URI endpoint(ConfigurableApplicationContext context) {
		return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
				+ "/secure-agent/messages");
	}

	private static String abbreviate(String text) {
		return (text.length() <= 150) ? text : text.substring(0, 150) + "...";
	}

}
