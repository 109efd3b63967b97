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

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.secureagent.canonical.JsonValue;
import io.secureagent.envelope.Envelope;
import io.secureagent.identity.ValidatedSender;
import io.secureagent.session.EstablishedSession;
import io.secureagent.session.Session;
import org.jspecify.annotations.Nullable;

/**
 * What the checks of one verification know so far: the raw message and the instant of
 * verification, then what each check established.
 *
 * @author secure-agent authors
 */
public final class VerificationContext {

	private final byte[] message;

	private final long now;

	private final @Nullable Exchange exchange;

	private @Nullable JsonValue tree;

	private @Nullable Envelope envelope;

	private @Nullable ValidatedSender sender;

	private @Nullable JsonValue payload;

	private @Nullable Session session;

	private @Nullable EstablishedSession established;

	private final Map<String, Object> attributes = new HashMap<>();

	/**
	 * The attribute under which a transport passes the SPIFFE ID that the TLS peer
	 * authenticated as, if it did.
	 */
	public static final String TRANSPORT_PEER = VerificationContext.class.getName() + ".transportPeer";

	VerificationContext(byte[] message, long now, Map<String, Object> attributes, @Nullable Exchange exchange) {
		this.message = Objects.requireNonNull(message, "message cannot be null");
		this.now = now;
		this.exchange = exchange;
		this.attributes.putAll(attributes);
	}

	/**
	 * Return the message as received.
	 * @return the bytes
	 */
	public byte[] message() {
		return this.message;
	}

	/**
	 * Return the instant of verification, read once from the clock for all checks.
	 * @return milliseconds since the epoch
	 */
	public long now() {
		return this.now;
	}

	/**
	 * Return the exchange an answer belongs to.
	 * @return the exchange, or {@code null} for a request
	 */
	public @Nullable Exchange exchange() {
		return this.exchange;
	}

	public JsonValue tree() {
		return required(this.tree, "tree");
	}

	public void tree(JsonValue tree) {
		this.tree = tree;
	}

	public Envelope envelope() {
		return required(this.envelope, "envelope");
	}

	public void envelope(Envelope envelope) {
		this.envelope = envelope;
	}

	public ValidatedSender sender() {
		return required(this.sender, "sender");
	}

	public void sender(ValidatedSender sender) {
		this.sender = sender;
	}

	/**
	 * Return the payload: from the envelope, or decrypted from it.
	 * @return the payload
	 */
	public JsonValue payload() {
		return required(this.payload, "payload");
	}

	public void payload(JsonValue payload) {
		this.payload = payload;
	}

	/**
	 * Return the session the message came through, if it was encrypted.
	 * @return the session, or {@code null}
	 */
	public @Nullable Session session() {
		return this.session;
	}

	public void session(Session session) {
		this.session = session;
	}

	/**
	 * Return the session a handshake message established, with the reply to send, if any.
	 * @return the established session, or {@code null}
	 */
	public @Nullable EstablishedSession established() {
		return this.established;
	}

	public void established(EstablishedSession established) {
		this.established = established;
	}

	/**
	 * Return what checks outside core attached to the message, such as its typed payload.
	 * @return the mutable attributes
	 */
	public Map<String, Object> attributes() {
		return this.attributes;
	}

	private static <T> T required(@Nullable T value, String name) {
		if (value == null) {
			throw new IllegalStateException("no " + name + " yet: checks are out of order");
		}
		return value;
	}

}
