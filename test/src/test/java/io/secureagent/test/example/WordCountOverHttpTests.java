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

import io.secureagent.test.AgentTestClient;
import io.secureagent.test.AutoConfigureSecureAgentTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The word counter on a real port, reached over real HTTP by a client bound to the
 * server: signed, encrypted, and refused.
 *
 * @author secure-agent authors
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@AutoConfigureSecureAgentTest
class WordCountOverHttpTests {

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Test
	void sendWhenBoundToTheServerThenAnsweredOverHttp() {
		AgentTestClient agents = AgentTestClient.bindToServer(this.context, "http://127.0.0.1:" + this.port);
		assertThat(agents.as("spiffe://a.test/planner").send(new CountWords("over real http"), WordCount.class).words())
			.isEqualTo(3);
		assertThat(agents.as("spiffe://a.test/planner")
			.encrypted()
			.send(new CountWords("sealed over real http"), WordCount.class)
			.words()).isEqualTo(4);
		assertThat(agents.as("spiffe://c.test/stranger").exchange(new CountWords("no"), WordCount.class).code())
			.isEqualTo("unauthorized-sender");
	}

}
