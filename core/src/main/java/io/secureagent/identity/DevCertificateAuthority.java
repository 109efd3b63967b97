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
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.spiffe.bundle.BundleSource;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A certificate authority for one trust domain that lives in memory, for local runs and
 * tests: it issues X.509-SVIDs as SPIRE would, without any external service. Never use it
 * where identities must be trusted by anyone else.
 *
 * @author secure-agent authors
 */
public final class DevCertificateAuthority {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final TrustDomain trustDomain;

	private final KeyPair keyPair;

	private final X509Certificate certificate;

	private final Clock clock;

	private DevCertificateAuthority(TrustDomain trustDomain, KeyPair keyPair, X509Certificate certificate,
			Clock clock) {
		this.trustDomain = trustDomain;
		this.keyPair = keyPair;
		this.certificate = certificate;
		this.clock = clock;
	}

	/**
	 * Create a CA with a fresh EC P-256 root, valid from an hour ago for a year.
	 * @param trustDomain the trust domain
	 * @param clock the clock that sets validity periods
	 * @return the CA
	 */
	public static DevCertificateAuthority create(TrustDomain trustDomain, Clock clock) {
		Objects.requireNonNull(trustDomain, "trustDomain cannot be null");
		Objects.requireNonNull(clock, "clock cannot be null");
		KeyPair keyPair = KeyType.EC_P256.generate();
		Instant now = clock.instant();
		X500Name name = new X500Name("O=secure-agent dev CA,CN=" + trustDomain.getName());
		try {
			JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
			X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
					Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), name,
					keyPair.getPublic())
				.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
				.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
				.addExtension(Extension.subjectKeyIdentifier, false,
						utils.createSubjectKeyIdentifier(keyPair.getPublic()))
				.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
						new GeneralName(GeneralName.uniformResourceIdentifier, trustDomain.newSpiffeId().toString())));
			X509Certificate certificate = sign(builder, keyPair.getPrivate());
			return new DevCertificateAuthority(trustDomain, keyPair, certificate, clock);
		}
		catch (GeneralSecurityException | CertIOException ex) {
			throw new IllegalStateException("development CA could not be created", ex);
		}
	}

	/**
	 * Load the CA kept in a directory, or create one there: agents started on one machine
	 * with the same directory share a trust domain. The directory holds the CA's private
	 * key: it is created readable by its owner only, and is meant for development only.
	 * @param directory the directory
	 * @param trustDomain the trust domain
	 * @param clock the clock
	 * @return the CA
	 * @throws IOException if the directory cannot be used
	 */
	public static DevCertificateAuthority loadOrCreate(Path directory, TrustDomain trustDomain, Clock clock)
			throws IOException {
		ownerOnlyDirectory(directory);
		Path certificateFile = directory.resolve(trustDomain.getName() + "-ca.pem");
		Path keyFile = directory.resolve(trustDomain.getName() + "-ca-key.pem");
		try (FileChannel lock = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE); FileLock held = lock.lock()) {
			if (Files.exists(certificateFile) && Files.exists(keyFile)) {
				X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
					.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificateFile)));
				if (certificate.getNotAfter().toInstant().isAfter(clock.instant().plus(Duration.ofDays(1)))) {
					PrivateKey key = readKey(keyFile);
					return new DevCertificateAuthority(trustDomain, new KeyPair(certificate.getPublicKey(), key),
							certificate, clock);
				}
			}
			DevCertificateAuthority created = create(trustDomain, clock);
			write(certificateFile, "CERTIFICATE", created.certificate.getEncoded());
			write(keyFile, "PRIVATE KEY", created.keyPair.getPrivate().getEncoded());
			return created;
		}
		catch (GeneralSecurityException ex) {
			throw new IOException("development CA in " + directory + " cannot be read", ex);
		}
	}

	/**
	 * Create a directory readable by its owner only, or check that an existing one is
	 * owned by this user and open to no one else: it holds a CA key that every agent
	 * trusts.
	 * @param directory the directory
	 * @throws IOException if the directory cannot be created, or is shared
	 */
	static void ownerOnlyDirectory(Path directory) throws IOException {
		boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
		if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
			if (posix) {
				Files.createDirectories(directory,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
				// createDirectories applies the umask; set the mode exactly
				Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
			}
			else {
				Files.createDirectories(directory);
			}
			return;
		}
		if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
			throw new IOException("development CA directory " + directory + " is not a directory");
		}
		if (!posix) {
			return;
		}
		UserPrincipal owner = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS);
		String user = System.getProperty("user.name");
		if (!owner.getName().equals(user)) {
			throw new IOException("development CA directory " + directory + " belongs to " + owner.getName()
					+ ", not to " + user + ": refusing to trust the CA in it");
		}
		Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
		for (PosixFilePermission permission : permissions) {
			if (permission.name().startsWith("GROUP") || permission.name().startsWith("OTHERS")) {
				throw new IOException("development CA directory " + directory
						+ " is open to its group or to others (chmod 700 it): refusing to trust the CA in it");
			}
		}
	}

	private static PrivateKey readKey(Path keyFile) throws IOException, GeneralSecurityException {
		try (PemReader reader = new PemReader(Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII))) {
			PemObject object = reader.readPemObject();
			if (object == null) {
				throw new IOException("no key in " + keyFile);
			}
			return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(object.getContent()));
		}
	}

	private static void write(Path file, String type, byte[] der) throws IOException {
		StringWriter text = new StringWriter();
		try (PemWriter writer = new PemWriter(text)) {
			writer.writeObject(new PemObject(type, der));
		}
		Path temporary = Files.createTempFile(file.getParent(), ".tmp", ".pem");
		try {
			try {
				Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
			}
			catch (UnsupportedOperationException ex) {
				// not a POSIX file system
			}
			Files.writeString(temporary, text.toString(), StandardCharsets.US_ASCII);
			Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	/**
	 * Return the trust domain.
	 * @return the trust domain
	 */
	public TrustDomain trustDomain() {
		return this.trustDomain;
	}

	/**
	 * Return the root certificate.
	 * @return the root
	 */
	public X509Certificate certificate() {
		return this.certificate;
	}

	/**
	 * Return the trust bundle: this CA's root.
	 * @return the bundle
	 */
	public X509Bundle bundle() {
		X509Bundle bundle = new X509Bundle(this.trustDomain);
		bundle.addX509Authority(this.certificate);
		return bundle;
	}

	/**
	 * Issue an SVID valid from a minute ago for an hour.
	 * @param spiffeId the SPIFFE ID, in this CA's trust domain
	 * @param keyType the key type
	 * @return the SVID
	 */
	public Svid issue(SpiffeId spiffeId, KeyType keyType) {
		Instant now = this.clock.instant();
		LeafSpec spec = LeafSpec.svid(spiffeId, keyType, now.minus(Duration.ofMinutes(1)),
				now.plus(Duration.ofHours(1)));
		return issue(spec);
	}

	/**
	 * Return an identity whose SVID this CA issues, and issues again once half of its
	 * lifetime has passed, so that a long-running agent never signs with an expired SVID.
	 * @param spiffeId the SPIFFE ID, in this CA's trust domain
	 * @param keyType the key type
	 * @param trustBundles the trust bundles the agent verifies with
	 * @return the identity
	 */
	public AgentIdentity renewingIdentity(SpiffeId spiffeId, KeyType keyType, BundleSource<X509Bundle> trustBundles) {
		Objects.requireNonNull(trustBundles, "trustBundles cannot be null");
		Svid first = issue(spiffeId, keyType);
		return new AgentIdentity() {

			private volatile Renewing current = new Renewing(first);

			@Override
			public Svid svid() {
				Renewing renewing = this.current;
				if (!DevCertificateAuthority.this.clock.instant().isBefore(renewing.halfLife())) {
					synchronized (this) {
						if (this.current == renewing) {
							this.current = new Renewing(issue(spiffeId, keyType));
						}
						return this.current.svid();
					}
				}
				return renewing.svid();
			}

			@Override
			public BundleSource<X509Bundle> trustBundles() {
				return trustBundles;
			}

		};
	}

	/**
	 * Issue a leaf certificate to a specification, which may break the SVID rules (tests
	 * of verifiers need such certificates).
	 * @param spec what to issue
	 * @return the leaf, its chain and key, with the first URI SAN as its SPIFFE ID
	 */
	public Svid issue(LeafSpec spec) {
		Objects.requireNonNull(spec, "spec cannot be null");
		if (!spec.allowForeignTrustDomain()) {
			for (String uri : spec.uriSans()) {
				if (!SpiffeId.parse(uri).memberOf(this.trustDomain)) {
					throw new IllegalArgumentException("SPIFFE ID is not in trust domain " + this.trustDomain);
				}
			}
		}
		KeyPair leafKey = spec.keyType().generate();
		try {
			X509Certificate leaf = sign(leafBuilder(spec, leafKey.getPublic()), this.keyPair.getPrivate());
			SpiffeId id = spec.uriSans().isEmpty() ? this.trustDomain.newSpiffeId("unnamed")
					: SpiffeId.parse(spec.uriSans().get(0));
			return new Svid(id, List.of(leaf), leafKey.getPrivate());
		}
		catch (GeneralSecurityException | CertIOException ex) {
			throw new IllegalStateException("SVID could not be issued", ex);
		}
	}

	private X509v3CertificateBuilder leafBuilder(LeafSpec spec, PublicKey publicKey)
			throws GeneralSecurityException, CertIOException {
		JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
		List<GeneralName> names = new ArrayList<>();
		for (String uri : spec.uriSans()) {
			names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
		}
		X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(this.certificate, serial(),
				Date.from(spec.notBefore()), Date.from(spec.notAfter()), new X500Name("O=SPIFFE"), publicKey)
			.addExtension(Extension.basicConstraints, true, new BasicConstraints(spec.ca()))
			.addExtension(Extension.keyUsage, true,
					new KeyUsage(
							spec.ca() ? KeyUsage.digitalSignature | KeyUsage.keyCertSign : KeyUsage.digitalSignature))
			.addExtension(Extension.extendedKeyUsage, false,
					new ExtendedKeyUsage(
							new KeyPurposeId[] { KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }))
			.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey))
			.addExtension(Extension.authorityKeyIdentifier, false,
					utils.createAuthorityKeyIdentifier(this.certificate));
		if (!names.isEmpty()) {
			builder.addExtension(Extension.subjectAlternativeName, true,
					new GeneralNames(names.toArray(GeneralName[]::new)));
		}
		return builder;
	}

	private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
			throws GeneralSecurityException {
		try {
			ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
			return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
		}
		catch (OperatorCreationException ex) {
			throw new GeneralSecurityException("certificate could not be signed", ex);
		}
	}

	private static BigInteger serial() {
		return new BigInteger(127, RANDOM).add(BigInteger.ONE);
	}

	/**
	 * What to put in a leaf certificate.
	 *
	 * @param uriSans the URI SANs, normally exactly one SPIFFE ID
	 * @param keyType the key type
	 * @param notBefore the start of validity
	 * @param notAfter the end of validity
	 * @param ca whether to mark the leaf as a CA (never valid for an SVID)
	 * @param allowForeignTrustDomain whether URI SANs may name another trust domain
	 * (never valid for an SVID)
	 */
	public record LeafSpec(List<String> uriSans, KeyType keyType, Instant notBefore, Instant notAfter, boolean ca,
			boolean allowForeignTrustDomain) {

		public LeafSpec {
			uriSans = List.copyOf(uriSans);
			Objects.requireNonNull(keyType, "keyType cannot be null");
			Objects.requireNonNull(notBefore, "notBefore cannot be null");
			Objects.requireNonNull(notAfter, "notAfter cannot be null");
		}

		/**
		 * A valid SVID specification.
		 * @param spiffeId the SPIFFE ID
		 * @param keyType the key type
		 * @param notBefore the start of validity
		 * @param notAfter the end of validity
		 * @return the specification
		 */
		public static LeafSpec svid(SpiffeId spiffeId, KeyType keyType, Instant notBefore, Instant notAfter) {
			return new LeafSpec(List.of(spiffeId.toString()), keyType, notBefore, notAfter, false, false);
		}

	}

	/**
	 * An SVID and the instant half of its lifetime has passed, when it is issued again.
	 */
	private record Renewing(Svid svid, Instant halfLife) {

		Renewing(Svid svid) {
			this(svid, halfLife(svid.leaf().getNotBefore().toInstant(), svid.leaf().getNotAfter().toInstant()));
		}

		private static Instant halfLife(Instant notBefore, Instant notAfter) {
			return notBefore.plus(Duration.between(notBefore, notAfter).dividedBy(2));
		}

	}

}
