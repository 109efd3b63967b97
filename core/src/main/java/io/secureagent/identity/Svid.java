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

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.svid.x509svid.X509Svid;

/**
 * An X.509-SVID with its private key: what an agent signs with. Unlike java-spiffe's
 * {@link X509Svid} it also holds Ed25519 keys.
 *
 * @param spiffeId the SPIFFE ID in the leaf's URI SAN
 * @param chain the leaf first, then any intermediates up to (not including) the root
 * @param privateKey the leaf's private key
 * @author secure-agent authors
 */
public record Svid(SpiffeId spiffeId, List<X509Certificate> chain, PrivateKey privateKey) {

	public Svid {
		Objects.requireNonNull(spiffeId, "spiffeId cannot be null");
		Objects.requireNonNull(privateKey, "privateKey cannot be null");
		chain = List.copyOf(chain);
		if (chain.isEmpty()) {
			throw new IllegalArgumentException("chain cannot be empty");
		}
	}

	/**
	 * Adapt a java-spiffe SVID.
	 * @param svid the SVID
	 * @return the same identity
	 */
	public static Svid of(X509Svid svid) {
		return new Svid(svid.getSpiffeId(), svid.getChain(), svid.getPrivateKey());
	}

	/**
	 * Return the leaf certificate.
	 * @return the leaf
	 */
	public X509Certificate leaf() {
		return this.chain.get(0);
	}

	@Override
	public String toString() {
		return "Svid[" + this.spiffeId + "]";
	}

}
