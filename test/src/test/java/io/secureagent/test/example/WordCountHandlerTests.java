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

import io.secureagent.test.AgentAnswer;
import io.secureagent.test.AgentTestClient;
import io.secureagent.test.AutoConfigureSecureAgentTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The word counter tested through its endpoint, as agents of other trust domains reach
 * it: signed, encrypted, refused. The examples of docs/testing.md come from here.
 *
 * @author secure-agent authors
 */
// tag::three-line[]
@SpringBootTest
@AutoConfigureSecureAgentTest
class WordCountHandlerTests {

	@Autowired
	AgentTestClient agents;

	@Test
	void countWhenPlannerThenCounted() {
		WordCount count = this.agents.as("spiffe://a.test/planner").send(new CountWords("one two"), WordCount.class);
		assertThat(count.words()).isEqualTo(2);
	}
	// end::three-line[]

	@Test
	void countWhenEncryptedThenCountedInASession() {
		// tag::encrypted[]
		WordCount count = this.agents.as("spiffe://a.test/planner")
			.encrypted()
			.send(new CountWords("one two three"), WordCount.class);
		// end::encrypted[]
		assertThat(count.words()).isEqualTo(3);
		assertThat(count.requester()).isEqualTo("spiffe://a.test/planner");
	}

	@Test
	void recordWhenOneWayThenTheReceiptArrivesAfterTheHandlerRan(@Autowired WordCountHandler handler) {
		int before = handler.total();
		// tag::notify[]
		this.agents.as("spiffe://a.test/planner").notify(new RecordWords("three more words"));
		// end::notify[]
		assertThat(handler.total()).isEqualTo(before + 3);
	}

	@Test
	void countWhenSenderLacksAuthorityThenDeniedByTheHandler() {
		// tag::refused[]
		AgentAnswer<WordCount> answer = this.agents.as("spiffe://a.test/auditor")
			.exchange(new CountWords("one two"), WordCount.class);
		assertThat(answer.status()).isEqualTo(403);
		assertThat(answer.code()).isEqualTo("access-denied");
		// end::refused[]
	}

	@Test
	void countWhenSenderHasNoRuleThenUnauthorizedSender() {
		AgentAnswer<WordCount> answer = this.agents.as("spiffe://c.test/stranger")
			.exchange(new CountWords("one two"), WordCount.class);
		assertThat(answer.answered()).isFalse();
		assertThat(answer.code()).isEqualTo("unauthorized-sender");
	}

	@Test
	void countWhenPayloadViolatesSchemaThenProblem() {
		// tag::raw[]
		this.agents.as("spiffe://a.test/planner")
			.post(new CountWords(" "))
			.expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("schema-violation");
		// end::raw[]
	}

	@Test
	void countWhenSameEnvelopeTwiceThenSecondReplayed() {
		byte[] envelope = this.agents.as("spiffe://a.test/planner").envelope(new CountWords("one two"));
		post(envelope).expectStatus().isOk();
		post(envelope).expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("replayed");
	}

	private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec post(byte[] envelope) {
		return this.agents.webTestClient()
			.post()
			.uri("/secure-agent/messages")
			.contentType(MediaType.parseMediaType("application/secure-agent+json"))
			.bodyValue(envelope)
			.exchange();
	}

}
