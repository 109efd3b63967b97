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

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.amazon.corretto.crypto.provider.SelfTestStatus;
import org.jspecify.annotations.Nullable;

/**
 * AWS-LC through the Amazon Corretto Crypto Provider, found on the class path and checked
 * once: its native library loaded, its self tests passed, and it agrees with Bouncy
 * Castle on an ES256 and an EdDSA signature each way. The provider's classes are only
 * touched once they are known to be there.
 *
 * @author secure-agent authors
 */
final class AwsLc {

	private static final String PROVIDER_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

	/**
	 * The JDK's own provider of Ed25519 keys, named so that no other provider supplies
	 * them.
	 */
	private static final String JDK_EDDSA_KEYS = "SunEC";

	private AwsLc() {
	}

	static @Nullable Provider provider() {
		return Holder.STATUS.provider();
	}

	static @Nullable String unavailableReason() {
		return Holder.STATUS.reason();
	}

	static boolean onClassPath() {
		return Holder.STATUS.onClassPath();
	}

	/**
	 * Turn a public key that Bouncy Castle has decoded and checked into the key that
	 * AWS-LC verifies with, once.
	 */
	static PublicKey publicKey(SignatureAlgorithm algorithm, byte[] subjectPublicKeyInfo, Provider provider)
			throws UnsupportedKeyException {
		try {
			X509EncodedKeySpec spec = new X509EncodedKeySpec(subjectPublicKeyInfo);
			return switch (algorithm) {
				// the provider's own EC key keeps its native form across signatures
				case ES256 -> KeyFactory.getInstance("EC", provider).generatePublic(spec);
				// version 2.5 registers no Ed25519 key factory, and takes the JDK's keys
				case EDDSA -> KeyFactory.getInstance("Ed25519", JDK_EDDSA_KEYS).generatePublic(spec);
				case PS256 -> throw new UnsupportedKeyException("PS256 is verified by Bouncy Castle");
			};
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			throw new UnsupportedKeyException("public key cannot be decoded", ex);
		}
	}

	static PrivateKey privateKey(SignatureAlgorithm algorithm, byte[] privateKeyInfo, Provider provider)
			throws UnsupportedKeyException {
		try {
			PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(privateKeyInfo);
			return switch (algorithm) {
				case ES256 -> KeyFactory.getInstance("EC", provider).generatePrivate(spec);
				case EDDSA -> KeyFactory.getInstance("Ed25519", JDK_EDDSA_KEYS).generatePrivate(spec);
				case PS256 -> throw new UnsupportedKeyException("PS256 is signed by Bouncy Castle");
			};
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			throw new UnsupportedKeyException("private key cannot be decoded", ex);
		}
	}

	/**
	 * Verify a signature whose encoding the caller has already checked.
	 */
	static boolean verify(Provider provider, SignatureAlgorithm algorithm, PublicKey key, byte[] data,
			byte[] signature) {
		try {
			Signature verifier = Signature.getInstance(jcaName(algorithm), provider);
			verifier.initVerify(key);
			verifier.update(data);
			return verifier.verify(signature);
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			// a signature the provider cannot read, or a failure of the provider: not
			// valid
			return false;
		}
	}

	static byte[] sign(Provider provider, SignatureAlgorithm algorithm, PrivateKey key, byte[] data) {
		byte[] signature;
		try {
			Signature signer = Signature.getInstance(jcaName(algorithm), provider);
			signer.initSign(key);
			signer.update(data);
			signature = signer.sign();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(algorithm.jwaName() + " signing failed in AWS-LC", ex);
		}
		if (signature.length != algorithm.fixedSignatureLength()) {
			throw new IllegalStateException(
					algorithm.jwaName() + " signature of " + signature.length + " bytes from AWS-LC");
		}
		return signature;
	}

	private static String jcaName(SignatureAlgorithm algorithm) {
		return switch (algorithm) {
			// r || s, 32 bytes each, as JWA encodes it
			case ES256 -> "SHA256withECDSAinP1363Format";
			case EDDSA -> "Ed25519";
			case PS256 -> throw new IllegalArgumentException("PS256 is computed by Bouncy Castle");
		};
	}

