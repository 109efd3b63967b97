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
package io.secureagent.verification;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import io.secureagent.canonical.JsonLimits;
import io.secureagent.crypto.SignatureAlgorithm;

/**
 * The receiving side's rules.
 *
 * @param maxClockSkew how far the sender's clock may be off, either way
 * @param freshnessWindow how old, by issuedAt, a message may be
 * @param maxLifetime the longest expiresAt minus issuedAt accepted; it bounds how long a
 * replay-store entry lives
 * @param allowedAlgorithms the signature algorithms accepted
 * @param jsonLimits the bounds of the strict parser
 * @param chainCacheSize how many validated certificate chains to remember
 * @param encryptionRequired whether messages other than handshakes must be encrypted
 * @author secure-agent authors
 */
public record VerificationPolicy(Duration maxClockSkew, Duration freshnessWindow, Duration maxLifetime,
		Set<SignatureAlgorithm> allowedAlgorithms, JsonLimits jsonLimits, int chainCacheSize,
		boolean encryptionRequired) {

	/** 30 s skew, 5 min window and lifetime, every algorithm, default JSON limits. */
	public static final VerificationPolicy DEFAULT = new VerificationPolicy(Duration.ofSeconds(30),
			Duration.ofMinutes(5), Duration.ofMinutes(5), EnumSet.allOf(SignatureAlgorithm.class), JsonLimits.DEFAULT,
			1024, false);

	public VerificationPolicy {
		requireNotNegative(maxClockSkew, "maxClockSkew");
		requirePositive(freshnessWindow, "freshnessWindow");
		requirePositive(maxLifetime, "maxLifetime");
		allowedAlgorithms = Set.copyOf(allowedAlgorithms);
		if (allowedAlgorithms.isEmpty()) {
			throw new IllegalArgumentException("allowedAlgorithms cannot be empty");
		}
		Objects.requireNonNull(jsonLimits, "jsonLimits cannot be null");
		if (chainCacheSize < 0) {
			throw new IllegalArgumentException("chainCacheSize cannot be negative");
		}
	}

	private static void requireNotNegative(Duration duration, String name) {
		Objects.requireNonNull(duration, name + " cannot be null");
		if (duration.isNegative()) {
			throw new IllegalArgumentException(name + " cannot be negative");
		}
	}

	private static void requirePositive(Duration duration, String name) {
		requireNotNegative(duration, name);
		if (duration.isZero()) {
			throw new IllegalArgumentException(name + " must be positive");
		}
	}

	/**
	 * Return a copy with other allowed algorithms.
	 * @param allowedAlgorithms the algorithms
	 * @return the copy
	 */
	public VerificationPolicy withAllowedAlgorithms(Set<SignatureAlgorithm> allowedAlgorithms) {
		return new VerificationPolicy(this.maxClockSkew, this.freshnessWindow, this.maxLifetime, allowedAlgorithms,
				this.jsonLimits, this.chainCacheSize, this.encryptionRequired);
	}

	/**
	 * Return a copy that requires encryption, or not.
	 * @param encryptionRequired whether messages other than handshakes must be encrypted
	 * @return the copy
	 */
	public VerificationPolicy withEncryptionRequired(boolean encryptionRequired) {
		return new VerificationPolicy(this.maxClockSkew, this.freshnessWindow, this.maxLifetime, this.allowedAlgorithms,
				this.jsonLimits, this.chainCacheSize, encryptionRequired);
	}

}
