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

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.AEADBadTagException;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.crypto.AeadSuite;
import io.secureagent.crypto.InvalidKeyShareException;
import io.secureagent.crypto.X25519KeyShare;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.envelope.EnvelopeSigner.SignedEnvelope;
import io.secureagent.envelope.Members;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.replay.SequenceWindow;
import io.secureagent.testsupport.TestPki;
import io.secureagent.verification.Exchange;
import io.secureagent.verification.ReasonCode;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import io.secureagent.verification.VerifiedMessage;
import io.spiffe.spiffeid.SpiffeId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Authenticated ECDHE sessions end to end through the receiving pipelines of both agents,
 * and every way to attack them.
 *
 * @author secure-agent authors
 */
class SessionTests {

	private static final JsonValue TASK = new JsonObject(Map.of("task", new JsonString("summarise")));

	private final TestPki pki = new TestPki();

	private final Agent planner = new Agent(this.pki.identity(TestPki.PLANNER, KeyType.EC_P256),
			List.of(AeadSuite.values()), SessionLimits.DEFAULT, VerificationPolicy.DEFAULT);

	private final Agent executor = new Agent(this.pki.identity(TestPki.EXECUTOR, KeyType.ED25519),
			List.of(AeadSuite.values()), SessionLimits.DEFAULT, VerificationPolicy.DEFAULT);

	@Test
	void handshakeWhenCompletedThenBothDirectionsEncryptAndDecrypt() throws Exception {
		Session[] sessions = handshake(this.planner, this.executor);
		Session plannerSide = sessions[0];
		Session executorSide = sessions[1];
		assertThat(plannerSide.id()).isEqualTo(executorSide.id());
		assertThat(plannerSide.suite()).isEqualTo(AeadSuite.AES_256_GCM);
		assertThat(plannerSide.peer()).isEqualTo(TestPki.EXECUTOR);
		assertThat(executorSide.peer()).isEqualTo(TestPki.PLANNER);
		assertThat(this.planner.sessions.pendingHandshakes()).isZero();

		SignedEnvelope request = this.planner.sessions.seal(plannerSide, "task.request", null, TASK);
		String wire = new String(request.bytes(), StandardCharsets.UTF_8);
		assertThat(wire).doesNotContain("summarise").contains("\"ciphertext\"").doesNotContain("\"payload\"");
		VerifiedMessage received = accepted(this.executor.inbox.verify(request.bytes()));
		assertThat(received.payload()).isEqualTo(TASK);
		assertThat(received.session()).isSameAs(executorSide);

		JsonValue result = new JsonObject(Map.of("words", new JsonNumber(42)));
		SignedEnvelope response = this.executor.sessions.seal(executorSide, "task.result",
				received.header().correlationId(), result);
		VerifiedMessage answer = accepted(this.planner.receiveAnswer(response.bytes(), request));
		assertThat(answer.payload()).isEqualTo(result);
		assertThat(answer.header().correlationId()).isEqualTo(request.header().id());
	}

	@Test
	void handshakeWhenInitiatorOffersOnlyChaChaThenChaChaIsUsed() throws Exception {
		Agent chachaPlanner = new Agent(this.planner.identity, List.of(AeadSuite.CHACHA20_POLY1305),
				SessionLimits.DEFAULT, VerificationPolicy.DEFAULT);
		Session[] sessions = handshake(chachaPlanner, this.executor);
		assertThat(sessions[1].suite()).isEqualTo(AeadSuite.CHACHA20_POLY1305);
		SignedEnvelope request = chachaPlanner.sessions.seal(sessions[0], "task.request", null, TASK);
		assertThat(accepted(this.executor.inbox.verify(request.bytes())).payload()).isEqualTo(TASK);
	}

	@Test
	void handshakeWhenNoCommonSuiteThenRejected() throws Exception {
		Agent aesOnly = new Agent(this.executor.identity, List.of(AeadSuite.AES_256_GCM), SessionLimits.DEFAULT,
				VerificationPolicy.DEFAULT);
		Agent chachaOnly = new Agent(this.planner.identity, List.of(AeadSuite.CHACHA20_POLY1305), SessionLimits.DEFAULT,
				VerificationPolicy.DEFAULT);
		assertRejectedWithoutTrace(aesOnly, chachaOnly.sessions.initiate(TestPki.EXECUTOR).bytes(),
				ReasonCode.NO_COMMON_SUITE);
	}

	@Test
	void initWhenKeyShareIsLowOrderThenRejectedWithoutState() throws Exception {
		JsonObject init = tree(this.planner.sessions.initiate(TestPki.EXECUTOR).bytes());
		// u = 0 and u = 1 are of low order: the shared secret would be all zeros (RFC
		// 7748)
		for (byte[] lowOrder : new byte[][] { new byte[32], littleEndian(1),
				Base64.getDecoder().decode("4Ot6fDtBuK4WVuP68Z/EatoJjeucMrH9hmIFFl9JuAA=") }) {
			JsonObject payload = ((JsonObject) init.get(Members.PAYLOAD)).with("ephemeralKey", base64url(lowOrder));
			byte[] forged = TestPki.sign(init.with(Members.PAYLOAD, payload), this.planner.identity.svid());
			assertRejectedWithoutTrace(this.executor, forged, ReasonCode.INVALID_KEY_SHARE);
		}
	}

