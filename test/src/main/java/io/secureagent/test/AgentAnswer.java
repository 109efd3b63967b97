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
package io.secureagent.test;

import java.util.List;

import io.secureagent.client.SecureAgentClientException;
import org.jspecify.annotations.Nullable;

/**
 * What a message to the application under test came back with: a verified answer, or a
 * refusal with its reason code.
 *
 * @param <R> the answer type
 * @param value the verified answer, or {@code null} if refused
 * @param refusal the refusal, or {@code null} if answered
 * @author secure-agent authors
 */
public record AgentAnswer<R>(@Nullable R value, @Nullable SecureAgentClientException refusal) {

	static <R> AgentAnswer<R> answered(R value) {
		return new AgentAnswer<>(value, null);
	}

	static <R> AgentAnswer<R> refused(SecureAgentClientException refusal) {
		return new AgentAnswer<>(null, refusal);
	}

	/**
	 * Whether the message was answered.
	 * @return whether it was
	 */
	public boolean answered() {
		return this.refusal == null;
	}

	/**
	 * Return the HTTP status of the refusal, or 200 if answered.
	 * @return the status
	 */
	public int status() {
		return (this.refusal != null) ? this.refusal.status() : 200;
	}

	/**
	 * Return the refusal's reason code, such as {@code unauthorized-sender}, or
	 * {@code null} if answered.
	 * @return the code
	 */
	public @Nullable String code() {
		return (this.refusal != null) ? this.refusal.code() : null;
	}

	/**
	 * Return the refusal's schema violations, if any.
	 * @return the violations
	 */
	public List<String> violations() {
		return (this.refusal != null) ? this.refusal.violations() : List.of();
	}

}
