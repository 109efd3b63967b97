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
package io.secureagent.envelope;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;

/**
 * The answer to a one-way message: a signed {@code message.receipt} whose payload names
 * the message it acknowledges and binds it by digest, {@code {"id": <the message's id>,
 * "digest": <base64url SHA-256 of its signing input>}}. A receipt says that the recipient
 * verified the message and that its handler completed without error; a bare {@code 202}
 * would say neither, to anyone. It travels as any answer does (correlated with the
 * message, in its session if it was encrypted), so it is verified by the same checks, and
 * the sender then checks that the digest is that of what it sent.
 *
 * @author secure-agent authors
 */
public final class Receipt {

	/** The type of receipts. */
	public static final String TYPE = "message.receipt";

	private Receipt() {
	}

	/**
	 * Return the payload of the receipt of a message.
	 * @param id the message's id
	 * @param signingInput the message's signing input
	 * @return the payload
	 */
	public static JsonObject payload(String id, byte[] signingInput) {
		return new JsonObject(Map.of("id", new JsonString(id), "digest", new JsonString(digest(signingInput))));
	}

	/**
	 * Whether a receipt's payload acknowledges exactly this message.
	 * @param payload the receipt's payload
	 * @param id the message's id
	 * @param signingInput the message's signing input, as sent
	 * @return whether it does
	 */
	public static boolean acknowledges(JsonValue payload, String id, byte[] signingInput) {
		if (!(payload instanceof JsonObject object) || object.members().size() != 2) {
			return false;
		}
		return object.get("id") instanceof JsonString receiptId && receiptId.value().equals(id)
				&& object.get("digest") instanceof JsonString digest
				&& MessageDigest.isEqual(digest.value().getBytes(StandardCharsets.US_ASCII),
						digest(signingInput).getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * Whether a payload has the form of a receipt: exactly an {@code id} string and a
	 * {@code digest} of 43 base64url characters.
	 * @param payload the payload
	 * @return whether it has
	 */
	public static boolean wellFormed(JsonValue payload) {
		return payload instanceof JsonObject object && object.members().size() == 2
				&& object.get("id") instanceof JsonString && object.get("digest") instanceof JsonString digest
				&& digest.value().matches("[A-Za-z0-9_-]{43}");
	}

	private static String digest(byte[] signingInput) {
		try {
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(signingInput));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

}
