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

import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Where this library computes its ES256 and EdDSA signatures. The system property
 * {@value #PROPERTY} chooses, once per JVM (read the first time a key's verifier or
 * signer is made, and kept, like the JVM's own provider list):
 * <ul>
 * <li>{@code auto} (the default): {@link #AWS_LC} where the Amazon Corretto Crypto
 * Provider is on the class path, loaded its native library, passed its self tests and
 * agrees with {@link #BOUNCY_CASTLE} on a signature each way; {@link #BOUNCY_CASTLE}
 * otherwise;</li>
 * <li>{@code aws-lc}: {@link #AWS_LC}, and no key can be used if it is not available
 * (every {@code of} method of {@link KeyVerifier} and {@link MessageSigner} throws);</li>
 * <li>{@code bouncycastle}: {@link #BOUNCY_CASTLE}.</li>
 * </ul>
 * Either way every encoding is checked by this library first, whatever the provider would
 * accept, and PS256 is always computed by Bouncy Castle.
 *
 * @author secure-agent authors
 */
public enum CryptoProvider {

	/**
	 * Bouncy Castle's lightweight API, in Java. ES256 signatures have deterministic
	 * nonces (RFC 6979).
	 */
	BOUNCY_CASTLE("bouncycastle"),

	/**
	 * AWS-LC, in native code, through the Amazon Corretto Crypto Provider (used directly,
	 * never installed as a JVM-wide provider). ES256 nonces come from AWS-LC's random bit
	 * generator, hedged with a hash of the private key and the digest, so its signatures
	 * are not reproducible; every receiver verifies them alike.
	 */
	AWS_LC("aws-lc");

	/**
	 * The system property that chooses the provider: {@code auto}, {@code aws-lc} or
	 * {@code bouncycastle}.
	 */
	public static final String PROPERTY = "secureagent.crypto.provider";

	private final String id;

	CryptoProvider(String id) {
		this.id = id;
	}

	/**
	 * Return the name of this provider as {@value #PROPERTY} spells it.
	 * @return the name
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Return whether this provider can be used in this JVM.
	 * @return whether it can be used
	 */
	public boolean available() {
		return this == BOUNCY_CASTLE || AwsLc.provider() != null;
	}

	/**
	 * Return whether this provider's classes are on the class path, whether or not it can
	 * be used.
	 * @return whether they are
	 */
	public boolean onClassPath() {
		return this == BOUNCY_CASTLE || AwsLc.onClassPath();
	}

	/**
	 * Return why this provider cannot be used, if it cannot.
	 * @return the reason, or empty if it can be used
	 */
	public Optional<String> unavailableReason() {
		return (this == BOUNCY_CASTLE) ? Optional.empty() : Optional.ofNullable(AwsLc.unavailableReason());
	}

	/**
	 * Return the provider that {@link KeyVerifier#of(java.security.PublicKey)} and
	 * {@link MessageSigner#of(java.security.PrivateKey)} use, as {@value #PROPERTY} chose
	 * it the first time this was called; a setting that cannot be met throws every time.
	 * @return the provider
	 * @throws IllegalStateException if the property names an unknown provider, or
	 * {@code aws-lc} where it is not available
	 */
	public static CryptoProvider active() {
		return Active.resolve();
	}

	/**
	 * Choose a provider as {@value #PROPERTY} would.
	 * @param setting {@code auto}, {@code aws-lc} or {@code bouncycastle}, in any case;
	 * {@code null} or blank for {@code auto}
	 * @return the provider
	 * @throws IllegalStateException if the setting names an unknown provider, or
	 * {@code aws-lc} where it is not available
	 */
	public static CryptoProvider select(@Nullable String setting) {
		String name = (setting != null) ? setting.strip().toLowerCase(Locale.ROOT) : "";
		if (name.isEmpty() || name.equals("auto")) {
			return AWS_LC.available() ? AWS_LC : BOUNCY_CASTLE;
		}
		for (CryptoProvider provider : values()) {
			if (provider.id.equals(name)) {
				if (!provider.available()) {
					throw new IllegalStateException(
							PROPERTY + "=" + name + " but it cannot be used: " + AwsLc.unavailableReason());
				}
				return provider;
			}
		}
		throw new IllegalStateException(PROPERTY + " must be auto, aws-lc or bouncycastle, not '" + setting + "'");
	}

	/**
	 * The choice from the system property, made once.
	 */
	private static final class Active {

		private static final @Nullable CryptoProvider CHOSEN;

		private static final @Nullable String REFUSAL;

		static {
			CryptoProvider chosen = null;
			String refusal = null;
			try {
				chosen = select(System.getProperty(PROPERTY));
			}
			catch (IllegalStateException ex) {
				refusal = ex.getMessage();
			}
			CHOSEN = chosen;
			REFUSAL = refusal;
		}

		static CryptoProvider resolve() {
			if (CHOSEN == null) {
				throw new IllegalStateException(REFUSAL);
			}
			return CHOSEN;
		}

	}

}