	@Test
	void initWhenClaimedIdentityIsNotItsSignerThenRejected() throws Exception {
		JsonObject init = tree(this.planner.sessions.initiate(TestPki.EXECUTOR).bytes());
		JsonObject payload = ((JsonObject) init.get(Members.PAYLOAD)).with("initiator",
				new JsonString("spiffe://a.test/admin"));
		byte[] forged = TestPki.sign(init.with(Members.PAYLOAD, payload), this.planner.identity.svid());
		assertRejectedWithoutTrace(this.executor, forged, ReasonCode.HANDSHAKE_IDENTITY_MISMATCH);
	}

	@Test
	void initWhenOfferedListTamperedInTransitThenBadSignature() throws Exception {
		JsonObject init = tree(this.planner.sessions.initiate(TestPki.EXECUTOR).bytes());
		JsonObject payload = ((JsonObject) init.get(Members.PAYLOAD)).with("suites",
				new JsonArray(List.of(new JsonString("CHACHA20-POLY1305"))));
		byte[] tampered = JsonCanonicalizer.canonicalize(init.with(Members.PAYLOAD, payload));
		assertRejectedWithoutTrace(this.executor, tampered, ReasonCode.BAD_SIGNATURE);
	}

	@Test
	void acceptWhenChoosingWorseSuiteThanBothPreferThenDowngrade() throws Exception {
		SignedEnvelope init = this.planner.sessions.initiate(TestPki.EXECUTOR);
		JsonObject accept = tree(accepted(this.executor.inbox.verify(init.bytes())).established().reply().bytes());
		JsonObject payload = ((JsonObject) accept.get(Members.PAYLOAD)).with("suite",
				new JsonString("CHACHA20-POLY1305"));
		byte[] downgraded = TestPki.sign(accept.with(Members.PAYLOAD, payload), this.executor.identity.svid());
		assertAnswerRejectedWithoutTrace(this.planner, downgraded, init, ReasonCode.DOWNGRADE);
		assertThat(this.planner.sessions.pendingHandshakes()).isEqualTo(1);
	}

	@Test
	void acceptWhenMadeForAnotherInitThenTranscriptMismatch() throws Exception {
		SignedEnvelope init = this.planner.sessions.initiate(TestPki.EXECUTOR);
		JsonObject accept = tree(accepted(this.executor.inbox.verify(init.bytes())).established().reply().bytes());
		JsonObject payload = ((JsonObject) accept.get(Members.PAYLOAD)).with("initHash",
				base64url(KeySchedule.hash("another init".getBytes(StandardCharsets.UTF_8))));
		byte[] mismatched = TestPki.sign(accept.with(Members.PAYLOAD, payload), this.executor.identity.svid());
		assertAnswerRejectedWithoutTrace(this.planner, mismatched, init, ReasonCode.TRANSCRIPT_MISMATCH);
	}

	@Test
	void acceptWhenNoMatchingInitThenUnexpectedHandshake() throws Exception {
		// another instance of the planner started this handshake; this one never did
		Agent otherPlanner = new Agent(this.planner.identity, List.of(AeadSuite.values()), SessionLimits.DEFAULT,
				VerificationPolicy.DEFAULT);
		SignedEnvelope init = otherPlanner.sessions.initiate(TestPki.EXECUTOR);
		byte[] accept = accepted(this.executor.inbox.verify(init.bytes())).established().reply().bytes();
		assertAnswerRejectedWithoutTrace(this.planner, accept, init, ReasonCode.UNEXPECTED_HANDSHAKE);
	}

	@Test
	void acceptWhenFromAnotherPeerThanDialledThenUnexpectedPeer() throws Exception {
		StaticIdentity impostor = this.pki.identity(SpiffeId.parse("spiffe://b.test/impostor"), KeyType.EC_P256);
		SignedEnvelope init = this.planner.sessions.initiate(TestPki.EXECUTOR);
		JsonObject accept = tree(accepted(this.executor.inbox.verify(init.bytes())).established().reply().bytes());
		JsonObject payload = ((JsonObject) accept.get(Members.PAYLOAD)).with("responder",
				new JsonString("spiffe://b.test/impostor"));
		byte[] hijacked = TestPki.sign(
				accept.with(Members.PAYLOAD, payload).with(Members.SENDER, new JsonString("spiffe://b.test/impostor")),
				impostor.svid());
		assertAnswerRejectedWithoutTrace(this.planner, hijacked, init, ReasonCode.UNEXPECTED_PEER);
	}

	@Test
	void encryptedWhenSessionUnknownThenRejected() throws Exception {
		Session[] sessions = handshake(this.planner, this.executor);
		JsonObject message = tree(this.planner.sessions.seal(sessions[0], "task.request", null, TASK).bytes());
		byte[] unknown = TestPki.sign(message.with(Members.SESSION, new JsonString("AAAAAAAAAAAAAAAAAAAAAA")),
				this.planner.identity.svid());
		assertRejectedWithoutTrace(this.executor, unknown, ReasonCode.UNKNOWN_SESSION);
	}

