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
package io.secureagent.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.MalformedJsonException;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.envelope.EnvelopeSigner.SignedEnvelope;
import io.secureagent.envelope.ProtocolVersion;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.messaging.MessageTypes;
import io.secureagent.messaging.MessageVerifier;
import io.secureagent.messaging.RecordPayloadBinder;
import io.secureagent.messaging.VerdictEvent;
import io.secureagent.negotiation.CapabilityDocument;
import io.secureagent.negotiation.Negotiation;
import io.secureagent.negotiation.NoCommonVersionException;
import io.secureagent.negotiation.TypeVersion;
import io.secureagent.session.Handshake;
import io.secureagent.session.Session;
import io.secureagent.session.SessionManager;
import io.secureagent.verification.PayloadBinder;
import io.secureagent.verification.ReasonCode;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerifiedMessage;
import io.spiffe.spiffeid.SpiffeId;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Calls other agents. {@link #send} signs the message (sealing it in a session with the
 * peer when encryption is on, with a handshake first if there is no live session), posts
 * it, and runs the answer through this agent's own receiving pipeline: signature, sender
 * is the peer dialled, recipient is this agent, freshness, replay, schema of the expected
 * response type, and the correlation with the request. Problem answers become
 * {@link SecureAgentClientException}s with their reason code.
 *
 * @author secure-agent authors
 */
public final class SecureAgentClient {

	private final WebClient webClient;

	private final Map<String, Peer> peers;

	private final EnvelopeSigner signer;

	private final SessionManager sessions;

	private final MessageVerifier verifier;

	private final MessageTypes types;

	private final RecordPayloadBinder binder;

	private final boolean encrypt;

	private final StrictJsonParser problemParser = new StrictJsonParser(new JsonLimits(64 * 1024, 8, 8192, 256));

	private final @Nullable Negotiating negotiating;

	private final Map<SpiffeId, Cached> capabilities = new ConcurrentHashMap<>();

	/**
	 * Create a client.
	 * @param webClient the web client
	 * @param peers the named peers
	 * @param signer this agent's signer
	 * @param sessions this agent's sessions
	 * @param verifier this agent's receiving pipeline
	 * @param types the registered message types
	 * @param binder the payload binder
	 * @param encrypt whether to send messages encrypted in sessions
	 * @param negotiating how to negotiate versions from peers' capability documents, or
	 * {@code null} not to
	 */
	public SecureAgentClient(WebClient webClient, Map<String, Peer> peers, EnvelopeSigner signer,
			SessionManager sessions, MessageVerifier verifier, MessageTypes types, RecordPayloadBinder binder,
			boolean encrypt, @Nullable Negotiating negotiating) {
		this.webClient = Objects.requireNonNull(webClient, "webClient cannot be null");
		this.peers = Map.copyOf(peers);
		this.signer = Objects.requireNonNull(signer, "signer cannot be null");
		this.sessions = Objects.requireNonNull(sessions, "sessions cannot be null");
		this.verifier = Objects.requireNonNull(verifier, "verifier cannot be null");
		this.types = Objects.requireNonNull(types, "types cannot be null");
		this.binder = Objects.requireNonNull(binder, "binder cannot be null");
		this.encrypt = encrypt;
		this.negotiating = negotiating;
	}

	/**
	 * Send a message to a configured peer and return its typed answer.
	 * @param <R> the response type
	 * @param peer the peer's name under {@code secure-agent.peers}
	 * @param message an {@link io.secureagent.messaging.AgentMessage} record
	 * @param responseType the expected response record
	 * @return the verified, typed response
	 */
	public <R> Mono<R> send(String peer, Object message, Class<R> responseType) {
		Peer target = this.peers.get(peer);
		if (target == null) {
			return Mono.error(new IllegalArgumentException("no peer named '" + peer + "' under secure-agent.peers"));
		}
		return send(target, message, responseType);
	}

	/**
	 * Send a message to a peer and return its typed answer.
	 * @param <R> the response type
	 * @param peer the peer
	 * @param message an {@link io.secureagent.messaging.AgentMessage} record
	 * @param responseType the expected response record
	 * @return the verified, typed response
	 */
	public <R> Mono<R> send(Peer peer, Object message, Class<R> responseType) {
		String type = this.types.register(message.getClass());
		this.types.register(responseType);
		JsonValue payload = this.binder.toJson(message);
		Mono<SignedEnvelope> request = this.encrypt
				? session(peer).flatMap((session) -> blocking(() -> this.sessions.seal(session, type, null, payload)))
				: blocking(() -> this.signer.sign(type, peer.spiffeId(), null, payload));
		Mono<SignedEnvelope> negotiated = (this.negotiating != null)
				? capabilities(peer).map((document) -> negotiate(type, document)).then(request) : request;
		return negotiated
			.flatMap((signed) -> exchange(peer, signed).map((answer) -> typed(answer, signed, responseType, peer)));
	}

