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
package io.secureagent.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.crypto.KeyVerifier;
import io.secureagent.crypto.MessageSigner;
import io.secureagent.envelope.Envelope;
import io.secureagent.envelope.EnvelopeReader;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.identity.Svid;
import io.secureagent.messaging.AgentMessage;
import io.secureagent.messaging.MessageTypes;
import io.secureagent.messaging.RecordPayloadBinder;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.verification.SenderRules;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import jakarta.validation.Validation;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole receive and send pipelines beside their crypto floor, 1 KiB payload, in one
 * run.
 * <p>
 * {@code receive} runs every check of the request pipeline, the replay reservation and
 * the typed binding (Jackson and Bean Validation) included, on a fresh message each time:
 * the messages of an iteration are made and signed before it, each is verified once, and
 * one that is refused fails the run. {@code send} validates and binds a record and signs
 * its envelope, as the client does. The floor is the cryptography alone, on as many fresh
 * messages: {@code floorVerify} verifies each one's signature over its signing input
 * (SHA-256 and the signature primitive, with the provider the pipeline uses) and
 * {@code floorSign} signs each signing input.
 *
 * @author secure-agent authors
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PipelineBenchmarks {

	/** Messages made for each iteration: more than one second of {@code receive} uses. */
	private static final int MESSAGES = 30_000;

	@Param({ "ES256", "EdDSA" })
	public String alg;

	private EnvelopeSigner signer;

	private RecordPayloadBinder binder;

	private MessageTypes types;

	private SpiffeId recipient;

	private Task task;

	private JsonValue payload;

	private KeyVerifier keyVerifier;

	private MessageSigner messageSigner;

	private StaticIdentity receiver;

	private Clock clock;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		this.clock = Clock.systemUTC();
		DevCertificateAuthority ca = DevCertificateAuthority.create(TrustDomain.parse("bench.test"), this.clock);
		X509BundleSet bundles = X509BundleSet.of(List.of(ca.bundle()));
		KeyType keyType = "ES256".equals(this.alg) ? KeyType.EC_P256 : KeyType.ED25519;
		SpiffeId senderId = SpiffeId.parse("spiffe://bench.test/sender");
		Svid senderSvid = ca.issue(senderId, keyType);
		StaticIdentity sender = new StaticIdentity(senderSvid, bundles);
		this.recipient = SpiffeId.parse("spiffe://bench.test/recipient");
		this.receiver = new StaticIdentity(ca.issue(this.recipient, KeyType.EC_P256), bundles);
		this.signer = new EnvelopeSigner(sender, this.clock, Duration.ofMinutes(5));
		this.types = new MessageTypes();
		this.types.register(Task.class);
		this.binder = new RecordPayloadBinder(this.types, new JsonMapper(),
				Validation.buildDefaultValidatorFactory().getValidator());
		JsonValue tree = new StrictJsonParser(JsonLimits.DEFAULT)
			.parse(EnvelopeBenchmarks.PAYLOAD_1K.getBytes(StandardCharsets.UTF_8));
		this.payload = tree;
		this.task = (Task) ((io.secureagent.verification.PayloadBinder.Binding.Bound) this.binder.bind("bench.task",
				tree))
			.value();
		this.messageSigner = MessageSigner.of(senderSvid.privateKey());
		this.keyVerifier = KeyVerifier.of(senderSvid.leaf().getPublicKey());
	}

	@Benchmark
	public Verdict receive(Fresh fresh) {
		return fresh.verifyNext();
	}

	/**
	 * The typed binding alone, the part of {@code receive} that makes the handler's
	 * record: the payload's canonical form read by Jackson into the record, then Bean
	 * Validation. The alg parameter does not touch it.
	 * @return the binding
	 */
	@Benchmark
	public io.secureagent.verification.PayloadBinder.Binding bind() {
		return this.binder.bind("bench.task", this.payload);
	}

	@Benchmark
	public byte[] send() throws Exception {
		if (!this.binder.violations(this.task).isEmpty()) {
			throw new IllegalStateException("the record is invalid");
		}
		return this.signer.sign(this.types.register(Task.class), this.recipient, null, this.binder.toJson(this.task))
			.bytes();
	}

	@Benchmark
	public boolean floorVerify(FreshFloor floor) {
		return floor.verifyNext();
	}

	@Benchmark
	public byte[] floorSign(FreshFloor floor) {
		return floor.signer.sign(floor.nextInput());
	}

	/**
	 * The signing inputs and signatures of as many fresh messages as {@link Fresh} makes,
	 * made the same way before each iteration: the floor works on distinct messages in
	 * memory as the pipeline does, not on one message that stays in the cache and whose
	 * scalars the branch predictor learns.
	 */
	@State(Scope.Thread)
	public static class FreshFloor {

		private byte[][] inputs;

		private byte[][] signatures;

		// the keys of the instance that made the messages: JMH may hand a state of its
		// own
		// to the benchmark method
		private KeyVerifier verifier;

		private MessageSigner signer;

		private int next;

		@Setup(Level.Iteration)
		public void freshMessages(PipelineBenchmarks bench) throws Exception {
			JsonValue payload = bench.binder.toJson(bench.task);
			StrictJsonParser parser = new StrictJsonParser(JsonLimits.DEFAULT);
			this.inputs = new byte[MESSAGES][];
			this.signatures = new byte[MESSAGES][];
			for (int i = 0; i < MESSAGES; i++) {
				Envelope envelope = EnvelopeReader
					.read(parser.parse(bench.signer.sign("bench.task", bench.recipient, null, payload).bytes()));
				this.inputs[i] = envelope.signingInput();
				this.signatures[i] = envelope.signature();
			}
			this.verifier = bench.keyVerifier;
			this.signer = bench.messageSigner;
			settle();
			this.next = 0;
		}

		boolean verifyNext() {
			if (this.next == MESSAGES) {
				throw new IllegalStateException("the iteration used every message made for it: raise MESSAGES");
			}
			int index = this.next++;
			if (!this.verifier.verify(this.inputs[index], this.signatures[index])) {
				throw new IllegalStateException("a fresh signature did not verify");
			}
			return true;
		}

		byte[] nextInput() {
			if (this.next == MESSAGES) {
				throw new IllegalStateException("the iteration used every message made for it: raise MESSAGES");
			}
			return this.inputs[this.next++];
		}

	}

	/**
	 * The fresh messages of an iteration, and a store that holds all of them: made before
	 * each iteration of {@code receive} only.
	 */
	@State(Scope.Thread)
	public static class Fresh {

		private VerificationPipeline pipeline;

		private byte[][] messages;

		private int next;

		@Setup(Level.Iteration)
		public void freshMessages(PipelineBenchmarks bench) throws Exception {
			this.pipeline = VerificationPipeline
				.builder(bench.receiver, new InMemoryReplayStore(MESSAGES, MESSAGES, bench.clock), bench.clock)
				.authorization(new SenderRules(List
					.of(new SenderRules.Rule(List.of("spiffe://bench.test/sender"), Set.of("bench.task"), Set.of()))))
				.handledTypes("bench.task"::equals)
				.payloadBinder(bench.binder)
				.build();
			JsonValue payload = bench.binder.toJson(bench.task);
			this.messages = new byte[MESSAGES][];
			for (int i = 0; i < MESSAGES; i++) {
				this.messages[i] = bench.signer.sign("bench.task", bench.recipient, null, payload).bytes();
			}
			settle();
			this.next = 0;
		}

		Verdict verifyNext() {
			if (this.next == MESSAGES) {
				throw new IllegalStateException("the iteration used every message made for it: raise MESSAGES");
			}
			Verdict verdict = this.pipeline.verify(this.messages[this.next++]);
			if (!(verdict instanceof Verdict.Accepted)) {
				throw new IllegalStateException("a fresh message was refused: " + verdict);
			}
			return verdict;
		}

	}

	/**
	 * Collect before an iteration, so that the messages made for it are old when it
	 * starts: young collections during the iteration then do not copy tens of megabytes
	 * of them, a cost of the benchmark and not of the pipeline or the floor.
	 */
	static void settle() {
		System.gc();
	}

	/**
	 * The benchmark's message type, the shape of the 1 KiB payload.
	 *
	 * @param task the task
	 * @param items the items
	 * @param done whether it is done
	 */
	@AgentMessage("bench.task")
	public record Task(@NotBlank String task, @NotNull @Size(max = 1000) List<Item> items, boolean done) {

	}

	/**
	 * An item of the task.
	 *
	 * @param n its number
	 * @param word its word
	 */
	public record Item(int n, @NotBlank String word) {

	}

}
