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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonBoolean;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.MalformedJsonException;
import io.secureagent.canonical.StrictJsonParser;

/**
 * The protocol's specification, {@code docs/spec/secure-agent-1.json}, read into checks,
 * invariants and the symbols the model is generated from. It is immutable; a mutation
 * returns a changed copy, so that a test can show what the solver makes of a weaker
 * protocol.
 *
 * @author secure-agent authors
 */
final class Specification {

	static final Path FILE = Path.of("../docs/spec/secure-agent-1.json");

	static final List<String> DIRECTIONS = List.of("request", "response");

	private final JsonObject root;

	private final Map<String, List<CheckSpec>> checks;

	private final String label;

	private final String resend;

	private Specification(JsonObject root, Map<String, List<CheckSpec>> checks, String label, String resend) {
		this.root = root;
		this.checks = checks;
		this.label = label;
		this.resend = resend;
	}

	static Specification load() {
		try {
			return parse(Files.readAllBytes(FILE));
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read " + FILE.toAbsolutePath(), ex);
		}
	}

	static Specification parse(byte[] json) {
		JsonValue value;
		try {
			value = new StrictJsonParser(new JsonLimits(1 << 20, 64, 1 << 16, 10_000)).parse(json);
		}
		catch (MalformedJsonException ex) {
			throw new IllegalArgumentException("the specification is not strict JSON: " + ex.getMessage(), ex);
		}
		JsonObject root = (JsonObject) value;
		Map<String, List<CheckSpec>> checks = new LinkedHashMap<>();
		JsonObject directions = object(root, "directions");
		JsonObject shared = object(root, "sharedChecks");
		for (String direction : DIRECTIONS) {
			List<CheckSpec> list = new ArrayList<>();
			for (JsonValue element : array(object(directions, direction), "checks")) {
				JsonObject check = (JsonObject) element;
				list.add(CheckSpec.of(resolve(check, directions, shared)));
			}
			checks.put(direction, List.copyOf(list));
		}
		return new Specification(root, Map.copyOf(checks), "secure-agent-1", string(object(root, "honest"), "resend"));
	}

	private static JsonObject resolve(JsonObject check, JsonObject directions, JsonObject shared) {
		JsonValue ref = check.get("$ref");
		if (ref == null) {
			return check;
		}
		String target = ((JsonString) ref).value();
		int slash = target.indexOf('/');
		if (slash < 0) {
			return object(shared, target);
		}
		String direction = target.substring(0, slash);
		String name = target.substring(slash + 1);
		for (JsonValue element : array(object(directions, direction), "checks")) {
			JsonObject candidate = (JsonObject) element;
			if (candidate.get("name") instanceof JsonString value && value.value().equals(name)) {
				return candidate;
			}
		}
		throw new IllegalArgumentException("unresolved reference " + target);
	}

	String label() {
		return this.label;
	}

	JsonObject root() {
		return this.root;
	}

	List<CheckSpec> checks(String direction) {
		List<CheckSpec> list = this.checks.get(direction);
		if (list == null) {
			throw new IllegalArgumentException("no direction " + direction);
		}
		return list;
	}

	Map<String, Integer> integerConstants() {
		Map<String, Integer> constants = new LinkedHashMap<>();
		object(this.root, "constants").members().forEach((name, value) -> {
			if (value instanceof JsonNumber number) {
				constants.put(name, (int) number.value());
			}
		});
		return constants;
	}

	Map<String, Boolean> booleanConstants() {
		Map<String, Boolean> constants = new LinkedHashMap<>();
		object(this.root, "constants").members().forEach((name, value) -> {
			if (value instanceof JsonBoolean bool) {
				constants.put(name, bool.value());
			}
		});
		return constants;
	}

	/**
	 * Return what an honest sender's resend may be: {@code unique} (no resend),
	 * {@code same-expiry} or {@code any-expiry}.
	 * @return the rule
	 */
	String honestResend() {
		return this.resend;
	}

	/**
	 * Return a copy in which honest senders resend by another rule.
	 * @param resend the rule
	 * @param label what the copy is
	 * @return the copy
	 */
	Specification withHonestResend(String resend, String label) {
		return new Specification(this.root, this.checks, label, resend);
	}

	List<String> agents() {
		return List.copyOf(object(this.root, "agents").members().keySet());
	}

	String role(String agent) {
		return string(object(object(this.root, "agents"), agent), "role");
	}

	List<String> kinds() {
		List<String> kinds = new ArrayList<>();
		for (JsonValue kind : array(this.root, "kinds")) {
			kinds.add(string((JsonObject) kind, "symbol"));
		}
		return kinds;
	}

	/**
	 * Return the directions a kind may arrive in.
	 * @param kind the kind's symbol
	 * @return the directions
	 */
	List<String> arrivals(String kind) {
		for (JsonValue value : array(this.root, "kinds")) {
			JsonObject object = (JsonObject) value;
			if (string(object, "symbol").equals(kind)) {
				return strings(array(object, "arrives"));
			}
		}
		throw new IllegalArgumentException("no kind " + kind);
	}

