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

import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonObject;

/**
 * A structurally valid secure-agent/1 envelope, read from a parsed tree and not yet
 * verified. Everything it holds comes from that one tree.
 *
 * @param header the header members
 * @param body the payload, or the session, sequence number and ciphertext
 * @param certificateChain the DER certificates of the {@code x5c} member, leaf first
 * @param algorithm the {@code alg} member
 * @param signature the decoded {@code signature} member
 * @param tree the whole envelope as parsed
 * @author secure-agent authors
 */
public record Envelope(EnvelopeHeader header, Body body, List<byte[]> certificateChain, String algorithm,
		byte[] signature, JsonObject tree) {

	private static final Set<String> SIGNATURE = Set.of(Members.SIGNATURE);

	private static final Set<String> SIGNATURE_AND_CIPHERTEXT = Set.of(Members.SIGNATURE, Members.CIPHERTEXT);

	public Envelope {
		Objects.requireNonNull(header, "header cannot be null");
		Objects.requireNonNull(body, "body cannot be null");
		certificateChain = List.copyOf(certificateChain);
		Objects.requireNonNull(algorithm, "algorithm cannot be null");
		Objects.requireNonNull(signature, "signature cannot be null");
		Objects.requireNonNull(tree, "tree cannot be null");
	}

	/**
	 * Return the bytes the signature covers: the RFC 8785 canonical form of the envelope
	 * without its {@code signature} member.
	 * @return the signing input
	 */
	public byte[] signingInput() {
		return JsonCanonicalizer.canonicalizeWithout(this.tree, SIGNATURE);
	}

	/**
	 * Return the associated data of an encrypted envelope: the canonical form of every
	 * signed member but the ciphertext.
	 * @return the associated data
	 */
	public byte[] associatedData() {
		return JsonCanonicalizer.canonicalizeWithout(this.tree, SIGNATURE_AND_CIPHERTEXT);
	}

	/**
	 * What an envelope carries.
	 */
	public sealed interface Body permits Plain, Encrypted {

	}

	/**
	 * A payload in the clear.
	 *
	 * @param payload the payload
	 */
	public record Plain(JsonValue payload) implements Body {

		public Plain {
			Objects.requireNonNull(payload, "payload cannot be null");
		}

	}

	/**
	 * A payload sealed in a session.
	 *
	 * @param sessionId the session id
	 * @param sequence the sequence number in the sender's direction
	 * @param ciphertext the ciphertext and its tag
	 */
	public record Encrypted(String sessionId, long sequence, byte[] ciphertext) implements Body {

		public Encrypted {
			Objects.requireNonNull(sessionId, "sessionId cannot be null");
			Objects.requireNonNull(ciphertext, "ciphertext cannot be null");
		}

	}

}
