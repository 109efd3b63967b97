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

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import io.secureagent.crypto.AeadSuite;
import io.secureagent.crypto.Hkdf;
import io.spiffe.spiffeid.SpiffeId;

/**
 * The key schedule of secure-agent/1 sessions.
 * <ul>
 * <li>transcript hash
 * {@code TH = SHA-256("secure-agent/1 transcript" || 0x00 || len(init)
 * || init || len(accept) || accept)}, over the canonical forms of the complete signed
 * {@code session.init} and {@code session.accept} envelopes, lengths as 4-byte
 * big-endian;
 * <li>{@code PRK = HKDF-Extract(salt = TH, IKM = X25519 shared secret)};
 * <li>each of {@code i2r key}, {@code i2r iv}, {@code r2i key}, {@code r2i iv} is
 * {@code HKDF-Expand(PRK, "secure-agent/1 " + label + " " + initiator + " " + responder +
 * " " + sessionId, 32 or 12)}, where {@code i2r} is the initiator's sending direction;
 * <li>the nonce of sequence number {@code n} is the direction's iv XOR {@code n} as a
 * 12-byte big-endian number.
 * </ul>
 *
 * @author secure-agent authors
 */
public final class KeySchedule {

	private static final byte[] TRANSCRIPT_LABEL = "secure-agent/1 transcript".getBytes(StandardCharsets.US_ASCII);

	private KeySchedule() {
	}

	/**
	 * Compute the transcript hash.
	 * @param init the signing input of the init envelope: its canonical form without the
	 * signature
	 * @param accept the signing input of the accept envelope
	 * @return the 32-byte hash
	 */
	public static byte[] transcriptHash(byte[] init, byte[] accept) {
		MessageDigest sha256 = sha256();
		sha256.update(TRANSCRIPT_LABEL);
		sha256.update((byte) 0);
		sha256.update(ByteBuffer.allocate(4).putInt(init.length).array());
		sha256.update(init);
		sha256.update(ByteBuffer.allocate(4).putInt(accept.length).array());
		sha256.update(accept);
		return sha256.digest();
	}

	/**
	 * Compute the SHA-256 of an envelope's signing input, as the accept's
	 * {@code initHash} carries it.
	 * @param canonical the signing input
	 * @return the hash
	 */
	public static byte[] hash(byte[] canonical) {
		return sha256().digest(canonical);
	}

	static SessionKeys derive(byte[] sharedSecret, byte[] transcriptHash, SpiffeId initiator, SpiffeId responder,
			String sessionId, Session.Role role) {
		byte[] prk = Hkdf.extract(transcriptHash, sharedSecret);
		try {
			String context = " " + initiator + " " + responder + " " + sessionId;
			byte[] i2rKey = Hkdf.expand(prk, info("i2r key", context), AeadSuite.KEY_LENGTH);
			byte[] i2rIv = Hkdf.expand(prk, info("i2r iv", context), AeadSuite.NONCE_LENGTH);
			byte[] r2iKey = Hkdf.expand(prk, info("r2i key", context), AeadSuite.KEY_LENGTH);
			byte[] r2iIv = Hkdf.expand(prk, info("r2i iv", context), AeadSuite.NONCE_LENGTH);
			return (role == Session.Role.INITIATOR) ? new SessionKeys(i2rKey, i2rIv, r2iKey, r2iIv)
					: new SessionKeys(r2iKey, r2iIv, i2rKey, i2rIv);
		}
		finally {
			Arrays.fill(prk, (byte) 0);
		}
	}

	static byte[] nonce(byte[] iv, long sequence) {
		byte[] nonce = iv.clone();
		for (int i = 0; i < 8; i++) {
			nonce[nonce.length - 1 - i] ^= (byte) (sequence >>> (8 * i));
		}
		return nonce;
	}

	private static byte[] info(String label, String context) {
		return ("secure-agent/1 " + label + context).getBytes(StandardCharsets.UTF_8);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

}
