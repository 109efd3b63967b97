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

import java.util.Objects;

import io.spiffe.bundle.BundleSource;
import io.spiffe.bundle.x509bundle.X509Bundle;

/**
 * An {@link AgentIdentity} held in memory, as a development CA or PEM files give it. The
 * SVID can be replaced at any time ({@link #rotate(Svid)}).
 *
 * @author secure-agent authors
 */
public final class StaticIdentity implements AgentIdentity {

	private volatile Svid svid;

	private final BundleSource<X509Bundle> trustBundles;

	public StaticIdentity(Svid svid, BundleSource<X509Bundle> trustBundles) {
		this.svid = Objects.requireNonNull(svid, "svid cannot be null");
		this.trustBundles = Objects.requireNonNull(trustBundles, "trustBundles cannot be null");
	}

	@Override
	public Svid svid() {
		return this.svid;
	}

	@Override
	public BundleSource<X509Bundle> trustBundles() {
		return this.trustBundles;
	}

	/**
	 * Replace the SVID, as an SVID rotation does.
	 * @param svid the new SVID, for the same SPIFFE ID
	 */
	public void rotate(Svid svid) {
		Objects.requireNonNull(svid, "svid cannot be null");
		if (!svid.spiffeId().equals(this.svid.spiffeId())) {
			throw new IllegalArgumentException("a rotated SVID keeps its SPIFFE ID");
		}
		this.svid = svid;
	}

}
