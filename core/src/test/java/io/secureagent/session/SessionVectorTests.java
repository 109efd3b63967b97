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
package io.secureagent.session;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.crypto.AeadSuite;
import io.secureagent.crypto.X25519KeyShare;
import io.secureagent.envelope.Envelope;
import io.secureagent.envelope.EnvelopeReader;
import io.secureagent.envelope.Members;
import io.secureagent.identity.SvidChainValidator;
import io.secureagent.identity.ValidatedSender;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the session vector published in {@code docs/protocol.md}: from the fixed
 * ephemeral keys and the recorded handshake, every intermediate value and the plaintext
 * of the sealed message are reproduced, and the page shows the file verbatim.
 *
 * @author secure-agent authors
 */
class SessionVectorTests {

	private static final HexFormat HEX = HexFormat.of();

	@Test
	void vectorWhenRecomputedThenEveryValueMatches() throws Exception {
		Path file = Path.of("..", "docs", "vectors", "session-aes256gcm.json");
		String text = Files.readString(file, StandardCharsets.UTF_8);
		JsonObject vector = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT)
			.parse(text.getBytes(StandardCharsets.UTF_8));
		byte[] initiatorPrivate = hex(vector, "initiatorEphemeralPrivate");
		byte[] responderPrivate = hex(vector, "responderEphemeralPrivate");
		assertThat(X25519KeyShare.fromPrivateKey(initiatorPrivate).publicKey())
			.isEqualTo(hex(vector, "initiatorEphemeralPublic"));
		assertThat(X25519KeyShare.fromPrivateKey(responderPrivate).publicKey())
			.isEqualTo(hex(vector, "responderEphemeralPublic"));
		byte[] shared = X25519KeyShare.agree(initiatorPrivate, hex(vector, "responderEphemeralPublic"));
		assertThat(shared).isEqualTo(hex(vector, "sharedSecret"))
			.isEqualTo(X25519KeyShare.agree(responderPrivate, hex(vector, "initiatorEphemeralPublic")));

		JsonObject init = tree(string(vector, "init"));
		JsonObject accept = tree(string(vector, "accept"));
		JsonObject acceptPayload = (JsonObject) accept.get(Members.PAYLOAD);
		// both handshake envelopes verify against the trust bundle at the verifier's time
		X509Certificate anchor = (X509Certificate) CertificateFactory.getInstance("X.509")
			.generateCertificate(
					new ByteArrayInputStream(string(vector, "trustBundle").getBytes(StandardCharsets.US_ASCII)));
		SvidChainValidator validator = new SvidChainValidator(
				X509BundleSet.of(List.of(new X509Bundle(TrustDomain.parse("a.test"), Set.of(anchor)))), 4);
		Instant verifyAt = Instant.ofEpochMilli((long) ((JsonNumber) vector.get("verifyAt")).value());
		for (JsonObject handshake : List.of(init, accept)) {
			Envelope envelope = EnvelopeReader.read(handshake);
			ValidatedSender signer = validator.validate(envelope.certificateChain(), envelope.header().sender(),
					verifyAt);
			assertThat(signer.verifier().verify(envelope.signingInput(), envelope.signature())).isTrue();
		}
		// the transcript binds the signing inputs: each envelope without its signature
		byte[] initInput = JsonCanonicalizer.canonicalize(init.without(Members.SIGNATURE));
		byte[] acceptInput = JsonCanonicalizer.canonicalize(accept.without(Members.SIGNATURE));
		assertThat(Base64.getUrlDecoder().decode(((JsonString) acceptPayload.get("initHash")).value()))
			.isEqualTo(KeySchedule.hash(initInput));
		byte[] transcript = KeySchedule.transcriptHash(initInput, acceptInput);
		assertThat(transcript).isEqualTo(hex(vector, "transcriptHash"));

		String sessionId = ((JsonString) acceptPayload.get("sessionId")).value();
		SessionKeys keys = KeySchedule.derive(shared, transcript, SpiffeId.parse(string(init, Members.SENDER)),
				SpiffeId.parse(string(accept, Members.SENDER)), sessionId, Session.Role.RESPONDER);
		assertThat(keys.receiveKey()).isEqualTo(hex(vector, "i2rKey"));
		assertThat(keys.receiveIv()).isEqualTo(hex(vector, "i2rIv"));
		assertThat(keys.sendKey()).isEqualTo(hex(vector, "r2iKey"));
		assertThat(keys.sendIv()).isEqualTo(hex(vector, "r2iIv"));

		JsonObject sealed = tree(string(vector, "sealed"));
		assertThat(string(sealed, Members.SESSION)).isEqualTo(sessionId);
		long sequence = (long) ((JsonNumber) sealed.get(Members.SEQ)).value();
		byte[] nonce = KeySchedule.nonce(keys.receiveIv(), sequence);
		assertThat(nonce).isEqualTo(hex(vector, "nonceSeq0"));
		byte[] aad = JsonCanonicalizer.canonicalize(sealed.without(Members.SIGNATURE).without(Members.CIPHERTEXT));
		assertThat(new String(aad, StandardCharsets.UTF_8)).isEqualTo(string(vector, "associatedData"));
		byte[] plaintext = AeadSuite.AES_256_GCM.open(keys.receiveKey(), nonce, aad,
				Base64.getUrlDecoder().decode(string(sealed, Members.CIPHERTEXT)));
		assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo(string(vector, "plaintext"));

		String page = Files.readString(Path.of("..", "docs", "protocol.md"), StandardCharsets.UTF_8);
		assertThat(page).as("docs/protocol.md shows the session vector verbatim").contains(text.strip());
	}

	private static JsonObject tree(String text) throws Exception {
		return (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String string(JsonObject object, String name) {
		return ((JsonString) object.get(name)).value();
	}

	private static byte[] hex(JsonObject object, String name) {
		return HEX.parseHex(string(object, name));
	}

}
