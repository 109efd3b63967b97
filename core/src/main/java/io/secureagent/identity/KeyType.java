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

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/**
 * The key types an SVID may have, one per signature algorithm.
 *
 * @author secure-agent authors
 */
public enum KeyType {

	/** EC P-256, signing ES256. */
	EC_P256,

	/** Ed25519, signing EdDSA. */
	ED25519,

	/** RSA 2048, signing PS256. */
	RSA_2048;

	/**
	 * Generate a fresh key pair of this type.
	 * @return the key pair
	 */
	public KeyPair generate() {
		try {
			return switch (this) {
				case EC_P256 -> {
					KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
					generator.initialize(new ECGenParameterSpec("secp256r1"));
					yield generator.generateKeyPair();
				}
				case ED25519 -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
				case RSA_2048 -> {
					KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
					generator.initialize(2048);
					yield generator.generateKeyPair();
				}
			};
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("key generation failed for " + this, ex);
		}
	}

}
