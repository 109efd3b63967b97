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
package io.secureagent.envelope;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A receipt names one message by id and binds it by the SHA-256 of its signing input.
 *
 * @author secure-agent authors
 */
class ReceiptTests {

	private static final byte[] SIGNING_INPUT = "{\"id\":\"AAAAAAAAAAAAAAAAAAAAAA\"}".getBytes(StandardCharsets.UTF_8);

	@Test
	void payloadWhenMadeThenWellFormedAndAcknowledgesOnlyItsMessage() {
		JsonObject payload = Receipt.payload("AAAAAAAAAAAAAAAAAAAAAA", SIGNING_INPUT);
		assertThat(Receipt.wellFormed(payload)).isTrue();
		assertThat(Receipt.acknowledges(payload, "AAAAAAAAAAAAAAAAAAAAAA", SIGNING_INPUT)).isTrue();
		assertThat(Receipt.acknowledges(payload, "BAAAAAAAAAAAAAAAAAAAAA", SIGNING_INPUT)).isFalse();
		byte[] other = SIGNING_INPUT.clone();
		other[other.length - 2] ^= 1;
		assertThat(Receipt.acknowledges(payload, "AAAAAAAAAAAAAAAAAAAAAA", other)).isFalse();
	}

	@Test
	void payloadWhenKnownInputThenDigestIsItsBase64UrlSha256() {
		// SHA-256("abc"), FIPS 180-2 appendix B.1, in base64url without padding
		assertThat(Receipt.payload("x", "abc".getBytes(StandardCharsets.US_ASCII)).get("digest"))
			.isEqualTo(new JsonString("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"));
	}

	@Test
	void wellFormedWhenExtraMissingOrMistypedMembersThenNot() {
		JsonObject payload = Receipt.payload("AAAAAAAAAAAAAAAAAAAAAA", SIGNING_INPUT);
		assertThat(Receipt.wellFormed(payload.with("extra", new JsonString("x")))).isFalse();
		assertThat(Receipt.wellFormed(payload.without("digest"))).isFalse();
		assertThat(Receipt.wellFormed(payload.with("id", new JsonNumber(1)))).isFalse();
		assertThat(Receipt.wellFormed(payload.with("digest", new JsonString("too-short")))).isFalse();
		assertThat(Receipt.wellFormed(new JsonObject(Map.of()))).isFalse();
		assertThat(Receipt.acknowledges(payload.with("extra", new JsonString("x")), "AAAAAAAAAAAAAAAAAAAAAA",
				SIGNING_INPUT))
			.isFalse();
	}

}
