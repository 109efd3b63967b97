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
package io.secureagent.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonBoolean;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.MalformedJsonException;
import io.secureagent.canonical.StrictJsonParser;
import org.jspecify.annotations.Nullable;

/**
 * A trace in concrete values, as the solver found it: the honest messages, the deliveries
 * (each a message and where, when and in which direction it arrived), the decision the
 * specification makes on each, and the values of the specification's functions (the rules
 * and handlers of the agents). Written as JSON, it is the input of the replay against the
 * real pipeline.
 *
 * @param specification the specification it was found in
 * @param invariant the invariant it breaks, or 0
 * @param agents the agents, by index
 * @param kinds the message kinds, by index
 * @param originals the honest messages
 * @param deliveries the deliveries, in order
 * @param decisions the specification's decision on each delivery
 * @param functions each function's table, arguments to value
 * @author secure-agent authors
 */
record Counterexample(String specification, int invariant, List<String> agents, List<String> kinds,
		List<Map<String, Object>> originals, List<Map<String, Object>> deliveries, List<Decision> decisions,
		Map<String, Map<List<Integer>, Object>> functions) {

	String agent(Map<String, Object> values, String field) {
		return this.agents.get((Integer) values.get(field));
	}

	String kind(Map<String, Object> values) {
		return this.kinds.get((Integer) values.get("type"));
	}

	boolean holds(String function, Integer... args) {
		return (Boolean) this.functions.get(function).get(List.of(args));
	}

	int value(String function, Integer... args) {
		return (Integer) this.functions.get(function).get(List.of(args));
	}

	/** The trace as readable JSON, one delivery per line. */
	String toJson() {
		StringBuilder json = new StringBuilder();
		json.append("{\n  \"specification\": \"").append(this.specification).append("\",\n");
		json.append("  \"invariant\": ").append(this.invariant).append(",\n");
		json.append("  \"agents\": ").append(strings(this.agents)).append(",\n");
		json.append("  \"kinds\": ").append(strings(this.kinds)).append(",\n");
		json.append("  \"originals\": [\n")
			.append(lines(this.originals.stream().map(Counterexample::object).toList()))
			.append("  ],\n");
		json.append("  \"deliveries\": [\n")
			.append(lines(this.deliveries.stream().map(Counterexample::object).toList()))
			.append("  ],\n");
		json.append("  \"decisions\": [\n")
			.append(lines(this.decisions.stream().map(Decision::toJson).toList()))
			.append("  ],\n");
		json.append("  \"functions\": {\n");
		List<String> tables = new ArrayList<>();
		this.functions.forEach((name,
				table) -> tables.add("    \"" + name + "\": [" + table.entrySet()
					.stream()
					.map((entry) -> "[" + entry.getKey().stream().map(String::valueOf).collect(Collectors.joining(", "))
							+ ", " + entry.getValue() + "]")
					.collect(Collectors.joining(", ")) + "]"));
		json.append(String.join(",\n", tables)).append("\n  }\n}\n");
		return json.toString();
	}

	static Counterexample fromJson(byte[] json) {
		JsonObject root;
		try {
			root = (JsonObject) new StrictJsonParser(new JsonLimits(1 << 22, 16, 1 << 16, 100_000)).parse(json);
		}
		catch (MalformedJsonException ex) {
			throw new IllegalArgumentException(ex);
		}
		Map<String, Map<List<Integer>, Object>> functions = new LinkedHashMap<>();
		Specification.object(root, "functions").members().forEach((name, value) -> {
			Map<List<Integer>, Object> table = new LinkedHashMap<>();
			for (JsonValue row : ((JsonArray) value).elements()) {
				List<JsonValue> cells = ((JsonArray) row).elements();
				List<Integer> args = new ArrayList<>();
				for (JsonValue cell : cells.subList(0, cells.size() - 1)) {
					args.add((int) ((JsonNumber) cell).value());
				}
				table.put(List.copyOf(args), scalar(cells.get(cells.size() - 1)));
			}
			functions.put(name, table);
		});
		List<Decision> decisions = new ArrayList<>();
		for (JsonValue value : Specification.array(root, "decisions")) {
			JsonObject decision = (JsonObject) value;
			decisions.add(new Decision(Specification.string(decision, "direction"),
					((JsonBoolean) decision.get("accepted")).value(), optional(decision.get("check")),
					optional(decision.get("reason")), Specification.strings(Specification.array(decision, "wrote"))));
		}
		return new Counterexample(Specification.string(root, "specification"),
				(int) ((JsonNumber) root.get("invariant")).value(),
				Specification.strings(Specification.array(root, "agents")),
				Specification.strings(Specification.array(root, "kinds")), maps(Specification.array(root, "originals")),
				maps(Specification.array(root, "deliveries")), decisions, functions);
	}

	private static @Nullable String optional(@Nullable JsonValue value) {
		return (value instanceof JsonString string) ? string.value() : null;
	}

	private static List<Map<String, Object>> maps(List<JsonValue> values) {
		List<Map<String, Object>> maps = new ArrayList<>();
		for (JsonValue value : values) {
			Map<String, Object> map = new LinkedHashMap<>();
			((JsonObject) value).members().forEach((name, member) -> map.put(name, scalar(member)));
			maps.add(map);
		}
		return maps;
	}

	private static Object scalar(JsonValue value) {
		if (value instanceof JsonBoolean bool) {
			return bool.value();
		}
		return (int) ((JsonNumber) value).value();
	}

	private static String strings(List<String> values) {
		return values.stream().map((value) -> "\"" + value + "\"").collect(Collectors.joining(", ", "[", "]"));
	}

	private static String object(Map<String, Object> values) {
		return values.entrySet()
			.stream()
			.map((entry) -> "\"" + entry.getKey() + "\": " + entry.getValue())
			.collect(Collectors.joining(", ", "{", "}"));
	}

	private static String lines(List<String> lines) {
		return lines.stream().map((line) -> "    " + line).collect(Collectors.joining(",\n", "", "\n"));
	}

	/**
	 * What the specification decides on one delivery.
	 *
	 * @param direction the direction it arrived in
	 * @param accepted whether it was accepted
	 * @param check the first check it fails, or {@code null}
	 * @param reason that check's reason, or {@code null}
	 * @param wrote the stores it wrote
	 */
	record Decision(String direction, boolean accepted, @Nullable String check, @Nullable String reason,
			List<String> wrote) {

		String toJson() {
			return "{\"direction\": \"" + this.direction + "\", \"accepted\": " + this.accepted + ", \"check\": "
					+ quoted(this.check) + ", \"reason\": " + quoted(this.reason) + ", \"wrote\": "
					+ strings(this.wrote) + "}";
		}

		private static String quoted(@Nullable String value) {
			return (value != null) ? "\"" + value + "\"" : "null";
		}

	}

}
