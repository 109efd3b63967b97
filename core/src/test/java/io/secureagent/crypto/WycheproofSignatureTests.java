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

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import io.secureagent.testsupport.AwsLcRequired;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs Wycheproof signature vectors (see {@code src/test/resources/wycheproof/SOURCE.md})
 * through {@link KeyVerifier}, with each {@link CryptoProvider}: every valid signature
 * verifies, every invalid one is rejected. Vectors whose key this library refuses to use
 * count as rejected.
 *
 * @author secure-agent authors
 */
class WycheproofSignatureTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	static Stream<Arguments> es256() throws IOException {
		return vectors("ecdsa_secp256r1_sha256_p1363_test.json", "EC", SignatureAlgorithm.ES256);
	}

	static Stream<Arguments> eddsa() throws IOException {
		return vectors("ed25519_test.json", "Ed25519", SignatureAlgorithm.EDDSA);
	}

	static Stream<Arguments> ps256() throws IOException {
		return vectors("rsa_pss_2048_sha256_mgf1_32_test.json", "RSA", SignatureAlgorithm.PS256);
	}

	@ParameterizedTest
	@MethodSource("es256")
	void verifyWhenEs256VectorThenMatchesExpectedResult(Vector vector) {
		assertThat(verify(vector)).isEqualTo(vector.valid());
	}

	@ParameterizedTest
	@MethodSource("eddsa")
	void verifyWhenEd25519VectorThenMatchesExpectedResult(Vector vector) {
		assertThat(verify(vector)).isEqualTo(vector.valid());
	}

	@ParameterizedTest
	@MethodSource("ps256")
	void verifyWhenPs256VectorThenMatchesExpectedResult(Vector vector) {
		assertThat(verify(vector)).isEqualTo(vector.valid());
	}

	private static boolean verify(Vector vector) {
		KeyVerifier verifier;
		try {
			verifier = KeyVerifier.of(vector.key(), vector.provider());
		}
		catch (UnsupportedKeyException ex) {
			return false;
		}
		assertThat(verifier.algorithm()).isEqualTo(vector.algorithm());
		assertThat(verifier.provider()).isEqualTo(
				(vector.algorithm() == SignatureAlgorithm.PS256) ? CryptoProvider.BOUNCY_CASTLE : vector.provider());
		return verifier.verify(vector.message(), vector.signature());
	}

	private static Stream<Arguments> vectors(String file, String keyAlgorithm, SignatureAlgorithm algorithm)
			throws IOException {
		JsonNode root;
		try (InputStream in = WycheproofSignatureTests.class.getResourceAsStream("/wycheproof/" + file)) {
			root = MAPPER.readTree(in);
		}
		HexFormat hex = HexFormat.of();
		List<Arguments> arguments = new ArrayList<>();
		for (JsonNode group : root.get("testGroups")) {
			PublicKey key = publicKey(keyAlgorithm, hex.parseHex(group.get("publicKeyDer").asString()));
			for (JsonNode test : group.get("tests")) {
				for (CryptoProvider provider : AwsLcRequired.here() ? CryptoProvider.values()
						: new CryptoProvider[] { CryptoProvider.BOUNCY_CASTLE }) {
					Vector vector = new Vector(algorithm, provider, key, hex.parseHex(test.get("msg").asString()),
							hex.parseHex(test.get("sig").asString()), "valid".equals(test.get("result").asString()));
					String name = provider.id() + ": " + file + " #" + test.get("tcId").asInt() + " "
							+ test.get("comment").asString();
					arguments.add(Arguments.of(Named.of(name, vector)));
				}
			}
		}
		assertThat(arguments).hasSizeGreaterThan(50);
		return arguments.stream();
	}

	private static PublicKey publicKey(String algorithm, byte[] der) {
		try {
			return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	record Vector(SignatureAlgorithm algorithm, CryptoProvider provider, PublicKey key, byte[] message,
			byte[] signature, boolean valid) {

	}

}