	/**
	 * Fetch a peer's signed capability document, or take it from the cache. The document
	 * is verified as any answer is: signed by the peer, addressed to this agent, fresh,
	 * not replayed; and it must describe the peer.
	 * @param peer the peer
	 * @return the document
	 */
	public Mono<CapabilityDocument> capabilities(Peer peer) {
		Negotiating options = Objects.requireNonNull(this.negotiating, "negotiation is off");
		Cached cached = this.capabilities.get(peer.spiffeId());
		if (cached != null && options.clock().instant().isBefore(cached.expiresAt())) {
			return Mono.just(cached.document());
		}
		return blocking(options.self()::spiffeId).flatMap((self) -> this.webClient.get()
			.uri(UriComponentsBuilder.fromUri(peer.url().resolve(CapabilityDocument.WELL_KNOWN_PATH))
				.queryParam("for", self.toString())
				.build()
				.toUri())
			.accept(MediaType.parseMediaType("application/secure-agent+json"), MediaType.APPLICATION_PROBLEM_JSON)
			.exchangeToMono((response) -> response.toEntity(byte[].class))
			.flatMap((entity) -> {
				byte[] body = (entity.getBody() != null) ? entity.getBody() : new byte[0];
				if (!entity.getStatusCode().is2xxSuccessful()) {
					return Mono.error(remote(entity.getStatusCode().value(), body));
				}
				return this.verifier.verify(body, VerdictEvent.Direction.RESPONSE);
			})
			.map((verdict) -> document(verdict, peer, options)));
	}

	/**
	 * Pick, among versions of one message type this agent can send, the highest that the
	 * peer accepts (and whose sunset has not passed), from its capability document.
	 * @param peer the peer's name under {@code secure-agent.peers}
	 * @param candidates {@link io.secureagent.messaging.AgentMessage} records that are
	 * versions of one type
	 * @return the record class to send
	 */
	public Mono<Class<?>> highestCommonVersion(String peer, List<Class<?>> candidates) {
		Peer target = this.peers.get(peer);
		if (target == null) {
			return Mono.error(new IllegalArgumentException("no peer named '" + peer + "' under secure-agent.peers"));
		}
		Negotiating options = Objects.requireNonNull(this.negotiating, "negotiation is off");
		Map<String, Class<?>> byType = new HashMap<>();
		candidates.forEach((candidate) -> byType.put(MessageTypes.typeName(candidate), candidate));
		List<TypeVersion> versions = byType.keySet().stream().map(TypeVersion::parse).toList();
		return capabilities(target).map((document) -> {
			try {
				return byType.get(Negotiation.highestCommon(versions, document, options.clock().instant()));
			}
			catch (NoCommonVersionException ex) {
				throw new SecureAgentClientException(ReasonCode.NO_COMMON_VERSION.httpStatus(),
						ReasonCode.NO_COMMON_VERSION.slug(), ex.getMessage(), List.of(), false, ex);
			}
		});
	}

	private CapabilityDocument document(Verdict verdict, Peer peer, Negotiating options) {
		if (verdict instanceof Verdict.Rejected rejected) {
			throw new SecureAgentClientException(rejected.reason().httpStatus(), rejected.reason().slug(),
					rejected.detail(), rejected.violations(), false, null);
		}
		VerifiedMessage answer = ((Verdict.Accepted) verdict).message();
		if (!answer.sender().spiffeId().equals(peer.spiffeId())) {
			throw local(ReasonCode.SENDER_MISMATCH, "the capability document is not signed by the peer dialled");
		}
		if (!CapabilityDocument.DOCUMENT.equals(answer.header().type())) {
			throw local(ReasonCode.UNKNOWN_TYPE, "the peer did not answer with a capability document");
		}
		CapabilityDocument document;
		try {
			document = CapabilityDocument.fromJson(answer.payload());
		}
		catch (RuntimeException ex) {
			throw local(ReasonCode.MALFORMED, "the capability document is malformed");
		}
		if (!document.agent().equals(peer.spiffeId())) {
			throw local(ReasonCode.SENDER_MISMATCH, "the capability document describes another agent");
		}
		this.capabilities.put(peer.spiffeId(),
				new Cached(document, options.clock().instant().plus(options.cacheTtl())));
		return document;
	}

	private CapabilityDocument negotiate(String type, CapabilityDocument document) {
		Negotiating options = Objects.requireNonNull(this.negotiating);
		try {
			Negotiation.protocolVersion(List.of(ProtocolVersion.V1), document, options.clock().instant());
			Negotiation.messageType(type, document, options.clock().instant());
			return document;
		}
		catch (NoCommonVersionException ex) {
			throw new SecureAgentClientException(ReasonCode.NO_COMMON_VERSION.httpStatus(),
					ReasonCode.NO_COMMON_VERSION.slug(), ex.getMessage(), List.of(), false, ex);
		}
	}

