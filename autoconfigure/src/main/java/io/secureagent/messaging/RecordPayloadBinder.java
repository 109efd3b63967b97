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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonValue;
import io.secureagent.verification.PayloadBinder;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binds verified payloads to {@link AgentMessage} records with a strict mapper derived
 * from the application's {@link JsonMapper}: unknown fields, missing and null record
 * components, and every coercion between JSON types (a string for a number, a number for
 * a string, a float for an integer, a scalar for an array) are refused; then Bean
 * Validation runs. Violations are reported by field path and rule, never with the value.
 *
 * @author secure-agent authors
 */
public final class RecordPayloadBinder implements PayloadBinder {

	private final MessageTypes types;

	private final JsonMapper mapper;

	private final Validator validator;

	// one reader per record type: its root deserializer is found once, not per message
	private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();

	/**
	 * Create a binder.
	 * @param types the registered message types
	 * @param mapper the application's mapper; a strict copy is derived from it
	 * @param validator the Bean Validation validator
	 */
	public RecordPayloadBinder(MessageTypes types, JsonMapper mapper, Validator validator) {
		this.types = Objects.requireNonNull(types, "types cannot be null");
		this.validator = Objects.requireNonNull(validator, "validator cannot be null");
		this.mapper = strict(Objects.requireNonNull(mapper, "mapper cannot be null"));
	}

	static JsonMapper strict(JsonMapper mapper) {
		return mapper.rebuild()
			.addModule(ConstructorInstantiators.module())
			.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
					DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
					DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
					DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES,
					DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
			.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.withCoercionConfigDefaults((config) -> {
				for (CoercionInputShape shape : CoercionInputShape.values()) {
					config.setCoercion(shape, CoercionAction.Fail);
				}
			})
			// every JSON number is a double, and the canonical form (RFC 8785) writes a
			// whole one as an integer: 2.0 arrives as 2, and binds to a double, float or
			// BigDecimal field as the number it is
			.withCoercionConfig(LogicalType.Float,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert))
			.build();
	}

	@Override
	public Binding bind(String type, JsonValue payload) {
		Class<?> recordType = this.types.find(type).orElse(null);
		if (recordType == null) {
			return new Binding.UnknownType();
		}
		Object value;
		try {
			// Jackson reads the payload's canonical form: its own parser on bytes is
			// cheaper than a second tree of nodes, and it sees the tokens the tree gave:
			// a number that is a safe integer (1.0 and 1e2 on the wire too) is an
			// integer, any other a float
			value = reader(recordType).readValue(JsonCanonicalizer.canonicalize(payload));
		}
		catch (JacksonException ex) {
			return new Binding.Invalid(List.of(path(ex) + ": " + rule(ex)));
		}
		if (value == null) {
			return new Binding.Invalid(List.of("$: must be an object"));
		}
		List<String> violations = violations(value);
		if (!violations.isEmpty()) {
			return new Binding.Invalid(violations);
		}
		return new Binding.Bound(value);
	}

	private ObjectReader reader(Class<?> recordType) {
		return this.readers.computeIfAbsent(recordType, this.mapper::readerFor);
	}

	/**
	 * Check a record against its Bean Validation constraints, as a receiver would.
	 * @param value the record
	 * @return each violation as a field path and a rule, sorted; empty when valid
	 */
	public List<String> violations(Object value) {
		List<String> described = new ArrayList<>();
		for (ConstraintViolation<Object> violation : this.validator.validate(value)) {
			String path = violation.getPropertyPath().toString();
			described.add((path.isEmpty() ? "$" : path) + ": " + violation.getMessage());
		}
		described.sort(null);
		return described;
	}

	/**
	 * Turn a response record into a JSON tree to sign.
	 * @param value the record
	 * @return its tree
	 * @throws UnrepresentableValueException if it holds a number that no receiver would
	 * read as the same value
	 */
	public JsonValue toJson(Object value) {
		return JsonTrees.fromJackson(this.mapper.valueToTree(value));
	}

	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.isEmpty() ? "$" : path.toString();
	}

	private static String rule(JacksonException ex) {
		if (ex instanceof UnrecognizedPropertyException) {
			return "unknown field";
		}
		if (ex instanceof InvalidNullException) {
			return "must not be null";
		}
		if (ex instanceof MismatchedInputException mismatched && mismatched.getOriginalMessage() != null
				&& mismatched.getOriginalMessage().startsWith("Missing")) {
			return "required field is missing";
		}
		if (ex instanceof MismatchedInputException) {
			return "wrong JSON type";
		}
		return "cannot be read as the declared type";
	}

}
