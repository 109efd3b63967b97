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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.crypto.MessageSigner;
import io.secureagent.crypto.SignatureAlgorithm;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.envelope.Members;
import io.secureagent.identity.DevCertificateAuthority.LeafSpec;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.identity.Svid;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.replay.ReplayStore;
import io.secureagent.replay.ReplayStoreUnavailableException;
import io.secureagent.testsupport.TestPki;
import io.spiffe.spiffeid.SpiffeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input suite of the receiving pipeline: every case asserts the exact reason code
 * and that the replay store did not change (the genuine message is still accepted after
 * the bad one).
 *
 * @author secure-agent authors
 */
class VerificationPipelineTests {

	private static final JsonValue PAYLOAD = new JsonObject(
			Map.of("task", new JsonString("summarise"), "priority", new JsonNumber(3)));

	private final TestPki pki = new TestPki();

	private final StaticIdentity planner = this.pki.identity(TestPki.PLANNER, KeyType.EC_P256);

	private final StaticIdentity executor = this.pki.identity(TestPki.EXECUTOR, KeyType.EC_P256);

	private final InMemoryReplayStore store = new InMemoryReplayStore(1000, this.pki.clock);

	private final VerificationPipeline pipeline = VerificationPipeline.standard(this.executor, this.store,
			VerificationPolicy.DEFAULT, this.pki.clock);

	private final EnvelopeSigner signer = new EnvelopeSigner(this.planner, this.pki.clock, Duration.ofMinutes(1));

	@Test
	void checksWhenListedThenInProtocolOrderWithTheirReasons() {
		assertThat(this.pipeline.direction()).isEqualTo(Direction.REQUEST);
		assertThat(this.pipeline.checks()).extracting(Check::name)
			.containsExactly("parse", "structure", "freshness", "recipient", "chain", "signature", "transport-binding",
					"authorization", "direction", "sunset", "session", "decrypt", "handshake", "schema", "replay");
		VerificationPipeline answers = VerificationPipeline
			.responseBuilder(this.executor, new InMemoryReplayStore(10, this.pki.clock), this.pki.clock)
			.build();
		assertThat(answers.direction()).isEqualTo(Direction.RESPONSE);
		assertThat(answers.checks()).extracting(Check::name)
			.containsExactly("parse", "structure", "freshness", "recipient", "chain", "signature", "exchange",
					"session", "decrypt", "handshake", "schema", "replay");
		assertThat(this.pipeline.checks().get(14).reasons()).contains(ReasonCode.REPLAYED, ReasonCode.EXPIRED,
				ReasonCode.PEER_QUOTA_EXCEEDED, ReasonCode.SESSION_ID_IN_USE, ReasonCode.REPLAY_STORE_FULL);
		EnumSet<ReasonCode> covered = EnumSet.noneOf(ReasonCode.class);
		this.pipeline.checks().forEach((check) -> covered.addAll(check.reasons()));
		answers.checks().forEach((check) -> covered.addAll(check.reasons()));
		// any check that fails unexpectedly refuses with verifier-failed
		covered.add(ReasonCode.VERIFIER_FAILED);
		assertThat(covered).containsExactlyInAnyOrder(ReasonCode.values());
		assertThat(this.pipeline.checks()).allSatisfy((check) -> assertThat(check.summary()).isNotBlank());
	}

