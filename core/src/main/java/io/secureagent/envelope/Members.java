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

import java.util.Set;

/**
 * The member names of a secure-agent/1 envelope.
 *
 * @author secure-agent authors
 */
public final class Members {

	/** The protocol version. */
	public static final String VERSION = "version";

	/** The message type. */
	public static final String TYPE = "type";

	/** The message id. */
	public static final String ID = "id";

	/** The sender's SPIFFE ID. */
	public static final String SENDER = "sender";

	/** The recipient's SPIFFE ID. */
	public static final String RECIPIENT = "recipient";

	/** The signing time, integer milliseconds. */
	public static final String ISSUED_AT = "issuedAt";

	/** The expiry time, integer milliseconds. */
	public static final String EXPIRES_AT = "expiresAt";

	/** The correlation id. */
	public static final String CORRELATION_ID = "correlationId";

	/** The payload. */
	public static final String PAYLOAD = "payload";

	/** The session id of an encrypted envelope. */
	public static final String SESSION = "session";

	/** The sequence number of an encrypted envelope in its direction of the session. */
	public static final String SEQ = "seq";

	/** The sealed payload of an encrypted envelope, base64url without padding. */
	public static final String CIPHERTEXT = "ciphertext";

	/** The sender's certificate chain, base64 DER, leaf first. */
	public static final String X5C = "x5c";

	/** The signature algorithm. */
	public static final String ALG = "alg";

	/** The signature, base64url without padding. */
	public static final String SIGNATURE = "signature";

	/** The members of a plaintext envelope; all are required, no other is allowed. */
	public static final Set<String> PLAIN = Set.of(VERSION, TYPE, ID, SENDER, RECIPIENT, ISSUED_AT, EXPIRES_AT,
			CORRELATION_ID, PAYLOAD, X5C, ALG, SIGNATURE);

	/** The members of an encrypted envelope; all are required, no other is allowed. */
	public static final Set<String> ENCRYPTED = Set.of(VERSION, TYPE, ID, SENDER, RECIPIENT, ISSUED_AT, EXPIRES_AT,
			CORRELATION_ID, SESSION, SEQ, CIPHERTEXT, X5C, ALG, SIGNATURE);

	private Members() {
	}

}
