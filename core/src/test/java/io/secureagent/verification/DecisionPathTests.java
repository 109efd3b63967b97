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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.envelope.EnvelopeSigner.SignedEnvelope;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.negotiation.CapabilityDocument;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.testsupport.TestPki;
import io.spiffe.spiffeid.SpiffeId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One decision path per direction: a message made for one direction is refused in the
 * other before anything is recorded, answers are authorized by their exchange only, and
 * the replay store's own clock closes the retention boundary. Each case reproduces an
 * attack that changed state or was accepted before.
 *
 * @author secure-agent authors
 */
class DecisionPathTests {

	private static final JsonValue PAYLOAD = new JsonObject(Map.of("task", new JsonString("summarise")));

	private static final SpiffeId RELAY = SpiffeId.parse("spiffe://a.test/relay");

	private final TestPki pki = new TestPki();

	private final StaticIdentity planner = this.pki.identity(TestPki.PLANNER, KeyType.EC_P256);

	private final StaticIdentity executor = this.pki.identity(TestPki.EXECUTOR, KeyType.EC_P256);

	private final InMemoryReplayStore store = new InMemoryReplayStore(1000, this.pki.clock);

	private final SenderRules rules = new SenderRules(
			List.of(new SenderRules.Rule(List.of(TestPki.PLANNER.toString()), Set.of("task.request"), Set.of())));

	// the executor handles task.request; it also knows policy.decision, as an answer it
	// receives from another agent
	private final VerificationPipeline requests = VerificationPipeline
		.builder(this.executor, this.store, this.pki.clock)
		.authorization(this.rules)
		.handledTypes("task.request"::equals)
		.build();

	private final EnvelopeSigner plannerSigner = new EnvelopeSigner(this.planner, this.pki.clock,
			Duration.ofMinutes(1));

	private final EnvelopeSigner executorSigner = new EnvelopeSigner(this.executor, this.pki.clock,
			Duration.ofMinutes(1));

	@Test
	void requestWhenCapabilityDocumentPostedAsAMessageThenUnknownTypeAndNoReplayEntry() throws Exception {
		// anyone can fetch a document the planner signed for the executor and post it
		// back
		SignedEnvelope document = this.plannerSigner.sign(CapabilityDocument.DOCUMENT, TestPki.EXECUTOR, null, PAYLOAD);
		assertRejectedWithoutTrace(document.bytes(), ReasonCode.UNKNOWN_TYPE);
	}

	@Test
	void requestWhenAnswerTypeSentAsARequestThenUnknownTypeAndNoReplayEntry() throws Exception {
		VerificationPipeline permissive = VerificationPipeline.builder(this.executor, this.store, this.pki.clock)
			.authorization(new SenderRules(
					List.of(new SenderRules.Rule(List.of(TestPki.PLANNER.toString()), Set.of("*"), Set.of()))))
			.handledTypes("task.request"::equals)
			.build();
		SignedEnvelope answer = this.plannerSigner.sign("policy.decision", TestPki.EXECUTOR, null, PAYLOAD);
		long before = this.store.size();
		Verdict verdict = permissive.verify(answer.bytes());
		assertThat(((Verdict.Rejected) verdict).reason()).isEqualTo(ReasonCode.UNKNOWN_TYPE);
		assertThat(((Verdict.Rejected) verdict).check()).isEqualTo("direction");
		assertThat(this.store.size()).isEqualTo(before);
	}

	@Test
	void requestWhenTypeNoRuleGrantsThenUnauthorizedWithoutTrace() throws Exception {
		SignedEnvelope cancel = this.plannerSigner.sign("task.cancel", TestPki.EXECUTOR, null, PAYLOAD);
		assertRejectedWithoutTrace(cancel.bytes(), ReasonCode.UNAUTHORIZED_SENDER);
		assertThat(
				this.requests.verify(this.plannerSigner.sign("task.request", TestPki.EXECUTOR, null, PAYLOAD).bytes()))
			.isInstanceOf(Verdict.Accepted.class);
	}

	@Test
	void requestWhenReflectedBackToItsSenderThenWrongRecipient() throws Exception {
		VerificationPipeline open = VerificationPipeline.builder(this.executor, this.store, this.pki.clock).build();
		SignedEnvelope own = this.executorSigner.sign("task.request", TestPki.EXECUTOR, null, PAYLOAD);
		long before = this.store.size();
		assertThat(((Verdict.Rejected) open.verify(own.bytes())).reason()).isEqualTo(ReasonCode.WRONG_RECIPIENT);
		assertThat(this.store.size()).isEqualTo(before);
	}