	@Test
	void verifyWhenGenuineThenAcceptedWithPayloadFromTheVerifiedTree() throws Exception {
		byte[] message = genuine();
		Verdict verdict = this.pipeline.verify(message);
		assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
		VerifiedMessage accepted = ((Verdict.Accepted) verdict).message();
		assertThat(accepted.payload()).isEqualTo(PAYLOAD);
		assertThat(accepted.sender().spiffeId()).isEqualTo(TestPki.PLANNER);
		assertThat(accepted.header().recipient()).isEqualTo(TestPki.EXECUTOR);
		assertThat(this.store.size()).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource(KeyType.class)
	void verifyWhenEachKeyTypeThenAccepted(KeyType keyType) throws Exception {
		StaticIdentity sender = this.pki.identity(TestPki.PLANNER, keyType);
		byte[] message = new EnvelopeSigner(sender, this.pki.clock, Duration.ofMinutes(1))
			.sign("task.request", TestPki.EXECUTOR, null, PAYLOAD)
			.bytes();
		assertThat(this.pipeline.verify(message)).isInstanceOf(Verdict.Accepted.class);
	}

	static Stream<Arguments> tamperedFields() {
		return Stream.of(Arguments.of(Members.TYPE, new JsonString("task.cancel"), ReasonCode.BAD_SIGNATURE),
				Arguments.of(Members.ID, new JsonString("AAAAAAAAAAAAAAAAAAAAAA"), ReasonCode.BAD_SIGNATURE),
				Arguments.of(Members.SENDER, new JsonString("spiffe://a.test/admin"), ReasonCode.SENDER_MISMATCH),
				Arguments.of(Members.RECIPIENT, new JsonString("spiffe://b.test/other"), ReasonCode.WRONG_RECIPIENT),
				Arguments.of(Members.ISSUED_AT, null, ReasonCode.BAD_SIGNATURE),
				Arguments.of(Members.EXPIRES_AT, null, ReasonCode.BAD_SIGNATURE),
				Arguments.of(Members.CORRELATION_ID, new JsonString("another-exchange"), ReasonCode.BAD_SIGNATURE),
				Arguments.of(Members.PAYLOAD, new JsonObject(Map.of("task", new JsonString("rm -rf /"))),
						ReasonCode.BAD_SIGNATURE),
				Arguments.of(Members.VERSION, new JsonString("secure-agent/2"), ReasonCode.UNSUPPORTED_VERSION),
				Arguments.of(Members.ALG, new JsonString("EdDSA"), ReasonCode.BAD_SIGNATURE),
				Arguments.of(Members.ALG, new JsonString("PS256"), ReasonCode.BAD_SIGNATURE),
				Arguments.of(Members.ALG, new JsonString("none"), ReasonCode.UNSUPPORTED_ALGORITHM),
				Arguments.of(Members.ALG, new JsonString("HS256"), ReasonCode.UNSUPPORTED_ALGORITHM),
				Arguments.of(Members.ALG, new JsonString("es256"), ReasonCode.UNSUPPORTED_ALGORITHM));
	}

	@ParameterizedTest(name = "{0} -> {2}")
	@MethodSource("tamperedFields")
	void verifyWhenSignedFieldTamperedThenRejected(String member, JsonValue replacement, ReasonCode expected)
			throws Exception {
		byte[] message = genuine();
		JsonObject tree = tree(message);
		JsonValue value = (replacement != null) ? replacement
				: new JsonNumber(((JsonNumber) tree.get(member)).value() - 1);
		assertRejectedWithoutTrace(serialize(tree.with(member, value)), expected);
		assertAccepted(message);
	}

	@Test
	void verifyWhenX5cSwappedForAnotherSvidOfTheSenderThenBadSignature() throws Exception {
		byte[] message = genuine();
		Svid other = this.pki.a.issue(TestPki.PLANNER, KeyType.EC_P256);
		JsonObject tree = tree(message).with(Members.X5C,
				new JsonArray(List.of(new JsonString(TestPki.base64(other.leaf())))));
		assertRejectedWithoutTrace(serialize(tree), ReasonCode.BAD_SIGNATURE);
		assertAccepted(message);
	}

	@Test
	void verifyWhenSignedWithAnotherKeyThanTheChainThenBadSignature() throws Exception {
		byte[] message = genuine();
		Svid attacker = this.pki.a.issue(SpiffeId.parse("spiffe://a.test/attacker"), KeyType.EC_P256);
		JsonObject tree = tree(message);
		byte[] forged = TestPki.signRaw(tree, MessageSigner.of(attacker.privateKey()));
		assertRejectedWithoutTrace(forged, ReasonCode.BAD_SIGNATURE);
		assertAccepted(message);
	}

	@Test
	void verifyWhenSignatureMissingThenMalformed() throws Exception {
		assertRejectedWithoutTrace(serialize(tree(genuine()).without(Members.SIGNATURE)), ReasonCode.MALFORMED);
	}

	@Test
	void verifyWhenSignatureEmptyOrNotBase64urlThenMalformed() throws Exception {
		JsonObject tree = tree(genuine());
		assertRejectedWithoutTrace(serialize(tree.with(Members.SIGNATURE, new JsonString(""))), ReasonCode.MALFORMED);
		String signature = ((JsonString) tree.get(Members.SIGNATURE)).value();
		assertRejectedWithoutTrace(serialize(tree.with(Members.SIGNATURE, new JsonString(signature + "=="))),
				ReasonCode.MALFORMED);
		assertRejectedWithoutTrace(
				serialize(tree.with(Members.SIGNATURE,
						new JsonString(signature.replace('-', '+').replace('_', '/').concat("+")))),
				ReasonCode.MALFORMED);
	}

	@Test
	void verifyWhenSignatureBitFlippedOrTruncatedThenBadSignature() throws Exception {
		byte[] message = genuine();
		JsonObject tree = tree(message);
		byte[] signature = Base64.getUrlDecoder().decode(((JsonString) tree.get(Members.SIGNATURE)).value());
		for (int bit : new int[] { 0, 7, 255, 256, 511 }) {
			byte[] flipped = signature.clone();
			flipped[bit / 8] ^= (byte) (1 << (bit % 8));
			assertRejectedWithoutTrace(serialize(tree.with(Members.SIGNATURE, base64url(flipped))),
					ReasonCode.BAD_SIGNATURE);
		}
		byte[] truncated = Arrays.copyOf(signature, 63);
		assertRejectedWithoutTrace(serialize(tree.with(Members.SIGNATURE, base64url(truncated))),
				ReasonCode.BAD_SIGNATURE);
		byte[] zeros = new byte[64];
		assertRejectedWithoutTrace(serialize(tree.with(Members.SIGNATURE, base64url(zeros))), ReasonCode.BAD_SIGNATURE);
		assertAccepted(message);
	}

	@Test
	void verifyWhenChainFromUntrustedDomainClaimsTrustedSenderThenUntrustedChain() throws Exception {
		Instant now = this.pki.clock.instant();
		Svid impostor = this.pki.evil.issue(new LeafSpec(List.of(TestPki.PLANNER.toString()), KeyType.EC_P256,
				now.minusSeconds(60), now.plusSeconds(3600), false, true));
		assertRejectedWithoutTrace(TestPki.sign(tree(genuine()), impostor), ReasonCode.UNTRUSTED_CHAIN);
	}

	@Test
	void verifyWhenSenderInUntrustedDomainThenUntrustedChain() throws Exception {
		Svid outsider = this.pki.evil.issue(SpiffeId.parse("spiffe://evil.test/agent"), KeyType.EC_P256);
		JsonObject tree = tree(genuine()).with(Members.SENDER, new JsonString("spiffe://evil.test/agent"));
		assertRejectedWithoutTrace(TestPki.sign(tree, outsider), ReasonCode.UNTRUSTED_CHAIN);
	}

	@Test
	void verifyWhenChainFromOtherTrustedDomainThenUntrustedChain() throws Exception {
		// b.test is trusted, but only for b.test identities
		Instant now = this.pki.clock.instant();
		Svid crossDomain = this.pki.b.issue(new LeafSpec(List.of(TestPki.PLANNER.toString()), KeyType.EC_P256,
				now.minusSeconds(60), now.plusSeconds(3600), false, true));
		assertRejectedWithoutTrace(TestPki.sign(tree(genuine()), crossDomain), ReasonCode.UNTRUSTED_CHAIN);
	}

	@Test
	void verifyWhenLeafExpiredAtIssuedAtThenUntrustedChain() throws Exception {
		Instant now = this.pki.clock.instant();
		Svid expired = this.pki.a
			.issue(LeafSpec.svid(TestPki.PLANNER, KeyType.EC_P256, now.minusSeconds(7200), now.minusSeconds(3600)));
		assertRejectedWithoutTrace(TestPki.sign(tree(genuine()), expired), ReasonCode.UNTRUSTED_CHAIN);
	}

	@Test
	void verifyWhenLeafNotYetValidAtIssuedAtThenUntrustedChain() throws Exception {
		Instant now = this.pki.clock.instant();
		Svid early = this.pki.a
			.issue(LeafSpec.svid(TestPki.PLANNER, KeyType.EC_P256, now.plusSeconds(10), now.plusSeconds(3600)));
		assertRejectedWithoutTrace(TestPki.sign(tree(genuine()), early), ReasonCode.UNTRUSTED_CHAIN);
	}

	@Test
	void verifyWhenLeafIsCaThenInvalidLeaf() throws Exception {
		Instant now = this.pki.clock.instant();
		Svid ca = this.pki.a.issue(new LeafSpec(List.of(TestPki.PLANNER.toString()), KeyType.EC_P256,
				now.minusSeconds(60), now.plusSeconds(3600), true, false));
		assertRejectedWithoutTrace(TestPki.sign(tree(genuine()), ca), ReasonCode.INVALID_LEAF);
	}

	@Test
	void verifyWhenLeafHasTwoUriSansThenSenderMismatch() throws Exception {
		Instant now = this.pki.clock.instant();
		Svid two = this.pki.a.issue(new LeafSpec(List.of(TestPki.PLANNER.toString(), "spiffe://a.test/other"),
				KeyType.EC_P256, now.minusSeconds(60), now.plusSeconds(3600), false, false));
		assertRejectedWithoutTrace(TestPki.sign(tree(genuine()), two), ReasonCode.SENDER_MISMATCH);
	}

	@Test
	void verifyWhenLeafHasNoUriSanThenSenderMismatch() throws Exception {
		Instant now = this.pki.clock.instant();
		Svid none = this.pki.a
			.issue(new LeafSpec(List.of(), KeyType.EC_P256, now.minusSeconds(60), now.plusSeconds(3600), false, false));
		assertRejectedWithoutTrace(TestPki.sign(tree(genuine()), none), ReasonCode.SENDER_MISMATCH);
	}

	@Test
	void verifyWhenLeafNamesAnotherAgentOfTheDomainThenSenderMismatch() throws Exception {
		Svid other = this.pki.a.issue(SpiffeId.parse("spiffe://a.test/other"), KeyType.EC_P256);
		assertRejectedWithoutTrace(TestPki.sign(tree(genuine()), other), ReasonCode.SENDER_MISMATCH);
	}

	@Test
	void verifyWhenCertificateGarbageThenUntrustedChain() throws Exception {
		JsonObject tree = tree(genuine()).with(Members.X5C, new JsonArray(
				List.of(new JsonString(Base64.getEncoder().encodeToString(new byte[] { 48, 3, 2, 1, 0 })))));
		assertRejectedWithoutTrace(serialize(tree), ReasonCode.UNTRUSTED_CHAIN);
	}

	@Test
	void verifyWhenReplayedThenRejectedAndStoreHoldsOneEntry() throws Exception {
		byte[] message = genuine();
		assertAccepted(message);
		assertThat(rejection(message).reason()).isEqualTo(ReasonCode.REPLAYED);
		assertThat(this.store.size()).isEqualTo(1);
	}

	@Test
	void verifyWhenIdReusedWithOtherContentThenReplayed() throws Exception {
		byte[] message = genuine();
		assertAccepted(message);
		JsonObject other = tree(message).with(Members.PAYLOAD, new JsonString("different"));
		assertThat(rejection(TestPki.sign(other, this.planner.svid())).reason()).isEqualTo(ReasonCode.REPLAYED);
		assertThat(this.store.size()).isEqualTo(1);
	}

	@Test
	void verifyWhenReplayedAfterRetentionThenExpiredNotAccepted() throws Exception {
		byte[] message = genuine();
		assertAccepted(message);
		// the entry lives until expiresAt + skew; one millisecond later freshness rejects
		this.pki.clock.advance(Duration.ofMinutes(1).plusSeconds(30).plusMillis(1));
		assertThat(rejection(message).reason()).isEqualTo(ReasonCode.EXPIRED);
	}

	@Test
	void verifyWhenIssuedInTheFutureBeyondSkewThenNotYetValid() throws Exception {
		JsonObject tree = resignedAt(this.pki.clock.millis() + 31_000, 60_000);
		assertRejectedWithoutTrace(TestPki.sign(tree, this.planner.svid()), ReasonCode.NOT_YET_VALID);
	}

	@Test
	void verifyWhenIssuedInTheFutureWithinSkewThenAccepted() throws Exception {
		JsonObject tree = resignedAt(this.pki.clock.millis() + 30_000, 60_000);
		assertAccepted(TestPki.sign(tree, this.planner.svid()));
	}

	@Test
	void verifyWhenStaleThenRejected() throws Exception {
		VerificationPipeline strict = VerificationPipeline.standard(this.executor, this.store,
				new VerificationPolicy(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5),
						EnumSet.allOf(SignatureAlgorithm.class), VerificationPolicy.DEFAULT.jsonLimits(), 16, false),
				this.pki.clock);
		JsonObject tree = resignedAt(this.pki.clock.millis() - 91_000, 240_000);
		Verdict verdict = strict.verify(TestPki.sign(tree, this.planner.svid()));
		assertThat(((Verdict.Rejected) verdict).reason()).isEqualTo(ReasonCode.STALE);
		assertThat(this.store.size()).isZero();
	}

