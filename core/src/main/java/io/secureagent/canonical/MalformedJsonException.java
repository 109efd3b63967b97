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
package io.secureagent.canonical;

/**
 * Thrown when a document is not strict I-JSON or exceeds a {@link JsonLimits} bound. The
 * message names the rule that was broken and an offset, never the offending content.
 *
 * @author secure-agent authors
 */
public final class MalformedJsonException extends Exception {

	private final boolean tooLarge;

	MalformedJsonException(String message, boolean tooLarge) {
		super(message, null, false, false);
		this.tooLarge = tooLarge;
	}

	/**
	 * Whether the document was rejected for its size rather than its content.
	 * @return whether the document was too large
	 */
	public boolean isTooLarge() {
		return this.tooLarge;
	}

}
