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
package io.secureagent.verification;

import java.util.List;
import java.util.Objects;

import io.secureagent.canonical.JsonValue;

/**
 * Binds a verified payload to its message type's schema: the {@code schema} check. The
 * bound value is attached to the message ({@link #ATTRIBUTE}).
 *
 * @author secure-agent authors
 */
@FunctionalInterface
public interface PayloadBinder {

	/** The attribute under which the bound payload is attached. */
	String ATTRIBUTE = PayloadBinder.class.getName() + ".payload";

	/**
	 * Bind a payload.
	 * @param type the message type
	 * @param payload the payload from the verified tree
	 * @return the outcome
	 */
	Binding bind(String type, JsonValue payload);

	/**
	 * A binder that accepts every type and keeps the payload as a JSON tree.
	 * @return the binder
	 */
	static PayloadBinder untyped() {
		return (type, payload) -> new Binding.Bound(payload);
	}

	/**
	 * The outcome of binding.
	 */
	sealed interface Binding {

		/**
		 * The payload matches its schema.
		 *
		 * @param value the typed value
		 */
		record Bound(Object value) implements Binding {

			public Bound {
				Objects.requireNonNull(value, "value cannot be null");
			}

		}

		/**
		 * No schema is registered for the type.
		 */
		record UnknownType() implements Binding {

		}

		/**
		 * The payload violates its schema.
		 *
		 * @param violations each violation as a field path and a rule, never a value
		 */
		record Invalid(List<String> violations) implements Binding {

			public Invalid {
				violations = List.copyOf(violations);
			}

		}

	}

}