	private static Status load() {
		try {
			Class.forName(PROVIDER_CLASS, false, AwsLc.class.getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return new Status(false, null, "the Amazon Corretto Crypto Provider is not on the class path");
		}
		try {
			return Native.load();
		}
		catch (RuntimeException | LinkageError ex) {
			return new Status(true, null, "the Amazon Corretto Crypto Provider failed to load: " + ex);
		}
	}

	/**
	 * Sign with one provider and verify with the other, both ways; both refuse a
	 * signature over other data and a changed signature; and EdDSA, deterministic, gives
	 * the same bytes from both.
	 * @return what disagreed, or {@code null}
	 */
	static @Nullable String disagreement(Provider provider) {
		byte[] data = "secure-agent provider check".getBytes(StandardCharsets.US_ASCII);
		byte[] other = "secure-agent provider check.".getBytes(StandardCharsets.US_ASCII);
		try {
			for (SignatureAlgorithm algorithm : new SignatureAlgorithm[] { SignatureAlgorithm.ES256,
					SignatureAlgorithm.EDDSA }) {
				KeyPair pair = keyPair(algorithm);
				MessageSigner portableSigner = Keys.signer(pair.getPrivate(), CryptoProvider.BOUNCY_CASTLE);
				KeyVerifier portable = Keys.verifier(pair.getPublic(), CryptoProvider.BOUNCY_CASTLE);
				PrivateKey privateKey = privateKey(algorithm, pair.getPrivate().getEncoded(), provider);
				PublicKey publicKey = publicKey(algorithm, pair.getPublic().getEncoded(), provider);
				byte[] nativeSignature = sign(provider, algorithm, privateKey, data);
				byte[] portableSignature = portableSigner.sign(data);
				byte[] changed = portableSignature.clone();
				changed[changed.length - 1] ^= 1;
				boolean agree = portable.verify(data, nativeSignature) && !portable.verify(other, nativeSignature)
						&& verify(provider, algorithm, publicKey, data, portableSignature)
						&& !verify(provider, algorithm, publicKey, other, portableSignature)
						&& !verify(provider, algorithm, publicKey, data, changed);
				if (algorithm == SignatureAlgorithm.EDDSA) {
					agree = agree && Arrays.equals(nativeSignature, portableSignature);
				}
				if (!agree) {
					return "AWS-LC and Bouncy Castle disagree on " + algorithm.jwaName() + " signatures";
				}
			}
			return null;
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			return "AWS-LC could not be checked against Bouncy Castle: " + ex;
		}
	}

	private static KeyPair keyPair(SignatureAlgorithm algorithm) throws GeneralSecurityException {
		if (algorithm == SignatureAlgorithm.ES256) {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
	}

	/**
	 * A key in AWS-LC's form, with the provider and the algorithm it computes.
	 */
	record NativeKey(Provider provider, SignatureAlgorithm algorithm, Key key) {

		boolean verify(byte[] data, byte[] signature) {
			return AwsLc.verify(this.provider, this.algorithm, (PublicKey) this.key, data, signature);
		}

		byte[] sign(byte[] data) {
			return AwsLc.sign(this.provider, this.algorithm, (PrivateKey) this.key, data);
		}

	}

	private record Status(boolean onClassPath, @Nullable Provider provider, @Nullable String reason) {

	}

	private static final class Holder {

		static final Status STATUS = load();

	}

	/**
	 * The only class that names the provider's own types.
	 */
	private static final class Native {

		static Status load() {
			AmazonCorrettoCryptoProvider provider = AmazonCorrettoCryptoProvider.INSTANCE;
			Throwable error = provider.getLoadingError();
			if (error != null) {
				return new Status(true, null,
						"the native library of the Amazon Corretto Crypto Provider did not load: " + error);
			}
			SelfTestStatus selfTests = provider.runSelfTests();
			if (selfTests != SelfTestStatus.PASSED) {
				return new Status(true, null, "the Amazon Corretto Crypto Provider's self tests gave " + selfTests);
			}
			String disagreement = disagreement(provider);
			return (disagreement != null) ? new Status(true, null, disagreement) : new Status(true, provider, null);
		}

	}

}