	@Test
	void replayWhenCopyArrivesAtTheRetentionBoundaryAndTheStoreReadsItsClockLaterThenRefused() throws Exception {
		// the store reads its clock a millisecond after the pipeline did, as it does when
		// it runs last
		InMemoryReplayStore later = new InMemoryReplayStore(1000, Clock.offset(this.pki.clock, Duration.ofMillis(1)));
		VerificationPipeline pipeline = VerificationPipeline.builder(this.executor, later, this.pki.clock).build();
		SignedEnvelope message = this.plannerSigner.sign("task.request", TestPki.EXECUTOR, null, PAYLOAD);
		assertThat(pipeline.verify(message.bytes())).isInstanceOf(Verdict.Accepted.class);
		// now == expiresAt + skew: freshness still passes, and the original's retention
		// ends
		this.pki.clock
			.set(Instant.ofEpochMilli(message.header().expiresAt()).plus(VerificationPolicy.DEFAULT.maxClockSkew()));
		Verdict copy = pipeline.verify(message.bytes());
		assertThat(copy).isInstanceOf(Verdict.Rejected.class);
		assertThat(((Verdict.Rejected) copy).reason()).isEqualTo(ReasonCode.EXPIRED);
		assertThat(((Verdict.Rejected) copy).check()).isEqualTo("replay");
	}

	@Test
	void replayWhenOneSenderHoldsItsShareThenPeerQuotaExceededAndOthersAreStillServed() throws Exception {
		InMemoryReplayStore shared = new InMemoryReplayStore(10, 2, this.pki.clock);
		VerificationPipeline pipeline = VerificationPipeline.builder(this.executor, shared, this.pki.clock).build();
		for (int i = 0; i < 2; i++) {
			assertThat(
					pipeline.verify(this.plannerSigner.sign("task.request", TestPki.EXECUTOR, null, PAYLOAD).bytes()))
				.isInstanceOf(Verdict.Accepted.class);
		}
		Verdict third = pipeline
			.verify(this.plannerSigner.sign("task.request", TestPki.EXECUTOR, null, PAYLOAD).bytes());
		assertThat(((Verdict.Rejected) third).reason()).isEqualTo(ReasonCode.PEER_QUOTA_EXCEEDED);
		assertThat(ReasonCode.PEER_QUOTA_EXCEEDED.httpStatus()).isEqualTo(429);
		StaticIdentity relay = this.pki.identity(RELAY, KeyType.EC_P256);
		assertThat(pipeline.verify(new EnvelopeSigner(relay, this.pki.clock, Duration.ofMinutes(1))
			.sign("task.request", TestPki.EXECUTOR, null, PAYLOAD)
			.bytes())).isInstanceOf(Verdict.Accepted.class);
		assertThat(shared.size()).isEqualTo(3);
	}

	@Test
	void answerWhenFromThePeerDialledOfTheExpectedTypeAndCorrelatedThenAccepted() throws Exception {
		InMemoryReplayStore answers = new InMemoryReplayStore(10, this.pki.clock);
		VerificationPipeline client = VerificationPipeline.responseBuilder(this.planner, answers, this.pki.clock)
			.build();
		SignedEnvelope request = this.plannerSigner.sign("task.request", TestPki.EXECUTOR, null, PAYLOAD);
		Exchange exchange = new Exchange(TestPki.EXECUTOR, Set.of("task.result"), request.header().correlationId(),
				null);
		SignedEnvelope answer = this.executorSigner.sign("task.result", TestPki.PLANNER,
				request.header().correlationId(), PAYLOAD);
		assertThat(client.verify(answer.bytes(), exchange)).isInstanceOf(Verdict.Accepted.class);
		assertThat(answers.size()).isEqualTo(1);
		// and a request pipeline, the endpoint, never takes it
		assertThat(((Verdict.Rejected) VerificationPipeline.builder(this.planner, answers, this.pki.clock)
			.handledTypes("task.request"::equals)
			.build()
			.verify(this.executorSigner.sign("task.result", TestPki.PLANNER, null, PAYLOAD).bytes())).reason())
			.isEqualTo(ReasonCode.UNKNOWN_TYPE);
	}