	@Test
	void verifyWhenExpiredThenRejected() throws Exception {
		JsonObject tree = resignedAt(this.pki.clock.millis() - 100_000, 60_000);
		assertRejectedWithoutTrace(TestPki.sign(tree, this.planner.svid()), ReasonCode.EXPIRED);
	}

	@Test
	void verifyWhenLifetimeLongerThanMaximumThenInvalidLifetime() throws Exception {
		JsonObject tree = resignedAt(this.pki.clock.millis(), Duration.ofMinutes(5).toMillis() + 1);
		assertRejectedWithoutTrace(TestPki.sign(tree, this.planner.svid()), ReasonCode.INVALID_LIFETIME);
	}

	@Test
	void verifyWhenExpiresNotAfterIssuedThenInvalidLifetime() throws Exception {
		assertRejectedWithoutTrace(TestPki.sign(resignedAt(this.pki.clock.millis(), 0), this.planner.svid()),
				ReasonCode.INVALID_LIFETIME);
		assertRejectedWithoutTrace(TestPki.sign(resignedAt(this.pki.clock.millis(), -5), this.planner.svid()),
				ReasonCode.INVALID_LIFETIME);
	}

	@Test
	void verifyWhenAddressedToAnotherAgentThenWrongRecipient() throws Exception {
		byte[] message = this.signer.sign("task.request", SpiffeId.parse("spiffe://b.test/someone-else"), null, PAYLOAD)
			.bytes();
		assertRejectedWithoutTrace(message, ReasonCode.WRONG_RECIPIENT);
	}

