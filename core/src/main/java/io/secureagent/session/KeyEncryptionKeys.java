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
package io.secureagent.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * The key-encryption keys that wrap session keys kept outside this process (AES-256-GCM,
 * a fresh nonce per wrap; the session id and every other field of the session, its
 * parties and limits, as associated data). The first key wraps; every key unwraps what it
 * wrapped, so a key can be rotated by putting a new one first and removing the old one
 * once the sessions it wrapped have expired. Each wrapped value names the id of its key.
 * A store dump alone then reveals no session key.
 *
 * @author secure-agent authors
 */
public final class KeyEncryptionKeys {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final int NONCE = 12;

	private final String current;

	private final Map<String, byte[]> keys = new LinkedHashMap<>();

	/**
	 * Create the keys.
	 * @param keys the keys, the one that wraps first
	 */
	public KeyEncryptionKeys(List<Key> keys) {
		if (keys.isEmpty()) {
			throw new IllegalArgumentException("at least one key-encryption key is required");
		}
		for (Key key : keys) {
			if (this.keys.putIfAbsent(key.id(), key.secret().clone()) != null) {
				throw new IllegalArgumentException("key-encryption key id '" + key.id() + "' is used twice");
			}
		}
		this.current = keys.get(0).id();
	}

	/**
	 * Return the id of the key that wraps.
	 * @return the id
	 */
	public String currentId() {
		return this.current;
	}

	String wrap(String sessionId, String binding, byte[] keyMaterial) {
		byte[] nonce = new byte[NONCE];
		RANDOM.nextBytes(nonce);
		byte[] sealed = cipher(Cipher.ENCRYPT_MODE, this.keys.get(this.current), nonce, sessionId, binding,
				keyMaterial);
		byte[] out = new byte[NONCE + sealed.length];
		System.arraycopy(nonce, 0, out, 0, NONCE);
		System.arraycopy(sealed, 0, out, NONCE, sealed.length);
		return this.current + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
	}

	/**
	 * Unwrap key material.
	 * @param sessionId the session it belongs to
	 * @param binding what else was bound to the keys when they were wrapped
	 * @param wrapped the wrapped value, as {@link #wrap} made it
	 * @return the key material, or {@code null} if no configured key opens it
	 */
	@Nullable byte[] unwrap(String sessionId, String binding, String wrapped) {
		int colon = wrapped.indexOf(':');
		byte[] key = (colon > 0) ? this.keys.get(wrapped.substring(0, colon)) : null;
		if (key == null) {
			return null;
		}
		try {
			byte[] in = Base64.getUrlDecoder().decode(wrapped.substring(colon + 1));
			if (in.length < NONCE + 16) {
				return null;
			}
			return cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(in, NONCE), sessionId, binding,
					Arrays.copyOfRange(in, NONCE, in.length));
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			return null;
		}
	}

	private static byte[] cipher(int mode, byte[] key, byte[] nonce, String sessionId, String binding, byte[] input) {
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
			cipher.updateAAD(
					("secure-agent/1 session keys " + sessionId + "\n" + binding).getBytes(StandardCharsets.UTF_8));
			return cipher.doFinal(input);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("session keys cannot be (un)wrapped", ex);
		}
	}

	/**
	 * One key-encryption key.
	 *
	 * @param id its id, stored beside each value it wraps
	 * @param secret its 32 bytes
	 */
	public record Key(String id, byte[] secret) {

		public Key {
			Objects.requireNonNull(id, "id cannot be null");
			if (id.isEmpty() || id.contains(":")) {
				throw new IllegalArgumentException("a key-encryption key id is not empty and has no ':'");
			}
			if (secret.length != 32) {
				throw new IllegalArgumentException("a key-encryption key is 32 bytes (AES-256)");
			}
		}

	}

}
