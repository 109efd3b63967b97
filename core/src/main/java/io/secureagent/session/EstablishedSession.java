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
package io.secureagent.session;

import java.util.Objects;

import io.secureagent.envelope.EnvelopeSigner.SignedEnvelope;
import org.jspecify.annotations.Nullable;

/**
 * A session that a handshake message established, and the message to answer with: the
 * responder answers a {@code session.init} with a {@code session.accept}; the initiator
 * has nothing to answer.
 *
 * @param session the session
 * @param reply the reply to send, or {@code null}
 * @param handshakeId the id of the {@code session.init} the handshake began with
 * @author secure-agent authors
 */
public record EstablishedSession(Session session, @Nullable SignedEnvelope reply, String handshakeId) {

	public EstablishedSession {
		Objects.requireNonNull(session, "session cannot be null");
		Objects.requireNonNull(handshakeId, "handshakeId cannot be null");
	}

}
