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

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message types this agent knows: each type name with its payload record. Types are
 * registered from {@link AgentMessage} records, by the handlers that accept them and by
 * the client calls that expect them.
 *
 * @author secure-agent authors
 */
public final class MessageTypes {

	private final Map<String, Class<?>> types = new ConcurrentHashMap<>();

	/**
	 * Register a record class.
	 * @param type the class, annotated with {@link AgentMessage}
	 * @return the message type name
	 * @throws IllegalArgumentException if the class is not an annotated record, or its
	 * type name is already taken by another class
	 */
	public String register(Class<?> type) {
		String name = typeName(type);
		Class<?> previous = this.types.putIfAbsent(name, type);
		if (previous != null && previous != type) {
			throw new IllegalArgumentException(
					"message type '" + name + "' is declared by both " + previous.getName() + " and " + type.getName());
		}
		return name;
	}

	/**
	 * Find the record class of a type.
	 * @param name the type name
	 * @return the class, or empty
	 */
	public Optional<Class<?>> find(String name) {
		return Optional.ofNullable(this.types.get(name));
	}

	/**
	 * Return every registered type.
	 * @return type names and their classes
	 */
	public Map<String, Class<?>> all() {
		return Map.copyOf(this.types);
	}

	/**
	 * Return the type name of an {@link AgentMessage} record.
	 * @param type the class
	 * @return the type name
	 */
	public static String typeName(Class<?> type) {
		Objects.requireNonNull(type, "type cannot be null");
		AgentMessage annotation = type.getAnnotation(AgentMessage.class);
		if (annotation == null || !type.isRecord()) {
			throw new IllegalArgumentException(type.getName() + " must be a record annotated with @AgentMessage");
		}
		return annotation.value();
	}

}
