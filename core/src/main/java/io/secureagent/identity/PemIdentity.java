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
package io.secureagent.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.secureagent.crypto.KeyVerifier;
import io.secureagent.crypto.MessageSigner;
import io.secureagent.crypto.UnsupportedKeyException;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.exception.X509BundleException;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Loads an identity from PEM files, as spiffe-helper writes them: the SVID chain (leaf
 * first), its PKCS#8 or SEC1 private key, and one bundle file per trust domain.
 *
 * @author secure-agent authors
 */
public final class PemIdentity {

	private PemIdentity() {
	}

	/**
	 * Load an identity.
	 * @param certificates the SVID chain file
	 * @param privateKey the private key file
	 * @param bundles the bundle file of each trusted trust domain
	 * @return the identity
	 * @throws IdentityUnavailableException if a file cannot be read or is not a valid
	 * SVID, key or bundle
	 */
	public static StaticIdentity load(Path certificates, Path privateKey, Map<TrustDomain, Path> bundles)
			throws IdentityUnavailableException {
		List<X509Certificate> chain = readCertificates(certificates);
		if (chain.isEmpty()) {
			throw new IdentityUnavailableException("no certificate in " + certificates);
		}
		PrivateKey key = readPrivateKey(privateKey);
		SpiffeId spiffeId = spiffeIdOf(chain.get(0));
		checkKeyPair(chain.get(0), key);
		List<X509Bundle> loaded = new ArrayList<>();
		for (Map.Entry<TrustDomain, Path> bundle : bundles.entrySet()) {
			try {
				loaded.add(X509Bundle.load(bundle.getKey(), bundle.getValue()));
			}
			catch (X509BundleException ex) {
				throw new IdentityUnavailableException("trust bundle " + bundle.getValue() + " cannot be loaded", ex);
			}
		}
		return new StaticIdentity(new Svid(spiffeId, chain, key), X509BundleSet.of(loaded));
	}

	private static List<X509Certificate> readCertificates(Path path) throws IdentityUnavailableException {
		try (InputStream in = Files.newInputStream(path)) {
			List<X509Certificate> chain = new ArrayList<>();
			for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
				chain.add((X509Certificate) certificate);
			}
			return chain;
		}
		catch (IOException | CertificateException ex) {
			throw new IdentityUnavailableException("certificates in " + path + " cannot be read", ex);
		}
	}

	private static PrivateKey readPrivateKey(Path path) throws IdentityUnavailableException {
		try (Reader reader = Files.newBufferedReader(path, StandardCharsets.US_ASCII);
				PEMParser parser = new PEMParser(reader)) {
			Object object = parser.readObject();
			JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
			if (object instanceof PrivateKeyInfo info) {
				return converter.getPrivateKey(info);
			}
			if (object instanceof PEMKeyPair pair) {
				return converter.getPrivateKey(pair.getPrivateKeyInfo());
			}
			throw new IdentityUnavailableException("no unencrypted private key in " + path);
		}
		catch (IOException ex) {
			throw new IdentityUnavailableException("private key in " + path + " cannot be read", ex);
		}
	}

	private static SpiffeId spiffeIdOf(X509Certificate leaf) throws IdentityUnavailableException {
		try {
			return SvidChainValidator.uriSan(leaf);
		}
		catch (ChainValidationException ex) {
			throw new IdentityUnavailableException("SVID must have exactly one URI SAN, a SPIFFE ID", ex);
		}
	}

	private static void checkKeyPair(X509Certificate leaf, PrivateKey key) throws IdentityUnavailableException {
		try {
			byte[] probe = "secure-agent key pair check".getBytes(StandardCharsets.US_ASCII);
			MessageSigner signer = MessageSigner.of(key);
			KeyVerifier verifier = KeyVerifier.of(leaf.getPublicKey());
			if (signer.algorithm() != verifier.algorithm() || !verifier.verify(probe, signer.sign(probe))) {
				throw new IdentityUnavailableException("private key does not match the SVID");
			}
		}
		catch (UnsupportedKeyException ex) {
			throw new IdentityUnavailableException("SVID key is not supported", ex);
		}
	}

}
