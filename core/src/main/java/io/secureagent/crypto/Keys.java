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

import java.io.IOException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.jspecify.annotations.Nullable;

/**
 * Turns JDK keys into Bouncy Castle key parameters once, and into AWS-LC's keys where it
 * computes the signatures, and decides the algorithm from the key's own encoding.
 *
 * @author secure-agent authors
 */
final class Keys {

	static final int MIN_RSA_BITS = 2048;

	static final int MAX_RSA_BITS = 8192;

	private Keys() {
	}

	static SignatureAlgorithm algorithmOf(AlgorithmIdentifier identifier) throws UnsupportedKeyException {
		ASN1ObjectIdentifier oid = identifier.getAlgorithm();
		if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
			if (!SECObjectIdentifiers.secp256r1.equals(identifier.getParameters())) {
				throw new UnsupportedKeyException("EC keys must be on the named curve P-256");
			}
			return SignatureAlgorithm.ES256;
		}
		if (EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
			return SignatureAlgorithm.EDDSA;
		}
		if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
			return SignatureAlgorithm.PS256;
		}
		throw new UnsupportedKeyException("unsupported key algorithm " + oid);
	}

	static KeyVerifier verifier(PublicKey key, CryptoProvider provider) throws UnsupportedKeyException {
		SubjectPublicKeyInfo info;
		AsymmetricKeyParameter parameters;
		try {
			info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
			parameters = PublicKeyFactory.createKey(info);
		}
		catch (IOException | RuntimeException ex) {
			throw new UnsupportedKeyException("public key cannot be decoded", ex);
		}
		SignatureAlgorithm algorithm = algorithmOf(info.getAlgorithm());
		checkRsaSize(parameters);
		Provider awsLc = awsLc(provider, algorithm);
		if (awsLc == null) {
			return new KeyVerifier(algorithm, parameters, null);
		}
		// AWS-LC reads only what Bouncy Castle has decoded and checked, encoded again
		return new KeyVerifier(algorithm, parameters,
				new AwsLc.NativeKey(awsLc, algorithm, AwsLc.publicKey(algorithm, reencoded(parameters), awsLc)));
	}

	static MessageSigner signer(PrivateKey key, CryptoProvider provider) throws UnsupportedKeyException {
		PrivateKeyInfo info;
		AsymmetricKeyParameter parameters;
		try {
			info = PrivateKeyInfo.getInstance(key.getEncoded());
			parameters = PrivateKeyFactory.createKey(info);
		}
		catch (IOException | RuntimeException ex) {
			throw new UnsupportedKeyException("private key cannot be decoded", ex);
		}
		SignatureAlgorithm algorithm = algorithmOf(info.getPrivateKeyAlgorithm());
		checkRsaSize(parameters);
		Provider awsLc = awsLc(provider, algorithm);
		if (awsLc == null) {
			return new MessageSigner(algorithm, parameters, null);
		}
		return new MessageSigner(algorithm, parameters, new AwsLc.NativeKey(awsLc, algorithm,
				AwsLc.privateKey(algorithm, reencodedPrivate(parameters), awsLc)));
	}

	/**
	 * Return AWS-LC's provider where it is to compute this algorithm: it is chosen and
	 * available, and the algorithm is ES256 or EdDSA. Every key is decoded and checked by
	 * Bouncy Castle first, whichever provider then uses it.
	 */
	private static @Nullable Provider awsLc(CryptoProvider provider, SignatureAlgorithm algorithm) {
		if (provider != CryptoProvider.AWS_LC || algorithm == SignatureAlgorithm.PS256) {
			return null;
		}
		Provider awsLc = AwsLc.provider();
		if (awsLc == null) {
			throw new IllegalStateException("AWS-LC cannot be used: " + AwsLc.unavailableReason());
		}
		return awsLc;
	}

	private static byte[] reencoded(AsymmetricKeyParameter publicKey) throws UnsupportedKeyException {
		try {
			return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicKey).getEncoded(ASN1Encoding.DER);
		}
		catch (IOException | RuntimeException ex) {
			throw new UnsupportedKeyException("public key cannot be encoded", ex);
		}
	}

	private static byte[] reencodedPrivate(AsymmetricKeyParameter privateKey) throws UnsupportedKeyException {
		try {
			return PrivateKeyInfoFactory.createPrivateKeyInfo(privateKey).getEncoded(ASN1Encoding.DER);
		}
		catch (IOException | RuntimeException ex) {
			throw new UnsupportedKeyException("private key cannot be encoded", ex);
		}
	}

	private static void checkRsaSize(AsymmetricKeyParameter parameters) throws UnsupportedKeyException {
		if (parameters instanceof RSAKeyParameters rsa) {
			int bits = rsa.getModulus().bitLength();
			if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
				throw new UnsupportedKeyException("RSA keys must have 2048 to 8192 bits");
			}
		}
	}

}