	@Test
	void encryptedWhenSessionExpiredThenRejected() throws Exception {
		SessionLimits shortLived = new SessionLimits(Duration.ofSeconds(90), 1000, 0.8, 64, Duration.ofSeconds(30));
		Agent shortPlanner = new Agent(this.planner.identity, List.of(AeadSuite.values()), shortLived,
				VerificationPolicy.DEFAULT);
		Agent shortExecutor = new Agent(this.executor.identity, List.of(AeadSuite.values()), shortLived,
				VerificationPolicy.DEFAULT);
		Session[] sessions = handshake(shortPlanner, shortExecutor);
		this.pki.clock.advance(Duration.ofSeconds(80));
		byte[] late = shortPlanner.sessions.seal(sessions[0], "task.request", null, TASK).bytes();
		this.pki.clock.advance(Duration.ofSeconds(20));
		assertRejectedWithoutTrace(shortExecutor, late, ReasonCode.SESSION_EXPIRED);
	}

	@Test
	void encryptedWhenBitsFlippedWithoutResigningThenBadSignature() throws Exception {
		Session[] sessions = handshake(this.planner, this.executor);
		byte[] message = this.planner.sessions.seal(sessions[0], "task.request", null, TASK).bytes();
		JsonObject tree = tree(message);
		byte[] ciphertext = ciphertext(tree);
		ciphertext[0] ^= 1;
		assertRejectedWithoutTrace(this.executor,
				JsonCanonicalizer.canonicalize(tree.with(Members.CIPHERTEXT, base64url(ciphertext))),
				ReasonCode.BAD_SIGNATURE);
		assertThat(this.executor.inbox.verify(message)).isInstanceOf(Verdict.Accepted.class);
	}

	@Test
	void encryptedWhenCiphertextTagNonceOrHeaderAlteredThenDecryptFails() throws Exception {
		// even re-signed by the genuine sender, an altered ciphertext, tag, nonce
		// (sequence
		// number) or associated data does not open
		Session[] sessions = handshake(this.planner, this.executor);
		byte[] message = this.planner.sessions.seal(sessions[0], "task.request", null, TASK).bytes();
		JsonObject tree = tree(message);
		byte[] ciphertext = ciphertext(tree);
		byte[] flippedBody = ciphertext.clone();
		flippedBody[1] ^= (byte) 0x80;
		byte[] flippedTag = ciphertext.clone();
		flippedTag[ciphertext.length - 1] ^= 1;
		byte[] truncatedTag = Arrays.copyOf(ciphertext, ciphertext.length - 1);
		byte[] tooShort = Arrays.copyOf(ciphertext, 15);
		for (JsonObject altered : List.of(tree.with(Members.CIPHERTEXT, base64url(flippedBody)),
				tree.with(Members.CIPHERTEXT, base64url(flippedTag)),
				tree.with(Members.CIPHERTEXT, base64url(truncatedTag)),
				tree.with(Members.CIPHERTEXT, base64url(tooShort)), tree.with(Members.SEQ, new JsonNumber(1)),
				tree.with(Members.TYPE, new JsonString("task.cancel")))) {
			assertRejectedWithoutTrace(this.executor, TestPki.sign(altered, this.planner.identity.svid()),
					ReasonCode.DECRYPT_FAILED);
		}
		assertThat(this.executor.inbox.verify(message)).isInstanceOf(Verdict.Accepted.class);
	}

	@Test
	void requestWhenCorrelatedWithAnotherExchangeThenWrongDirection() throws Exception {
		// an answer captured from another exchange and re-signed by its sender still is
		// no request
		Session[] sessions = handshake(this.planner, this.executor);
		JsonObject tree = tree(this.planner.sessions.seal(sessions[0], "task.request", null, TASK).bytes());
		assertRejectedWithoutTrace(this.executor, TestPki
			.sign(tree.with(Members.CORRELATION_ID, new JsonString("other-exchange")), this.planner.identity.svid()),
				ReasonCode.WRONG_DIRECTION);
	}

	@Test
	void encryptedWhenReplayedOrSequenceReusedThenReplayed() throws Exception {
		Session[] sessions = handshake(this.planner, this.executor);
		byte[] message = this.planner.sessions.seal(sessions[0], "task.request", null, TASK).bytes();
		accepted(this.executor.inbox.verify(message));
		assertRejectedWithoutTrace(this.executor, message, ReasonCode.REPLAYED);
		// a sender that sealed another message (new id) under a used sequence number is
		// refused by the window, though the AEAD opens it
		String id = EnvelopeSigner.newMessageId();
		JsonObject reused = tree(message).with(Members.ID, new JsonString(id))
			.with(Members.CORRELATION_ID, new JsonString(id));
		byte[] aad = JsonCanonicalizer.canonicalize(reused.without(Members.SIGNATURE).without(Members.CIPHERTEXT));
		reused = reused.with(Members.CIPHERTEXT,
				base64url(sessions[0].seal(0, aad, JsonCanonicalizer.canonicalize(TASK))));
		assertRejectedWithoutTrace(this.executor, TestPki.sign(reused, this.planner.identity.svid()),
				ReasonCode.REPLAYED);
	}