	@Test
	void verifyWhenAlgorithmNotAllowedThenUnsupportedAlgorithm() throws Exception {
		VerificationPipeline edOnly = VerificationPipeline.standard(this.executor, this.store,
				VerificationPolicy.DEFAULT.withAllowedAlgorithms(EnumSet.of(SignatureAlgorithm.EDDSA)), this.pki.clock);
		Verdict verdict = edOnly.verify(genuine());
		assertThat(((Verdict.Rejected) verdict).reason()).isEqualTo(ReasonCode.UNSUPPORTED_ALGORITHM);
		assertThat(this.store.size()).isZero();
	}

	@Test
	void verifyWhenDuplicateMemberThenMalformed() throws Exception {
		String text = new String(genuine(), StandardCharsets.UTF_8);
		String duplicated = text.replaceFirst("\\{", "{\"recipient\":\"spiffe://b.test/executor\",");
		assertRejectedWithoutTrace(duplicated.getBytes(StandardCharsets.UTF_8), ReasonCode.MALFORMED);
	}

	@Test
	void verifyWhenDeeplyNestedPayloadThenMalformed() throws Exception {
		String text = new String(genuine(), StandardCharsets.UTF_8);
		String deep = "[".repeat(100_000) + "]".repeat(100_000);
		String nested = text.replaceFirst("\"payload\":\\{[^}]*\\}", "\"payload\":" + deep);
		assertRejectedWithoutTrace(nested.getBytes(StandardCharsets.UTF_8), ReasonCode.MALFORMED);
	}

