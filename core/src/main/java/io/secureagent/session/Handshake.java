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
package io.secureagent.session;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.crypto.X25519KeyShare;
import io.spiffe.exception.InvalidSpiffeIdException;
import io.spiffe.spiffeid.SpiffeId;

/**
 * The payloads of the two handshake messages, {@code session.init} and
 * {@code session.accept}, and their strict reading.
 *
 * @author secure-agent authors
 */
public final class Handshake {

	/** The type of the initiator's message. */
	public static final String INIT = "session.init";

	/** The type of the responder's message. */
	public static final String ACCEPT = "session.accept";

	private static final int MAX_LIST = 16;

	private Handshake() {
	}

	/**
	 * Whether a message type is a handshake type.
	 * @param type the type
	 * @return whether it is {@link #INIT} or {@link #ACCEPT}
	 */
	public static boolean isHandshake(String type) {
		return INIT.equals(type) || ACCEPT.equals(type);
	}

	/**
	 * The payload of {@code session.init}.
	 *
	 * @param ephemeralKey the initiator's X25519 public key
	 * @param versions the protocol versions offered, most preferred first
	 * @param suites the AEAD suites offered, most preferred first
	 * @param initiator the initiator's SPIFFE ID, which must be the envelope's sender
	 * @param responder the responder's SPIFFE ID, which must be the envelope's recipient
	 */
	public record Init(byte[] ephemeralKey, List<String> versions, List<String> suites, SpiffeId initiator,
			SpiffeId responder) {

		public Init {
			versions = List.copyOf(versions);
			suites = List.copyOf(suites);
		}

		JsonObject toJson() {
			Map<String, JsonValue> members = new LinkedHashMap<>();
			members.put("ephemeralKey", base64url(this.ephemeralKey));
			members.put("versions", strings(this.versions));
			members.put("suites", strings(this.suites));
			members.put("initiator", new JsonString(this.initiator.toString()));
			members.put("responder", new JsonString(this.responder.toString()));
			return new JsonObject(members);
		}

		static Init read(JsonValue payload) throws MalformedHandshakeException {
			JsonObject object = object(payload, Set.of("ephemeralKey", "versions", "suites", "initiator", "responder"));
			return new Init(key(object), stringList(object, "versions"), stringList(object, "suites"),
					spiffeId(object, "initiator"), spiffeId(object, "responder"));
		}

	}

	/**
	 * The payload of {@code session.accept}.
	 *
	 * @param ephemeralKey the responder's X25519 public key
	 * @param version the protocol version chosen
	 * @param suite the AEAD suite chosen
	 * @param versions the versions the responder supports, most preferred first
	 * @param suites the suites the responder supports, most preferred first
	 * @param sessionId the session id, chosen by the responder
	 * @param initHash SHA-256 of the canonical init envelope this answers
	 * @param initiator the initiator's SPIFFE ID, which must be the envelope's recipient
	 * @param responder the responder's SPIFFE ID, which must be the envelope's sender
	 */
	public record Accept(byte[] ephemeralKey, String version, String suite, List<String> versions, List<String> suites,
			String sessionId, byte[] initHash, SpiffeId initiator, SpiffeId responder) {

		public Accept {
			versions = List.copyOf(versions);
			suites = List.copyOf(suites);
		}

		JsonObject toJson() {
			Map<String, JsonValue> members = new LinkedHashMap<>();
			members.put("ephemeralKey", base64url(this.ephemeralKey));
			members.put("version", new JsonString(this.version));
			members.put("suite", new JsonString(this.suite));
			members.put("versions", strings(this.versions));
			members.put("suites", strings(this.suites));
			members.put("sessionId", new JsonString(this.sessionId));
			members.put("initHash", base64url(this.initHash));
			members.put("initiator", new JsonString(this.initiator.toString()));
			members.put("responder", new JsonString(this.responder.toString()));
			return new JsonObject(members);
		}

		static Accept read(JsonValue payload) throws MalformedHandshakeException {
			JsonObject object = object(payload, Set.of("ephemeralKey", "version", "suite", "versions", "suites",
					"sessionId", "initHash", "initiator", "responder"));
			String sessionId = string(object, "sessionId");
			if (!sessionId.matches("[A-Za-z0-9_-]{22,128}")) {
				throw new MalformedHandshakeException("sessionId must be 22 to 128 base64url characters");
			}
			byte[] initHash = bytes(object, "initHash");
			if (initHash.length != 32) {
				throw new MalformedHandshakeException("initHash must be 32 bytes");
			}
			return new Accept(key(object), string(object, "version"), string(object, "suite"),
					stringList(object, "versions"), stringList(object, "suites"), sessionId, initHash,
					spiffeId(object, "initiator"), spiffeId(object, "responder"));
		}

	}

	private static JsonObject object(JsonValue payload, Set<String> members) throws MalformedHandshakeException {
		if (!(payload instanceof JsonObject object) || !object.members().keySet().equals(members)) {
			throw new MalformedHandshakeException("handshake payload must have exactly the members " + members);
		}
		return object;
	}

	private static String string(JsonObject object, String name) throws MalformedHandshakeException {
		if (object.get(name) instanceof JsonString string && string.value().length() <= 2048) {
			return string.value();
		}
		throw new MalformedHandshakeException(name + " must be a string");
	}

	private static List<String> stringList(JsonObject object, String name) throws MalformedHandshakeException {
		if (!(object.get(name) instanceof JsonArray array) || array.elements().isEmpty()
				|| array.elements().size() > MAX_LIST) {
			throw new MalformedHandshakeException(name + " must be an array of 1 to " + MAX_LIST + " strings");
		}
		List<String> values = new ArrayList<>();
		for (JsonValue element : array.elements()) {
			if (!(element instanceof JsonString string) || values.contains(string.value())) {
				throw new MalformedHandshakeException(name + " must hold distinct strings");
			}
			values.add(string.value());
		}
		return values;
	}

	private static SpiffeId spiffeId(JsonObject object, String name) throws MalformedHandshakeException {
		try {
			return SpiffeId.parse(string(object, name));
		}
		catch (IllegalArgumentException | InvalidSpiffeIdException ex) {
			throw new MalformedHandshakeException(name + " must be a SPIFFE ID");
		}
	}

	private static byte[] key(JsonObject object) throws MalformedHandshakeException {
		byte[] key = bytes(object, "ephemeralKey");
		if (key.length != X25519KeyShare.LENGTH) {
			throw new MalformedHandshakeException("ephemeralKey must be 32 bytes");
		}
		return key;
	}

	private static byte[] bytes(JsonObject object, String name) throws MalformedHandshakeException {
		String text = string(object, name);
		try {
			byte[] bytes = Base64.getUrlDecoder().decode(text);
			if (Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(text)) {
				return bytes;
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw new MalformedHandshakeException(name + " must be canonical base64url");
	}

	private static JsonString base64url(byte[] bytes) {
		return new JsonString(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
	}

	private static JsonArray strings(List<String> values) {
		return new JsonArray(values.stream().<JsonValue>map(JsonString::new).toList());
	}

	/**
	 * Thrown when a handshake payload is not well formed.
	 */
	public static final class MalformedHandshakeException extends Exception {

		MalformedHandshakeException(String message) {
			super(message, null, false, false);
		}

	}

}
