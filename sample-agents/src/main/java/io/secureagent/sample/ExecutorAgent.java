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
package io.secureagent.sample;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.IdentityUnavailableException;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.verification.ReasonCode;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import io.secureagent.verification.VerifiedMessage;

/**
 * An agent that runs tasks it receives as signed {@code task.request} messages over HTTP,
 * and answers each with a signed {@code task.result} addressed to the caller. Every
 * rejected message is answered with an RFC 9457 problem document carrying its reason
 * code.
 *
 * @author secure-agent authors
 */
final class ExecutorAgent implements AutoCloseable {

	static final String MEDIA_TYPE = "application/secure-agent+json";

	private final VerificationPipeline pipeline;

	private final EnvelopeSigner signer;

	private final int maxBytes;

	private final HttpServer server;

	private final ExecutorService threads = Executors.newFixedThreadPool(2);

	ExecutorAgent(AgentIdentity identity, Clock clock) throws IOException {
		VerificationPolicy policy = VerificationPolicy.DEFAULT;
		this.pipeline = VerificationPipeline.standard(identity, new InMemoryReplayStore(100_000, clock), policy, clock);
		this.signer = new EnvelopeSigner(identity, clock, Duration.ofMinutes(1));
		this.maxBytes = policy.jsonLimits().maxDocumentBytes();
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/messages", this::handle);
		this.server.setExecutor(this.threads);
		this.server.start();
	}

	URI uri() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/messages");
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!"POST".equals(exchange.getRequestMethod())) {
				exchange.sendResponseHeaders(405, -1);
				return;
			}
			byte[] body = readCapped(exchange.getRequestBody());
			Verdict verdict = (body == null)
					? new Verdict.Rejected("http", ReasonCode.MESSAGE_TOO_LARGE, "body too large")
					: this.pipeline.verify(body);
			if (verdict instanceof Verdict.Rejected rejected) {
				problem(exchange, rejected.reason(), rejected.detail());
				return;
			}
			VerifiedMessage request = ((Verdict.Accepted) verdict).message();
			JsonValue result = run(request.payload());
			byte[] response = this.signer
				.sign("task.result", request.sender().spiffeId(), request.header().correlationId(), result)
				.bytes();
			send(exchange, 200, MEDIA_TYPE, response);
		}
		catch (IdentityUnavailableException ex) {
			problem(exchange, ReasonCode.IDENTITY_UNAVAILABLE, "own identity is not available");
		}
	}

	private JsonValue run(JsonValue task) {
		String text = (task instanceof JsonObject object && object.get("text") instanceof JsonString string)
				? string.value() : "";
		return new JsonObject(Map.of("words", new JsonNumber(text.isBlank() ? 0 : text.trim().split("\\s+").length),
				"status", new JsonString("done")));
	}

	private byte[] readCapped(InputStream in) throws IOException {
		byte[] body = in.readNBytes(this.maxBytes + 1);
		return (body.length > this.maxBytes) ? null : body;
	}

	private static void problem(HttpExchange exchange, ReasonCode reason, String detail) throws IOException {
		JsonObject problem = new JsonObject(
				Map.of("type", new JsonString("https://secure-agent.io/docs/protocol#" + reason.slug()), "title",
						new JsonString("Message rejected"), "status", new JsonNumber(reason.httpStatus()), "code",
						new JsonString(reason.slug()), "detail", new JsonString(detail)));
		send(exchange, reason.httpStatus(), "application/problem+json", JsonCanonicalizer.canonicalize(problem));
	}

	private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(status, body.length);
		exchange.getResponseBody().write(body);
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.threads.shutdownNow();
	}

	static String utf8(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
