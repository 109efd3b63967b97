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
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.verification.Check;
import io.secureagent.verification.Direction;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
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
 * Signing and verifying a secure-agent/1 envelope with a 1 KiB JSON payload, beside a
 * nimbus-jose-jwt compact JWS of the same payload with the same algorithm, in one run.
 * <p>
 * {@code verify} runs every check of the receiving pipeline but the replay reservation
 * (strict parse, structure, freshness, recipient, chain, signature), so that the same
 * message can be verified again and again; nimbus parses the compact form and verifies
 * the signature.
 *
 * @author secure-agent authors
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EnvelopeBenchmarks {

	static final String PAYLOAD_1K = payload(1024);

	@Param({ "ES256", "EdDSA" })
	public String alg;

	private EnvelopeSigner signer;

	private JsonValue payload;

	private SpiffeId recipient;

	private byte[] envelope;

	private VerificationPipeline pipeline;

	private JWSSigner jwsSigner;

	private JWSVerifier jwsVerifier;

	private JWSAlgorithm jwsAlgorithm;

	private String jws;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		Clock clock = Clock.systemUTC();
		DevCertificateAuthority ca = DevCertificateAuthority.create(TrustDomain.parse("bench.test"), clock);
		X509BundleSet bundles = X509BundleSet.of(List.of(ca.bundle()));
		KeyType keyType = "ES256".equals(this.alg) ? KeyType.EC_P256 : KeyType.ED25519;
		StaticIdentity sender = new StaticIdentity(ca.issue(SpiffeId.parse("spiffe://bench.test/sender"), keyType),
				bundles);
		this.recipient = SpiffeId.parse("spiffe://bench.test/recipient");
		StaticIdentity receiver = new StaticIdentity(ca.issue(this.recipient, KeyType.EC_P256), bundles);
		this.signer = new EnvelopeSigner(sender, clock, Duration.ofMinutes(5));
		this.payload = new StrictJsonParser(JsonLimits.DEFAULT).parse(PAYLOAD_1K.getBytes(StandardCharsets.UTF_8));
		this.envelope = this.signer.sign("bench.message", this.recipient, null, this.payload).bytes();
		List<Check> checks = VerificationPipeline.builder(receiver, new InMemoryReplayStore(1, clock), clock).checks();
		this.pipeline = new VerificationPipeline(Direction.REQUEST, checks.subList(0, checks.size() - 1), clock);
		if (!(this.pipeline.verify(this.envelope) instanceof Verdict.Accepted)) {
			throw new IllegalStateException("benchmark envelope does not verify");
		}

		if ("ES256".equals(this.alg)) {
			ECKey key = new ECKeyGenerator(Curve.P_256).generate();
			this.jwsSigner = new ECDSASigner(key);
			this.jwsVerifier = new ECDSAVerifier(key.toPublicJWK());
			this.jwsAlgorithm = JWSAlgorithm.ES256;
		}
		else {
			OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).generate();
			this.jwsSigner = new Ed25519Signer(key);
			this.jwsVerifier = new Ed25519Verifier(key.toPublicJWK());
			this.jwsAlgorithm = JWSAlgorithm.EdDSA;
		}
		this.jws = nimbusSign();
		if (!nimbusVerify()) {
			throw new IllegalStateException("benchmark JWS does not verify");
		}
	}

	@Benchmark
	public byte[] secureAgentSign() throws Exception {
		return this.signer.sign("bench.message", this.recipient, null, this.payload).bytes();
	}

	@Benchmark
	public Verdict secureAgentVerify() {
		return this.pipeline.verify(this.envelope);
	}

	@Benchmark
	public String nimbusSign() throws Exception {
		JWSObject object = new JWSObject(new JWSHeader(this.jwsAlgorithm), new Payload(PAYLOAD_1K));
		object.sign(this.jwsSigner);
		return object.serialize();
	}

	@Benchmark
	public boolean nimbusVerify() throws Exception {
		return JWSObject.parse(this.jws).verify(this.jwsVerifier);
	}

	static String payload(int size) {
		StringBuilder json = new StringBuilder("{\"task\":\"summarise\",\"items\":[");
		int i = 0;
		while (json.length() < size - 40) {
			json.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append(",\"word\":\"w").append(i).append("\"}");
			i++;
		}
		return json.append("],\"done\":false}").toString();
	}

}
