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
import java.security.KeyPair;
import java.security.Signature;
import java.util.concurrent.TimeUnit;

import io.secureagent.crypto.CryptoProvider;
import io.secureagent.crypto.KeyVerifier;
import io.secureagent.crypto.MessageSigner;
import io.secureagent.identity.KeyType;
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
 * Signatures over 1 KiB by this library's primitive layer with each
 * {@link CryptoProvider} (Bouncy Castle's lightweight API, or AWS-LC; the key decoded
 * once either way) beside the JDK's default provider, in one run: the measurement behind
 * the choice of provider.
 *
 * @author secure-agent authors
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SignatureProviderBenchmarks {

	@Param({ "ES256", "EdDSA" })
	public String alg;

	@Param({ "bouncycastle", "aws-lc" })
	public String provider;

	private final byte[] data = EnvelopeBenchmarks.payload(1024).getBytes(StandardCharsets.UTF_8);

	private KeyVerifier verifier;

	private MessageSigner signer;

	private byte[] signature;

	private KeyPair keyPair;

	private String jdkAlgorithm;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		KeyType keyType = "ES256".equals(this.alg) ? KeyType.EC_P256 : KeyType.ED25519;
		this.jdkAlgorithm = "ES256".equals(this.alg) ? "SHA256withECDSAinP1363Format" : "Ed25519";
		this.keyPair = keyType.generate();
		CryptoProvider chosen = CryptoProvider.select(this.provider);
		this.signer = MessageSigner.of(this.keyPair.getPrivate(), chosen);
		this.verifier = KeyVerifier.of(this.keyPair.getPublic(), chosen);
		this.signature = this.signer.sign(this.data);
		if (this.signer.provider() != chosen || this.verifier.provider() != chosen) {
			throw new IllegalStateException(this.provider + " is not the provider in use");
		}
		if (!this.verifier.verify(this.data, this.signature) || !jdkVerify()) {
			throw new IllegalStateException("signature does not verify");
		}
	}

	@Benchmark
	public boolean verify() {
		return this.verifier.verify(this.data, this.signature);
	}

	@Benchmark
	public byte[] sign() {
		return this.signer.sign(this.data);
	}

	@Benchmark
	public boolean jdkVerify() throws Exception {
		Signature jdk = Signature.getInstance(this.jdkAlgorithm);
		jdk.initVerify(this.keyPair.getPublic());
		jdk.update(this.data);
		return jdk.verify(this.signature);
	}

}
