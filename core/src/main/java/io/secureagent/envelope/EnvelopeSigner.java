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

import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonCanonicalizer.Template;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.crypto.MessageSigner;
import io.secureagent.crypto.UnsupportedKeyException;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.IdentityUnavailableException;
import io.secureagent.identity.SpiffeIds;
import io.secureagent.identity.Svid;
import io.spiffe.spiffeid.SpiffeId;
import org.jspecify.annotations.Nullable;

/**
 * Builds and signs secure-agent/1 envelopes with an agent's current SVID. The wire form
 * is the RFC 8785 canonical form of the whole envelope; the signature covers the
 * canonical form of the envelope without its {@code signature} member.
 *
 * @author secure-agent authors
 */
public final class EnvelopeSigner {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final AgentIdentity identity;

	private final Clock clock;

	private final Duration lifetime;

	private volatile @Nullable SigningKey signingKey;

	/**
	 * Create a signer.
	 * @param identity the agent's identity
	 * @param clock the clock that stamps messages
	 * @param lifetime how long after signing a message expires
	 */
	public EnvelopeSigner(AgentIdentity identity, Clock clock, Duration lifetime) {
		this.identity = Objects.requireNonNull(identity, "identity cannot be null");
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
		Objects.requireNonNull(lifetime, "lifetime cannot be null");
		if (lifetime.isNegative() || lifetime.isZero()) {
			throw new IllegalArgumentException("lifetime must be positive");
		}
		this.lifetime = lifetime;
	}