	@Test
	void encryptedWhenReorderedWithinWindowThenAcceptedAndBelowWindowThenTooOld() throws Exception {
		Session[] sessions = handshake(this.planner, this.executor);
		byte[] first = this.planner.sessions.seal(sessions[0], "task.request", null, TASK).bytes();
		byte[] second = this.planner.sessions.seal(sessions[0], "task.request", null, TASK).bytes();
		byte[] third = this.planner.sessions.seal(sessions[0], "task.request", null, TASK).bytes();
		accepted(this.executor.inbox.verify(third));
		accepted(this.executor.inbox.verify(first));
		for (int i = 0; i < 200; i++) {
			sessions[0].nextSequence();
		}
		byte[] far = this.planner.sessions.seal(sessions[0], "task.request", null, TASK).bytes();
		assertThat(tree(far).get(Members.SEQ)).isEqualTo(new JsonNumber(203));
		accepted(this.executor.inbox.verify(far));
		assertRejectedWithoutTrace(this.executor, second, ReasonCode.SEQUENCE_TOO_OLD);
	}

	@Test
	void relayWhenForwardingThenCannotReadNorAlterUnnoticed() throws Exception {
		Session[] sessions = handshake(this.planner, this.executor);
		Agent relay = new Agent(this.pki.identity(SpiffeId.parse("spiffe://a.test/relay"), KeyType.EC_P256),
				List.of(AeadSuite.values()), SessionLimits.DEFAULT, VerificationPolicy.DEFAULT);
		Session[] relaySessions = handshake(this.planner, relay);
		byte[] message = this.planner.sessions.seal(sessions[0], "task.request", null, TASK).bytes();

		// the relay sees no plaintext, cannot accept the message as its own, and its own
		// session keys with the planner do not open it
		assertThat(new String(message, StandardCharsets.UTF_8)).doesNotContain("summarise");
		assertThat(((Verdict.Rejected) relay.inbox.verify(message)).reason()).isEqualTo(ReasonCode.WRONG_RECIPIENT);
		JsonObject tree = tree(message);
		long sequence = (long) ((JsonNumber) tree.get(Members.SEQ)).value();
		byte[] aad = JsonCanonicalizer.canonicalize(tree.without(Members.SIGNATURE).without(Members.CIPHERTEXT));
		assertThatExceptionOfType(AEADBadTagException.class)
			.isThrownBy(() -> relaySessions[1].open(sequence, aad, ciphertext(tree)));

		// altering anything is noticed; re-signing as itself makes it a stranger to the
		// session
		byte[] altered = JsonCanonicalizer
			.canonicalize(tree.with(Members.CORRELATION_ID, new JsonString("relay-was-here")));
		assertRejectedWithoutTrace(this.executor, altered, ReasonCode.BAD_SIGNATURE);
		byte[] resigned = TestPki.sign(tree.with(Members.SENDER, new JsonString("spiffe://a.test/relay")),
				relay.identity.svid());
		assertRejectedWithoutTrace(this.executor, resigned, ReasonCode.SESSION_PEER_MISMATCH);

		// forwarded untouched, it is accepted by its recipient
		assertThat(accepted(this.executor.inbox.verify(message)).payload()).isEqualTo(TASK);
	}

	@Test
	void forwardSecrecyWhenSessionEndedThenLongTermKeysDoNotDecryptRecordedTraffic() throws Exception {
		// the attacker records the handshake and one message
		SignedEnvelope init = this.planner.sessions.initiate(TestPki.EXECUTOR);
		SignedEnvelope accept = accepted(this.executor.inbox.verify(init.bytes())).established().reply();
		Session plannerSide = accepted(this.planner.receiveAnswer(accept.bytes(), init)).established().session();
		Session executorSide = this.executor.sessions.store().find(plannerSide.id()).orElseThrow();
		byte[] recorded = this.planner.sessions.seal(plannerSide, "task.request", null, TASK).bytes();
		assertThat(accepted(this.executor.inbox.verify(recorded)).payload()).isEqualTo(TASK);

		// the session ends: both sides erase their keys
		this.planner.sessions.close(plannerSide);
		this.executor.sessions.close(executorSide);
		assertThat(plannerSide.isDestroyed()).isTrue();
		assertThat(executorSide.isDestroyed()).isTrue();
		assertThat(this.planner.sessions.pendingHandshakes()).isZero();

		// later both SVID private keys leak. The attacker knows everything public: both
		// ephemeral public keys, the transcript hash, both SPIFFE IDs, the session id.
		JsonObject initTree = tree(init.bytes());
		JsonObject acceptTree = tree(accept.bytes());
		byte[] initiatorShare = Base64.getUrlDecoder()
			.decode(((JsonString) ((JsonObject) initTree.get(Members.PAYLOAD)).get("ephemeralKey")).value());
		byte[] responderShare = Base64.getUrlDecoder()
			.decode(((JsonString) ((JsonObject) acceptTree.get(Members.PAYLOAD)).get("ephemeralKey")).value());
		byte[] transcript = KeySchedule.transcriptHash(
				JsonCanonicalizer.canonicalize(initTree.without(Members.SIGNATURE)),
				JsonCanonicalizer.canonicalize(acceptTree.without(Members.SIGNATURE)));
		String sessionId = plannerSide.id();
		JsonObject message = tree(recorded);
		long sequence = (long) ((JsonNumber) message.get(Members.SEQ)).value();
		byte[] aad = JsonCanonicalizer.canonicalize(message.without(Members.SIGNATURE).without(Members.CIPHERTEXT));
		int attempts = 0;
		for (byte[] leaked : List.of(this.planner.identity.svid().privateKey().getEncoded(),
				this.executor.identity.svid().privateKey().getEncoded())) {
			// the best use of a leaked signing key: its bytes as X25519 scalars against
			// each
			// ephemeral public key; without an ephemeral private key there is nothing
			// better
			for (int offset = 0; offset + 32 <= leaked.length; offset += 8) {
				byte[] scalar = Arrays.copyOfRange(leaked, offset, offset + 32);
				for (byte[] share : List.of(initiatorShare, responderShare)) {
					byte[] guess;
					try {
						guess = X25519KeyShare.agree(scalar, share);
					}
					catch (InvalidKeyShareException ex) {
						continue;
					}
					SessionKeys keys = KeySchedule.derive(guess, transcript, TestPki.PLANNER, TestPki.EXECUTOR,
							sessionId, Session.Role.RESPONDER);
					assertThatExceptionOfType(AEADBadTagException.class).isThrownBy(() -> plannerSide.suite()
						.open(keys.receiveKey(), KeySchedule.nonce(keys.receiveIv(), sequence), aad,
								ciphertext(message)));
					attempts++;
				}
			}
		}
		assertThat(attempts).isGreaterThan(10);
		// and a destroyed session opens nothing either
		assertThatExceptionOfType(AEADBadTagException.class)
			.isThrownBy(() -> executorSide.open(sequence, aad, ciphertext(message)));
	}