	@Test
	void answerWhenNotOfTheExchangeThenRefusedByTheExchangeCheckWithoutTrace() throws Exception {
		InMemoryReplayStore answers = new InMemoryReplayStore(10, this.pki.clock);
		VerificationPipeline client = VerificationPipeline.responseBuilder(this.planner, answers, this.pki.clock)
			.build();
		SignedEnvelope request = this.plannerSigner.sign("task.request", TestPki.EXECUTOR, null, PAYLOAD);
		String correlation = request.header().correlationId();
		Exchange exchange = new Exchange(TestPki.EXECUTOR, Set.of("task.result"), correlation, null);
		StaticIdentity relay = this.pki.identity(RELAY, KeyType.EC_P256);
		Map<SignedEnvelope, ReasonCode> cases = Map.of(
				new EnvelopeSigner(relay, this.pki.clock, Duration.ofMinutes(1)).sign("task.result", TestPki.PLANNER,
						correlation, PAYLOAD),
				ReasonCode.UNEXPECTED_PEER,
				this.executorSigner.sign("task.audit", TestPki.PLANNER, correlation, PAYLOAD), ReasonCode.UNKNOWN_TYPE,
				this.executorSigner.sign("task.result", TestPki.PLANNER, "another-exchange", PAYLOAD),
				ReasonCode.UNCORRELATED);
		cases.forEach((answer, reason) -> {
			Verdict verdict = client.verify(answer.bytes(), exchange);
			assertThat(((Verdict.Rejected) verdict).reason()).isEqualTo(reason);
			assertThat(((Verdict.Rejected) verdict).check()).isEqualTo("exchange");
		});
		// a plaintext answer to a sealed request did not travel in its session
		Verdict plain = client.verify(
				this.executorSigner.sign("task.result", TestPki.PLANNER, correlation, PAYLOAD).bytes(),
				new Exchange(TestPki.EXECUTOR, Set.of("task.result"), correlation, "AAAAAAAAAAAAAAAAAAAAAA"));
		assertThat(((Verdict.Rejected) plain).reason()).isEqualTo(ReasonCode.WRONG_SESSION);
		assertThat(answers.size()).isZero();
	}

	@Test
	void chainWhenTheTrustAnchorIsNotValidAtSigningTimeThenUntrusted() throws Exception {
		// a leaf that outlives its CA, used after the CA expired: PKIX alone does not
		// check the anchor's own validity
		Instant caExpiry = this.pki.a.certificate().getNotAfter().toInstant();
		StaticIdentity outliving = new StaticIdentity(
				this.pki.a.issue(DevCertificateAuthority.LeafSpec.svid(RELAY, KeyType.EC_P256,
						caExpiry.minus(Duration.ofHours(1)), caExpiry.plus(Duration.ofDays(10)))),
				this.executor.trustBundles());
		VerificationPipeline open = VerificationPipeline.builder(this.executor, this.store, this.pki.clock).build();
		this.pki.clock.set(caExpiry.plus(Duration.ofDays(1)));
		byte[] late = new EnvelopeSigner(outliving, this.pki.clock, Duration.ofMinutes(1))
			.sign("task.request", TestPki.EXECUTOR, null, PAYLOAD)
			.bytes();
		Verdict verdict = open.verify(late);
		assertThat(((Verdict.Rejected) verdict).reason()).isEqualTo(ReasonCode.UNTRUSTED_CHAIN);
		// while the anchor was valid, the same leaf was accepted
		this.pki.clock.set(caExpiry.minus(Duration.ofMinutes(30)));
		assertThat(open.verify(new EnvelopeSigner(outliving, this.pki.clock, Duration.ofMinutes(1))
			.sign("task.request", TestPki.EXECUTOR, null, PAYLOAD)
			.bytes())).isInstanceOf(Verdict.Accepted.class);
	}

	private void assertRejectedWithoutTrace(byte[] message, ReasonCode expected) {
		long before = this.store.size();
		Verdict verdict = this.requests.verify(message);
		assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
		assertThat(((Verdict.Rejected) verdict).reason()).as(((Verdict.Rejected) verdict).detail()).isEqualTo(expected);
		assertThat(this.store.size()).isEqualTo(before);
	}

}
