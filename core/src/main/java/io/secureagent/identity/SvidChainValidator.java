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

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import io.secureagent.crypto.KeyVerifier;
import io.secureagent.crypto.UnsupportedKeyException;
import io.secureagent.identity.ChainValidationException.Failure;
import io.spiffe.bundle.BundleSource;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.exception.BundleNotFoundException;
import io.spiffe.spiffeid.SpiffeId;

/**
 * Validates a sender's X.509-SVID chain as the SPIFFE X509-SVID specification asks: a
 * PKIX path to the trust bundle of the sender's own trust domain, valid at the signing
 * time; a leaf that is not a CA, has the digitalSignature key usage and neither
 * keyCertSign nor cRLSign; exactly one URI SAN, equal to the claimed sender.
 * <p>
 * Chains that passed are remembered (by the digest of their DER bytes, with the bundle
 * they were checked against and the interval in which every certificate is valid), so a
 * peer's chain is parsed and path-validated once, not per message; a changed bundle
 * validates again.
 *
 * @author secure-agent authors
 */
public final class SvidChainValidator {

	/** The longest chain accepted, leaf included. */
	public static final int MAX_CHAIN_LENGTH = 5;

	private static final int KEY_USAGE_DIGITAL_SIGNATURE = 0;

	private static final int KEY_USAGE_KEY_CERT_SIGN = 5;

	private static final int KEY_USAGE_CRL_SIGN = 6;

	private static final int URI_NAME = 6;

	private final BundleSource<X509Bundle> bundles;

	private final Map<String, Validated> cache;

