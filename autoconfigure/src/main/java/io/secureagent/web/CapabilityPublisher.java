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
package io.secureagent.web;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.secureagent.canonical.JsonValue;
import io.secureagent.crypto.AeadSuite;
import io.secureagent.crypto.SignatureAlgorithm;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.envelope.EnvelopeSigner.SignedEnvelope;
import io.secureagent.envelope.ProtocolVersion;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.IdentityUnavailableException;
import io.secureagent.messaging.JsonSchemas;
import io.secureagent.negotiation.CapabilityDocument;
import io.secureagent.problem.Problems;
import io.secureagent.security.SecureAgentAuthenticationConverter;
import io.secureagent.verification.ReasonCode;
import io.spiffe.exception.BundleNotFoundException;
import io.spiffe.spiffeid.SpiffeId;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes this agent's signed capability document: at
 * {@value CapabilityDocument#WELL_KNOWN_PATH}{@code ?for=<requester's SPIFFE ID>}, as a
 * {@code capability.document} envelope addressed to the requester (so that it is fresh,
 * replay-checked and verifiable like any message), and in answer to a
 * {@code capability.request} message.
 *
 * @author secure-agent authors
 */
public final class CapabilityPublisher {

	private static final int MAX_ID_LENGTH = 2048;

	private static final int CACHE_SIZE = 1024;

	private static final long CACHE_TTL_MILLIS = 10_000;

	private static final int SIGNATURES_PER_SECOND = 50;

	private final AgentIdentity identity;

	private final AgentMessageHandlers handlers;

	private final List<AeadSuite> suites;

	private final List<SignatureAlgorithm> algorithms;

	private final Map<String, Deprecation> deprecations;

	private final EnvelopeSigner signer;

	private final Problems problems;

	private final Map<Class<?>, JsonValue> schemas = new ConcurrentHashMap<>();

	private final Access access;

	private final Clock clock;

	private final Map<SpiffeId, Signed> signed = new LinkedHashMap<>(64, 0.75f, true);

	private long windowStart;

	private int signedInWindow;

	public CapabilityPublisher(AgentIdentity identity, AgentMessageHandlers handlers, List<AeadSuite> suites,
			List<SignatureAlgorithm> algorithms, Map<String, Deprecation> deprecations, EnvelopeSigner signer,
			Problems problems) {
		this(identity, handlers, suites, algorithms, deprecations, signer, problems, Access.PUBLIC, Clock.systemUTC());
	}

	/**
	 * Create a publisher.
	 * @param identity this agent's identity
	 * @param handlers the handlers, whose types the document lists
	 * @param suites the AEAD suites offered
	 * @param algorithms the signature algorithms accepted
	 * @param deprecations the deprecated types
	 * @param signer the signer of documents
	 * @param problems the problem writer
	 * @param access who may fetch the document at the well-known path
	 * @param clock the clock of the cache of signed documents
	 */
	public CapabilityPublisher(AgentIdentity identity, AgentMessageHandlers handlers, List<AeadSuite> suites,
			List<SignatureAlgorithm> algorithms, Map<String, Deprecation> deprecations, EnvelopeSigner signer,
			Problems problems, Access access, Clock clock) {
		this.access = Objects.requireNonNull(access, "access cannot be null");
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
		this.identity = Objects.requireNonNull(identity, "identity cannot be null");
		this.handlers = Objects.requireNonNull(handlers, "handlers cannot be null");
		this.suites = List.copyOf(suites);
		this.algorithms = List.copyOf(algorithms);
		this.deprecations = Map.copyOf(deprecations);
		this.signer = Objects.requireNonNull(signer, "signer cannot be null");
		this.problems = Objects.requireNonNull(problems, "problems cannot be null");
	}

	/**
	 * Return this agent's capability document.
	 * @return the document
	 * @throws IdentityUnavailableException if this agent has no SVID now
	 */
	public CapabilityDocument document() throws IdentityUnavailableException {
		List<CapabilityDocument.MessageType> types = new ArrayList<>();
		this.handlers.handledRecords().forEach((type, record) -> {
			Deprecation deprecation = this.deprecations.get(type);
			types.add(new CapabilityDocument.MessageType(type, this.schemas.computeIfAbsent(record, JsonSchemas::of),
					(deprecation != null) ? deprecation.sunset() : null));
		});
		return new CapabilityDocument(this.identity.spiffeId(), List.of(ProtocolVersion.V1),
				this.suites.stream().map(AeadSuite::wireName).toList(),
				this.algorithms.stream().map(SignatureAlgorithm::jwaName).toList(), types, Map.of());
	}

	/**
	 * Return the deprecation of a wire type, if it is deprecated.
	 * @param type the wire type
	 * @return the deprecation, or {@code null}
	 */
	public @Nullable Deprecation deprecation(String type) {
		return this.deprecations.get(type);
	}

	/**
	 * Answer a GET of the well-known path. The requester is validated (a SPIFFE ID of a
	 * trust domain this agent trusts, or the TLS client's own when access is
	 * {@link Access#AUTHENTICATED}); a signed document is kept per requester for a few
	 * seconds in a bounded cache, and fresh signatures are bounded per second, so the
	 * path is no signing oracle. It changes no other state.
	 * @param request the request, whose {@code for} parameter names the requester
	 * @return the signed document
	 */
	public Mono<ServerResponse> wellKnown(ServerRequest request) {
		if (this.access == Access.OFF) {
			return problem(404, Problems.NOT_FOUND, "this agent does not publish its capability document here");
		}
		SpiffeId requester;
		try {
			requester = requester(request);
		}
		catch (SecurityException ex) {
			return problem(401, Problems.UNAUTHENTICATED, ex.getMessage());
		}
		catch (IllegalArgumentException ex) {
			return problem(400, ReasonCode.MALFORMED.slug(), ex.getMessage());
		}
		long now = this.clock.millis();
		Signed cached = cached(requester, now);
		if (cached != null) {
			return ok(cached.envelope());
		}
		if (!takeSignature(now)) {
			return problem(429, Problems.RATE_LIMITED, "too many capability documents requested; retry later");
		}
		return Mono
			.fromCallable(() -> this.signer.sign(CapabilityDocument.DOCUMENT, requester, null, document().toJson()))
			.subscribeOn(Schedulers.boundedElastic())
			.doOnNext((envelope) -> keep(requester, envelope, now))
			.flatMap(this::ok)
			.onErrorResume(IdentityUnavailableException.class, (ex) -> problem(503,
					ReasonCode.IDENTITY_UNAVAILABLE.slug(), "this agent cannot sign its capability document now"));
	}

	private SpiffeId requester(ServerRequest request) {
		String named = request.queryParam("for").orElse(null);
		if (this.access == Access.AUTHENTICATED) {
			SpiffeId peer;
			try {
				peer = SecureAgentAuthenticationConverter.transportPeer(request.exchange().getRequest().getSslInfo());
			}
			catch (IllegalArgumentException ex) {
				peer = null;
			}
			if (peer == null) {
				throw new SecurityException("a TLS client certificate with a SPIFFE ID is required");
			}
			if (named != null && !named.equals(peer.toString())) {
				throw new IllegalArgumentException("the 'for' parameter must be the TLS client's SPIFFE ID");
			}
			return peer;
		}
		if (named == null || named.length() > MAX_ID_LENGTH) {
			throw new IllegalArgumentException("the 'for' parameter must be the requester's SPIFFE ID");
		}
		SpiffeId requester;
		try {
			requester = SpiffeId.parse(named);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("the 'for' parameter must be the requester's SPIFFE ID");
		}
		if (!requester.toString().equals(named)) {
			throw new IllegalArgumentException("the 'for' parameter must be a SPIFFE ID in normal form");
		}
		try {
			this.identity.trustBundles().getBundleForTrustDomain(requester.getTrustDomain());
		}
		catch (BundleNotFoundException | RuntimeException ex) {
			throw new IllegalArgumentException("the requester is not in a trust domain this agent trusts");
		}
		return requester;
	}

	private synchronized @Nullable Signed cached(SpiffeId requester, long now) {
		Signed entry = this.signed.get(requester);
		return (entry != null && now < entry.until()) ? entry : null;
	}

	private synchronized void keep(SpiffeId requester, SignedEnvelope envelope, long now) {
		// a few seconds, and well within the document's own lifetime
		long lifetime = envelope.header().expiresAt() - envelope.header().issuedAt();
		this.signed.put(requester, new Signed(envelope, now + Math.min(CACHE_TTL_MILLIS, lifetime / 4)));
		if (this.signed.size() > CACHE_SIZE) {
			this.signed.remove(this.signed.keySet().iterator().next());
		}
	}

	private synchronized boolean takeSignature(long now) {
		if (now - this.windowStart >= 1000) {
			this.windowStart = now;
			this.signedInWindow = 0;
		}
		return this.signedInWindow++ < SIGNATURES_PER_SECOND;
	}

	private Mono<ServerResponse> ok(SignedEnvelope envelope) {
		return ServerResponse.ok().contentType(AgentMessageEndpoint.MEDIA_TYPE).bodyValue(envelope.bytes());
	}

	private Mono<ServerResponse> problem(int status, String code, String detail) {
		ServerResponse.BodyBuilder builder = ServerResponse.status(status).contentType(Problems.PROBLEM_JSON);
		if (status == 429 || status == 503) {
			builder.header("Retry-After", "1");
		}
		return builder.bodyValue(this.problems.document(status, code, detail, List.of()));
	}

	/**
	 * Who may fetch the capability document at the well-known path.
	 */
	public enum Access {

		/** Anyone, for a requester in a trust domain this agent trusts. */
		PUBLIC,

		/** Only a client authenticated by mutual TLS, for its own SPIFFE ID. */
		AUTHENTICATED,

		/** Nobody: the path answers 404. */
		OFF

	}

	private record Signed(SignedEnvelope envelope, long until) {

	}

	/**
	 * A deprecated message type.
	 *
	 * @param since when it was deprecated
	 * @param sunset when it stops being accepted
	 */
	public record Deprecation(Instant since, Instant sunset) {

		public Deprecation {
			Objects.requireNonNull(since, "since cannot be null");
			Objects.requireNonNull(sunset, "sunset cannot be null");
		}

	}

}
