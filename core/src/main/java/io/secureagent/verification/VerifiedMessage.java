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

import java.util.Map;

import io.secureagent.canonical.JsonValue;
import io.secureagent.envelope.Envelope;
import io.secureagent.envelope.EnvelopeHeader;
import io.secureagent.identity.ValidatedSender;
import io.secureagent.session.EstablishedSession;
import io.secureagent.session.Session;
import org.jspecify.annotations.Nullable;

/**
 * A message that passed every check: its header, its payload from the verified tree (or
 * decrypted from it), its validated sender, and the session it came through or
 * established.
 *
 * @param header the header
 * @param payload the payload
 * @param sender the sender, with its validated chain
 * @param envelope the envelope as read
 * @param session the session an encrypted message came through, or {@code null}
 * @param established the session a handshake message established, with any reply, or
 * {@code null}
 * @param attributes what checks outside core attached, such as the typed payload
 * @author secure-agent authors
 */
public record VerifiedMessage(EnvelopeHeader header, JsonValue payload, ValidatedSender sender, Envelope envelope,
		@Nullable Session session, @Nullable EstablishedSession established, Map<String, Object> attributes) {

	public VerifiedMessage {
		attributes = Map.copyOf(attributes);
	}

}