	/**
	 * Create a validator.
	 * @param bundles the trust bundles, one per trusted trust domain
	 * @param cacheSize how many validated chains to remember; 0 remembers none
	 */
	public SvidChainValidator(BundleSource<X509Bundle> bundles, int cacheSize) {
		this.bundles = Objects.requireNonNull(bundles, "bundles cannot be null");
		this.cache = new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Validated> eldest) {
				return size() > cacheSize;
			}
		};
	}

	/**
	 * Validate a chain given as DER bytes.
	 * @param chainDer the certificates, leaf first
	 * @param sender the sender the message claims
	 * @param signedAt the signing time claimed by the message, already checked for
	 * freshness
	 * @return the validated sender
	 * @throws ChainValidationException if any rule fails
	 */
	public ValidatedSender validate(List<byte[]> chainDer, SpiffeId sender, Instant signedAt)
			throws ChainValidationException {
		if (chainDer.isEmpty() || chainDer.size() > MAX_CHAIN_LENGTH) {
			throw new ChainValidationException(Failure.UNTRUSTED_CHAIN, "chain must have 1 to 5 certificates");
		}
		X509Bundle bundle = bundleFor(sender);
		String digest = digest(chainDer);
		Validated validated;
		synchronized (this.cache) {
			validated = this.cache.get(digest);
		}
		if (validated == null || !validated.bundle().equals(bundle)) {
			validated = validate(parse(chainDer), bundle);
			synchronized (this.cache) {
				this.cache.put(digest, validated);
			}
		}
		if (!validated.sender().spiffeId().equals(sender)) {
			throw new ChainValidationException(Failure.SENDER_MISMATCH, "URI SAN is not the sender");
		}
		if (signedAt.isBefore(validated.notBefore()) || signedAt.isAfter(validated.notAfter())) {
			throw new ChainValidationException(Failure.UNTRUSTED_CHAIN, "a certificate is not valid at signing time");
		}
		return validated.sender();
	}

	private X509Bundle bundleFor(SpiffeId sender) throws ChainValidationException {
		try {
			return this.bundles.getBundleForTrustDomain(sender.getTrustDomain());
		}
		catch (BundleNotFoundException ex) {
			throw new ChainValidationException(Failure.UNTRUSTED_CHAIN,
					"no trust bundle for the sender's trust domain");
		}
	}

	private static List<X509Certificate> parse(List<byte[]> chainDer) throws ChainValidationException {
		try {
			CertificateFactory factory = CertificateFactory.getInstance("X.509");
			List<X509Certificate> chain = new ArrayList<>(chainDer.size());
			for (byte[] der : chainDer) {
				chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
			}
			return chain;
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			throw new ChainValidationException(Failure.UNTRUSTED_CHAIN, "certificate cannot be parsed");
		}
	}

	private static Validated validate(List<X509Certificate> chain, X509Bundle bundle) throws ChainValidationException {
		X509Certificate leaf = chain.get(0);
		SpiffeId spiffeId = uriSan(leaf);
		checkLeaf(leaf);
		KeyVerifier verifier;
		try {
			verifier = KeyVerifier.of(leaf.getPublicKey());
		}
		catch (UnsupportedKeyException ex) {
			throw new ChainValidationException(Failure.INVALID_LEAF, "leaf key is not supported");
		}
		Set<X509Certificate> authorities = bundle.getX509Authorities();
		List<X509Certificate> path = new ArrayList<>(chain);
		while (path.size() > 1 && authorities.contains(path.get(path.size() - 1))) {
			path.remove(path.size() - 1);
		}
		Instant notBefore = Instant.MIN;
		Instant notAfter = Instant.MAX;
		for (X509Certificate certificate : path) {
			notBefore = max(notBefore, certificate.getNotBefore().toInstant());
			notAfter = min(notAfter, certificate.getNotAfter().toInstant());
		}
		X509Certificate anchor = checkPath(path, authorities, notBefore, notAfter);
		// PKIX does not check the trust anchor's own validity; a message is valid only
		// while the anchor is too
		notBefore = max(notBefore, anchor.getNotBefore().toInstant());
		notAfter = min(notAfter, anchor.getNotAfter().toInstant());
		if (notBefore.isAfter(notAfter)) {
			throw new ChainValidationException(Failure.UNTRUSTED_CHAIN, "the trust anchor is not valid with the chain");
		}
		return new Validated(new ValidatedSender(spiffeId, chain, verifier), bundle, notBefore, notAfter);
	}

	private static X509Certificate checkPath(List<X509Certificate> path, Collection<X509Certificate> authorities,
			Instant notBefore, Instant notAfter) throws ChainValidationException {
		if (authorities.isEmpty() || notBefore.isAfter(notAfter)) {
			throw new ChainValidationException(Failure.UNTRUSTED_CHAIN, "chain cannot be valid");
		}
		try {
			Set<TrustAnchor> anchors = authorities.stream()
				.map((authority) -> new TrustAnchor(authority, null))
				.collect(Collectors.toSet());
			PKIXParameters parameters = new PKIXParameters(anchors);
			parameters.setRevocationEnabled(false);
			// validity is checked per message against the signing time; here any instant
			// in which the whole chain is valid will do
			parameters.setDate(Date.from(notBefore));
			CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
			PKIXCertPathValidatorResult result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
				.validate(certPath, parameters);
			return result.getTrustAnchor().getTrustedCert();
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			throw new ChainValidationException(Failure.UNTRUSTED_CHAIN, "chain does not lead to the trust bundle");
		}
	}

	/**
	 * Return the SPIFFE ID of an X.509-SVID leaf: its one URI SAN, in normal form.
	 * @param leaf the certificate
	 * @return the SPIFFE ID
	 * @throws ChainValidationException ({@link Failure#SENDER_MISMATCH}) if the
	 * certificate does not have exactly one URI SAN, or it is not a SPIFFE ID in normal
	 * form
	 */
	public static SpiffeId uriSan(X509Certificate leaf) throws ChainValidationException {
		List<String> uris = new ArrayList<>();
		try {
			Collection<List<?>> names = leaf.getSubjectAlternativeNames();
			if (names != null) {
				for (List<?> name : names) {
					if (name.size() >= 2 && Integer.valueOf(URI_NAME).equals(name.get(0))) {
						uris.add(String.valueOf(name.get(1)));
					}
				}
			}
		}
		catch (GeneralSecurityException ex) {
			throw new ChainValidationException(Failure.SENDER_MISMATCH, "subject alternative names cannot be read");
		}
		if (uris.size() != 1) {
			throw new ChainValidationException(Failure.SENDER_MISMATCH, "leaf must have exactly one URI SAN");
		}
		try {
			SpiffeId spiffeId = SpiffeId.parse(uris.get(0));
			if (!spiffeId.toString().equals(uris.get(0))) {
				throw new ChainValidationException(Failure.SENDER_MISMATCH,
						"URI SAN is not a SPIFFE ID in normal form");
			}
			return spiffeId;
		}
		catch (RuntimeException ex) {
			throw new ChainValidationException(Failure.SENDER_MISMATCH, "URI SAN is not a SPIFFE ID");
		}
	}

	private static void checkLeaf(X509Certificate leaf) throws ChainValidationException {
		if (leaf.getBasicConstraints() != -1) {
			throw new ChainValidationException(Failure.INVALID_LEAF, "leaf must not be a CA");
		}
		boolean[] keyUsage = leaf.getKeyUsage();
		if (keyUsage == null || !flag(keyUsage, KEY_USAGE_DIGITAL_SIGNATURE) || flag(keyUsage, KEY_USAGE_KEY_CERT_SIGN)
				|| flag(keyUsage, KEY_USAGE_CRL_SIGN)) {
			throw new ChainValidationException(Failure.INVALID_LEAF, "leaf key usage must be digitalSignature only");
		}
	}

	private static boolean flag(boolean[] keyUsage, int index) {
		return index < keyUsage.length && keyUsage[index];
	}

	private static String digest(List<byte[]> chainDer) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			for (byte[] der : chainDer) {
				sha256.update(intBytes(der.length));
				sha256.update(der);
			}
			return HexFormat.of().formatHex(sha256.digest());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

	private static byte[] intBytes(int value) {
		return new byte[] { (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value };
	}

	private static Instant max(Instant a, Instant b) {
		return a.isAfter(b) ? a : b;
	}

	private static Instant min(Instant a, Instant b) {
		return a.isBefore(b) ? a : b;
	}

	private record Validated(ValidatedSender sender, X509Bundle bundle, Instant notBefore, Instant notAfter) {

	}

}
