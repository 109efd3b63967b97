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

import java.util.Arrays;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * HKDF with SHA-256 (RFC 5869), from Bouncy Castle: the JDK 17 has none.
 *
 * @author secure-agent authors
 */
public final class Hkdf {

	private Hkdf() {
	}

	/**
	 * HKDF-Extract.
	 * @param salt the salt
	 * @param inputKeyMaterial the input key material
	 * @return the 32-byte pseudorandom key
	 */
	public static byte[] extract(byte[] salt, byte[] inputKeyMaterial) {
		HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
		return generator.extractPRK(salt, inputKeyMaterial);
	}

	/**
	 * HKDF-Expand.
	 * @param pseudorandomKey the pseudorandom key from {@link #extract}
	 * @param info the context and application specific information
	 * @param length the output length, at most 8160 bytes
	 * @return the output key material
	 */
	public static byte[] expand(byte[] pseudorandomKey, byte[] info, int length) {
		HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
		generator.init(HKDFParameters.skipExtractParameters(pseudorandomKey, info));
		byte[] output = new byte[length];
		generator.generateBytes(output, 0, length);
		return output;
	}

	/**
	 * HKDF: extract then expand.
	 * @param salt the salt
	 * @param inputKeyMaterial the input key material
	 * @param info the info
	 * @param length the output length
	 * @return the output key material
	 */
	public static byte[] derive(byte[] salt, byte[] inputKeyMaterial, byte[] info, int length) {
		byte[] prk = extract(salt, inputKeyMaterial);
		try {
			return expand(prk, info, length);
		}
		finally {
			Arrays.fill(prk, (byte) 0);
		}
	}

}
