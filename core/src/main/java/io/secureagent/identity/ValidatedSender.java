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

import java.security.cert.X509Certificate;
import java.util.List;

import io.secureagent.crypto.KeyVerifier;
import io.spiffe.spiffeid.SpiffeId;

/**
 * A sender whose X.509-SVID chain was validated: its SPIFFE ID, its chain, and a verifier
 * for its leaf key.
 *
 * @param spiffeId the sender's SPIFFE ID
 * @param chain the validated chain, leaf first
 * @param verifier the verifier for the leaf's public key
 * @author secure-agent authors
 */
public record ValidatedSender(SpiffeId spiffeId, List<X509Certificate> chain, KeyVerifier verifier) {

	public ValidatedSender {
		chain = List.copyOf(chain);
	}

}
