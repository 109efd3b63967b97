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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import javax.crypto.AEADBadTagException;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Wycheproof vectors (see {@code src/test/resources/wycheproof/SOURCE.md}) for the
 * session primitives: X25519, AES-256-GCM, ChaCha20-Poly1305 and HKDF-SHA256.
 *
 * @author secure-agent authors
 */
class WycheproofSessionPrimitiveTests {

	private static final HexFormat HEX = HexFormat.of();

	static Stream<Arguments> x25519() throws IOException {
		return tests("x25519_test.json", (group) -> true);
	}

	static Stream<Arguments> aesGcm() throws IOException {
		return tests("aes_gcm_test.json", WycheproofSessionPrimitiveTests::ourParameters);
	}

	static Stream<Arguments> chacha() throws IOException {
		return tests("chacha20_poly1305_test.json", WycheproofSessionPrimitiveTests::ourParameters);
	}

	static Stream<Arguments> hkdf() throws IOException {
		return tests("hkdf_sha256_test.json", (group) -> true);
	}

	@ParameterizedTest
	@MethodSource("x25519")
	void agreeWhenX25519VectorThenSharedSecretOrRefusedWhenZero(JsonNode test) throws Exception {
		byte[] privateKey = hex(test, "private");
		byte[] publicKey = hex(test, "public");
		boolean zero = flags(test).contains("ZeroSharedSecret");
		if (zero) {
			assertThatExceptionOfType(InvalidKeyShareException.class)
				.isThrownBy(() -> X25519KeyShare.agree(privateKey, publicKey));
		}
		else {
			assertThat(X25519KeyShare.agree(privateKey, publicKey)).isEqualTo(hex(test, "shared"));
		}
	}

	@ParameterizedTest
	@MethodSource("aesGcm")
	void sealAndOpenWhenAesGcmVectorThenMatchesExpectedResult(JsonNode test) throws Exception {
		aead(AeadSuite.AES_256_GCM, test);
	}

	@ParameterizedTest
	@MethodSource("chacha")
	void sealAndOpenWhenChaChaVectorThenMatchesExpectedResult(JsonNode test) throws Exception {
		aead(AeadSuite.CHACHA20_POLY1305, test);
	}

	@ParameterizedTest
	@MethodSource("hkdf")
	void deriveWhenHkdfVectorThenMatchesExpectedResult(JsonNode test) {
		byte[] ikm = hex(test, "ikm");
		byte[] salt = hex(test, "salt");
		byte[] info = hex(test, "info");
		int size = test.get("size").asInt();
		if ("valid".equals(test.get("result").asString())) {
			assertThat(Hkdf.derive(salt, ikm, info, size)).isEqualTo(hex(test, "okm"));
		}
		else {
			assertThatThrownBy(() -> Hkdf.derive(salt, ikm, info, size)).isInstanceOf(RuntimeException.class);
		}
	}

	private static void aead(AeadSuite suite, JsonNode test) throws Exception {
		byte[] key = hex(test, "key");
		byte[] nonce = hex(test, "iv");
		byte[] aad = hex(test, "aad");
		byte[] sealed = concat(hex(test, "ct"), hex(test, "tag"));
		if ("valid".equals(test.get("result").asString())) {
			assertThat(suite.seal(key, nonce, aad, hex(test, "msg"))).isEqualTo(sealed);
			assertThat(suite.open(key, nonce, aad, sealed)).isEqualTo(hex(test, "msg"));
		}
		else {
			assertThatExceptionOfType(AEADBadTagException.class).isThrownBy(() -> suite.open(key, nonce, aad, sealed));
		}
	}

	private static boolean ourParameters(JsonNode group) {
		return group.get("keySize").asInt() == 256 && group.get("ivSize").asInt() == 96
				&& group.get("tagSize").asInt() == 128;
	}

	private static Stream<Arguments> tests(String file, Predicate<JsonNode> groups) throws IOException {
		JsonNode root;
		try (InputStream in = WycheproofSessionPrimitiveTests.class.getResourceAsStream("/wycheproof/" + file)) {
			root = JsonMapper.builder().build().readTree(in);
		}
		List<Arguments> arguments = new ArrayList<>();
		for (JsonNode group : root.get("testGroups")) {
			if (groups.test(group)) {
				for (JsonNode test : group.get("tests")) {
					String name = file + " #" + test.get("tcId").asInt() + " " + test.get("comment").asString();
					arguments.add(Arguments.of(Named.of(name, test)));
				}
			}
		}
		assertThat(arguments).hasSizeGreaterThan(20);
		return arguments.stream();
	}

	private static List<String> flags(JsonNode test) {
		List<String> flags = new ArrayList<>();
		test.get("flags").forEach((flag) -> flags.add(flag.asString()));
		return flags;
	}

	private static byte[] hex(JsonNode test, String name) {
		return HEX.parseHex(test.get(name).asString());
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] result = new byte[a.length + b.length];
		System.arraycopy(a, 0, result, 0, a.length);
		System.arraycopy(b, 0, result, a.length, b.length);
		return result;
	}

}
