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
package io.secureagent.benchmarks.http;

import io.secureagent.crypto.CryptoProvider;
import io.secureagent.messaging.AgentMessageHandler;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The server side of the load benchmark, in one JVM so that its CPU time is read from one
 * process: (a) a plain WebFlux {@code @RestController} without Spring Security on one
 * port, and (b, c) the same work as an {@code @AgentMessageHandler} on another, whose
 * requests are signed (b) or encrypted (c), with the starter's defaults (in-memory
 * stores, encryption optional, a development identity with an EC P-256 key); and the same
 * agent with an Ed25519 key on a third port. Binds loopback only.
 *
 * @author secure-agent authors
 */
public final class LoadServer {

	private LoadServer() {
	}

	/**
	 * Start both applications.
	 * @param args the development CA's directory, the plain port, the agent's port, the
	 * EdDSA agent's port
	 */
	public static void main(String[] args) {
		String ca = args[0];
		new SpringApplicationBuilder(PlainApplication.class).properties("server.address=127.0.0.1",
				"server.port=" + args[1], "spring.main.banner-mode=off", "logging.level.root=WARN",
				"secure-agent.enabled=false",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration,"
						+ "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration")
			.run();
		new SpringApplicationBuilder(AgentApplication.class)
			.properties("server.address=127.0.0.1", "server.port=" + args[2], "spring.main.banner-mode=off",
					"logging.level.root=WARN", "spring.application.name=bench-agent",
					"secure-agent.identity.dev.ca-directory=" + ca,
					"secure-agent.authorization[0].senders=spiffe://example.org/loadgen",
					"secure-agent.authorization[0].types=bench.count")
			.run();
		new SpringApplicationBuilder(AgentApplication.class)
			.properties("server.address=127.0.0.1", "server.port=" + args[3], "spring.main.banner-mode=off",
					"logging.level.root=WARN", "spring.application.name=bench-agent-eddsa",
					"secure-agent.identity.dev.ca-directory=" + ca, "secure-agent.identity.dev.key-type=ed25519",
					"secure-agent.authorization[0].senders=spiffe://example.org/loadgen-eddsa",
					"secure-agent.authorization[0].types=bench.count")
			.run();
		System.out.println("ready " + ProcessHandle.current().pid() + " signing with " + CryptoProvider.active().id());
	}

	/**
	 * (a) The plain controller.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@RestController
	static class PlainApplication {

		@PostMapping("/plain/count")
		Mono<Bench.Count> count(@RequestBody Bench.Text text) {
			return Mono.just(new Bench.Count(Bench.words(text.text())));
		}

	}

	/**
	 * (b, c) The agent.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(AgentHandler.class)
	static class AgentApplication {

	}

	/**
	 * The agent's handler: the same work as the plain controller.
	 */
	public static class AgentHandler {

		@AgentMessageHandler
		public Mono<Bench.CountResult> count(Bench.CountRequest request) {
			return Mono.just(new Bench.CountResult(Bench.words(request.text())));
		}

	}

}
