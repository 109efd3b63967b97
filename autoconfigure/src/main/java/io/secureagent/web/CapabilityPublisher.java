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

import java.time.Instant;
import java.util.ArrayList;
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
import io.secureagent.verification.ReasonCode;
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

	private final AgentIdentity identity;

	private final AgentMessageHandlers handlers;

	private final List<AeadSuite> suites;

	private final List<SignatureAlgorithm> algorithms;

	private final Map<String, Deprecation> deprecations;

	private final EnvelopeSigner signer;

	private final Problems problems;

	private final Map<Class<?>, JsonValue> schemas = new ConcurrentHashMap<>();

	public CapabilityPublisher(AgentIdentity identity, AgentMessageHandlers handlers, List<AeadSuite> suites,
			List<SignatureAlgorithm> algorithms, Map<String, Deprecation> deprecations, EnvelopeSigner signer,
			Problems problems) {
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
	 * Answer a GET of the well-known path.
	 * @param request the request, whose {@code for} parameter names the requester
	 * @return the signed document
	 */
	public Mono<ServerResponse> wellKnown(ServerRequest request) {
		SpiffeId requester;
		try {
			requester = SpiffeId.parse(request.queryParam("for").orElseThrow());
		}
		catch (RuntimeException ex) {
			return ServerResponse.status(400)
				.contentType(Problems.PROBLEM_JSON)
				.bodyValue(this.problems.document(400, ReasonCode.MALFORMED.slug(),
						"the 'for' parameter must be the requester's SPIFFE ID", List.of()));
		}
		return Mono
			.fromCallable(() -> this.signer.sign(CapabilityDocument.DOCUMENT, requester, null, document().toJson()))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap((SignedEnvelope envelope) -> ServerResponse.ok()
				.contentType(AgentMessageEndpoint.MEDIA_TYPE)
				.bodyValue(envelope.bytes()));
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
