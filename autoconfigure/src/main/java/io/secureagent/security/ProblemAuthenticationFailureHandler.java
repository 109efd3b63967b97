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
package io.secureagent.security;

import java.util.List;
import java.util.Objects;

import io.secureagent.problem.Problems;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers a rejected agent message with its problem document and status, and any other
 * authentication failure on the agent endpoint with a generic 401 problem.
 *
 * @author secure-agent authors
 */
public final class ProblemAuthenticationFailureHandler
		implements ServerAuthenticationFailureHandler, ServerAuthenticationEntryPoint {

	private final Problems problems;

	public ProblemAuthenticationFailureHandler(Problems problems) {
		this.problems = Objects.requireNonNull(problems, "problems cannot be null");
	}

	@Override
	public Mono<Void> onAuthenticationFailure(WebFilterExchange exchange, AuthenticationException exception) {
		return commence(exchange.getExchange(), exception);
	}

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException exception) {
		if (exception instanceof MessageRejectedException rejected) {
			return this.problems.write(exchange.getResponse(), rejected.rejected());
		}
		return this.problems.write(exchange.getResponse(), 401, this.problems.document(401,
				Problems.NOT_AN_AGENT_MESSAGE, "this endpoint accepts only secure-agent/1 envelopes", List.of()));
	}

}
