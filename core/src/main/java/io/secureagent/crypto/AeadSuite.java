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

import java.security.GeneralSecurityException;
import java.util.Optional;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AEAD suites of secure-agent/1 sessions: 256-bit keys, 96-bit nonces, 128-bit tags.
 * The JDK's implementations are used (AES-GCM runs on AES-NI and carry-less multiply).
 *
 * @author secure-agent authors
 */
public enum AeadSuite {

	/** AES-256 in Galois/Counter Mode (NIST SP 800-38D). */
	AES_256_GCM("AES-256-GCM"),

	/** ChaCha20-Poly1305 (RFC 8439). */
	CHACHA20_POLY1305("CHACHA20-POLY1305");

	/** Key length in bytes. */
	public static final int KEY_LENGTH = 32;

	/** Nonce length in bytes. */
	public static final int NONCE_LENGTH = 12;

	/** Tag length in bytes. */
	public static final int TAG_LENGTH = 16;

	private final String wireName;

	AeadSuite(String wireName) {
		this.wireName = wireName;
	}

	/**
	 * Return the name used in handshake messages.
	 * @return the name
	 */
	public String wireName() {
		return this.wireName;
	}

	/**
	 * Find a suite by its wire name, matched exactly.
	 * @param wireName the name
	 * @return the suite, or empty
	 */
	public static Optional<AeadSuite> fromWireName(String wireName) {
		for (AeadSuite suite : values()) {
			if (suite.wireName.equals(wireName)) {
				return Optional.of(suite);
			}
		}
		return Optional.empty();
	}

	/**
	 * Encrypt.
	 * @param key the 32-byte key
	 * @param nonce the 12-byte nonce, never used twice with one key
	 * @param aad the associated data
	 * @param plaintext the plaintext
	 * @return the ciphertext followed by the 16-byte tag
	 */
	public byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
		try {
			Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce);
			cipher.updateAAD(aad);
			return cipher.doFinal(plaintext);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(this.wireName + " encryption failed", ex);
		}
	}

	/**
	 * Decrypt and authenticate.
	 * @param key the 32-byte key
	 * @param nonce the 12-byte nonce
	 * @param aad the associated data
	 * @param ciphertext the ciphertext followed by the tag
	 * @return the plaintext
	 * @throws AEADBadTagException if the ciphertext, tag, nonce, key or associated data
	 * is not the one sealed
	 */
	public byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) throws AEADBadTagException {
		if (ciphertext.length < TAG_LENGTH) {
			throw new AEADBadTagException("ciphertext shorter than the tag");
		}
		try {
			Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce);
			cipher.updateAAD(aad);
			return cipher.doFinal(ciphertext);
		}
		catch (AEADBadTagException ex) {
			throw ex;
		}
		catch (GeneralSecurityException ex) {
			AEADBadTagException failure = new AEADBadTagException("decryption failed");
			failure.initCause(ex);
			throw failure;
		}
	}

	private Cipher cipher(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
		if (key.length != KEY_LENGTH || nonce.length != NONCE_LENGTH) {
			throw new IllegalArgumentException("key must be 32 bytes and nonce 12 bytes");
		}
		return switch (this) {
			case AES_256_GCM -> {
				Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
				cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
				yield cipher;
			}
			case CHACHA20_POLY1305 -> {
				Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
				cipher.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
				yield cipher;
			}
		};
	}

}
