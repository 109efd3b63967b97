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
package io.secureagent.testsupport;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.crypto.MessageSigner;
import io.secureagent.envelope.Members;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.identity.Svid;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;

/**
 * Two federated trust domains ({@code a.test}, {@code b.test}) and one that nobody trusts
 * ({@code evil.test}), with a planner in {@code a.test} and an executor in
 * {@code b.test}.
 *
 * @author secure-agent authors
 */
public final class TestPki {

	public static final SpiffeId PLANNER = SpiffeId.parse("spiffe://a.test/planner");

	public static final SpiffeId EXECUTOR = SpiffeId.parse("spiffe://b.test/executor");

	public final MutableClock clock;

	public final DevCertificateAuthority a;

	public final DevCertificateAuthority b;

	public final DevCertificateAuthority evil;

	/**
	 * Create the PKI at a fixed instant, 2026-11-28T12:00:00Z.
	 */
	public TestPki() {
		this(Instant.parse("2026-11-28T12:00:00Z"));
	}

	/**
	 * Create the PKI at an instant: the present, for tests against a server whose clock
	 * cannot be set (Redis).
	 * @param start the clock's first reading
	 */
	public TestPki(Instant start) {
		this.clock = new MutableClock(start);
		this.a = DevCertificateAuthority.create(TrustDomain.parse("a.test"), this.clock);
		this.b = DevCertificateAuthority.create(TrustDomain.parse("b.test"), this.clock);
		this.evil = DevCertificateAuthority.create(TrustDomain.parse("evil.test"), this.clock);
	}

	public StaticIdentity identity(SpiffeId id, KeyType keyType) {
		DevCertificateAuthority ca = id.getTrustDomain().equals(this.a.trustDomain()) ? this.a : this.b;
		return new StaticIdentity(ca.issue(id, keyType), X509BundleSet.of(List.of(this.a.bundle(), this.b.bundle())));
	}

	/**
	 * Sign a tree as an attacker or a buggy sender would: with any SVID, whatever the
	 * tree claims. The x5c and alg members are set from the SVID.
	 * @param tree the envelope members (any signature member is replaced)
	 * @param svid the SVID to sign with
	 * @return the wire bytes
	 */
	public static byte[] sign(JsonObject tree, Svid svid) {
		try {
			MessageSigner signer = MessageSigner.of(svid.privateKey());
			List<JsonValue> x5c = new ArrayList<>();
			for (X509Certificate certificate : svid.chain()) {
				x5c.add(new JsonString(Base64.getEncoder().encodeToString(certificate.getEncoded())));
			}
			JsonObject unsigned = tree.without(Members.SIGNATURE)
				.with(Members.X5C, new JsonArray(x5c))
				.with(Members.ALG, new JsonString(signer.algorithm().jwaName()));
			return signRaw(unsigned, signer);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Sign a tree exactly as it is, x5c and alg included.
	 * @param tree the envelope members (any signature member is replaced)
	 * @param signer the signer
	 * @return the wire bytes
	 */
	public static byte[] signRaw(JsonObject tree, MessageSigner signer) {
		JsonObject unsigned = tree.without(Members.SIGNATURE);
		byte[] signature = signer.sign(JsonCanonicalizer.canonicalize(unsigned));
		return JsonCanonicalizer.canonicalize(unsigned.with(Members.SIGNATURE,
				new JsonString(Base64.getUrlEncoder().withoutPadding().encodeToString(signature))));
	}

	public static String base64(X509Certificate certificate) {
		try {
			return Base64.getEncoder().encodeToString(certificate.getEncoded());
		}
		catch (CertificateEncodingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
