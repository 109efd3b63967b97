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

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.DevCertificateAuthority.LeafSpec;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.identity.Svid;
import io.secureagent.testsupport.MutableClock;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * Writes the protocol test vectors under {@code docs/vectors/}. Run once by hand when the
 * wire format changes ({@code ProtocolVectorTests} then checks the committed files):
 * <pre>
 * ./mvnw -pl core test-compile exec:java -Dexec.skip=false -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.secureagent.envelope.ProtocolVectorGenerator -Dexec.args=docs/vectors
 * </pre>
 *
 * @author secure-agent authors
 */
public final class ProtocolVectorGenerator {

	static final Instant ISSUED_AT = Instant.parse("2026-11-28T12:00:00Z");

	private ProtocolVectorGenerator() {
	}

	public static void main(String[] args) throws Exception {
		Path directory = Path.of(args[0]);
		Files.createDirectories(directory);
		for (KeyType keyType : List.of(KeyType.EC_P256, KeyType.ED25519)) {
			String name = (keyType == KeyType.EC_P256) ? "envelope-es256.json" : "envelope-eddsa.json";
			Files.writeString(directory.resolve(name), vector(keyType) + "\n", StandardCharsets.UTF_8);
		}
	}

	static String vector(KeyType keyType) throws Exception {
		MutableClock clock = new MutableClock(ISSUED_AT);
		DevCertificateAuthority ca = DevCertificateAuthority.create(TrustDomain.parse("a.test"), clock);
		SpiffeId sender = SpiffeId.parse("spiffe://a.test/planner");
		Svid svid = ca.issue(LeafSpec.svid(sender, keyType, Instant.parse("2026-11-28T00:00:00Z"),
				Instant.parse("2027-11-28T00:00:00Z")));
		StaticIdentity identity = new StaticIdentity(svid, X509BundleSet.of(List.of(ca.bundle())));
		JsonValue payload = new StrictJsonParser(JsonLimits.DEFAULT).parse(
				"{\"task\":\"summarise\",\"priority\":3,\"ratio\":0.25,\"note\":\"caf\\u00e9 \\u20ac \\ud83d\\ude00\"}"
					.getBytes(StandardCharsets.UTF_8));
		EnvelopeSigner.SignedEnvelope signed = new EnvelopeSigner(identity, clock, Duration.ofMinutes(1))
			.sign("task.request", SpiffeId.parse("spiffe://b.test/executor"), null, payload);
		JsonObject tree = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(signed.bytes());
		Map<String, JsonValue> vector = new LinkedHashMap<>();
		vector.put("description", new JsonString("secure-agent/1 signed envelope, " + keyType
				+ "; verify at verifierTime as verifierId, trusting trustBundlePem for a.test"));
		vector.put("trustDomain", new JsonString("a.test"));
		vector.put("trustBundlePem", new JsonString(pem(ca.certificate())));
		vector.put("senderPrivateKeyPkcs8",
				new JsonString(Base64.getEncoder().encodeToString(svid.privateKey().getEncoded())));
		vector.put("verifierId", new JsonString("spiffe://b.test/executor"));
		vector.put("verifierTime", new JsonNumber(ISSUED_AT.toEpochMilli() + 1000));
		vector.put("signingInput", new JsonString(JsonCanonicalizer.canonicalText(tree.without(Members.SIGNATURE))));
		vector.put("signature", tree.get(Members.SIGNATURE));
		vector.put("envelope", new JsonString(new String(signed.bytes(), StandardCharsets.UTF_8)));
		return pretty(new JsonObject(vector));
	}

	private static String pem(Object object) throws Exception {
		StringWriter text = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
			writer.writeObject(object);
		}
		return text.toString();
	}

	private static String pretty(JsonObject object) {
		StringBuilder out = new StringBuilder("{\n");
		int i = 0;
		for (Map.Entry<String, JsonValue> member : object.members().entrySet()) {
			out.append("  ")
				.append(JsonCanonicalizer.canonicalText(new JsonString(member.getKey())))
				.append(": ")
				.append(JsonCanonicalizer.canonicalText(member.getValue()));
			out.append((++i < object.members().size()) ? ",\n" : "\n");
		}
		return out.append("}").toString();
	}

}
