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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.crypto.AeadSuite;
import io.secureagent.crypto.X25519KeyShare;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.envelope.EnvelopeSigner.SignedEnvelope;
import io.secureagent.envelope.Members;
import io.secureagent.envelope.ProtocolVersion;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.testsupport.MutableClock;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;

/**
 * Writes the session test vector under {@code docs/vectors/}: fixed ephemeral keys, the
 * handshake envelopes, the keys they give, and one sealed message. Run by hand when the
 * key schedule changes ({@code SessionVectorTests} checks the committed file): <pre>
 * ./mvnw -pl core test-compile exec:java -Dexec.skip=false -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.secureagent.session.SessionVectorGenerator -Dexec.args=docs/vectors
 * </pre>
 *
 * @author secure-agent authors
 */
public final class SessionVectorGenerator {

	static final byte[] INITIATOR_EPHEMERAL = HexFormat.of()
		.parseHex("a8abababababababababababababababababababababababababababababab6b");

	static final byte[] RESPONDER_EPHEMERAL = HexFormat.of()
		.parseHex("c8cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd4d");

	static final String SESSION_ID = "c2Vzc2lvbi12ZWN0b3ItMDE";

	private SessionVectorGenerator() {
	}

	public static void main(String[] args) throws Exception {
		Path directory = Path.of(args[0]);
		Files.createDirectories(directory);
		Files.writeString(directory.resolve("session-aes256gcm.json"), vector() + "\n", StandardCharsets.UTF_8);
	}

	static String vector() throws Exception {
		MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
		DevCertificateAuthority ca = DevCertificateAuthority.create(TrustDomain.parse("a.test"), clock);
		SpiffeId initiatorId = SpiffeId.parse("spiffe://a.test/planner");
		SpiffeId responderId = SpiffeId.parse("spiffe://a.test/executor");
		X509BundleSet bundles = X509BundleSet.of(List.of(ca.bundle()));
		StaticIdentity initiator = new StaticIdentity(ca.issue(initiatorId, KeyType.EC_P256), bundles);
		StaticIdentity responder = new StaticIdentity(ca.issue(responderId, KeyType.EC_P256), bundles);
		EnvelopeSigner initiatorSigner = new EnvelopeSigner(initiator, clock, Duration.ofMinutes(1));
		EnvelopeSigner responderSigner = new EnvelopeSigner(responder, clock, Duration.ofMinutes(1));
		X25519KeyShare initiatorShare = X25519KeyShare.fromPrivateKey(INITIATOR_EPHEMERAL);
		X25519KeyShare responderShare = X25519KeyShare.fromPrivateKey(RESPONDER_EPHEMERAL);
		List<String> suites = List.of(AeadSuite.AES_256_GCM.wireName(), AeadSuite.CHACHA20_POLY1305.wireName());
		SignedEnvelope init = initiatorSigner.sign(Handshake.INIT, responderId, null,
				new Handshake.Init(initiatorShare.publicKey(), List.of(ProtocolVersion.V1), suites, initiatorId,
						responderId)
					.toJson());
		SignedEnvelope accept = responderSigner.sign(Handshake.ACCEPT, initiatorId, init.header().id(),
				new Handshake.Accept(responderShare.publicKey(), ProtocolVersion.V1, suites.get(0),
						List.of(ProtocolVersion.V1), suites, SESSION_ID, KeySchedule.hash(init.signingInput()),
						initiatorId, responderId)
					.toJson());
		byte[] shared = initiatorShare.agree(responderShare.publicKey());
		byte[] transcript = KeySchedule.transcriptHash(init.signingInput(), accept.signingInput());
		SessionKeys keys = KeySchedule.derive(shared, transcript, initiatorId, responderId, SESSION_ID,
				Session.Role.INITIATOR);
		Session session = new Session(SESSION_ID, Session.Role.INITIATOR, initiatorId, responderId, ProtocolVersion.V1,
				AeadSuite.AES_256_GCM, keys, clock.instant(), SessionLimits.DEFAULT);
		JsonValue payload = new StrictJsonParser(JsonLimits.DEFAULT)
			.parse("{\"task\":\"summarise\",\"secret\":\"only the executor reads this\"}"
				.getBytes(StandardCharsets.UTF_8));
		long sequence = session.nextSequence();
		byte[] plaintext = JsonCanonicalizer.canonicalize(payload);
		SignedEnvelope sealed = initiatorSigner.signSealed("task.request", responderId, null, SESSION_ID, sequence,
				(associatedData) -> session.seal(sequence, associatedData, plaintext));
		JsonObject sealedTree = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(sealed.bytes());

		HexFormat hex = HexFormat.of();
		Map<String, JsonValue> vector = new LinkedHashMap<>();
		vector.put("description", new JsonString("secure-agent/1 session: X25519, HKDF-SHA256, AES-256-GCM"));
		vector.put("initiatorEphemeralPrivate", new JsonString(hex.formatHex(INITIATOR_EPHEMERAL)));
		vector.put("initiatorEphemeralPublic", new JsonString(hex.formatHex(initiatorShare.publicKey())));
		vector.put("responderEphemeralPrivate", new JsonString(hex.formatHex(RESPONDER_EPHEMERAL)));
		vector.put("responderEphemeralPublic", new JsonString(hex.formatHex(responderShare.publicKey())));
		vector.put("trustBundle",
				new JsonString("-----BEGIN CERTIFICATE-----\n"
						+ Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(ca.certificate().getEncoded())
						+ "\n-----END CERTIFICATE-----\n"));
		vector.put("verifyAt", new JsonNumber(clock.millis()));
		vector.put("sharedSecret", new JsonString(hex.formatHex(shared)));
		vector.put("init", new JsonString(new String(init.bytes(), StandardCharsets.UTF_8)));
		vector.put("accept", new JsonString(new String(accept.bytes(), StandardCharsets.UTF_8)));
		vector.put("transcriptHash", new JsonString(hex.formatHex(transcript)));
		vector.put("i2rKey", new JsonString(hex.formatHex(keys.sendKey())));
		vector.put("i2rIv", new JsonString(hex.formatHex(keys.sendIv())));
		vector.put("r2iKey", new JsonString(hex.formatHex(keys.receiveKey())));
		vector.put("r2iIv", new JsonString(hex.formatHex(keys.receiveIv())));
		vector.put("nonceSeq0", new JsonString(hex.formatHex(KeySchedule.nonce(keys.sendIv(), 0))));
		vector.put("associatedData", new JsonString(
				JsonCanonicalizer.canonicalText(sealedTree.without(Members.SIGNATURE).without(Members.CIPHERTEXT))));
		vector.put("plaintext", new JsonString(JsonCanonicalizer.canonicalText(payload)));
		vector.put("sealed", new JsonString(new String(sealed.bytes(), StandardCharsets.UTF_8)));
		StringBuilder out = new StringBuilder("{\n");
		int i = 0;
		for (Map.Entry<String, JsonValue> member : vector.entrySet()) {
			out.append("  ")
				.append(JsonCanonicalizer.canonicalText(new JsonString(member.getKey())))
				.append(": ")
				.append(JsonCanonicalizer.canonicalText(member.getValue()))
				.append((++i < vector.size()) ? ",\n" : "\n");
		}
		return out.append("}").toString();
	}

}
