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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.spiffe.bundle.BundleSource;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.exception.BundleNotFoundException;
import io.spiffe.spiffeid.TrustDomain;

/**
 * An identity from PEM files that follows them as spiffe-helper rewrites them on
 * rotation: at most once per interval, when this identity is used, the files' sizes and
 * modification times are compared with those last loaded, and changed files are loaded
 * again. A rotation takes effect without a restart; messages in flight were signed with
 * the SVID then current and stay valid. Files caught half-written (the new key does not
 * match the new certificate yet) are not used: the current SVID stays until a later check
 * loads a consistent set. A rotated SVID must keep the SPIFFE ID.
 *
 * @author secure-agent authors
 */
public final class ReloadingPemIdentity implements AgentIdentity {

	private final Path certificates;

	private final Path privateKey;

	private final Map<TrustDomain, Path> bundles;

	private final Duration interval;

	private final Clock clock;

	private volatile Loaded loaded;

	private volatile long nextCheck;

	/**
	 * Load the files, and follow them.
	 * @param certificates the SVID chain, leaf first
	 * @param privateKey the SVID's private key, PKCS#8
	 * @param bundles the trust bundle file of each trusted trust domain
	 * @param interval how often, at most, the files are checked
	 * @param clock the clock
	 * @throws IdentityUnavailableException if the files cannot be loaded now
	 */
	public ReloadingPemIdentity(Path certificates, Path privateKey, Map<TrustDomain, Path> bundles, Duration interval,
			Clock clock) throws IdentityUnavailableException {
		this.certificates = Objects.requireNonNull(certificates, "certificates cannot be null");
		this.privateKey = Objects.requireNonNull(privateKey, "privateKey cannot be null");
		this.bundles = new LinkedHashMap<>(bundles);
		this.interval = Objects.requireNonNull(interval, "interval cannot be null");
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
		List<String> state;
		try {
			state = state();
		}
		catch (IOException ex) {
			throw new IdentityUnavailableException("PEM files cannot be read: " + ex.getMessage(), ex);
		}
		this.loaded = new Loaded(PemIdentity.load(certificates, privateKey, this.bundles), state);
		this.nextCheck = clock.millis() + interval.toMillis();
	}

	@Override
	public Svid svid() throws IdentityUnavailableException {
		return current().identity().svid();
	}

	@Override
	public BundleSource<X509Bundle> trustBundles() {
		return new BundleSource<>() {

			@Override
			public X509Bundle getBundleForTrustDomain(TrustDomain trustDomain) throws BundleNotFoundException {
				return current().identity().trustBundles().getBundleForTrustDomain(trustDomain);
			}

		};
	}

	private Loaded current() {
		long now = this.clock.millis();
		if (now < this.nextCheck) {
			return this.loaded;
		}
		synchronized (this) {
			if (now >= this.nextCheck) {
				this.nextCheck = now + this.interval.toMillis();
				reloadIfChanged();
			}
			return this.loaded;
		}
	}

	private void reloadIfChanged() {
		List<String> state;
		try {
			state = state();
		}
		catch (IOException ex) {
			return;
		}
		if (state.equals(this.loaded.state())) {
			return;
		}
		try {
			StaticIdentity identity = PemIdentity.load(this.certificates, this.privateKey, this.bundles);
			if (identity.spiffeId().equals(this.loaded.identity().spiffeId())) {
				this.loaded = new Loaded(identity, state);
			}
		}
		catch (IdentityUnavailableException ex) {
			// caught mid-rotation: keep the current SVID, and look again at the next
			// check
		}
	}

	private List<String> state() throws IOException {
		List<Path> files = new ArrayList<>(List.of(this.certificates, this.privateKey));
		files.addAll(this.bundles.values());
		List<String> state = new ArrayList<>();
		for (Path file : files) {
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
			state.add(file + " " + attributes.size() + " " + attributes.lastModifiedTime().toMillis());
		}
		return state;
	}

	private record Loaded(StaticIdentity identity, List<String> state) {

	}

}