	@Test
	void verifyWhenHugeStringThenMessageTooLarge() throws Exception {
		String text = new String(genuine(), StandardCharsets.UTF_8);
		String huge = text.replaceFirst("\"payload\":\\{[^}]*\\}",
				"\"payload\":\"" + "x".repeat(10 * 1024 * 1024) + "\"");
		assertRejectedWithoutTrace(huge.getBytes(StandardCharsets.UTF_8), ReasonCode.MESSAGE_TOO_LARGE);
	}

	@Test
	void verifyWhenInvalidUtf8ThenMalformed() throws Exception {
		byte[] message = genuine();
		byte[] broken = message.clone();
		int index = new String(message, StandardCharsets.UTF_8).indexOf("summarise");
		broken[index] = (byte) 0xC0;
		broken[index + 1] = (byte) 0xAF;
		assertRejectedWithoutTrace(broken, ReasonCode.MALFORMED);
	}

	@Test
	void verifyWhenLoneSurrogateThenMalformed() throws Exception {
		String text = new String(genuine(), StandardCharsets.UTF_8).replace("summarise", "summ\\ud800rise");
		assertRejectedWithoutTrace(text.getBytes(StandardCharsets.UTF_8), ReasonCode.MALFORMED);
	}

	@Test
	void verifyWhenNumberOutsideIJsonThenMalformed() throws Exception {
		String text = new String(genuine(), StandardCharsets.UTF_8);
		for (String number : new String[] { "1e400", "9007199254740993", "-1e400", "1e-400" }) {
			String odd = text.replace("\"priority\":3", "\"priority\":" + number);
			assertThat(odd).isNotEqualTo(text);
			assertRejectedWithoutTrace(odd.getBytes(StandardCharsets.UTF_8), ReasonCode.MALFORMED);
		}
	}

