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
package io.secureagent.problem;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.verification.Verdict;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/**
 * Writes RFC 9457 problem documents: {@code type} (the reason's anchor in the error code
 * reference), {@code title}, {@code status}, a flat {@code code} member with the stable
 * slug, a {@code detail} naming the broken rule, and for schema violations a
 * {@code violations} list of field paths. Nothing from the message, no exception text and
 * no key material is ever written.
 *
 * @author secure-agent authors
 */
public final class Problems {

	/** The problem media type. */
	public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

	/** Problem code of a handler that denied access to the authenticated sender. */
	public static final String ACCESS_DENIED = "access-denied";

	/** Problem code of a handler that failed. */
	public static final String HANDLER_FAILED = "handler-failed";

	/** Problem code of a handler whose own call to another agent failed. */
	public static final String DOWNSTREAM_FAILED = "downstream-failed";

	/**
	 * The handler completed, but its answer could not be signed or sealed: its effect may
	 * stand, and the message id is spent.
	 */
	public static final String ANSWER_UNSIGNED = "answer-unsigned";

	/** Problem code of a path that needs no agent message but is not allowed. */
	public static final String FORBIDDEN = "forbidden";

	/** Problem code of a path that needs authentication the request did not carry. */
	public static final String UNAUTHENTICATED = "unauthenticated";

	/** Problem code of a path this agent does not serve. */
	public static final String NOT_FOUND = "not-found";

	/** Problem code of a request refused because too many came at once. */
	public static final String RATE_LIMITED = "rate-limited";

	/** Problem code of a request that is not an agent message. */
	public static final String NOT_AN_AGENT_MESSAGE = "not-an-agent-message";

	private final URI typeBase;

	/**
	 * Create a writer.
	 * @param typeBase the URI the {@code type} of each problem is resolved against,
	 * ending in {@code #} so that the slug becomes the fragment
	 */
	public Problems(URI typeBase) {
		this.typeBase = Objects.requireNonNull(typeBase, "typeBase cannot be null");
	}

	/**
	 * Return the problem document of a rejection.
	 * @param rejected the rejection
	 * @return the document
	 */
	public byte[] document(Verdict.Rejected rejected) {
		return document(rejected.reason().httpStatus(), rejected.reason().slug(), rejected.detail(),
				rejected.violations());
	}

	/**
	 * Return a problem document.
	 * @param status the HTTP status
	 * @param code the stable code
	 * @param detail what rule was broken
	 * @param violations field-level violations, possibly empty
	 * @return the document
	 */
	public byte[] document(int status, String code, String detail, List<String> violations) {
		Map<String, JsonValue> members = new LinkedHashMap<>();
		members.put("type", new JsonString(this.typeBase + code));
		HttpStatus known = HttpStatus.resolve(status);
		members.put("title", new JsonString((known != null) ? known.getReasonPhrase() : "Error"));
		members.put("status", new JsonNumber(status));
		members.put("code", new JsonString(code));
		members.put("detail", new JsonString(detail));
		if (!violations.isEmpty()) {
			members.put("violations", new JsonArray(violations.stream().<JsonValue>map(JsonString::new).toList()));
		}
		return JsonCanonicalizer.canonicalize(new JsonObject(members));
	}

	/**
	 * Write a rejection as the response.
	 * @param response the response
	 * @param rejected the rejection
	 * @return completion
	 */
	public Mono<Void> write(ServerHttpResponse response, Verdict.Rejected rejected) {
		return write(response, rejected.reason().httpStatus(), document(rejected));
	}

	/**
	 * Write a problem as the response.
	 * @param response the response
	 * @param status the status
	 * @param document the problem document
	 * @return completion
	 */
	public Mono<Void> write(ServerHttpResponse response, int status, byte[] document) {
		response.setStatusCode(HttpStatusCode.valueOf(status));
		response.getHeaders().setContentType(PROBLEM_JSON);
		if (status == 503) {
			response.getHeaders().set("Retry-After", "1");
		}
		DataBuffer buffer = response.bufferFactory().wrap(document);
		return response.writeWith(Mono.just(buffer));
	}

}
