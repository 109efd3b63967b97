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

package io.secureagent.canonical;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An immutable JSON value as produced by {@link StrictJsonParser}: the one tree from
 * which signatures are checked and application objects are built.
 *
 * @author secure-agent authors
 */
public sealed interface JsonValue permits JsonValue.JsonObject, JsonValue.JsonArray, JsonValue.JsonString,
		JsonValue.JsonNumber, JsonValue.JsonBoolean, JsonValue.JsonNull {

	/**
	 * A JSON object whose member names are unique, in document order.
	 *
	 * @param members the members
	 */
	record JsonObject(Map<String, JsonValue> members) implements JsonValue {

		public JsonObject {
			if (!(members instanceof OwnedMembers)) {
				LinkedHashMap<String, JsonValue> copy = new LinkedHashMap<>(members);
				// a JSON member has a name and a value; JSON null is JsonNull
				copy.forEach((name, value) -> {
					Objects.requireNonNull(name, "member names cannot be null");
					Objects.requireNonNull(value, "member values cannot be null: use JsonNull");
				});
				members = new OwnedMembers(copy);
			}
		}

		/**
		 * An object over members that no one else holds: the map is not copied.
		 * @param members a map that the caller gives up
		 * @return the object
		 */
		static JsonObject owning(LinkedHashMap<String, JsonValue> members) {
			return new JsonObject(new OwnedMembers(members));
		}

		static JsonObject owning(String[] names, JsonValue[] values, int from, int to) {
			return new JsonObject(new OwnedMembers(names, values, from, to));
		}

		public @Nullable JsonValue get(String name) {
			return this.members.get(name);
		}

		/**
		 * Return a copy of this object without the named member.
		 * @param name the member to leave out
		 * @return the copy
		 */
		public JsonObject without(String name) {
			LinkedHashMap<String, JsonValue> copy = new LinkedHashMap<>(this.members);
			copy.remove(name);
			return owning(copy);
		}

		/**
		 * Return a copy of this object with the named member added or replaced.
		 * @param name the member name
		 * @param value the member value
		 * @return the copy
		 */
		public JsonObject with(String name, JsonValue value) {
			Objects.requireNonNull(name, "member names cannot be null");
			Objects.requireNonNull(value, "member values cannot be null: use JsonNull");
			LinkedHashMap<String, JsonValue> copy = new LinkedHashMap<>(this.members);
			copy.put(name, value);
			return owning(copy);
		}

	}

	/**
	 * A JSON array.
	 *
	 * @param elements the elements
	 */
	record JsonArray(List<JsonValue> elements) implements JsonValue {

		public JsonArray {
			elements = List.copyOf(elements);
		}

	}

	/**
	 * A JSON string, free of lone surrogates and noncharacters.
	 *
	 * @param value the string value
	 */
	record JsonString(String value) implements JsonValue {

		public JsonString {
			Objects.requireNonNull(value, "value cannot be null");
		}

	}

	/**
	 * A JSON number that an IEEE 754 double represents (I-JSON, RFC 7493 section 2.2).
	 *
	 * @param value the number
	 */
	record JsonNumber(double value) implements JsonValue {

		public JsonNumber {
			if (!Double.isFinite(value)) {
				throw new IllegalArgumentException("JSON numbers are finite");
			}
			if (value == 0) {
				// -0 and 0 are one number in JSON and one in the canonical form (RFC
				// 8785)
				value = 0.0;
			}
		}

		/**
		 * Whether this number is an integer that a double holds exactly.
		 * @return whether it is a safe integer
		 */
		public boolean isSafeInteger() {
			return this.value == Math.rint(this.value) && Math.abs(this.value) <= StrictJsonParser.MAX_SAFE_INTEGER;
		}

	}

	/**
	 * A JSON boolean.
	 *
	 * @param value the boolean
	 */
	record JsonBoolean(boolean value) implements JsonValue {

		/** The {@code true} literal. */
		public static final JsonBoolean TRUE = new JsonBoolean(true);

		/** The {@code false} literal. */
		public static final JsonBoolean FALSE = new JsonBoolean(false);

	}

	/**
	 * The JSON {@code null} literal.
	 */
	record JsonNull() implements JsonValue {

		/** The single instance. */
		public static final JsonNull INSTANCE = new JsonNull();

	}

}