	@Test
	void verifyWhenTimestampNotAnIntegerThenMalformed() throws Exception {
		JsonObject tree = tree(genuine());
		long issuedAt = (long) ((JsonNumber) tree.get(Members.ISSUED_AT)).value();
		assertRejectedWithoutTrace(TestPki.sign(tree.with(Members.ISSUED_AT, new JsonString(Long.toString(issuedAt))),
				this.planner.svid()), ReasonCode.MALFORMED);
		assertRejectedWithoutTrace(
				TestPki.sign(tree.with(Members.ISSUED_AT, new JsonNumber(issuedAt + 0.5)), this.planner.svid()),
				ReasonCode.MALFORMED);
		assertRejectedWithoutTrace(TestPki.sign(tree.with(Members.ISSUED_AT, new JsonNumber(-1)), this.planner.svid()),
				ReasonCode.MALFORMED);
	}

	@Test
	void verifyWhenMemberMissingOrUnknownThenMalformed() throws Exception {
		JsonObject tree = tree(genuine());
		for (String member : Members.PLAIN) {
			if (!member.equals(Members.VERSION)) {
				assertRejectedWithoutTrace(serialize(tree.without(member)), ReasonCode.MALFORMED);
			}
		}
		assertRejectedWithoutTrace(serialize(tree.without(Members.VERSION)), ReasonCode.MALFORMED);
		assertRejectedWithoutTrace(TestPki.sign(tree.with("extra", new JsonString("x")), this.planner.svid()),
				ReasonCode.MALFORMED);
	}