	JsonObject functions() {
		return object(this.root, "functions");
	}

	List<JsonValue> axioms() {
		return array(this.root, "axioms");
	}

	JsonObject macros() {
		return object(this.root, "macros");
	}

	JsonObject stores() {
		return object(this.root, "stores");
	}

	List<String> sessionStates(String role) {
		return strings(array(object(object(this.root, "sessionStates"), role), "states"));
	}

	List<JsonObject> sessionTransitions(String role) {
		List<JsonObject> transitions = new ArrayList<>();
		for (JsonValue value : array(object(object(this.root, "sessionStates"), role), "transitions")) {
			transitions.add((JsonObject) value);
		}
		return transitions;
	}

	List<Invariant> invariants() {
		List<Invariant> invariants = new ArrayList<>();
		for (JsonValue value : array(this.root, "invariants")) {
			JsonObject object = (JsonObject) value;
			invariants.add(new Invariant((int) ((JsonNumber) object.get("id")).value(), string(object, "name"),
					string(object, "statement"), object.get("holds")));
		}
		return invariants;
	}

	Invariant invariant(int id) {
		return invariants().stream()
			.filter((invariant) -> invariant.id() == id)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no invariant " + id));
	}

	int bound(String name) {
		return (int) ((JsonNumber) object(this.root, "bounds").get(name)).value();
	}

	List<String> receivers() {
		return strings(array(object(this.root, "bounds"), "receivers"));
	}

	/**
	 * Return a copy whose checks of one direction are changed.
	 * @param direction the direction
	 * @param change the change to its list of checks
	 * @param label what the copy is
	 * @return the copy
	 */
	Specification withChecks(String direction, UnaryOperator<List<CheckSpec>> change, String label) {
		Map<String, List<CheckSpec>> changed = new LinkedHashMap<>(this.checks);
		changed.put(direction, List.copyOf(change.apply(new ArrayList<>(checks(direction)))));
		return new Specification(this.root, Map.copyOf(changed), label, this.resend);
	}

	/**
	 * Return a copy in which one clause of a check, in every direction that has it, has
	 * another condition (or is gone, for {@code null}).
	 * @param check the check's name
	 * @param index the clause's index
	 * @param pass the new condition, or {@code null} to drop the clause
	 * @param label what the copy is
	 * @return the copy
	 */
	Specification withClause(String check, int index, JsonValue pass, String label) {
		Specification result = this;
		for (String direction : DIRECTIONS) {
			result = result.withChecks(direction, (list) -> {
				list.replaceAll((spec) -> spec.name().equals(check) ? spec.withClause(index, pass) : spec);
				return list;
			}, label);
		}
		return result;
	}

	static JsonObject object(JsonObject object, String name) {
		if (!(object.get(name) instanceof JsonObject member)) {
			throw new IllegalArgumentException("the specification has no object " + name);
		}
		return member;
	}

	static List<JsonValue> array(JsonObject object, String name) {
		if (!(object.get(name) instanceof JsonArray member)) {
			throw new IllegalArgumentException("the specification has no array " + name);
		}
		return member.elements();
	}

	static String string(JsonObject object, String name) {
		if (!(object.get(name) instanceof JsonString member)) {
			throw new IllegalArgumentException("the specification has no string " + name);
		}
		return member.value();
	}

	static List<String> strings(List<JsonValue> values) {
		return values.stream().map((value) -> ((JsonString) value).value()).toList();
	}

	/**
	 * One check: its reasons, what it reads and writes, and the clauses the model
	 * evaluates in order, each with the reason it refuses with.
	 */
	record CheckSpec(String name, Set<String> reasons, List<String> reads, List<String> writes, boolean commit,
			List<Clause> clauses) {

		static CheckSpec of(JsonObject object) {
			List<Clause> clauses = new ArrayList<>();
			for (JsonValue value : array(object, "clauses")) {
				JsonObject clause = (JsonObject) value;
				clauses.add(new Clause(string(clause, "reason"), clause.get("pass")));
			}
			return new CheckSpec(string(object, "name"), new LinkedHashSet<>(strings(array(object, "reasons"))),
					strings(array(object, "reads")), strings(array(object, "writes")),
					object.get("commit") instanceof JsonBoolean commit && commit.value(), List.copyOf(clauses));
		}

		CheckSpec withClause(int index, JsonValue pass) {
			List<Clause> changed = new ArrayList<>(this.clauses);
			if (pass == null) {
				changed.remove(index);
			}
			else {
				changed.set(index, new Clause(changed.get(index).reason(), pass));
			}
			return new CheckSpec(this.name, this.reasons, this.reads, this.writes, this.commit, List.copyOf(changed));
		}

	}

	/** A condition that must hold for the check to pass, and its refusal's reason. */
	record Clause(String reason, JsonValue pass) {
	}

	/** A property of every trace, as a condition on each of its deliveries. */
	record Invariant(int id, String name, String statement, JsonValue holds) {
	}

}
