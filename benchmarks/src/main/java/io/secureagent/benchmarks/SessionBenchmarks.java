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
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.crypto.AeadSuite;
import io.secureagent.crypto.Hkdf;
import io.secureagent.crypto.KeyVerifier;
import io.secureagent.crypto.MessageSigner;
import io.secureagent.crypto.X25519KeyShare;
import io.secureagent.envelope.EnvelopeReader;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.envelope.EnvelopeSigner.SignedEnvelope;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.session.EstablishedSession;
import io.secureagent.session.Handshake;
import io.secureagent.session.InMemorySessionStore;
import io.secureagent.session.Session;
import io.secureagent.session.SessionLimits;
import io.secureagent.session.SessionManager;
import io.secureagent.verification.Check;
import io.secureagent.verification.Direction;
import io.secureagent.verification.Exchange;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Sessions: full handshakes (init signed, verified, answered; accept verified, keys
 * derived), and sealing plus signing, verifying plus opening of 1 KiB and 64 KiB payloads
 * ({@code verifyAndOpen} without the replay reservation, one message again and again;
 * {@code receiveSealed} the whole pipeline on fresh messages), beside nimbus-jose-jwt JWE
 * of the same payload (ECDH-ES with A256GCM, and dir with A256GCM) in the same run. The
 * JWE baselines encrypt only; they neither sign, nor check a chain, an audience, a time
 * or a replay.
 *
 * @author secure-agent authors
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SessionBenchmarks {

	private static final byte[] INFO_I2R_KEY = "secure-agent/1 i2r key".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] INFO_I2R_IV = "secure-agent/1 i2r iv".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] INFO_R2I_KEY = "secure-agent/1 r2i key".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] INFO_R2I_IV = "secure-agent/1 r2i iv".getBytes(StandardCharsets.US_ASCII);

	@Param({ "1024", "65536" })
	public int size;

	private String payloadText;

	private byte[] payloadBytes;

	private JsonValue payload;

	private Agent planner;

	private Agent executor;

	private Session plannerSession;

	private byte[] sealed;

	private VerificationPipeline executorWithoutReplay;

	private ECKey ecKey;

	private ECDHEncrypter ecdhEncrypter;

	private ECDHDecrypter ecdhDecrypter;

	private DirectEncrypter directEncrypter;

	private DirectDecrypter directDecrypter;

	private String ecdhJwe;

	private String directJwe;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		Clock clock = Clock.systemUTC();
		DevCertificateAuthority ca = DevCertificateAuthority.create(TrustDomain.parse("bench.test"), clock);
		X509BundleSet bundles = X509BundleSet.of(List.of(ca.bundle()));
		this.planner = new Agent(
				new StaticIdentity(ca.issue(SpiffeId.parse("spiffe://bench.test/planner"), KeyType.EC_P256), bundles),
				clock);
		this.executor = new Agent(
				new StaticIdentity(ca.issue(SpiffeId.parse("spiffe://bench.test/executor"), KeyType.EC_P256), bundles),
				clock);
		this.payloadText = EnvelopeBenchmarks.payload(this.size);
		this.payloadBytes = this.payloadText.getBytes(StandardCharsets.UTF_8);
		this.payload = new StrictJsonParser(JsonLimits.DEFAULT)
			.parse(this.payloadText.getBytes(StandardCharsets.UTF_8));
		this.plannerSession = handshakeSession(null);
		this.sealed = sealAndSign();
		List<Check> checks = this.executor.pipeline.checks();
		this.executorWithoutReplay = new VerificationPipeline(Direction.REQUEST, checks.subList(0, checks.size() - 1),
				clock);
		if (!(this.executorWithoutReplay.verify(this.sealed) instanceof Verdict.Accepted)) {
			throw new IllegalStateException("sealed benchmark message does not verify");
		}

		this.ecKey = new ECKeyGenerator(Curve.P_256).generate();
		this.ecdhEncrypter = new ECDHEncrypter(this.ecKey.toECPublicKey());
		this.ecdhDecrypter = new ECDHDecrypter(this.ecKey.toECPrivateKey());
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		this.directEncrypter = new DirectEncrypter(new SecretKeySpec(secret, "AES"));
		this.directDecrypter = new DirectDecrypter(new SecretKeySpec(secret, "AES"));
		this.ecdhJwe = nimbusEcdhEsEncrypt();
		this.directJwe = nimbusDirectEncrypt();
		if (nimbusEcdhEsDecrypt().length != this.payloadText.length()
				|| nimbusDirectDecrypt().length != this.payloadText.length()) {
			throw new IllegalStateException("JWE round trip failed");
		}
	}

	@Benchmark
	public Session handshake() throws Exception {
		return handshake(null);
	}

	/** A whole handshake, its session ended at once so that the stores do not fill. */
	private Session handshake(SignedEnvelope @Nullable [] messages) throws Exception {
		Session session = handshakeSession(messages);
		this.planner.sessions.close(session);
		this.executor.sessions.find(session.id()).ifPresent(this.executor.sessions.store()::remove);
		return session;
	}

	/**
	 * The cryptography of one handshake alone, with the same providers: each side makes
	 * an X25519 key pair and agrees on the secret, derives the keys (HKDF-SHA-256,
	 * extract and the four expands), signs its message and verifies the other's. The
	 * messages are those of real handshakes, a different one each time.
	 * @return the initiator's derived key
	 * @throws Exception if a primitive fails
	 */
	@Benchmark
	public byte[] floorHandshake(HandshakeFloor floor) throws Exception {
		int i = floor.next();
		X25519KeyShare initiator = X25519KeyShare.generate();
		byte[] initSignature = floor.plannerSigner.sign(floor.initInputs[i]);
		if (!floor.plannerVerifier.verify(floor.initInputs[i], floor.initSignatures[i])) {
			throw new IllegalStateException("init signature did not verify");
		}
		X25519KeyShare responder = X25519KeyShare.generate();
		keys(responder.agree(initiator.publicKey()), floor.initInputs[i]);
		byte[] acceptSignature = floor.executorSigner.sign(floor.acceptInputs[i]);
		if (!floor.executorVerifier.verify(floor.acceptInputs[i], floor.acceptSignatures[i])) {
			throw new IllegalStateException("accept signature did not verify");
		}
		byte[] key = keys(initiator.agree(responder.publicKey()), floor.initInputs[i]);
		initiator.destroy();
		responder.destroy();
		return (initSignature.length + acceptSignature.length > 0) ? key : null;
	}

	private static byte[] keys(byte[] shared, byte[] transcript) {
		byte[] prk = Hkdf.extract(transcript, shared);
		byte[] key = Hkdf.expand(prk, INFO_I2R_KEY, AeadSuite.KEY_LENGTH);
		Hkdf.expand(prk, INFO_I2R_IV, AeadSuite.NONCE_LENGTH);
		Hkdf.expand(prk, INFO_R2I_KEY, AeadSuite.KEY_LENGTH);
		Hkdf.expand(prk, INFO_R2I_IV, AeadSuite.NONCE_LENGTH);
		return key;
	}

	/**
	 * The signing inputs and signatures of real handshakes, made once, for the floor.
	 */
	@State(Scope.Thread)
	public static class HandshakeFloor {

		private static final int HANDSHAKES = 1000;

		private final byte[][] initInputs = new byte[HANDSHAKES][];

		private final byte[][] initSignatures = new byte[HANDSHAKES][];

		private final byte[][] acceptInputs = new byte[HANDSHAKES][];

		private final byte[][] acceptSignatures = new byte[HANDSHAKES][];

		private MessageSigner plannerSigner;

		private MessageSigner executorSigner;

		private KeyVerifier plannerVerifier;

		private KeyVerifier executorVerifier;

		private int next;

		@Setup(Level.Trial)
		public void setUp(SessionBenchmarks bench) throws Exception {
			StrictJsonParser parser = new StrictJsonParser(JsonLimits.DEFAULT);
			for (int i = 0; i < HANDSHAKES; i++) {
				SignedEnvelope[] messages = new SignedEnvelope[2];
				bench.handshake(messages);
				SignedEnvelope init = messages[0];
				SignedEnvelope accept = messages[1];
				this.initInputs[i] = init.signingInput();
				this.initSignatures[i] = EnvelopeReader.read(parser.parse(init.bytes())).signature();
				this.acceptInputs[i] = accept.signingInput();
				this.acceptSignatures[i] = EnvelopeReader.read(parser.parse(accept.bytes())).signature();
			}
			this.plannerSigner = MessageSigner.of(bench.planner.identity.svid().privateKey());
			this.executorSigner = MessageSigner.of(bench.executor.identity.svid().privateKey());
			this.plannerVerifier = KeyVerifier.of(bench.planner.identity.svid().leaf().getPublicKey());
			this.executorVerifier = KeyVerifier.of(bench.executor.identity.svid().leaf().getPublicKey());
		}

		int next() {
			int index = this.next;
			this.next = (index + 1) % HANDSHAKES;
			return index;
		}

	}

	/**
	 * The responder's side of a handshake alone, which is what a handshake costs the
	 * agent that is asked: a fresh init verified through the whole request pipeline (its
	 * replay reservation included), its key share agreed, the keys derived and the signed
	 * accept made. The inits are made before each iteration, each used once: 8,000 of
	 * them, enough for iterations of up to three seconds here (a longer one fails; it
	 * does not measure an init used twice).
	 * @param inits the fresh inits
	 * @return the accept
	 */
	@Benchmark
	public SignedEnvelope respondHandshake(FreshInits inits) {
		return inits.answerNext();
	}

	/**
	 * Inits from the planner, made fresh before each iteration of
	 * {@code respondHandshake}, which the planner forgets at once (it would wait for no
	 * more than a thousand answers).
	 */
	@State(Scope.Thread)
	public static class FreshInits {

		private byte[][] inits;

		private int next;

		private Agent executor;

		@Setup(Level.Iteration)
		public void freshInits(SessionBenchmarks bench) throws Exception {
			this.inits = new byte[8_000][];
			for (int i = 0; i < this.inits.length; i++) {
				SignedEnvelope init = bench.planner.sessions.initiate(bench.executor.identity.spiffeId());
				bench.planner.sessions.abandon(init);
				this.inits[i] = init.bytes();
			}
			this.executor = bench.executor;
			PipelineBenchmarks.settle();
			this.next = 0;
		}

		SignedEnvelope answerNext() {
			if (this.next == this.inits.length) {
				throw new IllegalStateException("the iteration used every init made for it");
			}
			Verdict verdict = this.executor.pipeline.verify(this.inits[this.next++]);
			if (!(verdict instanceof Verdict.Accepted accepted) || accepted.message().established() == null) {
				throw new IllegalStateException("a fresh init was refused: " + verdict);
			}
			EstablishedSession established = accepted.message().established();
			// the session would wait for its first message; removed, so the store does
			// not fill
			this.executor.sessions.find(established.session().id()).ifPresent(this.executor.sessions.store()::remove);
			return established.reply();
		}

	}

	@Benchmark
	public byte[] sealAndSign() throws Exception {
		return this.planner.sessions.seal(this.plannerSession, "bench.message", null, this.payload).bytes();
	}

	/**
	 * The strict parse of the plaintext alone, the largest part of {@code verifyAndOpen}
	 * at 64 KiB.
	 * @return the tree
	 * @throws Exception never
	 */
	@Benchmark
	public JsonValue parsePlaintext() throws Exception {
		return new StrictJsonParser(JsonLimits.DEFAULT).parse(this.payloadBytes);
	}

	@Benchmark
	public Verdict verifyAndOpen() {
		return this.executorWithoutReplay.verify(this.sealed);
	}

	@Benchmark
	public Verdict receiveSealed(FreshSealed fresh) {
		return fresh.verifyNext();
	}

	@Benchmark
	public String nimbusEcdhEsEncrypt() throws Exception {
		JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.ECDH_ES, EncryptionMethod.A256GCM),
				new Payload(this.payloadText));
		jwe.encrypt(this.ecdhEncrypter);
		return jwe.serialize();
	}

	@Benchmark
	public byte[] nimbusEcdhEsDecrypt() throws Exception {
		JWEObject jwe = JWEObject.parse(this.ecdhJwe);
		jwe.decrypt(this.ecdhDecrypter);
		return jwe.getPayload().toBytes();
	}

	@Benchmark
	public String nimbusDirectEncrypt() throws Exception {
		JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM),
				new Payload(this.payloadText));
		jwe.encrypt(this.directEncrypter);
		return jwe.serialize();
	}

	@Benchmark
	public byte[] nimbusDirectDecrypt() throws Exception {
		JWEObject jwe = JWEObject.parse(this.directJwe);
		jwe.decrypt(this.directDecrypter);
		return jwe.getPayload().toBytes();
	}

	private Session handshakeSession(SignedEnvelope @Nullable [] messages) throws Exception {
		SignedEnvelope init = this.planner.sessions.initiate(this.executor.identity.spiffeId());
		Verdict answered = this.executor.pipeline.verify(init.bytes());
		SignedEnvelope accept = ((Verdict.Accepted) answered).message().established().reply();
		if (messages != null) {
			messages[0] = init;
			messages[1] = accept;
		}
		Verdict completed = this.planner.answers.verify(accept.bytes(), new Exchange(this.executor.identity.spiffeId(),
				Set.of(Handshake.ACCEPT), init.header().correlationId(), null));
		return ((Verdict.Accepted) completed).message().established().session();
	}

	/**
	 * Fresh sealed messages for each iteration of {@code receiveSealed}, which runs the
	 * whole request pipeline on each: the replay reservation included, each message once.
	 */
	@State(Scope.Thread)
	public static class FreshSealed {

		private byte[][] messages;

		private int next;

		private VerificationPipeline pipeline;

		@Setup(Level.Iteration)
		public void freshMessages(SessionBenchmarks bench) throws Exception {
			this.messages = new byte[(bench.size <= 1024) ? 30_000 : 5_000][];
			for (int i = 0; i < this.messages.length; i++) {
				this.messages[i] = bench.planner.sessions
					.seal(bench.plannerSession, "bench.message", null, bench.payload)
					.bytes();
			}
			this.pipeline = bench.executor.pipeline;
			PipelineBenchmarks.settle();
			this.next = 0;
		}

		Verdict verifyNext() {
			if (this.next == this.messages.length) {
				throw new IllegalStateException("the iteration used every message made for it");
			}
			Verdict verdict = this.pipeline.verify(this.messages[this.next++]);
			if (!(verdict instanceof Verdict.Accepted)) {
				throw new IllegalStateException("a fresh sealed message was refused: " + verdict);
			}
			return verdict;
		}

	}

	private static final class Agent {

		final StaticIdentity identity;

		final SessionManager sessions;

		final VerificationPipeline pipeline;

		final VerificationPipeline answers;

		Agent(StaticIdentity identity, Clock clock) {
			this.identity = identity;
			VerificationPolicy policy = VerificationPolicy.DEFAULT;
			this.sessions = new SessionManager(identity, new EnvelopeSigner(identity, clock, Duration.ofMinutes(1)),
					new InMemorySessionStore(1000, clock), SessionLimits.DEFAULT, List.of(AeadSuite.values()),
					new StrictJsonParser(policy.jsonLimits()), clock);
			this.pipeline = VerificationPipeline.standard(identity, new InMemoryReplayStore(50_000_000, clock), policy,
					clock, this.sessions);
			this.answers = VerificationPipeline
				.responseBuilder(identity, new InMemoryReplayStore(50_000_000, clock), clock)
				.policy(policy)
				.sessions(this.sessions)
				.build();
		}

	}

}