	@Test
	void verifyWhenSenderOrRecipientIsNotASpiffeIdThenMalformed() throws Exception {
		JsonObject tree = tree(genuine());
		for (String bad : new String[] { "https://a.test/planner", "spiffe://", "spiffe://a.test/../x",
				"spiffe://A.TEST/planner", "planner", "" }) {
			assertRejectedWithoutTrace(
					TestPki.sign(tree.with(Members.SENDER, new JsonString(bad)), this.planner.svid()),
					ReasonCode.MALFORMED);
			assertRejectedWithoutTrace(
					TestPki.sign(tree.with(Members.RECIPIENT, new JsonString(bad)), this.planner.svid()),
					ReasonCode.MALFORMED);
		}
	}

	@Test
	void verifyWhenTlsPeerIsTheSenderThenAcceptedAndWhenAnotherThenRejected() throws Exception {
		assertThat(this.pipeline.verify(genuine(), Map.of(VerificationContext.TRANSPORT_PEER, TestPki.PLANNER)))
			.isInstanceOf(Verdict.Accepted.class);
		Verdict relayed = this.pipeline.verify(genuine(),
				Map.of(VerificationContext.TRANSPORT_PEER, SpiffeId.parse("spiffe://a.test/relay")));
		assertThat(((Verdict.Rejected) relayed).reason()).isEqualTo(ReasonCode.TLS_PEER_MISMATCH);
		assertThat(this.store.size()).isEqualTo(1);
		VerificationPipeline mtlsOnly = VerificationPipeline.builder(this.executor, this.store, this.pki.clock)
			.transportPeerRequired(true)
			.build();
		assertThat(((Verdict.Rejected) mtlsOnly.verify(genuine())).reason()).isEqualTo(ReasonCode.TLS_PEER_MISMATCH);
		assertThat(this.store.size()).isEqualTo(1);
	}

	@Test
	void verifyWhenIdTooShortThenMalformed() throws Exception {
		JsonObject tree = tree(genuine()).with(Members.ID, new JsonString("AAAAAAAAAAAAAAAAAAAAA"));
		assertRejectedWithoutTrace(TestPki.sign(tree, this.planner.svid()), ReasonCode.MALFORMED);
	}

	@Test
	void verifyWhenNotAnObjectThenMalformed() {
		for (String json : new String[] { "[]", "\"envelope\"", "null", "42", "" }) {
			assertRejectedWithoutTrace(json.getBytes(StandardCharsets.UTF_8), ReasonCode.MALFORMED);
		}
	}

	@Test
	void verifyWhenStoreFullThenRejectedAndNothingEvicted() throws Exception {
		InMemoryReplayStore small = new InMemoryReplayStore(2, this.pki.clock);
		VerificationPipeline pipeline = VerificationPipeline.standard(this.executor, small, VerificationPolicy.DEFAULT,
				this.pki.clock);
		byte[] first = genuine();
		assertThat(pipeline.verify(first)).isInstanceOf(Verdict.Accepted.class);
		assertThat(pipeline.verify(genuine())).isInstanceOf(Verdict.Accepted.class);
		Verdict third = pipeline.verify(genuine());
		assertThat(((Verdict.Rejected) third).reason()).isEqualTo(ReasonCode.REPLAY_STORE_FULL);
		assertThat(((Verdict.Rejected) pipeline.verify(first)).reason()).isEqualTo(ReasonCode.REPLAYED);
		// once the first entries have expired, there is room again
		this.pki.clock.advance(Duration.ofMinutes(1).plusSeconds(31));
		assertThat(pipeline.verify(genuine())).isInstanceOf(Verdict.Accepted.class);
		assertThat(small.size()).isEqualTo(1);
	}