	/**
	 * Return a fresh message id: 128 random bits, base64url without padding.
	 * @return the id
	 */
	public static String newMessageId() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * Sign a message.
	 * @param type the message type
	 * @param recipient the recipient's SPIFFE ID
	 * @param correlationId the exchange this message belongs to, or {@code null} to start
	 * one (the message's own id is then used)
	 * @param payload the payload
	 * @return the signed envelope
	 * @throws IdentityUnavailableException if there is no SVID to sign with
	 */
	public SignedEnvelope sign(String type, SpiffeId recipient, @Nullable String correlationId, JsonValue payload)
			throws IdentityUnavailableException {
		SigningKey key = signingKey();
		EnvelopeHeader header = header(key, type, recipient, correlationId);
		Map<String, JsonValue> members = members(header, key);
		members.put(Members.PAYLOAD, payload);
		return sign(JsonCanonicalizer.template(new JsonObject(members), Members.SIGNATURE), header, key);
	}

	/**
	 * Sign an envelope whose payload is sealed in a session (encrypt-then-sign). The
	 * sealer is given the associated data: the canonical form of every signed member but
	 * the ciphertext.
	 * @param type the message type
	 * @param recipient the recipient, the session's peer
	 * @param correlationId the exchange this message belongs to, or {@code null} to start
	 * one
	 * @param sessionId the session
	 * @param sequence the sequence number the payload is sealed under
	 * @param sealer seals the payload under the associated data
	 * @return the signed envelope
	 * @throws IdentityUnavailableException if there is no SVID to sign with
	 */
	public SignedEnvelope signSealed(String type, SpiffeId recipient, @Nullable String correlationId, String sessionId,
			long sequence, Sealer sealer) throws IdentityUnavailableException {
		return signSealed(type, recipient, correlationId, newMessageId(), sessionId, sequence, sealer);
	}

	/**
	 * Sign a sealed envelope under a given message id: the same message sent again in a
	 * new session keeps its id, so a receiver that accepted the first copy refuses the
	 * second as a replay.
	 * @param type the message type
	 * @param recipient the recipient, the session's peer
	 * @param correlationId the exchange this message belongs to, or {@code null} to start
	 * one
	 * @param messageId the message id
	 * @param sessionId the session
	 * @param sequence the sequence number the payload is sealed under
	 * @param sealer seals the payload under the associated data
	 * @return the signed envelope
	 * @throws IdentityUnavailableException if there is no SVID to sign with
	 */
	public SignedEnvelope signSealed(String type, SpiffeId recipient, @Nullable String correlationId, String messageId,
			String sessionId, long sequence, Sealer sealer) throws IdentityUnavailableException {
		return signSealed(type, recipient, correlationId, messageId, sessionId, sequence, sealer, Long.MAX_VALUE);
	}

	/**
	 * Sign a sealed envelope under a given message id that expires no later than a given
	 * instant: a message sent again must not outlive its first copy, or a receiver that
	 * accepted the first could accept the second once the first's replay entry is gone.
	 * @param type the message type
	 * @param recipient the recipient, the session's peer
	 * @param correlationId the exchange this message belongs to, or {@code null} to start
	 * one
	 * @param messageId the message id
	 * @param sessionId the session
	 * @param sequence the sequence number the payload is sealed under
	 * @param sealer seals the payload under the associated data
	 * @param notAfter the latest {@code expiresAt}, in milliseconds since the epoch
	 * @return the signed envelope
	 * @throws IdentityUnavailableException if there is no SVID to sign with
	 * @throws IllegalStateException if {@code notAfter} is not after now
	 */
	public SignedEnvelope signSealed(String type, SpiffeId recipient, @Nullable String correlationId, String messageId,
			String sessionId, long sequence, Sealer sealer, long notAfter) throws IdentityUnavailableException {
		SigningKey key = signingKey();
		EnvelopeHeader header = header(key, type, recipient, correlationId, messageId, notAfter);
		Map<String, JsonValue> members = members(header, key);
		members.put(Members.SESSION, new JsonString(sessionId));
		members.put(Members.SEQ, new JsonNumber(sequence));
		// the associated data is the canonical form without the ciphertext and the
		// signature; each is then written into its place, nothing else written again
		Template unsealed = JsonCanonicalizer.template(new JsonObject(members), Members.CIPHERTEXT, Members.SIGNATURE);
		byte[] ciphertext = sealer.seal(unsealed.bytes());
		return sign(unsealed.with(Members.CIPHERTEXT, base64url(ciphertext)), header, key);
	}

	/**
	 * Return the SPIFFE ID this signer signs as now.
	 * @return the SPIFFE ID of the current SVID
	 * @throws IdentityUnavailableException if there is no SVID
	 */
	public SpiffeId spiffeId() throws IdentityUnavailableException {
		return signingKey().svid().spiffeId();
	}

	private EnvelopeHeader header(SigningKey key, String type, SpiffeId recipient, @Nullable String correlationId) {
		return header(key, type, recipient, correlationId, newMessageId());
	}

	private EnvelopeHeader header(SigningKey key, String type, SpiffeId recipient, @Nullable String correlationId,
			String id) {
		return header(key, type, recipient, correlationId, id, Long.MAX_VALUE);
	}

	private EnvelopeHeader header(SigningKey key, String type, SpiffeId recipient, @Nullable String correlationId,
			String id, long notAfter) {
		long issuedAt = this.clock.millis();
		long expiresAt = Math.min(issuedAt + this.lifetime.toMillis(), notAfter);
		if (expiresAt <= issuedAt) {
			throw new IllegalStateException("the message would expire before it is sent");
		}
		return new EnvelopeHeader(ProtocolVersion.V1, type, id, key.svid().spiffeId(), recipient, issuedAt, expiresAt,
				(correlationId != null) ? correlationId : id);
	}

	private static Map<String, JsonValue> members(EnvelopeHeader header, SigningKey key) {
		Map<String, JsonValue> members = new LinkedHashMap<>();
		members.put(Members.VERSION, new JsonString(header.version()));
		members.put(Members.TYPE, new JsonString(header.type()));
		members.put(Members.ID, new JsonString(header.id()));
		members.put(Members.SENDER, new JsonString(SpiffeIds.text(header.sender())));
		members.put(Members.RECIPIENT, new JsonString(SpiffeIds.text(header.recipient())));
		members.put(Members.ISSUED_AT, new JsonNumber(header.issuedAt()));
		members.put(Members.EXPIRES_AT, new JsonNumber(header.expiresAt()));
		members.put(Members.CORRELATION_ID, new JsonString(header.correlationId()));
		members.put(Members.X5C, key.x5c());
		members.put(Members.ALG, new JsonString(key.signer().algorithm().jwaName()));
		return members;
	}

	private static SignedEnvelope sign(Template unsigned, EnvelopeHeader header, SigningKey key) {
		byte[] signingInput = unsigned.bytes();
		byte[] signature = key.signer().sign(signingInput);
		return new SignedEnvelope(header, unsigned.with(Members.SIGNATURE, base64url(signature)).bytes(), signingInput);
	}

	private static JsonString base64url(byte[] bytes) {
		return new JsonString(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
	}

	private SigningKey signingKey() throws IdentityUnavailableException {
		Svid svid = this.identity.svid();
		SigningKey current = this.signingKey;
		if (current != null && (current.svid() == svid || current.svid().equals(svid))) {
			return current;
		}
		SigningKey key = SigningKey.of(svid);
		this.signingKey = key;
		return key;
	}

	/**
	 * Seals a payload under the associated data of its envelope.
	 */
	@FunctionalInterface
	public interface Sealer {

		/**
		 * Seal the payload.
		 * @param associatedData the envelope's associated data
		 * @return the ciphertext and tag
		 */
		byte[] seal(byte[] associatedData);

	}

	/**
	 * A signed envelope ready to send.
	 *
	 * @param header the header it carries
	 * @param bytes its wire form
	 * @param signingInput the canonical form of the envelope without its signature: what
	 * was signed, and what a handshake transcript binds
	 */
	public record SignedEnvelope(EnvelopeHeader header, byte[] bytes, byte[] signingInput) {

	}

	private record SigningKey(Svid svid, MessageSigner signer, JsonArray x5c) {

		static SigningKey of(Svid svid) throws IdentityUnavailableException {
			try {
				List<JsonValue> certificates = new ArrayList<>();
				for (X509Certificate certificate : svid.chain()) {
					certificates.add(new JsonString(Base64.getEncoder().encodeToString(certificate.getEncoded())));
				}
				return new SigningKey(svid, MessageSigner.of(svid.privateKey()), new JsonArray(certificates));
			}
			catch (UnsupportedKeyException | CertificateEncodingException ex) {
				throw new IdentityUnavailableException("SVID cannot sign secure-agent/1 messages", ex);
			}
		}

	}

}
