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

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a record as the payload of a message type. Its components and their Bean
 * Validation constraints are the type's schema: unknown fields, missing or null required
 * fields, coercion between JSON types and constraint violations are rejected before any
 * handler runs.
 *
 * <pre class="code">
 * &#064;AgentMessage("task.request")
 * public record TaskRequest(&#064;NotBlank String tool, &#064;Size(max = 10_000) String text) {
 * }
 * </pre>
 *
 * @author secure-agent authors
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface AgentMessage {

	/**
	 * The message type, such as {@code task.request}.
	 * @return the type
	 */
	String value();

}
