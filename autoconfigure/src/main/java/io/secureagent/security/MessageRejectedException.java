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
package io.secureagent.security;

import java.util.Objects;

import io.secureagent.verification.Verdict;
import org.springframework.security.core.AuthenticationException;

/**
 * Thrown when an agent message fails a check; carries the rejection, whose reason code
 * becomes the problem response.
 *
 * @author secure-agent authors
 */
public final class MessageRejectedException extends AuthenticationException {

	private final transient Verdict.Rejected rejected;

	public MessageRejectedException(Verdict.Rejected rejected) {
		super(rejected.reason().slug() + ": " + rejected.detail());
		this.rejected = Objects.requireNonNull(rejected, "rejected cannot be null");
	}

	public Verdict.Rejected rejected() {
		return this.rejected;
	}

}
