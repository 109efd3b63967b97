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
package io.secureagent.envelope;

/**
 * Thrown when a parsed document is not a secure-agent/1 envelope. The message names the
 * rule, never the content.
 *
 * @author secure-agent authors
 */
public final class MalformedEnvelopeException extends Exception {

	private final boolean unsupportedVersion;

	MalformedEnvelopeException(String message, boolean unsupportedVersion) {
		super(message, null, false, false);
		this.unsupportedVersion = unsupportedVersion;
	}

	/**
	 * Whether the envelope names a protocol version this implementation does not speak.
	 * @return whether the version is unsupported
	 */
	public boolean isUnsupportedVersion() {
		return this.unsupportedVersion;
	}

}
