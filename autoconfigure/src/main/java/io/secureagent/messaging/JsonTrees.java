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
package io.secureagent.messaging;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonBoolean;
import io.secureagent.canonical.JsonValue.JsonNull;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.StrictJsonParser;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.POJONode;

/**
 * Converts Jackson's tree of a record to send (a request or an answer) into a
 * {@link JsonValue} tree to sign, node by node, so that no text is parsed or written on
 * the way.
 *
 * @author secure-agent authors
 */
final class JsonTrees {

	private static final double MAX_SAFE_INTEGER = StrictJsonParser.MAX_SAFE_INTEGER;

	private JsonTrees() {
	}

	/**
	 * Convert a tree. A number that the protocol's receivers would refuse, or would read
	 * as another value, is refused here, naming its field; a byte array becomes base64.
	 * @param node Jackson's tree
	 * @return the same tree
	 * @throws UnrepresentableValueException if a number has no exact I-JSON form, or a
	 * value no JSON form at all
	 */
	static JsonValue fromJackson(JsonNode node) {
		return fromJackson(node, new StringBuilder());
	}

	private static JsonValue fromJackson(JsonNode node, StringBuilder path) {
		if (node.isObject()) {
			Map<String, JsonValue> members = new LinkedHashMap<>();
			int length = path.length();
			for (Map.Entry<String, JsonNode> property : node.properties()) {
				if (length > 0) {
					path.append('.');
				}
				path.append(property.getKey());
				members.put(property.getKey(), fromJackson(property.getValue(), path));
				path.setLength(length);
			}
			return new JsonObject(members);
		}
		if (node.isArray()) {
			List<JsonValue> elements = new ArrayList<>();
			int length = path.length();
			for (JsonNode element : node.values()) {
				path.append('[').append(elements.size()).append(']');
				elements.add(fromJackson(element, path));
				path.setLength(length);
			}
			return new JsonArray(elements);
		}
		if (node.isString()) {
			return new JsonString(node.stringValue());
		}
		if (node.isNumber()) {
			return number(node, path);
		}
		if (node.isBoolean()) {
			return node.booleanValue() ? JsonBoolean.TRUE : JsonBoolean.FALSE;
		}
		if (node.isNull() || node.isMissingNode()) {
			return JsonNull.INSTANCE;
		}
		byte[] binary = binary(node);
		if (binary != null) {
			// as Jackson writes and reads byte arrays: base64 with padding
			return new JsonString(Base64.getEncoder().encodeToString(binary));
		}
		throw unrepresentable(path, "value of type " + node.getNodeType() + " has no JSON form");
	}

	/**
	 * The same rules as the receiver's parser ({@link StrictJsonParser}), applied to the
	 * value before it is written: a receiver holds every number as a double, and reads
	 * the canonical form (RFC 8785) of the double this side writes.
	 */
	private static JsonNumber number(JsonNode node, StringBuilder path) {
		if (node.isIntegralNumber()) {
			if (node.canConvertToLong() && Math.abs((double) node.longValue()) <= MAX_SAFE_INTEGER) {
				return new JsonNumber(node.longValue());
			}
			throw unrepresentable(path, "integer outside ±(2^53-1)");
		}
		// a decimal's own conversion: Jackson's refuses one beyond a double's range
		double value = node.isBigDecimal() ? node.decimalValue().doubleValue() : node.doubleValue();
		if (!Double.isFinite(value)) {
			throw unrepresentable(path, "not a finite number");
		}
		if (node.isBigDecimal()) {
			// the receiver reads the shortest decimal of the nearest double: a decimal
			// with more precision would arrive as another value
			BigDecimal written = new BigDecimal(
					new String(JsonCanonicalizer.canonicalize(new JsonNumber(value)), StandardCharsets.US_ASCII));
			if (written.compareTo(node.decimalValue()) != 0) {
				// the violation names the field, never its value
				throw unrepresentable(path, "decimal more precise than a double");
			}
		}
		String outside = StrictJsonParser.outsideTheProtocolsRange(value);
		if (outside != null) {
			throw unrepresentable(path, outside);
		}
		return new JsonNumber(value);
	}

	private static byte @Nullable [] binary(JsonNode node) {
		if (node.isBinary()) {
			return node.binaryValue();
		}
		if (node instanceof POJONode pojo && pojo.getPojo() instanceof byte[] bytes) {
			// Jackson's tree holds a record's byte array as the array itself
			return bytes;
		}
		return null;
	}

	private static UnrepresentableValueException unrepresentable(StringBuilder path, String rule) {
		return new UnrepresentableValueException(path.isEmpty() ? "$" : path.toString(), rule);
	}

}
