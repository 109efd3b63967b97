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
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Map;

import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.testsupport.TestPki;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Identities loaded from PEM files as spiffe-helper writes them.
 *
 * @author secure-agent authors
 */
class PemIdentityTests {

	private final TestPki pki = new TestPki();

	@TempDir
	Path dir;

	@ParameterizedTest
	@EnumSource(KeyType.class)
	void loadWhenSpiffeHelperFilesThenSignsVerifiableMessages(KeyType keyType) throws Exception {
		Svid svid = this.pki.a.issue(TestPki.PLANNER, keyType);
		StaticIdentity planner = PemIdentity.load(write("svid.pem", svid.leaf()),
				write("svid_key.pem", svid.privateKey()),
				Map.of(this.pki.a.trustDomain(), write("bundle.pem", this.pki.a.certificate())));
		assertThat(planner.spiffeId()).isEqualTo(TestPki.PLANNER);
		assertThat(planner.trustBundles().getBundleForTrustDomain(this.pki.a.trustDomain()).getX509Authorities())
			.containsExactly(this.pki.a.certificate());
		byte[] message = new EnvelopeSigner(planner, this.pki.clock, Duration.ofMinutes(1))
			.sign("task.request", TestPki.EXECUTOR, null, new JsonString("hi"))
			.bytes();
		VerificationPipeline executor = VerificationPipeline.standard(
				this.pki.identity(TestPki.EXECUTOR, KeyType.EC_P256), new InMemoryReplayStore(10, this.pki.clock),
				VerificationPolicy.DEFAULT, this.pki.clock);
		assertThat(executor.verify(message)).isInstanceOf(Verdict.Accepted.class);
	}

	@Test
	void loadWhenKeyDoesNotMatchCertificateThenUnavailable() throws Exception {
		Svid svid = this.pki.a.issue(TestPki.PLANNER, KeyType.EC_P256);
		Svid other = this.pki.a.issue(TestPki.PLANNER, KeyType.EC_P256);
		assertThatExceptionOfType(IdentityUnavailableException.class).isThrownBy(
				() -> PemIdentity.load(write("svid.pem", svid.leaf()), write("key.pem", other.privateKey()), Map.of()))
			.withMessageContaining("does not match");
	}

	@Test
	void loadWhenFilesMissingOrEmptyThenUnavailable() throws Exception {
		Path empty = Files.writeString(this.dir.resolve("empty.pem"), "");
		assertThatExceptionOfType(IdentityUnavailableException.class)
			.isThrownBy(() -> PemIdentity.load(this.dir.resolve("nope.pem"), empty, Map.of()));
		assertThatExceptionOfType(IdentityUnavailableException.class)
			.isThrownBy(() -> PemIdentity.load(empty, empty, Map.of()));
	}

	@Test
	void reloadingWhenSpiffeHelperRotatesTheFilesThenTheNewSvidIsUsedWithoutARestart() throws Exception {
		Svid first = this.pki.a.issue(TestPki.PLANNER, KeyType.EC_P256);
		Path certificates = write("svid.pem", first.leaf());
		Path key = write("svid_key.pem", first.privateKey());
		Map<io.spiffe.spiffeid.TrustDomain, Path> bundles = Map.of(this.pki.a.trustDomain(),
				write("bundle.pem", this.pki.a.certificate()));
		ReloadingPemIdentity identity = new ReloadingPemIdentity(certificates, key, bundles, Duration.ofSeconds(5),
				this.pki.clock);
		assertThat(identity.svid().leaf()).isEqualTo(first.leaf());
		// spiffe-helper writes the new certificate first: for a moment it does not match
		// the key
		Svid second = this.pki.a.issue(TestPki.PLANNER, KeyType.EC_P256);
		write("svid.pem", second.leaf());
		Files.setLastModifiedTime(certificates, java.nio.file.attribute.FileTime.fromMillis(1));
		this.pki.clock.advance(Duration.ofSeconds(6));
		assertThat(identity.svid().leaf()).as("a half-written rotation is not used").isEqualTo(first.leaf());
		write("svid_key.pem", second.privateKey());
		Files.setLastModifiedTime(key, java.nio.file.attribute.FileTime.fromMillis(2));
		// within the interval the files are not looked at again
		assertThat(identity.svid().leaf()).isEqualTo(first.leaf());
		this.pki.clock.advance(Duration.ofSeconds(6));
		assertThat(identity.svid().leaf()).isEqualTo(second.leaf());
		byte[] message = new EnvelopeSigner(identity, this.pki.clock, Duration.ofMinutes(1))
			.sign("task.request", TestPki.EXECUTOR, null, new JsonString("rotated"))
			.bytes();
		VerificationPipeline executor = VerificationPipeline.standard(
				this.pki.identity(TestPki.EXECUTOR, KeyType.EC_P256), new InMemoryReplayStore(10, this.pki.clock),
				VerificationPolicy.DEFAULT, this.pki.clock);
		assertThat(executor.verify(message)).isInstanceOf(Verdict.Accepted.class);
	}

	private Path write(String name, Object object) throws IOException {
		StringWriter text = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
			// spiffe-helper writes keys as PKCS#8
			writer.writeObject(
					(object instanceof PrivateKey key) ? new PemObject("PRIVATE KEY", key.getEncoded()) : object);
		}
		return Files.writeString(this.dir.resolve(name), text.toString());
	}

}