	@Test
	void sessionWhenSenderSvidRotatesThenContinues() throws Exception {
		Session[] sessions = handshake(this.planner, this.executor);
		accepted(this.executor.inbox
			.verify(this.planner.sessions.seal(sessions[0], "task.request", null, TASK).bytes()));
		this.planner.identity.rotate(this.pki.a.issue(TestPki.PLANNER, KeyType.ED25519));
		byte[] afterRotation = this.planner.sessions.seal(sessions[0], "task.request", null, TASK).bytes();
		assertThat(tree(afterRotation).get(Members.ALG)).isEqualTo(new JsonString("EdDSA"));
		assertThat(accepted(this.executor.inbox.verify(afterRotation)).session()).isSameAs(sessions[1]);
	}

	@Test
	void sessionWhenNearItsMessageLimitThenRekeyAndAtTheLimitThenNoSequenceNumberIsReused() throws Exception {
		SessionLimits small = new SessionLimits(Duration.ofHours(1), 10, 0.8, 64, Duration.ofSeconds(30));
		Agent smallPlanner = new Agent(this.planner.identity, List.of(AeadSuite.values()), small,
				VerificationPolicy.DEFAULT);
		Session[] sessions = handshake(smallPlanner, this.executor);
		assertThat(smallPlanner.sessions.sessionWith(TestPki.EXECUTOR)).containsSame(sessions[0]);
		for (int i = 0; i < 8; i++) {
			smallPlanner.sessions.seal(sessions[0], "task.request", null, TASK);
		}
		assertThat(sessions[0].needsRekey(this.pki.clock.instant())).isTrue();
		assertThat(smallPlanner.sessions.sessionWith(TestPki.EXECUTOR)).isEmpty();
		smallPlanner.sessions.seal(sessions[0], "task.request", null, TASK);
		smallPlanner.sessions.seal(sessions[0], "task.request", null, TASK);
		assertThatExceptionOfType(SessionExhaustedException.class)
			.isThrownBy(() -> smallPlanner.sessions.seal(sessions[0], "task.request", null, TASK));
		assertThatExceptionOfType(SessionExhaustedException.class).isThrownBy(sessions[0]::nextSequence);

		Session[] rekeyed = handshake(smallPlanner, this.executor);
		assertThat(rekeyed[0].id()).isNotEqualTo(sessions[0].id());
		assertThat(smallPlanner.sessions.sessionWith(TestPki.EXECUTOR)).containsSame(rekeyed[0]);
		accepted(
				this.executor.inbox.verify(smallPlanner.sessions.seal(rekeyed[0], "task.request", null, TASK).bytes()));
	}

	@Test
	void sessionWhenTimeLimitNearThenRekeyAndAfterItThenSealingRefused() throws Exception {
		Session[] sessions = handshake(this.planner, this.executor);
		this.pki.clock.advance(Duration.ofMinutes(49));
		assertThat(sessions[0].needsRekey(this.pki.clock.instant())).isTrue();
		this.pki.clock.advance(Duration.ofMinutes(11));
		assertThatExceptionOfType(SessionExhaustedException.class)
			.isThrownBy(() -> this.planner.sessions.seal(sessions[0], "task.request", null, TASK));
	}

