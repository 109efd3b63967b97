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
package io.secureagent.crypto;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.SecureRandom;

import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.util.BigIntegers;
import org.jspecify.annotations.Nullable;

/**
 * Signs with one private key, with the {@link CryptoProvider} chosen when the signer is
 * made. With Bouncy Castle, ES256 signatures use deterministic nonces (RFC 6979), so they
 * need no randomness and are reproducible; with AWS-LC, its nonces come from its random
 * bit generator, hedged with a hash of the private key and the digest. EdDSA is
 * deterministic by design, with either. PS256, always with Bouncy Castle, draws its salt
 * from a {@link SecureRandom}.
 *
 * @author secure-agent authors
 */
public final class MessageSigner {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final SignatureAlgorithm algorithm;

	private final AsymmetricKeyParameter key;

	private final AwsLc.@Nullable NativeKey awsLc;

	MessageSigner(SignatureAlgorithm algorithm, AsymmetricKeyParameter key, AwsLc.@Nullable NativeKey awsLc) {
		this.algorithm = algorithm;
		this.key = key;
		this.awsLc = awsLc;
	}

	/**
	 * Create a signer for a private key.
	 * @param key the key, as an SVID or a key factory gives it
	 * @return the signer
	 * @throws UnsupportedKeyException if the key is not of a supported kind and size
	 */
	public static MessageSigner of(PrivateKey key) throws UnsupportedKeyException {
		return Keys.signer(key, CryptoProvider.active());
	}

	/**
	 * Create a signer for a private key that signs with the given provider (PS256 always
	 * with Bouncy Castle).
	 * @param key the key, as an SVID or a key factory gives it
	 * @param provider the provider
	 * @return the signer
	 * @throws UnsupportedKeyException if the key is not of a supported kind and size
	 * @throws IllegalStateException if the provider is not available
	 */
	public static MessageSigner of(PrivateKey key, CryptoProvider provider) throws UnsupportedKeyException {
		return Keys.signer(key, provider);
	}

	/**
	 * Return the provider that computes this signer's signatures.
	 * @return the provider
	 */
	public CryptoProvider provider() {
		return (this.awsLc != null) ? CryptoProvider.AWS_LC : CryptoProvider.BOUNCY_CASTLE;
	}

	/**
	 * Return the algorithm that this key signs with, decided by the key alone.
	 * @return the algorithm
	 */
	public SignatureAlgorithm algorithm() {
		return this.algorithm;
	}

	/**
	 * Sign data.
	 * @param data the bytes to sign
	 * @return the signature in the encoding of {@link #algorithm()}
	 */
	public byte[] sign(byte[] data) {
		return switch (this.algorithm) {
			case ES256 -> signEcdsa(data);
			case EDDSA -> signEd25519(data);
			case PS256 -> signPss(data);
		};
	}

	private byte[] signEcdsa(byte[] data) {
		if (this.awsLc != null) {
			return this.awsLc.sign(data);
		}
		ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
		signer.init(true, (ECPrivateKeyParameters) this.key);
		BigInteger[] rs = signer.generateSignature(KeyVerifier.sha256(data));
		byte[] signature = new byte[64];
		BigIntegers.asUnsignedByteArray(rs[0], signature, 0, 32);
		BigIntegers.asUnsignedByteArray(rs[1], signature, 32, 32);
		return signature;
	}

	private byte[] signEd25519(byte[] data) {
		if (this.awsLc != null) {
			return this.awsLc.sign(data);
		}
		Ed25519Signer signer = new Ed25519Signer();
		signer.init(true, (Ed25519PrivateKeyParameters) this.key);
		signer.update(data, 0, data.length);
		return signer.generateSignature();
	}

	private byte[] signPss(byte[] data) {
		// blinded, so that signing time does not depend on the private key
		PSSSigner signer = new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(), 32,
				PSSSigner.TRAILER_IMPLICIT);
		signer.init(true, new ParametersWithRandom(this.key, RANDOM));
		signer.update(data, 0, data.length);
		try {
			return signer.generateSignature();
		}
		catch (CryptoException ex) {
			throw new IllegalStateException("RSASSA-PSS signing failed", ex);
		}
	}

}
