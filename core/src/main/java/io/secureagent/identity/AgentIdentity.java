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

import io.spiffe.bundle.BundleSource;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.spiffeid.SpiffeId;

/**
 * What an agent is and whom it trusts: its current X.509-SVID, which may rotate, and the
 * trust bundles of its own and of federated trust domains.
 *
 * @author secure-agent authors
 */
public interface AgentIdentity {

	/**
	 * Return the current SVID. Callers take it afresh for each message, so that a rotated
	 * SVID is used at once.
	 * @return the current SVID
	 * @throws IdentityUnavailableException if no SVID is available now
	 */
	Svid svid() throws IdentityUnavailableException;

	/**
	 * Return the trust bundles, one per trusted trust domain.
	 * @return the bundle source
	 */
	BundleSource<X509Bundle> trustBundles();

	/**
	 * Return this agent's SPIFFE ID.
	 * @return the SPIFFE ID
	 * @throws IdentityUnavailableException if no SVID is available now
	 */
	default SpiffeId spiffeId() throws IdentityUnavailableException {
		return svid().spiffeId();
	}

}