	@Test
	void storeWhenSessionExpiredThenItsKeysAreErasedAtTheNextHandshake() throws Exception {
		SessionLimits tenMinutes = new SessionLimits(Duration.ofMinutes(10), 1000, 0.8, 64, Duration.ofSeconds(30));
		Agent initiator = new Agent(this.planner.identity, List.of(AeadSuite.values()), tenMinutes,
				VerificationPolicy.DEFAULT);
		Agent responder = new Agent(this.executor.identity, List.of(AeadSuite.values()), tenMinutes,
				VerificationPolicy.DEFAULT);
		Session[] old = handshake(initiator, responder);
		this.pki.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
		handshake(initiator, responder);
		assertThat(old[0].isDestroyed()).isTrue();
		assertThat(old[1].isDestroyed()).isTrue();
		assertThat(responder.sessions.store().find(old[1].id())).isEmpty();
	}

	@Test
	void plaintextWhenEncryptionRequiredThenRejectedButHandshakeAllowed() throws Exception {
		Agent strict = new Agent(this.executor.identity, List.of(AeadSuite.values()), SessionLimits.DEFAULT,
				VerificationPolicy.DEFAULT.withEncryptionRequired(true));
		byte[] plain = new EnvelopeSigner(this.planner.identity, this.pki.clock, Duration.ofMinutes(1))
			.sign("task.request", TestPki.EXECUTOR, null, TASK)
			.bytes();
		assertRejectedWithoutTrace(strict, plain, ReasonCode.ENCRYPTION_REQUIRED);
		Session[] sessions = handshake(this.planner, strict);
		accepted(strict.inbox.verify(this.planner.sessions.seal(sessions[0], "task.request", null, TASK).bytes()));
	}

	@Test
	void initWhenSessionStoreFullThenRejectedWithoutTrace() throws Exception {
		Agent tiny = new Agent(this.executor.identity, List.of(AeadSuite.values()), SessionLimits.DEFAULT,
				VerificationPolicy.DEFAULT, 1);
		handshake(this.planner, tiny);
		assertRejectedWithoutTrace(tiny, this.planner.sessions.initiate(TestPki.EXECUTOR).bytes(),
				ReasonCode.SESSION_STORE_FULL);
	}

	@Test
	void sequenceWindowWhenNumbersArriveThenTracksReplaysWithConstantMemory() {
		SequenceWindow window = new SequenceWindow(64);
		assertThat(window.check(0)).isEqualTo(SequenceWindow.Status.NEW);
		window.mark(0);
		assertThat(window.check(0)).isEqualTo(SequenceWindow.Status.SEEN);
		window.mark(100);
		assertThat(window.check(36)).isEqualTo(SequenceWindow.Status.TOO_OLD);
		assertThat(window.check(37)).isEqualTo(SequenceWindow.Status.NEW);
		window.mark(37);
		assertThat(window.check(37)).isEqualTo(SequenceWindow.Status.SEEN);
		window.mark(1_000_000);
		assertThat(window.check(999_999)).isEqualTo(SequenceWindow.Status.NEW);
		assertThat(window.check(100)).isEqualTo(SequenceWindow.Status.TOO_OLD);
		assertThat(window.check(-1)).isEqualTo(SequenceWindow.Status.TOO_OLD);
		assertThat(window.highest()).isEqualTo(1_000_000);
	}

	@Test
	void acceptWhenPostedToTheInitiatorsEndpointAsARequestThenRefusedWithoutSession() throws Exception {
		// a relay that saw the accept posts it to the planner's endpoint: before, the
		// session was committed and the relay could use up its ids and sequence numbers
		SignedEnvelope init = this.planner.sessions.initiate(TestPki.EXECUTOR);
		byte[] accept = accepted(this.executor.inbox.verify(init.bytes())).established().reply().bytes();
		int pending = this.planner.sessions.pendingHandshakes();
		// it answers another exchange: no request
		assertRejectedWithoutTrace(this.planner, accept, ReasonCode.WRONG_DIRECTION);
		// nor when forged to look like one (by a signer that would have to be the
		// executor)
		JsonObject forged = tree(accept);
		forged = forged.with(Members.CORRELATION_ID, forged.get(Members.ID));
		assertRejectedWithoutTrace(this.planner, TestPki.sign(forged, this.executor.identity.svid()),
				ReasonCode.UNEXPECTED_HANDSHAKE);
		assertThat(this.planner.sessions.pendingHandshakes()).isEqualTo(pending);
		assertThat(this.planner.sessions.sessionWith(TestPki.EXECUTOR)).isEmpty();
		// the genuine answer, verified by the client, still completes the handshake
		assertThat(accepted(this.planner.receiveAnswer(accept, init)).established()).isNotNull();
		assertThat(this.planner.sessions.sessionWith(TestPki.EXECUTOR)).isPresent();
	}

