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
package io.secureagent.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.secureagent.client.SecureAgentClient;
import io.secureagent.client.SessionRecoveredEvent;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.IdentityUnavailableException;
import io.secureagent.messaging.MessageObservations;
import io.secureagent.messaging.MessageTypes;
import io.secureagent.messaging.MessageVerifier;
import io.secureagent.messaging.RecordPayloadBinder;
import io.secureagent.messaging.VerdictEvent;
import io.secureagent.negotiation.CapabilityDocument;
import io.secureagent.problem.Problems;
import io.secureagent.replay.ReplayStore;
import io.secureagent.security.ProblemAuthenticationFailureHandler;
import io.secureagent.security.SecureAgentAuthenticationConverter;
import io.secureagent.security.SecureAgentAuthenticationManager;
import io.secureagent.security.SecureAgentSecurityCustomizer;
import io.secureagent.session.SessionManager;
import io.secureagent.session.SessionStore;
import io.secureagent.verification.VerificationPolicy;
import io.secureagent.web.AgentMessageEndpoint;
import io.secureagent.web.AgentMessageHandlers;
import io.secureagent.web.CapabilityPublisher;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.ReactiveAuthenticationManagerResolver;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Auto-configuration of the WebFlux side of secure-agent: the agent endpoint and its
 * handlers, Spring Security's authentication of agent messages (a
 * {@code Customizer<ServerHttpSecurity>}, and a default chain only when the application
 * has none), and the {@link SecureAgentClient}. Runs before Boot's reactive security
 * auto-configurations, whose default chains would otherwise answer every path with 401.
 *
 * @author secure-agent authors
 */
@AutoConfiguration(after = { SecureAgentAutoConfiguration.class, WebClientAutoConfiguration.class },
		before = { ReactiveWebSecurityAutoConfiguration.class, ReactiveManagementWebSecurityAutoConfiguration.class,
				ReactiveUserDetailsServiceAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ RouterFunction.class, ServerHttpSecurity.class })
