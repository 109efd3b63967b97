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
package io.secureagent.negotiation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonNull;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.spiffe.spiffeid.SpiffeId;
import org.jspecify.annotations.Nullable;

/**
 * What an agent speaks: its SPIFFE ID, protocol versions, AEAD suites, signature
 * algorithms, and message types with their versions, JSON Schemas and sunsets. It travels
 * as the signed payload of a {@code capability.document} envelope (from the well-known
 * path) or of a {@code capability.response} (answering a {@code capability.request}).
 *
 * @param agent the agent's SPIFFE ID, which must be the envelope's sender
 * @param protocolVersions protocol versions, most preferred first
 * @param suites AEAD suites, most preferred first
 * @param algorithms signature algorithms accepted
 * @param messageTypes message types accepted
 * @param protocolSunsets sunset of each deprecated protocol version
 * @author secure-agent authors
 */
public record CapabilityDocument(SpiffeId agent, List<String> protocolVersions, List<String> suites,
		List<String> algorithms, List<MessageType> messageTypes, Map<String, Instant> protocolSunsets) {

	/** The type of the document served at the well-known path. */
	public static final String DOCUMENT = "capability.document";

	/** The type of a request for the document as a message. */
	public static final String REQUEST = "capability.request";

	/** The type of the answer to a {@link #REQUEST}. */
	public static final String RESPONSE = "capability.response";

	/** The well-known path of the document. */
	public static final String WELL_KNOWN_PATH = "/.well-known/secure-agent";

	public CapabilityDocument {
		Objects.requireNonNull(agent, "agent cannot be null");
		protocolVersions = List.copyOf(protocolVersions);
		suites = List.copyOf(suites);
		algorithms = List.copyOf(algorithms);
		messageTypes = List.copyOf(messageTypes);
		protocolSunsets = Map.copyOf(protocolSunsets);
	}

	/**
	 * Whether a type is one of the built-in capability types.
	 * @param type the type
	 * @return whether it is
	 */
	public static boolean isCapabilityType(String type) {
		return DOCUMENT.equals(type) || REQUEST.equals(type) || RESPONSE.equals(type);
	}

	/**
	 * Find a message type by its wire type.
	 * @param wireType the wire type
	 * @return the message type, or empty
	 */
	public Optional<MessageType> find(String wireType) {
		return this.messageTypes.stream().filter((type) -> type.wireType().equals(wireType)).findFirst();
	}

	/**
	 * Return the versions accepted of a type name, lowest first.
	 * @param name the type name
	 * @return the versions
	 */
	public List<Integer> versionsOf(String name) {
		return this.messageTypes.stream()
			.map((type) -> TypeVersion.parse(type.wireType()))
			.filter((version) -> version.name().equals(name))
			.map(TypeVersion::version)
			.sorted()
			.toList();
	}

	/**
	 * Return the document as JSON.
	 * @return the JSON tree
	 */
	public JsonObject toJson() {
		Map<String, JsonValue> members = new LinkedHashMap<>();
		members.put("agent", new JsonString(this.agent.toString()));
		members.put("protocolVersions", strings(this.protocolVersions));
		members.put("suites", strings(this.suites));
		members.put("algorithms", strings(this.algorithms));
		List<JsonValue> types = new ArrayList<>();
		for (MessageType type : this.messageTypes) {
			Map<String, JsonValue> entry = new LinkedHashMap<>();
			entry.put("type", new JsonString(type.wireType()));
			entry.put("schema", type.schema());
			entry.put("sunset",
					(type.sunset() != null) ? new JsonNumber(type.sunset().toEpochMilli()) : JsonNull.INSTANCE);
			types.add(new JsonObject(entry));
		}
		members.put("messageTypes", new JsonArray(types));
		Map<String, JsonValue> sunsets = new LinkedHashMap<>();
		this.protocolSunsets.forEach((version, sunset) -> sunsets.put(version, new JsonNumber(sunset.toEpochMilli())));
		members.put("protocolSunsets", new JsonObject(sunsets));
		return new JsonObject(members);
	}

	/**
	 * Read a document from JSON.
	 * @param value the JSON tree
	 * @return the document
	 * @throws IllegalArgumentException if the tree is not a capability document
	 */
	public static CapabilityDocument fromJson(JsonValue value) {
		if (!(value instanceof JsonObject object)) {
			throw new IllegalArgumentException("capability document must be an object");
		}
		List<MessageType> types = new ArrayList<>();
		for (JsonValue element : array(object, "messageTypes")) {
			if (!(element instanceof JsonObject entry) || !(entry.get("type") instanceof JsonString type)) {
				throw new IllegalArgumentException("message types must be objects with a type");
			}
			JsonValue schema = entry.get("schema");
			Instant sunset = (entry.get("sunset") instanceof JsonNumber number && number.isSafeInteger())
					? Instant.ofEpochMilli((long) number.value()) : null;
			types.add(new MessageType(type.value(), (schema != null) ? schema : JsonNull.INSTANCE, sunset));
		}
		Map<String, Instant> sunsets = new LinkedHashMap<>();
		if (object.get("protocolSunsets") instanceof JsonObject protocolSunsets) {
			protocolSunsets.members().forEach((version, sunset) -> {
				if (sunset instanceof JsonNumber number && number.isSafeInteger()) {
					sunsets.put(version, Instant.ofEpochMilli((long) number.value()));
				}
			});
		}
		return new CapabilityDocument(SpiffeId.parse(string(object, "agent")), stringList(object, "protocolVersions"),
				stringList(object, "suites"), stringList(object, "algorithms"), types, sunsets);
	}

	private static String string(JsonObject object, String name) {
		if (object.get(name) instanceof JsonString string) {
			return string.value();
		}
		throw new IllegalArgumentException(name + " must be a string");
	}

	private static List<JsonValue> array(JsonObject object, String name) {
		if (object.get(name) instanceof JsonArray array) {
			return array.elements();
		}
		throw new IllegalArgumentException(name + " must be an array");
	}

	private static List<String> stringList(JsonObject object, String name) {
		List<String> values = new ArrayList<>();
		for (JsonValue element : array(object, name)) {
			if (!(element instanceof JsonString string)) {
				throw new IllegalArgumentException(name + " must hold strings");
			}
			values.add(string.value());
		}
		return values;
	}

	private static JsonArray strings(List<String> values) {
		return new JsonArray(values.stream().<JsonValue>map(JsonString::new).toList());
	}

	/**
	 * A message type an agent accepts.
	 *
	 * @param wireType the type as it travels, version included
	 * @param schema the JSON Schema (2020-12) of its payload
	 * @param sunset when it stops being accepted, if it is deprecated
	 */
	public record MessageType(String wireType, JsonValue schema, @Nullable Instant sunset) {

		public MessageType {
			Objects.requireNonNull(wireType, "wireType cannot be null");
			Objects.requireNonNull(schema, "schema cannot be null");
		}

	}

}
