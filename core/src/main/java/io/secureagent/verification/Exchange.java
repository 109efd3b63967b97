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

import java.util.Objects;
import java.util.Set;

import io.spiffe.spiffeid.SpiffeId;
import org.jspecify.annotations.Nullable;

/**
 * What the client knows of an answer before it arrives: the request it sent. The response
 * pipeline authorizes an answer by this alone, never by the rules that authorize
 * requests.
 *
 * @param peer the SPIFFE ID of the peer dialled, which must sign the answer
 * @param expectedTypes the message types the answer may have
 * @param correlationId the request's correlation id, which the answer must carry
 * @param sessionId the session the request was sealed in, in which the answer must be
 * sealed too; {@code null} for a plaintext request, whose answer is plaintext
 * @author secure-agent authors
 */
public record Exchange(SpiffeId peer, Set<String> expectedTypes, String correlationId, @Nullable String sessionId) {

	public Exchange {
		Objects.requireNonNull(peer, "peer cannot be null");
		expectedTypes = Set.copyOf(expectedTypes);
		Objects.requireNonNull(correlationId, "correlationId cannot be null");
		if (expectedTypes.isEmpty()) {
			throw new IllegalArgumentException("expectedTypes cannot be empty");
		}
	}

}
