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
package io.secureagent.trace;

import java.util.List;
import java.util.Objects;

import io.secureagent.envelope.Envelope;
import io.secureagent.envelope.EnvelopeHeader;
import io.secureagent.identity.SpiffeIds;
import io.secureagent.verification.Exchange;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerifiedMessage;
import org.jspecify.annotations.Nullable;

/**
 * One decision of an agent on one message, as the decision log records it: what was
 * decided, about which message, when by the pipeline's one clock reading, and how long it
 * took. Never a payload or a key; the envelope as received only where configured, which
 * for an encrypted message is ciphertext.
 *
 * @param clockMillis the pipeline's clock reading for the message
 * @param direction {@code request} (received by the endpoint) or {@code response}
 * (received by the client)
 * @param outcome {@code accepted}, {@code rejected}, {@code denied} or {@code failed}
 * @param check the check that rejected it, or {@code null}
 * @param reason the reason code of the rejection, or {@code null}
 * @param id the message id, if it was read
 * @param correlationId the correlation id, if it was read
 * @param peer the sender, if it was authenticated
 * @param type the message type, if it was read
 * @param session the session id, for an encrypted message
 * @param seq the sequence number, for an encrypted message
 * @param elapsedMicros the time the pipeline took
 * @param envelope the message as received, or {@code null}
 * @param exchange for an answer, the request it was verified against
 * @author secure-agent authors
 */
public record Decision(long clockMillis, String direction, String outcome, @Nullable String check,
		@Nullable String reason, @Nullable String id, @Nullable String correlationId, @Nullable String peer,
		@Nullable String type, @Nullable String session, @Nullable Long seq, long elapsedMicros,
		byte @Nullable [] envelope, @Nullable ExchangeRecord exchange) {

	public Decision {
		Objects.requireNonNull(direction, "direction cannot be null");
		Objects.requireNonNull(outcome, "outcome cannot be null");
		if (!direction.equals("request") && !direction.equals("response")) {
			throw new IllegalArgumentException("direction must be request or response");
		}
		if (!List.of("accepted", "rejected", "denied", "failed").contains(outcome)) {
			throw new IllegalArgumentException("unknown outcome " + outcome);
		}
		envelope = (envelope != null) ? envelope.clone() : null;
	}

	/**
	 * Describe a pipeline's verdict: for an accepted message its header's ids, peer, type
	 * and session; for a rejected one the check and reason only, since nothing it claims
	 * is authenticated.
	 * @param verdict the verdict
	 * @param direction {@code request} or {@code response}
	 * @param outcome the outcome: for an accepted request, what its handler did
	 * @param clockMillis the pipeline's clock reading
	 * @param elapsedMicros the time the pipeline took
	 * @param envelope the message as received, or {@code null}
	 * @param exchange for an answer, the request it was verified against
	 * @return the decision
	 */
	public static Decision of(Verdict verdict, String direction, String outcome, long clockMillis, long elapsedMicros,
			byte @Nullable [] envelope, @Nullable Exchange exchange) {
		ExchangeRecord answered = (exchange != null) ? new ExchangeRecord(exchange.peer().toString(),
				exchange.expectedTypes().stream().sorted().toList(), exchange.correlationId(), exchange.sessionId())
				: null;
		if (verdict instanceof Verdict.Rejected rejected) {
			return new Decision(clockMillis, direction, outcome, rejected.check(), rejected.reason().slug(), null, null,
					null, null, null, null, elapsedMicros, envelope, answered);
		}
		VerifiedMessage message = ((Verdict.Accepted) verdict).message();
		EnvelopeHeader header = message.header();
		String session = null;
		Long seq = null;
		if (message.envelope().body() instanceof Envelope.Encrypted encrypted) {
			session = encrypted.sessionId();
			seq = encrypted.sequence();
		}
		return new Decision(clockMillis, direction, outcome, null, null, header.id(), header.correlationId(),
				SpiffeIds.text(header.sender()), header.type(), session, seq, elapsedMicros, envelope, answered);
	}

	@Override
	public byte @Nullable [] envelope() {
		return (this.envelope != null) ? this.envelope.clone() : null;
	}

	/**
	 * The request an answer was verified against: what the client expected of it.
	 *
	 * @param peer the peer dialled
	 * @param expectedTypes the answer types expected
	 * @param correlationId the request's id
	 * @param sessionId the request's session, or {@code null}
	 */
	public record ExchangeRecord(String peer, List<String> expectedTypes, String correlationId,
			@Nullable String sessionId) {

		public ExchangeRecord {
			Objects.requireNonNull(peer, "peer cannot be null");
			expectedTypes = List.copyOf(expectedTypes);
			Objects.requireNonNull(correlationId, "correlationId cannot be null");
		}

	}

}
