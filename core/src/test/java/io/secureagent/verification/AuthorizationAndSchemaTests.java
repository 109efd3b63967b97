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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.testsupport.TestPki;
import io.spiffe.spiffeid.SpiffeId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@code authorization} and {@code schema} checks, and {@link SenderRules}.
 *
 * @author secure-agent authors
 */
class AuthorizationAndSchemaTests {

	private final TestPki pki = new TestPki();

	private final StaticIdentity planner = this.pki.identity(TestPki.PLANNER, KeyType.EC_P256);

	private final StaticIdentity executor = this.pki.identity(TestPki.EXECUTOR, KeyType.EC_P256);

	private final InMemoryReplayStore store = new InMemoryReplayStore(100, this.pki.clock);

	private final EnvelopeSigner signer = new EnvelopeSigner(this.planner, this.pki.clock, Duration.ofMinutes(1));

	private final PayloadBinder binder = (type, payload) -> {
		if (!"task.request".equals(type)) {
			return new PayloadBinder.Binding.UnknownType();
		}
		if (payload instanceof JsonObject object && object.get("priority") instanceof JsonNumber number) {
			return new PayloadBinder.Binding.Bound((int) number.value());
		}
		return new PayloadBinder.Binding.Invalid(List.of("priority: must be a number"));
	};

	private final VerificationPipeline pipeline = VerificationPipeline
		.builder(this.executor, this.store, this.pki.clock)
		.authorization(new SenderRules(List
			.of(new SenderRules.Rule(List.of("spiffe://a.test/*"), Set.of("task.request"), Set.of("ROLE_AGENT")))))
		.payloadBinder(this.binder)
		.build();

	@Test
	void verifyWhenAllowedAndValidThenBoundPayloadAttached() throws Exception {
		Verdict verdict = this.pipeline.verify(sign("task.request", Map.of("priority", new JsonNumber(3))));
		assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
		assertThat(((Verdict.Accepted) verdict).message().attributes()).containsEntry(PayloadBinder.ATTRIBUTE, 3);
	}

	@Test
	void verifyWhenTypeNotAllowedForSenderThenUnauthorizedWithoutTrace() throws Exception {
		Verdict.Rejected rejected = (Verdict.Rejected) this.pipeline
			.verify(sign("task.cancel", Map.of("priority", new JsonNumber(3))));
		assertThat(rejected.reason()).isEqualTo(ReasonCode.UNAUTHORIZED_SENDER);
		assertThat(rejected.reason().httpStatus()).isEqualTo(403);
		assertThat(this.store.size()).isZero();
	}

	@Test
	void verifyWhenPayloadViolatesSchemaThenViolationsListedWithoutValues() throws Exception {
		Verdict.Rejected rejected = (Verdict.Rejected) this.pipeline
			.verify(sign("task.request", Map.of("priority", new JsonString("secret-value"))));
		assertThat(rejected.reason()).isEqualTo(ReasonCode.SCHEMA_VIOLATION);
		assertThat(rejected.violations()).containsExactly("priority: must be a number");
		assertThat(String.join(" ", rejected.violations()) + rejected.detail()).doesNotContain("secret-value");
		assertThat(this.store.size()).isZero();
	}

	@Test
	void verifyWhenTypeAllowedButUnknownToBinderThenUnknownType() throws Exception {
		VerificationPipeline open = VerificationPipeline.builder(this.executor, this.store, this.pki.clock)
			.payloadBinder(this.binder)
			.build();
		Verdict.Rejected rejected = (Verdict.Rejected) open.verify(sign("task.other", Map.of()));
		assertThat(rejected.reason()).isEqualTo(ReasonCode.UNKNOWN_TYPE);
		assertThat(this.store.size()).isZero();
	}

	@Test
	void senderRulesWhenPatternsMatchThenOnlyThoseSendersAllowed() {
		SenderRules rules = new SenderRules(List.of(
				new SenderRules.Rule(List.of("spiffe://a.test/planner"), Set.of("task.request"),
						Set.of("ROLE_PLANNER")),
				new SenderRules.Rule(List.of("spiffe://b.test/agents/**"), Set.of("*"), Set.of("ROLE_AGENT")),
				new SenderRules.Rule(List.of("spiffe://c.test/team-*/bot"), Set.of("ping"), Set.of())));
		assertThat(rules.permits(SpiffeId.parse("spiffe://a.test/planner"), "task.request")).isTrue();
		assertThat(rules.permits(SpiffeId.parse("spiffe://a.test/planner"), "task.cancel")).isFalse();
		assertThat(rules.permits(SpiffeId.parse("spiffe://a.test/planner"), "session.init")).isTrue();
		assertThat(rules.permits(SpiffeId.parse("spiffe://a.test/planner2"), "task.request")).isFalse();
		assertThat(rules.permits(SpiffeId.parse("spiffe://a.test/other"), "session.init")).isFalse();
		assertThat(rules.permits(SpiffeId.parse("spiffe://b.test/agents/x/y"), "anything")).isTrue();
		assertThat(rules.permits(SpiffeId.parse("spiffe://b.test/agents"), "anything")).isTrue();
		assertThat(rules.permits(SpiffeId.parse("spiffe://b.test/agentsx"), "anything")).isFalse();
		assertThat(rules.permits(SpiffeId.parse("spiffe://c.test/team-red/bot"), "ping")).isTrue();
		assertThat(rules.permits(SpiffeId.parse("spiffe://c.test/team-red/x/bot"), "ping")).isFalse();
		assertThat(rules.permits(SpiffeId.parse("spiffe://evil.test/a.test/planner"), "task.request")).isFalse();
		assertThat(rules.authorities(SpiffeId.parse("spiffe://a.test/planner"))).containsExactly("ROLE_PLANNER");
		assertThat(new SenderRules(List.of()).permits(TestPki.PLANNER, "task.request")).isFalse();
	}

	@Test
	void senderRulesWhenPatternIsNotSpiffeIdThenRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SenderRules.Rule(List.of("a.test/planner"), Set.of("*"), Set.of()));
	}

	private byte[] sign(String type, Map<String, JsonValue> payload) throws Exception {
		return this.signer.sign(type, TestPki.EXECUTOR, null, new JsonObject(payload)).bytes();
	}

}
