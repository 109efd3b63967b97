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
package io.secureagent.envelope;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.crypto.CryptoProvider;
import io.secureagent.crypto.KeyVerifier;
import io.secureagent.crypto.MessageSigner;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.testsupport.AwsLcRequired;
import io.secureagent.testsupport.MutableClock;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the test vectors published in {@code docs/protocol.md} (files under
 * {@code docs/vectors/}): the documented envelope verifies, its signing input is the
 * canonical form of the envelope without its signature, the signature is reproduced from
 * the published key, an independent implementation (the JDK's) verifies it, and the page
 * shows each file verbatim.
 *
 * @author secure-agent authors
 */
class ProtocolVectorTests {

	private static final Path DOCS = Path.of("..", "docs");

	@ParameterizedTest
	@ValueSource(strings = { "envelope-es256.json", "envelope-eddsa.json" })
	void vectorWhenVerifiedAsDocumentedThenAcceptedAndReproducible(String file) throws Exception {
		String text = Files.readString(DOCS.resolve("vectors").resolve(file), StandardCharsets.UTF_8);
		JsonObject vector = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT)
			.parse(text.getBytes(StandardCharsets.UTF_8));
		TrustDomain trustDomain = TrustDomain.parse(string(vector, "trustDomain"));
		X509Bundle bundle = X509Bundle.parse(trustDomain,
				string(vector, "trustBundlePem").getBytes(StandardCharsets.US_ASCII));
		MutableClock clock = new MutableClock(
				Instant.ofEpochMilli((long) ((JsonNumber) vector.get("verifierTime")).value()));
		SpiffeId verifierId = SpiffeId.parse(string(vector, "verifierId"));
		StaticIdentity verifier = new StaticIdentity(
				DevCertificateAuthority.create(verifierId.getTrustDomain(), clock).issue(verifierId, KeyType.EC_P256),
				X509BundleSet.of(List.of(bundle)));
		byte[] envelope = string(vector, "envelope").getBytes(StandardCharsets.UTF_8);

		Verdict verdict = VerificationPipeline
			.standard(verifier, new InMemoryReplayStore(10, clock), VerificationPolicy.DEFAULT, clock)
			.verify(envelope);
		assertThat(verdict).isInstanceOf(Verdict.Accepted.class);

		JsonObject tree = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(envelope);
		assertThat(JsonCanonicalizer.canonicalize(tree)).as("the wire form is canonical").isEqualTo(envelope);
		String signingInput = string(vector, "signingInput");
		assertThat(JsonCanonicalizer.canonicalText(tree.without(Members.SIGNATURE))).isEqualTo(signingInput);
		assertThat(tree.get(Members.SIGNATURE)).isEqualTo(vector.get("signature"));

		byte[] signature = Base64.getUrlDecoder().decode(string(vector, "signature"));
		byte[] input = signingInput.getBytes(StandardCharsets.UTF_8);
		PrivateKey key = privateKey(string(vector, "senderPrivateKeyPkcs8"), string(tree, Members.ALG));
		assertThat(MessageSigner.of(key, CryptoProvider.BOUNCY_CASTLE).sign(input)).as("deterministic signature")
			.isEqualTo(signature);
		if (!CryptoProvider.AWS_LC.available()) {
			// the build's AWS-LC is for Linux x86-64; there and in CI it must be usable
			assertThat(AwsLcRequired.here()).as(CryptoProvider.AWS_LC.unavailableReason().orElse("")).isFalse();
		}
		else if (string(tree, Members.ALG).equals("EdDSA")) {
			assertThat(MessageSigner.of(key, CryptoProvider.AWS_LC).sign(input)).as("deterministic with AWS-LC too")
				.isEqualTo(signature);
		}
		else {
			// AWS-LC's ES256 nonces are hedged, not reproducible; its signature must
			// verify
			assertThat(KeyVerifier.of(leafKey(tree), CryptoProvider.BOUNCY_CASTLE)
				.verify(input, MessageSigner.of(key, CryptoProvider.AWS_LC).sign(input))).isTrue();
		}
		assertThat(jdkVerify(string(tree, Members.ALG), bundle, tree, input, signature)).isTrue();

		String page = Files.readString(DOCS.resolve("protocol.md"), StandardCharsets.UTF_8);
		assertThat(page).as("docs/protocol.md shows " + file + " verbatim").contains(text.strip());
	}

	private static boolean jdkVerify(String alg, X509Bundle bundle, JsonObject tree, byte[] input, byte[] signature)
			throws Exception {
		PublicKey key = leafKey(tree);
		Signature jdk = Signature.getInstance("ES256".equals(alg) ? "SHA256withECDSAinP1363Format" : "Ed25519");
		jdk.initVerify(key);
		jdk.update(input);
		assertThat(bundle.getX509Authorities()).hasSize(1);
		return jdk.verify(signature);
	}

	private static PublicKey leafKey(JsonObject tree) throws Exception {
		byte[] leafDer = Base64.getDecoder()
			.decode(((JsonString) ((JsonArray) tree.get(Members.X5C)).elements().get(0)).value());
		return CertificateFactory.getInstance("X.509")
			.generateCertificate(new ByteArrayInputStream(leafDer))
			.getPublicKey();
	}

	private static PrivateKey privateKey(String pkcs8, String alg) throws Exception {
		return KeyFactory.getInstance("ES256".equals(alg) ? "EC" : "Ed25519")
			.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8)));
	}

	private static String string(JsonObject object, String name) {
		return ((JsonString) object.get(name)).value();
	}

}
