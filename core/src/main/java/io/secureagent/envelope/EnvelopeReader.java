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

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.identity.SpiffeIds;
import io.spiffe.exception.InvalidSpiffeIdException;
import io.spiffe.spiffeid.SpiffeId;

/**
 * Reads an {@link Envelope} from a parsed tree, checking its structure: the version
 * first, then that exactly the secure-agent/1 members are present, each of its type and
 * format. Base64 members must be in their one canonical encoding.
 *
 * @author secure-agent authors
 */
public final class EnvelopeReader {

	/** The fewest characters of a message id: 22 base64url characters carry 128 bits. */
	public static final int MIN_ID_LENGTH = 22;

	/** The most characters of a message or correlation id. */
	public static final int MAX_ID_LENGTH = 128;

	private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*");

	private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]+");

	private static final int MAX_TYPE_LENGTH = 128;

	private static final int MAX_SPIFFE_ID_LENGTH = 2048;

	private static final int MAX_SIGNATURE_BYTES = 1024;

	private static final int MAX_CHAIN_LENGTH = 5;

	private EnvelopeReader() {
	}

	/**
	 * Read an envelope.
	 * @param value the parsed document
	 * @return the envelope
	 * @throws MalformedEnvelopeException if the document is not a secure-agent/1 envelope
	 */
	public static Envelope read(JsonValue value) throws MalformedEnvelopeException {
		if (!(value instanceof JsonObject tree)) {
			throw malformed("envelope must be a JSON object");
		}
		if (!(tree.get(Members.VERSION) instanceof JsonString version)) {
			throw malformed("version must be a string");
		}
		if (!ProtocolVersion.V1.equals(version.value())) {
			throw new MalformedEnvelopeException("unsupported protocol version", true);
		}
		boolean encrypted = tree.members().containsKey(Members.CIPHERTEXT);
		Set<String> expected = encrypted ? Members.ENCRYPTED : Members.PLAIN;
		if (!tree.members().keySet().equals(expected)) {
			throw malformed("envelope must have exactly the members " + expected);
		}
		String type = string(tree, Members.TYPE);
		if (type.length() > MAX_TYPE_LENGTH || !TYPE.matcher(type).matches()) {
			throw malformed("type must be lower-case words joined by '.', '_' or '-'");
		}
		String id = token(tree, Members.ID, MIN_ID_LENGTH);
		EnvelopeHeader header = new EnvelopeHeader(version.value(), type, id, spiffeId(tree, Members.SENDER),
				spiffeId(tree, Members.RECIPIENT), timestamp(tree, Members.ISSUED_AT),
				timestamp(tree, Members.EXPIRES_AT), token(tree, Members.CORRELATION_ID, 1));
		String algorithm = string(tree, Members.ALG);
		byte[] signature = base64(string(tree, Members.SIGNATURE), Base64.getUrlDecoder(), false, Members.SIGNATURE);
		if (signature.length == 0 || signature.length > MAX_SIGNATURE_BYTES) {
			throw malformed("signature has an impossible length");
		}
		Envelope.Body body = encrypted ? encryptedBody(tree) : new Envelope.Plain(tree.members().get(Members.PAYLOAD));
		return new Envelope(header, body, chain(tree), algorithm, signature, tree);
	}

	private static Envelope.Encrypted encryptedBody(JsonObject tree) throws MalformedEnvelopeException {
		String session = token(tree, Members.SESSION, MIN_ID_LENGTH);
		long sequence = timestamp(tree, Members.SEQ);
		byte[] ciphertext = base64(string(tree, Members.CIPHERTEXT), Base64.getUrlDecoder(), false, Members.CIPHERTEXT);
		return new Envelope.Encrypted(session, sequence, ciphertext);
	}

	private static List<byte[]> chain(JsonObject tree) throws MalformedEnvelopeException {
		if (!(tree.get(Members.X5C) instanceof JsonArray array) || array.elements().isEmpty()
				|| array.elements().size() > MAX_CHAIN_LENGTH) {
			throw malformed("x5c must be an array of 1 to " + MAX_CHAIN_LENGTH + " certificates");
		}
		List<byte[]> chain = new ArrayList<>(array.elements().size());
		for (JsonValue element : array.elements()) {
			if (!(element instanceof JsonString certificate)) {
				throw malformed("x5c must hold strings");
			}
			chain.add(base64(certificate.value(), Base64.getDecoder(), true, Members.X5C));
		}
		return chain;
	}

	private static String string(JsonObject tree, String name) throws MalformedEnvelopeException {
		if (tree.get(name) instanceof JsonString string) {
			return string.value();
		}
		throw malformed(name + " must be a string");
	}

	private static String token(JsonObject tree, String name, int minLength) throws MalformedEnvelopeException {
		String token = string(tree, name);
		if (token.length() < minLength || token.length() > MAX_ID_LENGTH || !TOKEN.matcher(token).matches()) {
			throw malformed(name + " must be " + minLength + " to " + MAX_ID_LENGTH + " base64url characters");
		}
		return token;
	}

	private static SpiffeId spiffeId(JsonObject tree, String name) throws MalformedEnvelopeException {
		String value = string(tree, name);
		if (value.length() > MAX_SPIFFE_ID_LENGTH) {
			throw malformed(name + " is too long");
		}
		try {
			SpiffeId spiffeId = SpiffeId.parse(value);
			if (!SpiffeIds.text(spiffeId).equals(value)) {
				// java-spiffe folds case; the protocol takes each ID in its one normal
				// form
				throw malformed(name + " must be a SPIFFE ID in normal form");
			}
			return spiffeId;
		}
		catch (IllegalArgumentException | InvalidSpiffeIdException ex) {
			throw malformed(name + " must be a SPIFFE ID");
		}
	}

	private static long timestamp(JsonObject tree, String name) throws MalformedEnvelopeException {
		if (tree.get(name) instanceof JsonNumber number && number.isSafeInteger() && number.value() >= 0) {
			return (long) number.value();
		}
		throw malformed(name + " must be a non-negative integer");
	}

	private static byte[] base64(String text, Base64.Decoder decoder, boolean padded, String name)
			throws MalformedEnvelopeException {
		byte[] bytes;
		try {
			bytes = decoder.decode(text);
		}
		catch (IllegalArgumentException ex) {
			throw malformed(name + " is not valid base64");
		}
		if (!isCanonical(text, padded)) {
			throw malformed(name + " is not in canonical base64");
		}
		return bytes;
	}

	/**
	 * Whether text that decodes is also what the encoder writes for its bytes (RFC 4648,
	 * section 3.5): padded exactly when the encoding pads, and with the bits of the last
	 * character that carry no data zero. The decoder has already checked the alphabet.
	 */
	static boolean isCanonical(String text, boolean padded) {
		int length = text.length();
		int pads = 0;
		while (pads < length && text.charAt(length - 1 - pads) == '=') {
			pads++;
		}
		int data = length - pads;
		if (padded ? (length % 4 != 0 || pads > 2) : pads != 0) {
			return false;
		}
		// the characters of the last group that carry data: 2 carry 1 byte, 3 carry 2
		int last = data % 4;
		if (last == 1) {
			return false;
		}
		if (last == 0) {
			return true;
		}
		int value = sextet(text.charAt(data - 1));
		int unused = (last == 2) ? 0x0F : 0x03;
		return value >= 0 && (value & unused) == 0;
	}

	private static int sextet(char c) {
		if (c >= 'A' && c <= 'Z') {
			return c - 'A';
		}
		if (c >= 'a' && c <= 'z') {
			return c - 'a' + 26;
		}
		if (c >= '0' && c <= '9') {
			return c - '0' + 52;
		}
		return switch (c) {
			case '+', '-' -> 62;
			case '/', '_' -> 63;
			default -> -1;
		};
	}

	private static MalformedEnvelopeException malformed(String message) {
		return new MalformedEnvelopeException(message, false);
	}

}
