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
package io.secureagent.trace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.MalformedJsonException;
import io.secureagent.canonical.StrictJsonParser;

/**
 * The form of a decision log's lines: each is the RFC 8785 canonical form of one JSON
 * object, its {@code prev} member the base64url SHA-256 of the line before it.
 *
 * @author secure-agent authors
 */
final class TraceLines {

	/** The {@code prev} of a log's first line when it continues no other. */
	static final String GENESIS = base64url(new byte[32]);

	static final String START = "start";

	static final String DECISION = "decision";

	static final String CHECKPOINT = "checkpoint";

	/** A checkpoint written at an interval. */
	static final String PERIODIC = "periodic";

	/** The checkpoint that ends a file the log goes on from in the next. */
	static final String ROLLOVER = "rollover";

	/** The checkpoint that ends the log, at shutdown. */
	static final String FINAL = "final";

	/**
	 * The longest line read: a recorded envelope of 4 MiB, in base64, and its decision.
	 */
	static final int MAX_LINE_BYTES = 6 * 1024 * 1024;

	/** What a checkpoint's signature covers before the line: no envelope signs this. */
	private static final byte[] CONTEXT = "secure-agent-trace/1 checkpoint\n".getBytes(StandardCharsets.UTF_8);

	private static final StrictJsonParser PARSER = new StrictJsonParser(
			new JsonLimits(MAX_LINE_BYTES, 16, MAX_LINE_BYTES, 100_000));

	private TraceLines() {
	}

	static String line(JsonObject object) {
		return new String(JsonCanonicalizer.canonicalize(object), StandardCharsets.UTF_8);
	}

	/**
	 * Return what a checkpoint's signature covers: a context string, then the line
	 * without its signature.
	 * @param unsigned the checkpoint line without its signature
	 * @return the bytes signed
	 */
	static byte[] signingInput(JsonObject unsigned) {
		byte[] line = JsonCanonicalizer.canonicalize(unsigned);
		byte[] input = new byte[CONTEXT.length + line.length];
		System.arraycopy(CONTEXT, 0, input, 0, CONTEXT.length);
		System.arraycopy(line, 0, input, CONTEXT.length, line.length);
		return input;
	}

	static String hash(String line) {
		return hash(line.getBytes(StandardCharsets.UTF_8));
	}

	static String hash(byte[] line) {
		try {
			return base64url(MessageDigest.getInstance("SHA-256").digest(line));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static JsonObject parse(String line) throws MalformedJsonException {
		JsonValue value = PARSER.parse(line.getBytes(StandardCharsets.UTF_8));
		if (!(value instanceof JsonObject object)) {
			throw new IllegalArgumentException("a line is a JSON object");
		}
		return object;
	}

	static String base64url(byte[] bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * Decode base64url in its one canonical form: no padding, no stray bits, so that no
	 * other spelling of the same bytes passes for it.
	 * @param text the text
	 * @return the bytes
	 * @throws IllegalArgumentException if it is not canonical base64url
	 */
	static byte[] fromBase64url(String text) {
		byte[] bytes = Base64.getUrlDecoder().decode(text);
		if (!base64url(bytes).equals(text)) {
			throw new IllegalArgumentException("not canonical base64url");
		}
		return bytes;
	}

}
