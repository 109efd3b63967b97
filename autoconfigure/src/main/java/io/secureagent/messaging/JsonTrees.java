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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonBoolean;
import io.secureagent.canonical.JsonValue.JsonNull;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import tools.jackson.databind.JsonNode;

/**
 * Converts Jackson's tree of an answer record into a {@link JsonValue} tree to sign, node
 * by node, so that no text is parsed or written on the way.
 *
 * @author secure-agent authors
 */
final class JsonTrees {

	private JsonTrees() {
	}

	static JsonValue fromJackson(JsonNode node) {
		if (node.isObject()) {
			Map<String, JsonValue> members = new LinkedHashMap<>();
			for (Map.Entry<String, JsonNode> property : node.properties()) {
				members.put(property.getKey(), fromJackson(property.getValue()));
			}
			return new JsonObject(members);
		}
		if (node.isArray()) {
			List<JsonValue> elements = new ArrayList<>();
			for (JsonNode element : node.values()) {
				elements.add(fromJackson(element));
			}
			return new JsonArray(elements);
		}
		if (node.isString()) {
			return new JsonString(node.stringValue());
		}
		if (node.isNumber()) {
			return new JsonNumber(node.doubleValue());
		}
		if (node.isBoolean()) {
			return node.booleanValue() ? JsonBoolean.TRUE : JsonBoolean.FALSE;
		}
		if (node.isNull() || node.isMissingNode()) {
			return JsonNull.INSTANCE;
		}
		throw new IllegalArgumentException("JSON node of type " + node.getNodeType() + " has no JSON form");
	}

}
