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
package io.secureagent.crypto;

import java.util.Optional;

/**
 * The signature algorithms of secure-agent/1, named as in JWA (RFC 7518, RFC 8037). The
 * algorithm is always derived from the signer's key ({@link KeyVerifier#algorithm()});
 * the name carried in a message is only compared against it.
 *
 * @author secure-agent authors
 */
public enum SignatureAlgorithm {

	/** ECDSA over P-256 with SHA-256; signature is r || s, 32 bytes each. */
	ES256("ES256", 64),

	/** Ed25519 (RFC 8032); 64-byte signature. */
	EDDSA("EdDSA", 64),

	/**
	 * RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt; modulus-length signature.
	 */
	PS256("PS256", -1);

	private final String jwaName;

	private final int signatureLength;

	SignatureAlgorithm(String jwaName, int signatureLength) {
		this.jwaName = jwaName;
		this.signatureLength = signatureLength;
	}

	/**
	 * Return the JWA name, as carried in the {@code alg} member.
	 * @return the name
	 */
	public String jwaName() {
		return this.jwaName;
	}

	int fixedSignatureLength() {
		return this.signatureLength;
	}

	/**
	 * Find the algorithm with the given JWA name, matched exactly.
	 * @param jwaName the name
	 * @return the algorithm, or empty if the name is not one of ours
	 */
	public static Optional<SignatureAlgorithm> fromJwaName(String jwaName) {
		for (SignatureAlgorithm algorithm : values()) {
			if (algorithm.jwaName.equals(jwaName)) {
				return Optional.of(algorithm);
			}
		}
		return Optional.empty();
	}

}
