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
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

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
import io.secureagent.envelope.Receipt;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.IdentityUnavailableException;
import io.secureagent.identity.SpiffeIds;
import io.secureagent.messaging.MessageObservations;
import io.secureagent.messaging.MessageTypes;
import io.secureagent.messaging.MessageVerifier;
import io.secureagent.messaging.RecordPayloadBinder;
import io.secureagent.messaging.UnrepresentableValueException;
import io.secureagent.negotiation.CapabilityDocument;
import io.secureagent.negotiation.Negotiation;
import io.secureagent.negotiation.NoCommonVersionException;
import io.secureagent.negotiation.TypeVersion;
import io.secureagent.session.Handshake;
import io.secureagent.session.Session;
import io.secureagent.session.SessionExhaustedException;
import io.secureagent.session.SessionManager;
import io.secureagent.verification.Exchange;
import io.secureagent.verification.PayloadBinder;
import io.secureagent.verification.ReasonCode;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerifiedMessage;
import io.spiffe.spiffeid.SpiffeId;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Calls other agents. {@link #send} signs the message (sealing it in a session with the
 * peer when encryption is on, with a handshake first if there is no live session), posts
 * it, and runs the answer through this agent's response pipeline, which authorizes it by
 * the exchange alone: signed by the peer dialled, of the expected type, correlated with
 * the request, in the request's session, fresh, not replayed, valid for its record.
 * Problem answers, refused answers and transport failures all become
 * {@link SecureAgentClientException}s with a reason code, as error signals.
 * <p>
 * Concurrent first calls to a peer share one handshake. When a peer answers a sealed
 * request with {@code unknown-session}, {@code session-expired} or {@code decrypt-failed}
 * (it restarted, or another replica answered), the client drops the session, runs a new
 * handshake and sends the message again as a new message, once.
 *
 * @author secure-agent authors
 */
public final class SecureAgentClient {

	/** The problem codes after which a sealed request is sent again in a new session. */
	static final Set<String> SESSION_LOST = Set.of(ReasonCode.UNKNOWN_SESSION.slug(), ReasonCode.SESSION_EXPIRED.slug(),
			ReasonCode.DECRYPT_FAILED.slug());

	private static final MediaType ENVELOPE = MediaType.parseMediaType("application/secure-agent+json");

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

	private final Map<SpiffeId, Mono<Session>> handshakes = new ConcurrentHashMap<>();

	private final Runnable onSessionRecovered;

	private volatile Duration timeout = Duration.ofSeconds(30);

	private volatile int retries;

	private volatile MessageObservations observations = MessageObservations.NONE;

	/**
	 * Create a client.
	 * @param webClient the web client
	 * @param peers the named peers
	 * @param signer this agent's signer
	 * @param sessions this agent's sessions
	 * @param verifier this agent's pipelines
	 * @param types the registered message types
	 * @param binder the payload binder
	 * @param encrypt whether to send messages encrypted in sessions
	 * @param negotiating how to negotiate versions from peers' capability documents, or
	 * {@code null} not to
	 */
	public SecureAgentClient(WebClient webClient, Map<String, Peer> peers, EnvelopeSigner signer,
			SessionManager sessions, MessageVerifier verifier, MessageTypes types, RecordPayloadBinder binder,
			boolean encrypt, @Nullable Negotiating negotiating) {
		this(webClient, peers, signer, sessions, verifier, types, binder, encrypt, negotiating, () -> {
		});
	}

	/**
	 * Create a client that reports each recovered session.
	 * @param webClient the web client
	 * @param peers the named peers
	 * @param signer this agent's signer
	 * @param sessions this agent's sessions
	 * @param verifier this agent's pipelines
	 * @param types the registered message types
	 * @param binder the payload binder
	 * @param encrypt whether to send messages encrypted in sessions
	 * @param negotiating how to negotiate versions from peers' capability documents, or
	 * {@code null} not to
	 * @param onSessionRecovered called each time a lost session is replaced by a new
	 * handshake, for a metric
	 */
	public SecureAgentClient(WebClient webClient, Map<String, Peer> peers, EnvelopeSigner signer,
			SessionManager sessions, MessageVerifier verifier, MessageTypes types, RecordPayloadBinder binder,
			boolean encrypt, @Nullable Negotiating negotiating, Runnable onSessionRecovered) {
		this.webClient = Objects.requireNonNull(webClient, "webClient cannot be null");
		this.peers = Map.copyOf(peers);
		this.signer = Objects.requireNonNull(signer, "signer cannot be null");
		this.sessions = Objects.requireNonNull(sessions, "sessions cannot be null");
		this.verifier = Objects.requireNonNull(verifier, "verifier cannot be null");
		this.types = Objects.requireNonNull(types, "types cannot be null");
		this.binder = Objects.requireNonNull(binder, "binder cannot be null");
		this.encrypt = encrypt;
		this.negotiating = negotiating;
		this.onSessionRecovered = Objects.requireNonNull(onSessionRecovered, "onSessionRecovered cannot be null");
	}

