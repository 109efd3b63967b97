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

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonBoolean;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Negative;
import jakarta.validation.constraints.NegativeOrZero;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * Writes the JSON Schema (draft 2020-12) of an {@link AgentMessage} record, from its
 * components and their Bean Validation constraints, so that the published schema and the
 * validation of inbound payloads agree: every component is required and non-null, no
 * other member is allowed, JSON types are exact (integers for integral components), and
 * {@code @NotBlank}, {@code @NotEmpty}, {@code @Size}, {@code @Min}, {@code @Max},
 * {@code @DecimalMin}, {@code @DecimalMax}, {@code @Positive}, {@code @PositiveOrZero},
 * {@code @Negative}, {@code @NegativeOrZero} and {@code @Pattern} become keywords. Other
 * constraints are enforced but not described.
 *
 * @author secure-agent authors
 */
public final class JsonSchemas {

	private static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

	private JsonSchemas() {
	}

	/**
	 * Return the schema of a record.
	 * @param recordType the record
	 * @return the schema
	 */
	public static JsonObject of(Class<?> recordType) {
		Map<String, JsonValue> schema = new LinkedHashMap<>();
		schema.put("$schema", new JsonString(DIALECT));
		schema.put("title", new JsonString(MessageTypes.typeName(recordType)));
		schema.putAll(recordSchema(recordType).members());
		return new JsonObject(schema);
	}

	private static JsonObject recordSchema(Class<?> recordType) {
		Map<String, JsonValue> properties = new LinkedHashMap<>();
		List<JsonValue> required = new ArrayList<>();
		for (RecordComponent component : recordType.getRecordComponents()) {
			Map<String, JsonValue> property = new LinkedHashMap<>(typeSchema(component.getGenericType()).members());
			constraints(field(recordType, component), component.getType(), property);
			properties.put(component.getName(), new JsonObject(property));
			required.add(new JsonString(component.getName()));
		}
		Map<String, JsonValue> schema = new LinkedHashMap<>();
		schema.put("type", new JsonString("object"));
		schema.put("properties", new JsonObject(properties));
		schema.put("required", new JsonArray(required));
		schema.put("additionalProperties", JsonBoolean.FALSE);
		return new JsonObject(schema);
	}

	private static JsonObject typeSchema(Type type) {
		if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
			Type[] arguments = parameterized.getActualTypeArguments();
			if (Collection.class.isAssignableFrom(raw)) {
				Map<String, JsonValue> schema = new LinkedHashMap<>();
				schema.put("type", new JsonString("array"));
				schema.put("items", typeSchema(arguments[0]));
				if (Set.class.isAssignableFrom(raw)) {
					schema.put("uniqueItems", JsonBoolean.TRUE);
				}
				return new JsonObject(schema);
			}
			if (Map.class.isAssignableFrom(raw)) {
				return new JsonObject(
						Map.of("type", new JsonString("object"), "additionalProperties", typeSchema(arguments[1])));
			}
		}
		if (!(type instanceof Class<?> javaType)) {
			return new JsonObject(Map.of());
		}
		if (javaType == String.class || javaType == Character.class || javaType == char.class) {
			return simple("string");
		}
		if (javaType == boolean.class || javaType == Boolean.class) {
			return simple("boolean");
		}
		if (javaType == int.class || javaType == Integer.class) {
			return integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
		}
		if (javaType == long.class || javaType == Long.class || javaType == BigInteger.class) {
			return integer(-9_007_199_254_740_991L, 9_007_199_254_740_991L);
		}
		if (javaType == short.class || javaType == Short.class) {
			return integer(Short.MIN_VALUE, Short.MAX_VALUE);
		}
		if (javaType == byte.class || javaType == Byte.class) {
			return integer(Byte.MIN_VALUE, Byte.MAX_VALUE);
		}
		if (javaType == double.class || javaType == Double.class || javaType == float.class || javaType == Float.class
				|| javaType == BigDecimal.class) {
			return simple("number");
		}
		if (javaType.isEnum()) {
			List<JsonValue> values = new ArrayList<>();
			for (Object constant : javaType.getEnumConstants()) {
				values.add(new JsonString(((Enum<?>) constant).name()));
			}
			return new JsonObject(Map.of("type", new JsonString("string"), "enum", new JsonArray(values)));
		}
		if (javaType.isRecord()) {
			return recordSchema(javaType);
		}
		if (javaType.isArray()) {
			return new JsonObject(
					Map.of("type", new JsonString("array"), "items", typeSchema(javaType.getComponentType())));
		}
		return new JsonObject(Map.of());
	}

	private static void constraints(Field field, Class<?> type, Map<String, JsonValue> schema) {
		boolean string = type == String.class;
		boolean collection = Collection.class.isAssignableFrom(type) || type.isArray();
		for (Annotation annotation : field.getAnnotations()) {
			if (annotation instanceof NotBlank) {
				schema.put("minLength", new JsonNumber(1));
				schema.put("pattern", new JsonString("\\S"));
			}
			else if (annotation instanceof NotEmpty) {
				schema.put(collection ? "minItems" : (string ? "minLength" : "minProperties"), new JsonNumber(1));
			}
			else if (annotation instanceof Size size) {
				String kind = collection ? "Items" : (string ? "Length" : "Properties");
				if (size.min() > 0) {
					schema.put("min" + kind, new JsonNumber(size.min()));
				}
				if (size.max() < Integer.MAX_VALUE) {
					schema.put("max" + kind, new JsonNumber(size.max()));
				}
			}
			else if (annotation instanceof Min min) {
				schema.put("minimum", new JsonNumber(min.value()));
			}
			else if (annotation instanceof Max max) {
				schema.put("maximum", new JsonNumber(max.value()));
			}
			else if (annotation instanceof DecimalMin min) {
				schema.put(min.inclusive() ? "minimum" : "exclusiveMinimum",
						new JsonNumber(Double.parseDouble(min.value())));
			}
			else if (annotation instanceof DecimalMax max) {
				schema.put(max.inclusive() ? "maximum" : "exclusiveMaximum",
						new JsonNumber(Double.parseDouble(max.value())));
			}
			else if (annotation instanceof Positive) {
				schema.put("exclusiveMinimum", new JsonNumber(0));
			}
			else if (annotation instanceof PositiveOrZero) {
				schema.put("minimum", new JsonNumber(0));
			}
			else if (annotation instanceof Negative) {
				schema.put("exclusiveMaximum", new JsonNumber(0));
			}
			else if (annotation instanceof NegativeOrZero) {
				schema.put("maximum", new JsonNumber(0));
			}
			else if (annotation instanceof Pattern pattern) {
				// Bean Validation matches the whole string; JSON Schema patterns search
				schema.put("pattern", new JsonString("^(?:" + pattern.regexp() + ")$"));
			}
		}
	}

	private static Field field(Class<?> recordType, RecordComponent component) {
		try {
			return recordType.getDeclaredField(component.getName());
		}
		catch (NoSuchFieldException ex) {
			throw new IllegalStateException("record component without a field: " + component, ex);
		}
	}

	private static JsonObject simple(String type) {
		return new JsonObject(Map.of("type", new JsonString(type)));
	}

	private static JsonObject integer(long minimum, long maximum) {
		return new JsonObject(Map.of("type", new JsonString("integer"), "minimum", new JsonNumber(minimum), "maximum",
				new JsonNumber(maximum)));
	}

}
