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

import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The canonical-base64 check of envelope members, which reads the text instead of
 * encoding the decoded bytes again, against that re-encoding.
 *
 * @author secure-agent authors
 */
class CanonicalBase64Tests {

	private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_==";

	@Test
	void isCanonicalWhenAnyDecodableTextThenSameAnswerAsEncodingAgain() {
		Random random = new Random(4648);
		int canonical = 0;
		int decodable = 0;
		for (int i = 0; i < 200_000; i++) {
			StringBuilder text = new StringBuilder();
			for (int n = random.nextInt(14); n > 0; n--) {
				text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
			}
			boolean padded = random.nextBoolean();
			Base64.Decoder decoder = padded ? Base64.getDecoder() : Base64.getUrlDecoder();
			Base64.Encoder encoder = padded ? Base64.getEncoder() : Base64.getUrlEncoder().withoutPadding();
			byte[] bytes;
			try {
				bytes = decoder.decode(text.toString());
			}
			catch (IllegalArgumentException ex) {
				continue;
			}
			decodable++;
			boolean expected = encoder.encodeToString(bytes).contentEquals(text);
			assertThat(EnvelopeReader.isCanonical(text.toString(), padded)).as("%s (padded %s)", text, padded)
				.isEqualTo(expected);
			canonical += expected ? 1 : 0;
		}
		assertThat(decodable).isGreaterThan(10_000);
		assertThat(canonical).isGreaterThan(1_000).isLessThan(decodable);
	}

	@ParameterizedTest
	@CsvSource({ "QQ,false,true", "QR,false,false", "QUI,false,true", "QUJ,false,false", "QQ==,true,true",
			"QR==,true,false", "QQ,true,false", "QUI=,true,true", "QUJ=,true,false", "QQ==,false,false",
			"'',false,true", "'',true,true" })
	void isCanonicalWhenLastCharacterCarriesUnusedBitsOrPaddingDiffersThenNot(String text, boolean padded,
			boolean canonical) {
		assertThat(EnvelopeReader.isCanonical(text, padded)).isEqualTo(canonical);
	}

}