	/**
	 * Set how long the client waits for each answer (a handshake's included) before it
	 * fails the call with {@code peer-timeout}; 30 seconds by default.
	 * @param timeout the timeout
	 * @return this client
	 */
	public SecureAgentClient timeout(Duration timeout) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("timeout must be positive");
		}
		this.timeout = timeout;
		return this;
	}

	/**
	 * Observe each call.
	 * @param observations the observations
	 * @return this client
	 */
	public SecureAgentClient observations(MessageObservations observations) {
		this.observations = Objects.requireNonNull(observations, "observations cannot be null");
		return this;
	}

	/**
	 * Set how many times a request that was not delivered at all (the connection was
	 * refused or reset before sending: {@code peer-unreachable}) is sent again, the same
	 * envelope each time, after 100 ms, then 200 ms, and so on; 0 by default. Nothing
	 * that may have been delivered is ever sent again.
	 * @param retries the number of retries
	 * @return this client
	 */
	public SecureAgentClient retries(int retries) {
		if (retries < 0 || retries > 10) {
			throw new IllegalArgumentException("retries must be between 0 and 10");
		}
		this.retries = retries;
		return this;
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
		return deliver(peer, message, this.types.register(responseType))
			.map((verified) -> typed(verified, responseType));
	}

	private Mono<VerifiedMessage> deliver(Peer peer, Object message, String expected) {
		return Mono.defer(() -> {
			String type = this.types.register(message.getClass());
			List<String> violations = this.binder.violations(message);
			if (!violations.isEmpty()) {
				// refused here, as the peer would refuse it, before anything is signed or
				// sent
				return Mono.error(new SecureAgentClientException(ReasonCode.SCHEMA_VIOLATION.httpStatus(),
						ReasonCode.SCHEMA_VIOLATION.slug(), "the message violates the schema of its type", violations,
						false, null));
			}
			JsonValue payload;
			try {
				payload = this.binder.toJson(message);
			}
			catch (UnrepresentableValueException ex) {
				// a value the peer would refuse or read as another: refused here too,
				// before anything is signed or sent
				return Mono.error(new SecureAgentClientException(ReasonCode.SCHEMA_VIOLATION.httpStatus(),
						ReasonCode.SCHEMA_VIOLATION.slug(), "the message holds a value that JSON cannot carry exactly",
						List.of(ex.violation()), false, null));
			}
			Mono<VerifiedMessage> answer = this.encrypt
					? sendSealed(peer, type, payload, expected, EnvelopeSigner.newMessageId(), true)
					: sendPlain(peer, type, payload, expected);
			Mono<VerifiedMessage> negotiated = (this.negotiating != null)
					? capabilities(peer).map((document) -> negotiate(type, document)).then(answer) : answer;
			return this.observations.observe("secure.agent.client.send", type, SpiffeIds.text(peer.spiffeId()),
					negotiated);
		});
	}

	/**
	 * Send a one-way message to a configured peer: one whose handler returns nothing. The
	 * call completes when the peer's signed receipt arrives, verified as any answer is
	 * and bound to this message by its digest: the peer verified the message and its
	 * handler completed.
	 * @param peer the peer's name under {@code secure-agent.peers}
	 * @param message an {@link io.secureagent.messaging.AgentMessage} record
	 * @return completes on a verified receipt
	 */
	public Mono<Void> notify(String peer, Object message) {
		Peer target = this.peers.get(peer);
		if (target == null) {
			return Mono.error(new IllegalArgumentException("no peer named '" + peer + "' under secure-agent.peers"));
		}
		return notify(target, message);
	}

	/**
	 * Send a one-way message to a peer, and complete on its verified receipt.
	 * @param peer the peer
	 * @param message an {@link io.secureagent.messaging.AgentMessage} record
	 * @return completes on a verified receipt
	 */
	public Mono<Void> notify(Peer peer, Object message) {
		return deliver(peer, message, Receipt.TYPE).then();
	}

	/**
	 * Fetch a peer's signed capability document with a {@code capability.request}, or
	 * take it from the cache. The answer is verified as any answer is, and the document
	 * must describe the peer.
	 * @param peer the peer
	 * @return the document
	 */
	public Mono<CapabilityDocument> capabilities(Peer peer) {
		Negotiating options = Objects.requireNonNull(this.negotiating, "negotiation is off");
		return Mono.defer(() -> {
			Cached cached = this.capabilities.get(peer.spiffeId());
			if (cached != null && options.clock().instant().isBefore(cached.expiresAt())) {
				return Mono.just(cached.document());
			}
			return sendPlain(peer, CapabilityDocument.REQUEST, new JsonObject(Map.of()), CapabilityDocument.RESPONSE)
				.map((answer) -> document(answer, peer, options));
		});
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

	private CapabilityDocument document(VerifiedMessage answer, Peer peer, Negotiating options) {
		CapabilityDocument document;
		try {
			document = CapabilityDocument.fromJson(answer.payload());
		}
		catch (RuntimeException ex) {
			throw local(ReasonCode.MALFORMED, "the capability document is malformed");
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

	private Mono<VerifiedMessage> sendPlain(Peer peer, String type, JsonValue payload, String expected) {
		return blocking(() -> this.signer.sign(type, peer.spiffeId(), null, payload)).flatMap((signed) -> exchange(peer,
				signed, new Exchange(peer.spiffeId(), Set.of(expected), signed.header().correlationId(), null)));
	}

	private Mono<VerifiedMessage> sendSealed(Peer peer, String type, JsonValue payload, String expected,
			String messageId, boolean mayRecover) {
		return sendSealed(peer, type, payload, expected, messageId, mayRecover, Long.MAX_VALUE);
	}

	private Mono<VerifiedMessage> sendSealed(Peer peer, String type, JsonValue payload, String expected,
			String messageId, boolean mayRecover, long notAfter) {
		AtomicLong expiresAt = new AtomicLong(notAfter);
		return session(peer)
			.flatMap((session) -> sealAndSend(peer, session, type, payload, expected, messageId, notAfter, expiresAt)
				.onErrorResume(SecureAgentClientException.class, (ex) -> {
					if (!mayRecover || !ex.isRemote() || !SESSION_LOST.contains(ex.code())
							|| this.verifier.responsePipeline().clock().millis() >= expiresAt.get()) {
						return Mono.error(ex);
					}
					// the peer says it no longer knows this session (unsigned: it may be
					// a lie): a new handshake, then the message again, once, under the
					// same id and expiring with the first copy, so that a receiver that
					// did accept the first copy refuses this one as a replay for as long
					// as it can arrive. The old session is retired, not erased under
					// messages still in flight.
					this.sessions.retire(session);
					this.onSessionRecovered.run();
					return sendSealed(peer, type, payload, expected, messageId, false, expiresAt.get());
				}));
	}

	private Mono<VerifiedMessage> sealAndSend(Peer peer, Session session, String type, JsonValue payload,
			String expected, String messageId, long notAfter, AtomicLong expiresAt) {
		return blocking(() -> this.sessions.seal(session, type, null, payload, messageId, notAfter))
			.flatMap((signed) -> {
				expiresAt.set(signed.header().expiresAt());
				return exchange(peer, signed,
						new Exchange(peer.spiffeId(), Set.of(expected), signed.header().correlationId(), session.id()));
			});
	}

	private Mono<Session> session(Peer peer) {
		return Mono.defer(() -> {
			Session live = this.sessions.sessionWith(peer.spiffeId()).orElse(null);
			if (live != null) {
				return Mono.just(live);
			}
			// concurrent first calls share one handshake
			Mono<Session> started = handshake(peer).cache();
			Mono<Session> running = this.handshakes.putIfAbsent(peer.spiffeId(), started);
			if (running != null) {
				return running;
			}
			return started.doFinally((signal) -> this.handshakes.remove(peer.spiffeId(), started));
		});
	}

	private Mono<Session> handshake(Peer peer) {
		// whatever ends the handshake (answer, error, timeout, cancel), an init still
		// pending then is forgotten and its ephemeral key erased
		return blocking(() -> this.sessions.initiate(peer.spiffeId())).flatMap((init) -> exchange(peer, init,
				new Exchange(peer.spiffeId(), Set.of(Handshake.ACCEPT), init.header().correlationId(), null))
			.doFinally((signal) -> this.sessions.abandon(init))
			.map((accept) -> {
				if (accept.established() == null) {
					throw local(ReasonCode.UNEXPECTED_HANDSHAKE, "peer did not answer the handshake");
				}
				return accept.established().session();
			}));
	}

	private Mono<VerifiedMessage> exchange(Peer peer, SignedEnvelope request, Exchange exchange) {
		return this.webClient.post()
			.uri(peer.url())
			.contentType(ENVELOPE)
			.accept(ENVELOPE, MediaType.APPLICATION_PROBLEM_JSON)
			.bodyValue(request.bytes())
			.exchangeToMono((response) -> response.toEntity(byte[].class))
			.timeout(this.timeout)
			.onErrorMap((ex) -> !(ex instanceof SecureAgentClientException), SecureAgentClient::transportFailure)
			.retryWhen(Retry.backoff(this.retries, Duration.ofMillis(100))
				.filter((ex) -> ex instanceof SecureAgentClientException failure
						&& "peer-unreachable".equals(failure.code()))
				.onRetryExhaustedThrow((spec, signal) -> signal.failure()))
			.flatMap((entity) -> answer(entity, exchange))
			.map((answer) -> {
				if (Receipt.TYPE.equals(answer.header().type())
						&& !Receipt.acknowledges(answer.payload(), request.header().id(), request.signingInput())) {
					// signed by the peer and correlated, but for another message than
					// this
					throw new SecureAgentClientException(502, "bad-receipt",
							"the receipt does not acknowledge this message", List.of(), false, null);
				}
				return answer;
			});
	}

	private static SecureAgentClientException transportFailure(Throwable ex) {
		if (ex instanceof WebClientRequestException) {
			// nothing was delivered: connection refused, reset, unknown host
			return new SecureAgentClientException(503, "peer-unreachable",
					"the peer could not be reached: " + ex.getClass().getSimpleName(), List.of(), false, ex);
		}
		if (ex instanceof TimeoutException) {
			return new SecureAgentClientException(504, "peer-timeout", "the peer did not answer in time", List.of(),
					false, ex);
		}
		// the request may have been delivered and handled: not safe to send again blindly
		return new SecureAgentClientException(502, "bad-answer",
				"the peer's answer could not be read: " + ex.getClass().getSimpleName(), List.of(), false, ex);
	}

	private Mono<VerifiedMessage> answer(ResponseEntity<byte[]> entity, Exchange exchange) {
		byte[] body = (entity.getBody() != null) ? entity.getBody() : new byte[0];
		if (!entity.getStatusCode().is2xxSuccessful()) {
			return Mono.error(remote(entity.getStatusCode().value(), body));
		}
		return this.verifier.verifyResponse(body, exchange).map((verdict) -> {
			if (verdict instanceof Verdict.Rejected rejected) {
				throw new SecureAgentClientException(rejected.reason().httpStatus(), rejected.reason().slug(),
						rejected.detail(), rejected.violations(), false, null);
			}
			return ((Verdict.Accepted) verdict).message();
		});
	}

	private static <R> R typed(VerifiedMessage answer, Class<R> responseType) {
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
		return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic()).onErrorMap((ex) -> {
			if (ex instanceof IdentityUnavailableException) {
				return local(ReasonCode.IDENTITY_UNAVAILABLE, "this agent has no SVID to sign with");
			}
			if (ex instanceof SessionExhaustedException) {
				return new SecureAgentClientException(503, "session-exhausted", String.valueOf(ex.getMessage()),
						List.of(), false, ex);
			}
			return ex;
		});
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
