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
package io.secureagent.identity;

import java.util.List;
import java.util.SplittableRandom;

import io.spiffe.exception.InvalidSpiffeIdException;
import io.spiffe.spiffeid.SpiffeId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SpiffeIds}.
 *
 * @author secure-agent authors
 */
class SpiffeIdsTests {

	@Test
	void textWhenAnySpiffeIdThenSameAsToString() {
		List<String> ids = List.of("spiffe://example.org", "spiffe://example.org/agent",
				"spiffe://a-b.c_d.example/ns/default/sa/planner", "spiffe://1.2.3.4/x.y-z_0", "spiffe://e/a/b/c/d/e/f",
				"SPIFFE://Example.ORG/Agent");
		for (String id : ids) {
			SpiffeId spiffeId = SpiffeId.parse(id);
			assertThat(SpiffeIds.text(spiffeId)).isEqualTo(spiffeId.toString());
		}
		// random IDs of the allowed characters
		SplittableRandom random = new SplittableRandom(7);
		String domainCharacters = "abcdefghijklmnopqrstuvwxyz0123456789.-_";
		String pathCharacters = domainCharacters + "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
		for (int i = 0; i < 2_000; i++) {
			StringBuilder id = new StringBuilder("spiffe://").append((char) ('a' + random.nextInt(26)));
			for (int j = random.nextInt(20); j > 0; j--) {
				id.append(domainCharacters.charAt(random.nextInt(domainCharacters.length())));
			}
			for (int segment = random.nextInt(4); segment > 0; segment--) {
				id.append('/').append((char) ('a' + random.nextInt(26)));
				for (int j = random.nextInt(12); j > 0; j--) {
					id.append(pathCharacters.charAt(random.nextInt(pathCharacters.length())));
				}
			}
			SpiffeId spiffeId;
			try {
				spiffeId = SpiffeId.parse(id.toString());
			}
			catch (IllegalArgumentException | InvalidSpiffeIdException ex) {
				// a segment of dots alone is not a SPIFFE ID
				continue;
			}
			assertThat(SpiffeIds.text(spiffeId)).isEqualTo(spiffeId.toString());
		}
	}

}
