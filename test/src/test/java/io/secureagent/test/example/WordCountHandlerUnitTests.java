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

import io.secureagent.test.VerifiedMessages;
import io.secureagent.verification.VerifiedMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The word counter's handler called directly, without HTTP or Spring, as a plain object
 * with a verified message.
 *
 * @author secure-agent authors
 */
class WordCountHandlerUnitTests {

	@Test
	void countWhenCalledWithVerifiedMessageThenCounted() {
		// tag::verified-message[]
		VerifiedMessage message = VerifiedMessages.of("spiffe://a.test/planner", new CountWords("one two"));
		WordCount count = new WordCountHandler()
			.count((CountWords) VerifiedMessages.payload(message), message.sender().spiffeId())
			.block();
		// end::verified-message[]
		assertThat(count).isEqualTo(new WordCount(2, "spiffe://a.test/planner"));
	}

}
