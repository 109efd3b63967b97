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

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.secureagent.testsupport.MutableClock;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.TrustDomain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@link DevCertificateAuthority}.
 *
 * @author secure-agent authors
 */
class DevCertificateAuthorityTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));

	@Test
	void loadOrCreateWhenCalledTwiceThenSameCaAndKeyReadableByOwnerOnly(@TempDir Path dir) throws Exception {
		TrustDomain domain = TrustDomain.parse("example.org");
		DevCertificateAuthority first = DevCertificateAuthority.loadOrCreate(dir, domain, this.clock);
		DevCertificateAuthority second = DevCertificateAuthority.loadOrCreate(dir, domain, this.clock);
		assertThat(second.certificate()).isEqualTo(first.certificate());
		// the loaded CA issues SVIDs that chain to the first one's root
		Svid svid = second.issue(domain.newSpiffeId("agent"), KeyType.EC_P256);
		svid.leaf().verify(first.certificate().getPublicKey());
		assertThat(Files.getPosixFilePermissions(dir.resolve("example.org-ca-key.pem")))
			.containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
	}

	@Test
	void loadOrCreateWhenStoredCaNearlyExpiredThenReplaced(@TempDir Path dir) throws Exception {
		TrustDomain domain = TrustDomain.parse("example.org");
		DevCertificateAuthority first = DevCertificateAuthority.loadOrCreate(dir, domain, this.clock);
		this.clock.advance(Duration.ofDays(365));
		DevCertificateAuthority renewed = DevCertificateAuthority.loadOrCreate(dir, domain, this.clock);
		assertThat(renewed.certificate()).isNotEqualTo(first.certificate());
	}

	@Test
	void renewingIdentityWhenHalfItsLifetimeHasPassedThenANewSvid() throws Exception {
		DevCertificateAuthority ca = DevCertificateAuthority.create(TrustDomain.parse("example.org"), this.clock);
		AgentIdentity identity = ca.renewingIdentity(TrustDomain.parse("example.org").newSpiffeId("agent"),
				KeyType.EC_P256, X509BundleSet.of(List.of(ca.bundle())));
		Svid first = identity.svid();
		this.clock.advance(Duration.ofMinutes(20));
		assertThat(identity.svid()).isSameAs(first);
		this.clock.advance(Duration.ofMinutes(20));
		Svid renewed = identity.svid();
		assertThat(renewed.leaf()).isNotEqualTo(first.leaf());
		assertThat(renewed.leaf().getNotAfter().toInstant()).isAfter(this.clock.instant().plus(Duration.ofMinutes(50)));
		assertThat(identity.svid()).isSameAs(renewed);
		// hours later, the agent still signs with a valid SVID
		this.clock.advance(Duration.ofHours(5));
		assertThat(identity.svid().leaf().getNotAfter().toInstant()).isAfter(this.clock.instant());
	}

	@Test
	void loadOrCreateWhenDirectoryIsNewThenCreatedForItsOwnerOnly(@TempDir Path parent) throws Exception {
		Path dir = parent.resolve("ca");
		DevCertificateAuthority.loadOrCreate(dir, TrustDomain.parse("example.org"), this.clock);
		assertThat(Files.getPosixFilePermissions(dir)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
				PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
	}

	@Test
	void loadOrCreateWhenDirectoryIsOpenToOthersThenRefusesToTrustTheCaInIt(@TempDir Path parent) throws Exception {
		Path dir = parent.resolve("shared");
		DevCertificateAuthority.loadOrCreate(dir, TrustDomain.parse("example.org"), this.clock);
		// someone else could have planted a CA key here
		Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
		assertThatIOException()
			.isThrownBy(() -> DevCertificateAuthority.loadOrCreate(dir, TrustDomain.parse("example.org"), this.clock))
			.withMessageContaining("open to its group or to others");
		Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx-----x"));
		assertThatIOException()
			.isThrownBy(() -> DevCertificateAuthority.loadOrCreate(dir, TrustDomain.parse("example.org"), this.clock));
	}

}
