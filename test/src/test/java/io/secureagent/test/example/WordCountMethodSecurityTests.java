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
package io.secureagent.test.example;

// tag::with-agent[]
import io.secureagent.test.AutoConfigureSecureAgentTest;
import io.secureagent.test.WithAgent;
import io.spiffe.spiffeid.SpiffeId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.access.AccessDeniedException;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The word counter's handler as a bean under method security, called without HTTP, as a
 * given sender with {@link WithAgent}.
 *
 * @author secure-agent authors
 */
@SpringBootTest
@AutoConfigureSecureAgentTest
class WordCountMethodSecurityTests {

	static final SpiffeId PLANNER = SpiffeId.parse("spiffe://a.test/planner");

	static final SpiffeId AUDITOR = SpiffeId.parse("spiffe://a.test/auditor");

	@Autowired
	WordCountHandler handler;

	@Test
	@WithAgent(value = "spiffe://a.test/planner", authorities = "words:count")
	void countWhenSenderHasAuthorityThenCounted() {
		StepVerifier.create(this.handler.count(new CountWords("one two"), PLANNER))
			.assertNext((count) -> assertThat(count.words()).isEqualTo(2))
			.verifyComplete();
	}

	@Test
	@WithAgent("spiffe://a.test/auditor")
	void countWhenSenderLacksAuthorityThenDenied() {
		StepVerifier.create(this.handler.count(new CountWords("one two"), AUDITOR))
			.expectError(AccessDeniedException.class)
			.verify();
	}

}
// end::with-agent[]
