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

import java.net.URI;
import java.util.Objects;

import io.secureagent.negotiation.CapabilityDocument;
import reactor.core.publisher.Mono;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.config.Customizer;
import org.springframework.security.authentication.ReactiveAuthenticationManagerResolver;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.csrf.CsrfWebFilter;
import org.springframework.security.web.server.savedrequest.ServerRequestCache;
import org.springframework.security.web.server.savedrequest.WebSessionServerRequestCache;
import org.springframework.security.web.server.util.matcher.PathPatternParserServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;

/**
 * Joins secure-agent to every {@code SecurityWebFilterChain} built from the application's
 * {@link ServerHttpSecurity}: an {@link AuthenticationWebFilter} at
 * {@link SecurityWebFiltersOrder#AUTHENTICATION} authenticates POSTs to the agent
 * endpoint by their envelope, the endpoint requires that authentication, answers failures
 * with problem documents, and is exempt from CSRF protection (it carries no cookies; the
 * envelope is the proof).
 * <p>
 * An agent message touches no {@code WebSession}. Spring Security's default request cache
 * looks its saved request up in the session on every request, which creates a session (a
 * random id, and two thread hops in WebFlux's in-memory store) that is never saved; the
 * customizer keeps that default for every other request and skips it for the endpoint. It
 * runs first of the {@code Customizer<ServerHttpSecurity>} beans, so a request cache that
 * the application sets in its own customizer or chain replaces this one, as does every
 * other setting made after it.
 *
 * @author secure-agent authors
 */
public final class SecureAgentSecurityCustomizer implements Customizer<ServerHttpSecurity>, Ordered {

	private final String path;

	private final ReactiveAuthenticationManagerResolver<ServerWebExchange> authenticationManagerResolver;

	private final SecureAgentAuthenticationConverter converter;

	private final ProblemAuthenticationFailureHandler failureHandler;

	public SecureAgentSecurityCustomizer(String path,
			ReactiveAuthenticationManagerResolver<ServerWebExchange> authenticationManagerResolver,
			SecureAgentAuthenticationConverter converter, ProblemAuthenticationFailureHandler failureHandler) {
		this.path = Objects.requireNonNull(path, "path cannot be null");
		this.authenticationManagerResolver = Objects.requireNonNull(authenticationManagerResolver,
				"authenticationManagerResolver cannot be null");
		this.converter = Objects.requireNonNull(converter, "converter cannot be null");
		this.failureHandler = Objects.requireNonNull(failureHandler, "failureHandler cannot be null");
	}

	@Override
	public void customize(ServerHttpSecurity http) {
		// the matchers here are the path matcher itself and a lambda, not Spring
		// Security's composite matchers: those format a debug message per request
		// whether debug logging is on or not (commons-logging's SLF4J bridge turns
		// every message into a string first), and every agent message passes three
		ServerWebExchangeMatcher endpoint = new PathPatternParserServerWebExchangeMatcher(this.path, HttpMethod.POST);
		ServerWebExchangeMatcher csrfProtected = (exchange) -> endpoint.matches(exchange)
			.flatMap((endpointMatch) -> endpointMatch.isMatch() ? ServerWebExchangeMatcher.MatchResult.notMatch()
					: CsrfWebFilter.DEFAULT_CSRF_MATCHER.matches(exchange));
		AuthenticationWebFilter filter = new AuthenticationWebFilter(this.authenticationManagerResolver);
		filter.setRequiresAuthenticationMatcher(endpoint);
		filter.setServerAuthenticationConverter(this.converter);
		filter.setAuthenticationFailureHandler(this.failureHandler);
		http.addFilterAt(filter, SecurityWebFiltersOrder.AUTHENTICATION)
			.authorizeExchange((exchanges) -> exchanges.matchers(endpoint)
				.hasAuthority(SecureAgentAuthenticationManager.AGENT_AUTHORITY)
				.pathMatchers(HttpMethod.GET, CapabilityDocument.WELL_KNOWN_PATH)
				.permitAll())
			.csrf((csrf) -> csrf.requireCsrfProtectionMatcher(csrfProtected))
			.requestCache(
					(cache) -> cache.requestCache(new EndpointExempt(endpoint, new WebSessionServerRequestCache())));
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	/**
	 * A request cache that leaves requests to the endpoint alone: an agent message is
	 * never a request saved before a login, and looking for one would create a session.
	 */
	private static final class EndpointExempt implements ServerRequestCache {

		private final ServerWebExchangeMatcher endpoint;

		private final ServerRequestCache others;

		EndpointExempt(ServerWebExchangeMatcher endpoint, ServerRequestCache others) {
			this.endpoint = endpoint;
			this.others = others;
		}

		@Override
		public Mono<Void> saveRequest(ServerWebExchange exchange) {
			return this.endpoint.matches(exchange)
				.flatMap((match) -> match.isMatch() ? Mono.empty() : this.others.saveRequest(exchange));
		}

		@Override
		public Mono<URI> getRedirectUri(ServerWebExchange exchange) {
			return this.others.getRedirectUri(exchange);
		}

		@Override
		public Mono<ServerHttpRequest> removeMatchingRequest(ServerWebExchange exchange) {
			return this.endpoint.matches(exchange)
				.flatMap((match) -> match.isMatch() ? Mono.empty() : this.others.removeMatchingRequest(exchange));
		}

	}

}
