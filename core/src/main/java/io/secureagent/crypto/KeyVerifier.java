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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.jspecify.annotations.Nullable;

/**
 * Verifies signatures made with one public key. Made once per key (the key is decoded and
 * its precomputation kept), then used from any thread. ES256 and EdDSA are computed by
 * the {@link CryptoProvider} chosen when the verifier is made, PS256 by Bouncy Castle.
 * <p>
 * Encodings are enforced here, whatever a provider would tolerate: an ES256 signature is
 * exactly 64 bytes with {@code 0 < r, s < n}; an EdDSA signature exactly 64 bytes; a
 * PS256 signature exactly as long as the modulus.
 *
 * @author secure-agent authors
 */
public final class KeyVerifier {

	private final SignatureAlgorithm algorithm;

	private final AsymmetricKeyParameter key;

	private final AwsLc.@Nullable NativeKey awsLc;

	KeyVerifier(SignatureAlgorithm algorithm, AsymmetricKeyParameter key, AwsLc.@Nullable NativeKey awsLc) {
		this.algorithm = algorithm;
		this.key = key;
		this.awsLc = awsLc;
	}

	/**
	 * Create a verifier for a public key.
	 * @param key the key, as a certificate or key factory gives it
	 * @return the verifier
	 * @throws UnsupportedKeyException if the key is not of a supported kind and size
	 */
	public static KeyVerifier of(PublicKey key) throws UnsupportedKeyException {
		return Keys.verifier(key, CryptoProvider.active());
	}

	/**
	 * Create a verifier for a public key that verifies with the given provider (PS256
	 * always with Bouncy Castle).
	 * @param key the key, as a certificate or key factory gives it
	 * @param provider the provider
	 * @return the verifier
	 * @throws UnsupportedKeyException if the key is not of a supported kind and size
	 * @throws IllegalStateException if the provider is not available
	 */
	public static KeyVerifier of(PublicKey key, CryptoProvider provider) throws UnsupportedKeyException {
		return Keys.verifier(key, provider);
	}

	/**
	 * Return the provider that computes this verifier's checks.
	 * @return the provider
	 */
	public CryptoProvider provider() {
		return (this.awsLc != null) ? CryptoProvider.AWS_LC : CryptoProvider.BOUNCY_CASTLE;
	}

	/**
	 * Return the algorithm that this key verifies, decided by the key alone.
	 * @return the algorithm
	 */
	public SignatureAlgorithm algorithm() {
		return this.algorithm;
	}

	/**
	 * Verify a signature.
	 * @param data the signed bytes
	 * @param signature the signature, in the encoding of {@link #algorithm()}
	 * @return whether the signature is valid for the data and this key
	 */
	public boolean verify(byte[] data, byte[] signature) {
		return switch (this.algorithm) {
			case ES256 -> verifyEcdsa(data, signature);
			case EDDSA -> verifyEd25519(data, signature);
			case PS256 -> verifyPss(data, signature);
		};
	}

	private boolean verifyEcdsa(byte[] data, byte[] signature) {
		if (signature.length != SignatureAlgorithm.ES256.fixedSignatureLength()) {
			return false;
		}
		ECPublicKeyParameters ecKey = (ECPublicKeyParameters) this.key;
		BigInteger n = ecKey.getParameters().getN();
		BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
		BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
		if (r.signum() == 0 || s.signum() == 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
			return false;
		}
		if (this.awsLc != null) {
			return this.awsLc.verify(data, signature);
		}
		ECDSASigner verifier = new ECDSASigner();
		verifier.init(false, ecKey);
		return verifier.verifySignature(sha256(data), r, s);
	}

	private boolean verifyEd25519(byte[] data, byte[] signature) {
		if (signature.length != SignatureAlgorithm.EDDSA.fixedSignatureLength()) {
			return false;
		}
		if (this.awsLc != null) {
			return this.awsLc.verify(data, signature);
		}
		Ed25519Signer verifier = new Ed25519Signer();
		verifier.init(false, (Ed25519PublicKeyParameters) this.key);
		verifier.update(data, 0, data.length);
		return verifier.verifySignature(signature);
	}

	private boolean verifyPss(byte[] data, byte[] signature) {
		RSAKeyParameters rsaKey = (RSAKeyParameters) this.key;
		int modulusBytes = (rsaKey.getModulus().bitLength() + 7) / 8;
		if (signature.length != modulusBytes) {
			return false;
		}
		PSSSigner verifier = newPssSigner();
		verifier.init(false, rsaKey);
		verifier.update(data, 0, data.length);
		return verifier.verifySignature(signature);
	}

	private static PSSSigner newPssSigner() {
		return new PSSSigner(new RSAEngine(), new SHA256Digest(), new SHA256Digest(), 32, PSSSigner.TRAILER_IMPLICIT);
	}

	static byte[] sha256(byte[] data) {
		try {
			// the JDK's SHA-256 uses the CPU's SHA extensions where they exist
			return MessageDigest.getInstance("SHA-256").digest(data);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

}