@ConditionalOnBean(MessageVerifier.class)
public final class SecureAgentWebFluxAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static AgentMessageHandlers secureAgentMessageHandlers(ConfigurableListableBeanFactory beanFactory,
			MessageTypes types) {
		return new AgentMessageHandlers(beanFactory, types);
	}

	@Bean
	@ConditionalOnMissingBean
	Problems secureAgentProblems(SecureAgentProperties properties) {
		return new Problems(properties.endpoint().problemTypeBase());
	}

	@Bean
	@ConditionalOnMissingBean
	CapabilityPublisher secureAgentCapabilityPublisher(AgentIdentity identity, AgentMessageHandlers handlers,
			SecureAgentProperties properties, ResolvedProperties resolved, VerificationPolicy policy,
			EnvelopeSigner signer, Problems problems, Clock secureAgentClock) {
		CapabilityPublisher.Access access = switch (properties.capabilities().wellKnown()) {
			case PUBLIC -> CapabilityPublisher.Access.PUBLIC;
			case AUTHENTICATED -> CapabilityPublisher.Access.AUTHENTICATED;
			case OFF -> CapabilityPublisher.Access.OFF;
		};
		return new CapabilityPublisher(identity, handlers, properties.encryption().suites(),
				policy.allowedAlgorithms().stream().sorted().toList(), resolved.deprecations(), signer, problems,
				access, secureAgentClock);
	}

	@Bean
	@ConditionalOnMissingBean
	AgentMessageEndpoint secureAgentEndpoint(AgentMessageHandlers handlers, RecordPayloadBinder binder,
			EnvelopeSigner signer, SessionManager sessions, Problems problems, CapabilityPublisher capabilities,
			MessageVerifier verifier, ObjectProvider<MessageObservations> observations) {
		return new AgentMessageEndpoint(handlers, binder, signer, sessions, problems, capabilities, verifier)
			.observations(observations.getIfAvailable(() -> MessageObservations.NONE));
	}

	@Bean
	ApplicationListener<ApplicationReadyEvent> secureAgentStartupSummary(AgentIdentity identity,
			SecureAgentProperties properties, ReplayStore replayStore, SessionStore sessionStore) {
		return (event) -> {
			String self;
			try {
				self = identity.spiffeId().toString();
			}
			catch (IdentityUnavailableException ex) {
				self = "(no SVID yet)";
			}
			String domains = (identity.trustBundles() instanceof X509BundleSet set)
					? set.getBundles().keySet().stream().map(Object::toString).sorted().toList().toString()
					: "from the identity source";
			LogFactory.getLog(SecureAgentWebFluxAutoConfiguration.class)
				.info("secure-agent " + self + " at POST " + properties.endpoint().path() + "; encryption "
						+ properties.encryption().mode().name().toLowerCase(Locale.ROOT) + "; replay store "
						+ replayStore.getClass().getSimpleName() + ", sessions "
						+ sessionStore.getClass().getSimpleName() + "; trust domains " + domains);
		};
	}

	@Bean
	RouterFunction<ServerResponse> secureAgentRoutes(SecureAgentProperties properties, AgentMessageEndpoint endpoint,
			CapabilityPublisher capabilities) {
		return RouterFunctions.route(RequestPredicates.POST(properties.endpoint().path()), endpoint::handle)
			.andRoute(RequestPredicates.GET(CapabilityDocument.WELL_KNOWN_PATH), capabilities::wellKnown);
	}

	/**
	 * The authentication of the agent endpoint, as a resolver bean: the endpoint's filter
	 * uses it, and its presence tells Boot that the application's authentication is
	 * configured, so no default user with a generated password is made. The manager it
	 * resolves (the request pipeline, then the authorities of the
	 * {@code secure-agent.authorization} rules) is deliberately not a bean of its own: a
	 * {@code ReactiveAuthenticationManager} bean would become the manager of every
	 * {@code ServerHttpSecurity} chain, in place of the application's
	 * {@code ReactiveUserDetailsService}.
	 * @param verifier the pipelines
	 * @param resolved the mapped properties
	 * @return the resolver of the endpoint's authentication manager
	 */
	@Bean
	@ConditionalOnMissingBean(name = "secureAgentAuthenticationManagerResolver")
	ReactiveAuthenticationManagerResolver<ServerWebExchange> secureAgentAuthenticationManagerResolver(
			MessageVerifier verifier, ResolvedProperties resolved) {
		Mono<ReactiveAuthenticationManager> manager = Mono
			.just(new SecureAgentAuthenticationManager(verifier, resolved.senderRules()::authorities));
		return (exchange) -> manager;
	}

	/**
	 * Reads the envelope of each request to the agent endpoint, bounded by
	 * {@code secure-agent.limits.max-message-size}, with the TLS peer where there is one.
	 * @param properties the properties
	 * @param verifier the pipelines, whose rejections are published
	 * @param events where rejections are published
	 * @return the converter
	 */
	@Bean
	@ConditionalOnMissingBean
	SecureAgentAuthenticationConverter secureAgentAuthenticationConverter(SecureAgentProperties properties,
			MessageVerifier verifier, ApplicationEventPublisher events) {
		long maxBytes = properties.limits().maxMessageSize().toBytes();
		return new SecureAgentAuthenticationConverter(Math.toIntExact(maxBytes),
				(rejected) -> events
					.publishEvent(new VerdictEvent(verifier, rejected, VerdictEvent.Direction.INBOUND, Duration.ZERO)),
				properties.endpoint().tlsBinding());
	}

	/**
	 * Answers each refused message with its problem document.
	 * @param problems the problem documents
	 * @return the failure handler
	 */
	@Bean
	@ConditionalOnMissingBean
	ProblemAuthenticationFailureHandler secureAgentAuthenticationFailureHandler(Problems problems) {
		return new ProblemAuthenticationFailureHandler(problems);
	}

	@Bean
	@ConditionalOnMissingBean
	SecureAgentSecurityCustomizer secureAgentSecurityCustomizer(SecureAgentProperties properties,
			ReactiveAuthenticationManagerResolver<ServerWebExchange> secureAgentAuthenticationManagerResolver,
			SecureAgentAuthenticationConverter converter, ProblemAuthenticationFailureHandler failureHandler) {
		return new SecureAgentSecurityCustomizer(properties.endpoint().path(), secureAgentAuthenticationManagerResolver,
				converter, failureHandler);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(SecurityWebFilterChain.class)
	static class DefaultSecurityWebFilterChainConfiguration {

		/**
		 * The chain used when the application defines none: the agent endpoint (joined by
		 * the customizer), health open, everything else refused. It has no login, so it
		 * keeps no security context and no saved request in a {@code WebSession} (the
		 * CSRF token of a refused unsafe request still lives in one).
		 * @param http the application's {@link ServerHttpSecurity}, to which every
		 * {@code Customizer<ServerHttpSecurity>} bean was applied
		 * @return the chain
		 */
		@Bean
		SecurityWebFilterChain secureAgentSecurityWebFilterChain(ServerHttpSecurity http, Problems problems) {
			// every refusal is a problem document: no empty 401, no text/plain 403, from
			// the
			// authorization rules or from the CSRF filter
			ServerAccessDeniedHandler denied = (exchange, ex) -> problems.write(exchange.getResponse(), 403,
					problems.document(403, Problems.FORBIDDEN, "this path is not open to this caller", List.of()));
			return http
				.authorizeExchange((exchanges) -> exchanges.pathMatchers("/actuator/health", "/actuator/health/**")
					.permitAll()
					.anyExchange()
					.denyAll())
				.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
				.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
				.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
				.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
				.csrf((csrf) -> csrf.accessDeniedHandler(denied))
				.exceptionHandling((exceptions) -> exceptions
					.authenticationEntryPoint((exchange, ex) -> problems.write(exchange.getResponse(), 401,
							problems.document(401, Problems.UNAUTHENTICATED, "this path needs authentication",
									List.of())))
					.accessDeniedHandler(denied))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebClient.class)
	static class ClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SecureAgentClient secureAgentClient(ObjectProvider<WebClient.Builder> webClientBuilder,
				SecureAgentProperties properties, ResolvedProperties resolved, EnvelopeSigner signer,
				SessionManager sessions, MessageVerifier verifier, MessageTypes types, RecordPayloadBinder binder,
				AgentIdentity identity, Clock secureAgentClock, ApplicationEventPublisher events,
				ObjectProvider<MessageObservations> observations) {
			WebClient webClient = webClientBuilder.getIfAvailable(WebClient::builder).build();
			SecureAgentProperties.Capabilities capabilities = properties.capabilities();
			SecureAgentClient.Negotiating negotiating = capabilities.negotiate()
					? new SecureAgentClient.Negotiating(identity, capabilities.cacheTtl(), secureAgentClock) : null;
			Runnable recovered = () -> events.publishEvent(new SessionRecoveredEvent(verifier));
			int retries = properties.client().retries();
			if (retries < 0 || retries > 10) {
				throw new InvalidConfigurationPropertyValueException("secure-agent.client.retries", retries,
						"must be between 0 and 10");
			}
			return new SecureAgentClient(webClient, resolved.peers(), signer, sessions, verifier, types, binder,
					properties.encryption().mode() != SecureAgentProperties.Mode.OFF, negotiating, recovered)
				.timeout(properties.client().timeout())
				.retries(properties.client().retries())
				.observations(observations.getIfAvailable(() -> MessageObservations.NONE));
		}

	}

}