	private Mono<Session> session(Peer peer) {
		return Mono.defer(() -> {
			Session live = this.sessions.sessionWith(peer.spiffeId()).orElse(null);
			if (live != null) {
				return Mono.just(live);
			}
			return blocking(() -> this.sessions.initiate(peer.spiffeId()))
				.flatMap((init) -> exchange(peer, init).map((accept) -> {
					if (accept.established() == null || !Handshake.ACCEPT.equals(accept.header().type())) {
						throw local(ReasonCode.UNEXPECTED_HANDSHAKE, "peer did not answer the handshake");
					}
					return accept.established().session();
				}));
		});
	}

	private Mono<VerifiedMessage> exchange(Peer peer, SignedEnvelope request) {
		return this.webClient.post()
			.uri(peer.url())
			.contentType(MediaType.parseMediaType("application/secure-agent+json"))
			.accept(MediaType.parseMediaType("application/secure-agent+json"), MediaType.APPLICATION_PROBLEM_JSON)
			.bodyValue(request.bytes())
			.exchangeToMono((response) -> response.toEntity(byte[].class))
			.flatMap((entity) -> answer(peer, request, entity));
	}

	private Mono<VerifiedMessage> answer(Peer peer, SignedEnvelope request, ResponseEntity<byte[]> entity) {
		byte[] body = (entity.getBody() != null) ? entity.getBody() : new byte[0];
		if (!entity.getStatusCode().is2xxSuccessful()) {
			return Mono.error(remote(entity.getStatusCode().value(), body));
		}
		return this.verifier.verify(body, VerdictEvent.Direction.RESPONSE).map((verdict) -> {
			if (verdict instanceof Verdict.Rejected rejected) {
				throw new SecureAgentClientException(rejected.reason().httpStatus(), rejected.reason().slug(),
						rejected.detail(), rejected.violations(), false, null);
			}
			VerifiedMessage answer = ((Verdict.Accepted) verdict).message();
			if (!answer.sender().spiffeId().equals(peer.spiffeId())) {
				throw local(ReasonCode.SENDER_MISMATCH, "the answer is not from the peer dialled");
			}
			if (!answer.header().correlationId().equals(request.header().correlationId())) {
				throw local(ReasonCode.MALFORMED, "the answer is not correlated with the request");
			}
			return answer;
		});
	}

	private <R> R typed(VerifiedMessage answer, SignedEnvelope request, Class<R> responseType, Peer peer) {
		Object payload = answer.attributes().get(PayloadBinder.ATTRIBUTE);
		if (!responseType.isInstance(payload)) {
			throw local(ReasonCode.UNKNOWN_TYPE, "the answer is not of the expected type");
		}
		return responseType.cast(payload);
	}

	private SecureAgentClientException remote(int status, byte[] body) {
		String code = "http-" + status;
		String detail = "peer answered HTTP " + status;
		List<String> violations = new ArrayList<>();
		try {
			if (this.problemParser.parse(body) instanceof JsonObject problem) {
				if (problem.get("code") instanceof JsonString value) {
					code = value.value();
				}
				if (problem.get("detail") instanceof JsonString value) {
					detail = value.value();
				}
				if (problem.get("violations") instanceof JsonArray list) {
					list.elements()
						.forEach((element) -> violations
							.add(String.valueOf((element instanceof JsonString string) ? string.value() : element)));
				}
				if (problem.get("status") instanceof JsonNumber number && number.isSafeInteger()) {
					status = (int) number.value();
				}
			}
		}
		catch (MalformedJsonException ex) {
			// not a problem document: keep the HTTP status as the code
		}
		return new SecureAgentClientException(status, code, detail, violations, true, null);
	}

	private static SecureAgentClientException local(ReasonCode reason, String detail) {
		return new SecureAgentClientException(reason.httpStatus(), reason.slug(), detail, List.of(), false, null);
	}

	private static <T> Mono<T> blocking(Callable<T> call) {
		return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * How the client negotiates versions.
	 *
	 * @param self this agent's identity, named in capability requests
	 * @param cacheTtl how long a peer's document is kept
	 * @param clock the clock
	 */
	public record Negotiating(AgentIdentity self, Duration cacheTtl, Clock clock) {

	}

	private record Cached(CapabilityDocument document, Instant expiresAt) {

	}

	/**
	 * A peer: its SPIFFE ID, which its answers must be signed by, and its agent endpoint.
	 *
	 * @param spiffeId the peer's SPIFFE ID
	 * @param url the peer's agent endpoint
	 */
	public record Peer(SpiffeId spiffeId, URI url) {

		public Peer {
			Objects.requireNonNull(spiffeId, "spiffeId cannot be null");
			Objects.requireNonNull(url, "url cannot be null");
		}

	}

}