	@Test
	void acceptWhenEcdsaSignatureMalleatedInTransitThenBothSidesStillDeriveTheSameKeys() throws Exception {
		Agent ecExecutor = new Agent(this.pki.identity(TestPki.EXECUTOR, KeyType.EC_P256), List.of(AeadSuite.values()),
				SessionLimits.DEFAULT, VerificationPolicy.DEFAULT);
		SignedEnvelope init = this.planner.sessions.initiate(TestPki.EXECUTOR);
		VerifiedMessage received = accepted(ecExecutor.inbox.verify(init.bytes()));
		JsonObject accept = tree(received.established().reply().bytes());
		// (r, s) -> (r, n - s) is an equally valid ECDSA signature over the same bytes
		byte[] signature = Base64.getUrlDecoder().decode(((JsonString) accept.get(Members.SIGNATURE)).value());
		BigInteger n = new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
		BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
		byte[] flipped = n.subtract(s).toByteArray();
		byte[] malleated = signature.clone();
		Arrays.fill(malleated, 32, 64, (byte) 0);
		int length = Math.min(32, flipped.length);
		System.arraycopy(flipped, flipped.length - length, malleated, 64 - length, length);
		assertThat(malleated).isNotEqualTo(signature);
		byte[] relayed = JsonCanonicalizer.canonicalize(accept.with(Members.SIGNATURE, base64url(malleated)));
		Session plannerSide = accepted(this.planner.receiveAnswer(relayed, init)).established().session();
		// the transcript binds the signing inputs, so the keys agree: traffic flows
		SignedEnvelope request = this.planner.sessions.seal(plannerSide, "task.request", null, TASK);
		assertThat(accepted(ecExecutor.inbox.verify(request.bytes())).payload()).isEqualTo(TASK);
	}

	@Test
	void acceptWhenAnotherPeerNamesTheSessionIdOfAnExistingSessionThenRefusedAndThatSessionKeepsWorking()
			throws Exception {
		Session[] withExecutor = handshake(this.planner, this.executor);
		// the planner dials a malicious relay, which answers with the id of the
		// planner-executor session
		Agent relay = new Agent(this.pki.identity(SpiffeId.parse("spiffe://a.test/relay"), KeyType.EC_P256),
				List.of(AeadSuite.values()), SessionLimits.DEFAULT, VerificationPolicy.DEFAULT);
		SignedEnvelope init = this.planner.sessions.initiate(relay.identity.spiffeId());
		JsonObject accept = tree(accepted(relay.inbox.verify(init.bytes())).established().reply().bytes());
		JsonObject payload = ((JsonObject) accept.get(Members.PAYLOAD)).with("sessionId",
				new JsonString(withExecutor[0].id()));
		byte[] takeover = TestPki.sign(accept.with(Members.PAYLOAD, payload), relay.identity.svid());
		assertAnswerRejectedWithoutTrace(this.planner, takeover, init, ReasonCode.SESSION_ID_IN_USE);
		assertThat(this.planner.sessions.find(withExecutor[0].id())).containsSame(withExecutor[0]);
		assertThat(withExecutor[0].isDestroyed()).isFalse();
		assertThat(this.planner.sessions.sessionWith(TestPki.EXECUTOR)).containsSame(withExecutor[0]);
		SignedEnvelope request = this.planner.sessions.seal(withExecutor[0], "task.request", null, TASK);
		assertThat(accepted(this.executor.inbox.verify(request.bytes())).payload()).isEqualTo(TASK);
	}

	@Test
	void acceptWhenASecondAcceptAnswersACompletedHandshakeThenUnexpectedWithoutTrace() throws Exception {
		SignedEnvelope init = this.planner.sessions.initiate(TestPki.EXECUTOR);
		JsonObject accept = tree(accepted(this.executor.inbox.verify(init.bytes())).established().reply().bytes());
		accepted(this.planner.receiveAnswer(JsonCanonicalizer.canonicalize(accept), init));
		// the responder (or whoever holds its key) signs another accept for the same init
		byte[] second = TestPki.sign(accept.with(Members.ID, new JsonString(EnvelopeSigner.newMessageId())),
				this.executor.identity.svid());
		assertAnswerRejectedWithoutTrace(this.planner, second, init, ReasonCode.UNEXPECTED_HANDSHAKE);
	}

	@Test
	void encryptedWhenSequenceAtOrPastTheReceiversMessageLimitThenSessionExpired() throws Exception {
		SessionLimits ten = new SessionLimits(Duration.ofHours(1), 10, 0.8, 64, Duration.ofSeconds(30));
		Agent smallExecutor = new Agent(this.executor.identity, List.of(AeadSuite.values()), ten,
				VerificationPolicy.DEFAULT);
		// the planner's own limit is a million: only the receiver's limit can stop it
		Session[] sessions = handshake(this.planner, smallExecutor);
		for (int i = 0; i < 10; i++) {
			sessions[0].nextSequence();
		}
		byte[] eleventh = this.planner.sessions.seal(sessions[0], "task.request", null, TASK).bytes();
		assertThat(tree(eleventh).get(Members.SEQ)).isEqualTo(new JsonNumber(10));
		assertRejectedWithoutTrace(smallExecutor, eleventh, ReasonCode.SESSION_EXPIRED);
	}

	@Test
	void initWhenThePeerHoldsItsShareOfSessionsThenPeerQuotaExceededAndOthersStillConnect() throws Exception {
		Agent guarded = new Agent(this.executor.identity, List.of(AeadSuite.values()), SessionLimits.DEFAULT,
				VerificationPolicy.DEFAULT, 100, 2);
		handshake(this.planner, guarded);
		handshake(this.planner, guarded);
		assertRejectedWithoutTrace(guarded, this.planner.sessions.initiate(TestPki.EXECUTOR).bytes(),
				ReasonCode.PEER_QUOTA_EXCEEDED);
		Agent relay = new Agent(this.pki.identity(SpiffeId.parse("spiffe://a.test/relay"), KeyType.EC_P256),
				List.of(AeadSuite.values()), SessionLimits.DEFAULT, VerificationPolicy.DEFAULT);
		assertThat(handshake(relay, guarded)[1].peer()).isEqualTo(relay.identity.spiffeId());
	}

