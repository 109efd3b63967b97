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
package io.secureagent.client;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Raised by {@link SecureAgentClient} when a call fails: the peer answered with a problem
 * document, or the peer's answer failed verification here. {@link #code()} is the stable
 * reason code either way.
 *
 * @author secure-agent authors
 */
public final class SecureAgentClientException extends RuntimeException {

	private final int status;

	private final String code;

	private final List<String> violations;

	private final boolean remote;

	public SecureAgentClientException(int status, String code, String detail, List<String> violations, boolean remote,
			@Nullable Throwable cause) {
		super(code + ": " + detail, cause);
		this.status = status;
		this.code = code;
		this.violations = List.copyOf(violations);
		this.remote = remote;
	}

	/**
	 * Return the HTTP status: the peer's, or the one the local rejection maps to.
	 * @return the status
	 */
	public int status() {
		return this.status;
	}

	/**
	 * Return the stable reason code.
	 * @return the code
	 */
	public String code() {
		return this.code;
	}

	/**
	 * Return the field-level violations the peer listed, if any.
	 * @return the violations
	 */
	public List<String> violations() {
		return this.violations;
	}

	/**
	 * Whether the peer rejected the call ({@code true}) or this agent rejected the peer's
	 * answer ({@code false}).
	 * @return whether the rejection is remote
	 */
	public boolean isRemote() {
		return this.remote;
	}

}
