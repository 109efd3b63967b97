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

/**
 * Thrown by a {@link Check} that rejects a message. Carries no stack trace and no message
 * content.
 *
 * @author secure-agent authors
 */
public final class CheckFailedException extends Exception {

	private final ReasonCode reason;

	private final List<String> violations;

	public CheckFailedException(ReasonCode reason, String detail) {
		this(reason, detail, List.of());
	}

	/**
	 * Create an exception that lists what was wrong, such as the field paths of schema
	 * violations. Entries never quote message content.
	 * @param reason the reason
	 * @param detail the rule that was broken
	 * @param violations the violations
	 */
	public CheckFailedException(ReasonCode reason, String detail, List<String> violations) {
		super(detail, null, false, false);
		this.reason = Objects.requireNonNull(reason, "reason cannot be null");
		this.violations = List.copyOf(violations);
	}

	/**
	 * Return the violations, if the check lists them.
	 * @return the violations, possibly empty
	 */
	public List<String> violations() {
		return this.violations;
	}

	/**
	 * Return the reason.
	 * @return the reason
	 */
	public ReasonCode reason() {
		return this.reason;
	}

}
