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
package io.secureagent.test;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.Svid;
import io.spiffe.bundle.BundleSource;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.exception.BundleNotFoundException;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;

/**
 * Test identities for any SPIFFE ID in any trust domain, in one line:
 * {@code identities.identity("spiffe://a.test/planner")}. Each trust domain gets its own
 * test CA, in memory, the first time an identity of it is asked for; every identity from
 * one {@code TestIdentities} trusts every trust domain it has issued for, including those
 * it issues for later. A CA is never written to disk and lives as long as this object.
 * <p>
 * Test identities are for tests only: their CAs' keys are in the JVM's memory, unguarded.
 *
 * @author secure-agent authors
 */
public final class TestIdentities {

	private final Clock clock;

	private final Map<TrustDomain, DevCertificateAuthority> authorities = new ConcurrentHashMap<>();

	private final BundleSource<X509Bundle> bundles = this::bundleOf;

	/**
	 * Create test identities whose certificates are valid from now, by the system clock.
	 */
	public TestIdentities() {
		this(Clock.systemUTC());
	}

	/**
	 * Create test identities whose certificates are valid from the clock's now (and are
	 * renewed by it at half their life).
	 * @param clock the clock
	 */
	public TestIdentities(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
	}

	/**
	 * Return an identity with an EC P-256 key (ES256 signatures).
	 * @param spiffeId the SPIFFE ID, such as {@code spiffe://a.test/planner}
	 * @return the identity
	 */
	public AgentIdentity identity(String spiffeId) {
		return identity(SpiffeId.parse(spiffeId), KeyType.EC_P256);
	}

	/**
	 * Return an identity with a key of the given type.
	 * @param spiffeId the SPIFFE ID
	 * @param keyType the key type
	 * @return the identity
	 */
	public AgentIdentity identity(SpiffeId spiffeId, KeyType keyType) {
		return authority(spiffeId.getTrustDomain()).renewingIdentity(spiffeId, keyType, this.bundles);
	}

	/**
	 * Issue an SVID, for a Workload API server or a PEM file, say.
	 * @param spiffeId the SPIFFE ID
	 * @param keyType the key type
	 * @return the SVID, with its chain and private key
	 */
	public Svid svid(SpiffeId spiffeId, KeyType keyType) {
		return authority(spiffeId.getTrustDomain()).issue(spiffeId, keyType);
	}

	/**
	 * Return the test CA of a trust domain, made the first time it is asked for. Use it
	 * to issue certificates that break the rules, or to trust a domain ahead of use.
	 * @param trustDomain the trust domain
	 * @return its CA
	 */
	public DevCertificateAuthority authority(TrustDomain trustDomain) {
		Objects.requireNonNull(trustDomain, "trustDomain cannot be null");
		return this.authorities.computeIfAbsent(trustDomain,
				(domain) -> DevCertificateAuthority.create(domain, this.clock));
	}

	/**
	 * Return the trust bundles of every trust domain issued for so far, and later.
	 * @return the bundle source
	 */
	public BundleSource<X509Bundle> trustBundles() {
		return this.bundles;
	}

	/**
	 * Return the trust domains that have a test CA so far.
	 * @return the trust domains
	 */
	public Set<TrustDomain> trustDomains() {
		return Set.copyOf(this.authorities.keySet());
	}

	private X509Bundle bundleOf(TrustDomain trustDomain) throws BundleNotFoundException {
		DevCertificateAuthority authority = this.authorities.get(trustDomain);
		if (authority == null) {
			throw new BundleNotFoundException("no test CA for trust domain " + trustDomain);
		}
		return authority.bundle();
	}

}