	@Test
	void verifyWhenStoreUnavailableThenFailsClosed() throws Exception {
		ReplayStore broken = new ReplayStore() {
			@Override
			public Reservation reserve(Entry entry) throws ReplayStoreUnavailableException {
				throw new ReplayStoreUnavailableException("connection refused", null);
			}

			@Override
			public void forgetWindow(String sessionId) {
			}

			@Override
			public long size() {
				return 0;
			}
		};
		VerificationPipeline pipeline = VerificationPipeline.standard(this.executor, broken, VerificationPolicy.DEFAULT,
				this.pki.clock);
		Verdict verdict = pipeline.verify(genuine());
		assertThat(((Verdict.Rejected) verdict).reason()).isEqualTo(ReasonCode.REPLAY_STORE_UNAVAILABLE);
		assertThat(((Verdict.Rejected) verdict).check()).isEqualTo("replay");
	}

	@Test
	void verifyWhenTwoCopiesRaceThenExactlyOneAccepted() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			for (int round = 0; round < 20; round++) {
				byte[] message = genuine();
				CountDownLatch start = new CountDownLatch(1);
				List<Future<Verdict>> results = new ArrayList<>();
				for (int i = 0; i < 8; i++) {
					Callable<Verdict> task = () -> {
						start.await();
						return this.pipeline.verify(message);
					};
					results.add(threads.submit(task));
				}
				start.countDown();
				int accepted = 0;
				for (Future<Verdict> result : results) {
					Verdict verdict = result.get();
					if (verdict instanceof Verdict.Accepted) {
						accepted++;
					}
					else {
						assertThat(((Verdict.Rejected) verdict).reason()).isEqualTo(ReasonCode.REPLAYED);
					}
				}
				assertThat(accepted).isEqualTo(1);
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void verifyWhenSenderSvidRotatedThenNewMessagesAccepted() throws Exception {
		assertAccepted(genuine());
		this.planner.rotate(this.pki.a.issue(TestPki.PLANNER, KeyType.ED25519));
		byte[] message = genuine();
		assertThat(tree(message).get(Members.ALG)).isEqualTo(new JsonString("EdDSA"));
		assertAccepted(message);
	}

	@Test
	void rejectionDetailWhenAnyThenCarriesNoMessageContent() throws Exception {
		Verdict verdict = this.pipeline
			.verify(TestPki.sign(tree(genuine()).with(Members.ID, new JsonString("x")), this.planner.svid()));
		assertThat(((Verdict.Rejected) verdict).detail()).doesNotContain("summarise").doesNotContain("planner");
	}

	private byte[] genuine() throws Exception {
		return this.signer.sign("task.request", TestPki.EXECUTOR, null, PAYLOAD).bytes();
	}

	private JsonObject resignedAt(long issuedAt, long lifetime) throws Exception {
		return tree(genuine()).with(Members.ISSUED_AT, new JsonNumber(issuedAt))
			.with(Members.EXPIRES_AT, new JsonNumber(issuedAt + lifetime));
	}

	private static JsonObject tree(byte[] message) throws Exception {
		return (JsonObject) new StrictJsonParser(VerificationPolicy.DEFAULT.jsonLimits()).parse(message);
	}

	private static byte[] serialize(JsonObject tree) {
		return JsonCanonicalizer.canonicalize(tree);
	}

	private static JsonString base64url(byte[] bytes) {
		return new JsonString(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
	}

	private void assertAccepted(byte[] message) {
		assertThat(this.pipeline.verify(message)).isInstanceOf(Verdict.Accepted.class);
	}

	private Verdict.Rejected rejection(byte[] message) {
		Verdict verdict = this.pipeline.verify(message);
		assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
		return (Verdict.Rejected) verdict;
	}

	private void assertRejectedWithoutTrace(byte[] message, ReasonCode expected) {
		long before = this.store.size();
		Verdict.Rejected rejected = rejection(message);
		assertThat(rejected.reason()).as(rejected.detail()).isEqualTo(expected);
		assertThat(this.store.size()).isEqualTo(before);
	}

}