	@Test
	void sessionWhenDestroyedThenSealingRefusedAndKeysErased() throws Exception {
		Session[] sessions = handshake(this.planner, this.executor);
		sessions[0].destroy();
		assertThat(sessions[0].isDestroyed()).isTrue();
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> sessions[0].seal(0, new byte[0], new byte[0]));
	}

	private Session[] handshake(Agent initiator, Agent responder) throws Exception {
		SignedEnvelope init = initiator.sessions.initiate(responder.identity.spiffeId());
		VerifiedMessage received = accepted(responder.inbox.verify(init.bytes()));
		SignedEnvelope accept = received.established().reply();
		VerifiedMessage completed = accepted(initiator.receiveAnswer(accept.bytes(), init));
		return new Session[] { completed.established().session(), received.established().session() };
	}

	private static VerifiedMessage accepted(Verdict verdict) {
		assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
		return ((Verdict.Accepted) verdict).message();
	}

	private static void assertRejectedWithoutTrace(Agent agent, byte[] message, ReasonCode expected) throws Exception {
		long replayEntries = agent.replayStore.size();
		int sessions = agent.sessions.store().size();
		Verdict verdict = agent.inbox.verify(message);
		assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
		assertThat(((Verdict.Rejected) verdict).reason()).as(((Verdict.Rejected) verdict).detail()).isEqualTo(expected);
		assertThat(agent.replayStore.size()).isEqualTo(replayEntries);
		assertThat(agent.sessions.store().size()).isEqualTo(sessions);
	}

	private static void assertAnswerRejectedWithoutTrace(Agent agent, byte[] message, SignedEnvelope request,
			ReasonCode expected) throws Exception {
		long replayEntries = agent.answerStore.size();
		int sessions = agent.sessions.store().size();
		int pending = agent.sessions.pendingHandshakes();
		Verdict verdict = agent.receiveAnswer(message, request);
		assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
		assertThat(((Verdict.Rejected) verdict).reason()).as(((Verdict.Rejected) verdict).detail()).isEqualTo(expected);
		assertThat(agent.answerStore.size()).isEqualTo(replayEntries);
		assertThat(agent.sessions.store().size()).isEqualTo(sessions);
		assertThat(agent.sessions.pendingHandshakes()).isEqualTo(pending);
	}

	private static JsonObject tree(byte[] message) throws Exception {
		return (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(message);
	}

	private static byte[] ciphertext(JsonObject tree) {
		return Base64.getUrlDecoder().decode(((JsonString) tree.get(Members.CIPHERTEXT)).value());
	}

	private static JsonString base64url(byte[] bytes) {
		return new JsonString(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
	}

	private static byte[] littleEndian(int value) {
		byte[] bytes = new byte[32];
		bytes[0] = (byte) value;
		return bytes;
	}

	private final class Agent {

		final StaticIdentity identity;

		final InMemoryReplayStore replayStore;

		final SessionManager sessions;

		final InMemoryReplayStore answerStore;

		/** The requests this agent's endpoint receives. */
		final VerificationPipeline inbox;

		/** The answers this agent's client receives. */
		final VerificationPipeline answers;

		Agent(StaticIdentity identity, List<AeadSuite> suites, SessionLimits limits, VerificationPolicy policy) {
			this(identity, suites, limits, policy, 100);
		}

		Agent(StaticIdentity identity, List<AeadSuite> suites, SessionLimits limits, VerificationPolicy policy,
				int sessionCapacity) {
			this(identity, suites, limits, policy, sessionCapacity, sessionCapacity);
		}

		Agent(StaticIdentity identity, List<AeadSuite> suites, SessionLimits limits, VerificationPolicy policy,
				int sessionCapacity, int sessionsPerPeer) {
			var clock = SessionTests.this.pki.clock;
			this.identity = identity;
			this.replayStore = new InMemoryReplayStore(10_000, clock);
			this.answerStore = new InMemoryReplayStore(10_000, clock);
			this.sessions = new SessionManager(identity, new EnvelopeSigner(identity, clock, Duration.ofMinutes(1)),
					new InMemorySessionStore(sessionCapacity, sessionsPerPeer, clock), limits, suites,
					new StrictJsonParser(policy.jsonLimits()), clock);
			this.inbox = VerificationPipeline.standard(identity, this.replayStore, policy, clock, this.sessions);
			this.answers = VerificationPipeline.responseBuilder(identity, this.answerStore, clock)
				.policy(policy)
				.sessions(this.sessions)
				.build();
		}

		/**
		 * Verify an answer to a request this agent sent, as its client does.
		 */
		Verdict receiveAnswer(byte[] message, SignedEnvelope request) throws Exception {
			String expected = Handshake.INIT.equals(request.header().type()) ? Handshake.ACCEPT : "task.result";
			String sessionId = (tree(request.bytes()).get(Members.SESSION) instanceof JsonString id) ? id.value()
					: null;
			return this.answers.verify(message, new Exchange(request.header().recipient(), Set.of(expected),
					request.header().correlationId(), sessionId));
		}

	}

}
