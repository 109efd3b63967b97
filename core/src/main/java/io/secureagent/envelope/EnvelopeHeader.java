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

import java.util.Objects;

import io.spiffe.spiffeid.SpiffeId;

/**
 * The signed members of an envelope that say what a message is, who sent it to whom, and
 * when it may be accepted.
 *
 * @param version the protocol version, {@code secure-agent/1}
 * @param type the message type
 * @param id the message id: at least 128 random bits, base64url
 * @param sender the sender's SPIFFE ID
 * @param recipient the recipient's SPIFFE ID (the audience)
 * @param issuedAt the signing time, in milliseconds since the epoch
 * @param expiresAt the expiry time, in milliseconds since the epoch
 * @param correlationId the id of the exchange this message belongs to
 * @author secure-agent authors
 */
public record EnvelopeHeader(String version, String type, String id, SpiffeId sender, SpiffeId recipient, long issuedAt,
		long expiresAt, String correlationId) {

	public EnvelopeHeader {
		Objects.requireNonNull(version, "version cannot be null");
		Objects.requireNonNull(type, "type cannot be null");
		Objects.requireNonNull(id, "id cannot be null");
		Objects.requireNonNull(sender, "sender cannot be null");
		Objects.requireNonNull(recipient, "recipient cannot be null");
		Objects.requireNonNull(correlationId, "correlationId cannot be null");
	}

}
