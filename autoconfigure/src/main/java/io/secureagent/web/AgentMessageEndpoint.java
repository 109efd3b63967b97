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

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

import io.secureagent.canonical.JsonValue;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.envelope.EnvelopeSigner.SignedEnvelope;
import io.secureagent.client.SecureAgentClientException;
import io.secureagent.envelope.Receipt;
import io.secureagent.identity.SpiffeIds;
import io.secureagent.messaging.MessageObservations;
import io.secureagent.messaging.MessageTypes;
import io.secureagent.messaging.MessageVerifier;
import io.secureagent.messaging.VerdictEvent;
import io.secureagent.messaging.RecordPayloadBinder;
import io.secureagent.negotiation.CapabilityDocument;
import io.secureagent.problem.Problems;
import io.secureagent.security.SecureAgentAuthentication;
import io.secureagent.session.EstablishedSession;
import io.secureagent.session.SessionManager;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerifiedMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The agent endpoint. By the time a request reaches it, Spring Security has verified the
 * envelope; the endpoint answers a {@code session.init} with its {@code session.accept},
 * and any other message with the signed response of its handler, addressed to the sender,
 * correlated with the request, and encrypted in the request's session when the request
 * was encrypted.
 *
 * @author secure-agent authors
 */
public final class AgentMessageEndpoint {

	private static final Log logger = LogFactory.getLog(AgentMessageEndpoint.class);

	/** The media type of secure-agent/1 envelopes. */
	public static final MediaType MEDIA_TYPE = MediaType.parseMediaType("application/secure-agent+json");

	private final AgentMessageHandlers handlers;

	private final RecordPayloadBinder binder;

	private final EnvelopeSigner signer;

	private final SessionManager sessions;

	private final Problems problems;

	private final CapabilityPublisher capabilities;

	private final MessageVerifier verifier;

	private volatile MessageObservations observations = MessageObservations.NONE;

	public AgentMessageEndpoint(AgentMessageHandlers handlers, RecordPayloadBinder binder, EnvelopeSigner signer,
			SessionManager sessions, Problems problems, CapabilityPublisher capabilities, MessageVerifier verifier) {
		this.handlers = Objects.requireNonNull(handlers, "handlers cannot be null");
		this.binder = Objects.requireNonNull(binder, "binder cannot be null");
		this.signer = Objects.requireNonNull(signer, "signer cannot be null");
		this.sessions = Objects.requireNonNull(sessions, "sessions cannot be null");
		this.problems = Objects.requireNonNull(problems, "problems cannot be null");
		this.capabilities = Objects.requireNonNull(capabilities, "capabilities cannot be null");
		this.verifier = Objects.requireNonNull(verifier, "verifier cannot be null");
	}

	/**
	 * Observe each message the endpoint answers.
	 * @param observations the observations
	 * @return this endpoint
	 */
	public AgentMessageEndpoint observations(MessageObservations observations) {
		this.observations = Objects.requireNonNull(observations, "observations cannot be null");
		return this;
	}

	/**
	 * Handle a verified message. Every protocol decision was made by the pipeline before
	 * the message reached here; what remains is the handler's, and its outcome (accepted,
	 * denied, failed) is published as the message's one event.
	 * @param request the request
	 * @return the signed response
	 */
	public Mono<ServerResponse> handle(ServerRequest request) {
		return request.principal()
			.filter(SecureAgentAuthentication.class::isInstance)
			.cast(SecureAgentAuthentication.class)
			.flatMap((authentication) -> this.observations.observe("secure.agent.endpoint",
					authentication.message().header().type(),
					SpiffeIds.text(authentication.message().sender().spiffeId()), respond(authentication)))
			.switchIfEmpty(Mono.defer(() -> problem(401, Problems.NOT_AN_AGENT_MESSAGE,
					"this endpoint accepts only verified secure-agent/1 envelopes")));
	}

