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

import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * An ephemeral X25519 key pair (RFC 7748) for one handshake. The private key is used for
 * one agreement and then erased ({@link #destroy()}).
 *
 * @author secure-agent authors
 */
public final class X25519KeyShare {

	/** Length of keys and shared secrets, in bytes. */
	public static final int LENGTH = 32;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final byte[] privateKey;

	private final byte[] publicKey;

	private boolean destroyed;

	private X25519KeyShare(byte[] privateKey) {
		this.privateKey = privateKey;
		this.publicKey = new byte[LENGTH];
		X25519.generatePublicKey(privateKey, 0, this.publicKey, 0);
	}

	/**
	 * Generate a fresh key pair.
	 * @return the key pair
	 */
	public static X25519KeyShare generate() {
		byte[] privateKey = new byte[LENGTH];
		X25519.generatePrivateKey(RANDOM, privateKey);
		return new X25519KeyShare(privateKey);
	}

	/**
	 * Use a given private key: for test vectors only.
	 * @param privateKey the 32-byte private key (it is copied)
	 * @return the key pair
	 */
	public static X25519KeyShare fromPrivateKey(byte[] privateKey) {
		if (privateKey.length != LENGTH) {
			throw new IllegalArgumentException("X25519 private keys are 32 bytes");
		}
		return new X25519KeyShare(privateKey.clone());
	}

	/**
	 * Return the public key.
	 * @return a copy of the 32-byte public key
	 */
	public byte[] publicKey() {
		return this.publicKey.clone();
	}

	/**
	 * Compute the shared secret with a peer's public key. The caller erases the private
	 * key ({@link #destroy()}) as soon as it has no further use for it.
	 * @param peerPublicKey the peer's 32-byte public key
	 * @return the 32-byte shared secret; the caller erases it after use
	 * @throws InvalidKeyShareException if the peer key has the wrong length, or is of low
	 * order so that the shared secret is all zeros (RFC 7748 section 6.1)
	 */
	public synchronized byte[] agree(byte[] peerPublicKey) throws InvalidKeyShareException {
		if (this.destroyed) {
			throw new IllegalStateException("key share was already used");
		}
		return agree(this.privateKey, peerPublicKey);
	}

	/**
	 * Compute an X25519 shared secret without any key share object: the raw function.
	 * @param privateKey the 32-byte private key
	 * @param peerPublicKey the 32-byte public key
	 * @return the shared secret
	 * @throws InvalidKeyShareException if a length is wrong or the result is all zeros
	 */
	public static byte[] agree(byte[] privateKey, byte[] peerPublicKey) throws InvalidKeyShareException {
		if (peerPublicKey.length != LENGTH || privateKey.length != LENGTH) {
			throw new InvalidKeyShareException("X25519 keys are 32 bytes");
		}
		byte[] secret = new byte[LENGTH];
		if (!X25519.calculateAgreement(privateKey, 0, peerPublicKey, 0, secret, 0)) {
			throw new InvalidKeyShareException("X25519 shared secret is all zeros");
		}
		return secret;
	}

	/**
	 * Erase the private key.
	 */
	public synchronized void destroy() {
		Arrays.fill(this.privateKey, (byte) 0);
		this.destroyed = true;
	}

	/**
	 * Whether the private key was erased.
	 * @return whether it is destroyed
	 */
	public synchronized boolean isDestroyed() {
		return this.destroyed;
	}

}