	private Mono<ServerResponse> respond(SecureAgentAuthentication authentication) {
		VerifiedMessage message = authentication.message();
		EstablishedSession established = message.established();
		if (established != null) {
			// the request pipeline admits no session.accept: this is an init, answered
			SignedEnvelope reply = Objects.requireNonNull(established.reply(), "a session.init has a reply");
			return outcome(authentication, VerdictEvent.Outcome.ACCEPTED).then(envelope(reply));
		}
		if (CapabilityDocument.REQUEST.equals(message.header().type())) {
			return mayBlock(() -> reply(message, CapabilityDocument.RESPONSE, this.capabilities.document().toJson()))
				.flatMap((reply) -> outcome(authentication, VerdictEvent.Outcome.ACCEPTED).then(envelope(reply)))
				.onErrorResume((ex) -> failed(authentication, 503, "identity-unavailable",
						"this agent cannot sign its capability document now"));
		}
		CapabilityPublisher.Deprecation deprecation = this.capabilities.deprecation(message.header().type());
		Mono<SignedEnvelope> answer = this.handlers.isOneWay(message.header().type())
				// a one-way message is answered with a receipt once its handler completes
				? this.handlers.invoke(message)
					.then(mayBlock(() -> reply(message, Receipt.TYPE,
							Receipt.payload(message.header().id(), message.envelope().signingInput())))
						.onErrorMap(AnswerUnsigned::new))
				: this.handlers.invoke(message)
					.flatMap((response) -> mayBlock(() -> sign(message, response)).onErrorMap(AnswerUnsigned::new));
		return answer
			.flatMap((envelope) -> outcome(authentication, VerdictEvent.Outcome.ACCEPTED)
				.then((deprecation != null) ? deprecated(envelope, deprecation) : envelope(envelope)))
			.switchIfEmpty(Mono
				.defer(() -> failed(authentication, 500, Problems.HANDLER_FAILED, "handler returned no response")))
			.onErrorResume(AnswerUnsigned.class, (ex) -> {
				// the handler completed, its effect may stand: the sender must not read
				// this
				// as a failed handler and send the message again under a new id
				logFailure(message, ex.getCause());
				return failed(authentication, 503, Problems.ANSWER_UNSIGNED,
						"the handler completed, but this agent could not sign its answer; the message id is spent");
			})
			.onErrorResume(AccessDeniedException.class,
					(ex) -> outcome(authentication, VerdictEvent.Outcome.DENIED)
						.then(problem(403, Problems.ACCESS_DENIED, "the handler denied this sender")))
			.onErrorResume(SecureAgentClientException.class, (ex) -> {
				logFailure(message, ex);
				return failed(authentication, 502, Problems.DOWNSTREAM_FAILED,
						"the handler's call to another agent failed: " + ex.code());
			})
			.onErrorResume((ex) -> !(ex instanceof AccessDeniedException) && !(ex instanceof SecureAgentClientException)
					&& !(ex instanceof AnswerUnsigned), (ex) -> {
						logFailure(message, ex);
						return failed(authentication, 500, Problems.HANDLER_FAILED, "the handler failed");
					});
	}

	/**
	 * Work that may block (signing asks the identity source for the current key, sealing
	 * may ask a remote session store), on {@code boundedElastic}: a handler's result can
	 * arrive on any thread, an I/O thread of another library's included, which Reactor
	 * cannot tell from one where blocking is allowed.
	 */
	private static <T> Mono<T> mayBlock(Callable<T> work) {
		return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * Raised when the answer to a message whose handler completed cannot be signed or
	 * sealed.
	 */
	private static final class AnswerUnsigned extends RuntimeException {

		AnswerUnsigned(Throwable cause) {
			super("the answer could not be signed", cause, false, false);
		}

	}

	private static void logFailure(VerifiedMessage message, Throwable ex) {
		// the message's header identifies it; its payload is never logged
		logger.error("secure-agent handler for " + message.header().type() + " from " + message.sender().spiffeId()
				+ " failed (correlationId " + message.header().correlationId() + ", id " + message.header().id() + ")",
				ex);
	}

	private Mono<Void> outcome(SecureAgentAuthentication authentication, VerdictEvent.Outcome outcome) {
		return Mono.fromRunnable(() -> this.verifier
			.published(new MessageVerifier.Timed(new Verdict.Accepted(authentication.message()),
					authentication.verificationTime(), authentication.clockMillis(), authentication.received(), null),
					VerdictEvent.Direction.INBOUND, outcome));
	}

	private Mono<ServerResponse> failed(SecureAgentAuthentication authentication, int status, String code,
			String detail) {
		return outcome(authentication, VerdictEvent.Outcome.FAILED).then(problem(status, code, detail));
	}

	private SignedEnvelope sign(VerifiedMessage request, Object response) throws Exception {
		return reply(request, MessageTypes.typeName(response.getClass()), this.binder.toJson(response));
	}

	private SignedEnvelope reply(VerifiedMessage request, String type, JsonValue payload) throws Exception {
		String correlationId = request.header().correlationId();
		if (request.session() != null) {
			return this.sessions.seal(request.session(), type, correlationId, payload);
		}
		return this.signer.sign(type, request.sender().spiffeId(), correlationId, payload);
	}

	private Mono<ServerResponse> deprecated(SignedEnvelope envelope, CapabilityPublisher.Deprecation deprecation) {
		// RFC 9745 (a structured date) and RFC 8594 (an HTTP date)
		return ServerResponse.ok()
			.contentType(MEDIA_TYPE)
			.header("Deprecation", "@" + deprecation.since().getEpochSecond())
			.header("Sunset",
					DateTimeFormatter.RFC_1123_DATE_TIME.format(deprecation.sunset().atOffset(ZoneOffset.UTC)))
			.bodyValue(envelope.bytes());
	}

	private Mono<ServerResponse> envelope(SignedEnvelope envelope) {
		return ServerResponse.ok().contentType(MEDIA_TYPE).bodyValue(envelope.bytes());
	}

	private Mono<ServerResponse> problem(int status, String code, String detail) {
		ServerResponse.BodyBuilder builder = ServerResponse.status(status).contentType(Problems.PROBLEM_JSON);
		if (status == 503) {
			builder.header("Retry-After", "1");
		}
		return builder.bodyValue(this.problems.document(status, code, detail, List.of()));
	}

}
