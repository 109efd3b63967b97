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
package io.secureagent.test;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import io.secureagent.canonical.JsonValue;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.IdentityUnavailableException;
import io.secureagent.messaging.MessageTypes;
import io.secureagent.messaging.RecordPayloadBinder;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.security.SecureAgentAuthentication;
import io.secureagent.verification.PayloadBinder;
import io.secureagent.verification.SenderRules;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerifiedMessage;
import io.spiffe.spiffeid.SpiffeId;
import jakarta.validation.Validation;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.authority.AuthorityUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verified messages for unit tests of handlers, without HTTP: each is signed by a test
 * identity and accepted by the real request pipeline, so it is what a handler receives in
 * production, typed payload included.
 *
 * <pre class="code">
 * VerifiedMessage message = VerifiedMessages.of("spiffe://a.test/planner", new TaskRequest("one two"));
 * TaskResult result = handler.count(message.sender().spiffeId(), (TaskRequest) VerifiedMessages.payload(message));
 * </pre>
 *
 * @author secure-agent authors
 * @see WithAgent
 */
public final class VerifiedMessages {

	/** The recipient of the messages made here, unless another is named. */
	public static final String RECIPIENT = "spiffe://example.test/agent";

	private static final TestIdentities IDENTITIES = new TestIdentities();

	private VerifiedMessages() {
	}

	/**
	 * Make a verified message from a sender, to {@link #RECIPIENT}.
	 * @param sender the sender's SPIFFE ID
	 * @param message an {@link io.secureagent.messaging.AgentMessage} record, bound and
	 * validated as the endpoint binds it
	 * @return the verified message
	 */
	public static VerifiedMessage of(String sender, Object message) {
		return of(IDENTITIES, sender, RECIPIENT, message);
	}

	/**
	 * Make a verified message between two test identities.
	 * @param identities the test identities of sender and recipient
	 * @param sender the sender's SPIFFE ID
	 * @param recipient the recipient's SPIFFE ID
	 * @param message an {@link io.secureagent.messaging.AgentMessage} record
	 * @return the verified message
	 * @throws IllegalArgumentException if the pipeline refuses it (the record violates
	 * its schema, say), with the reason
	 */
	public static VerifiedMessage of(TestIdentities identities, String sender, String recipient, Object message) {
		MessageTypes types = new MessageTypes();
		RecordPayloadBinder binder = new RecordPayloadBinder(types, new JsonMapper(),
				Validation.buildDefaultValidatorFactory().getValidator());
		String type = types.register(message.getClass());
		return verify(identities, sender, recipient, type, binder.toJson(message), binder);
	}

	/**
	 * Make a verified message with an untyped JSON payload.
	 * @param sender the sender's SPIFFE ID
	 * @param type the message type
	 * @param payload the payload
	 * @return the verified message
	 */
	public static VerifiedMessage untyped(String sender, String type, JsonValue payload) {
		return verify(IDENTITIES, sender, RECIPIENT, type, payload, null);
	}

	/**
	 * Return the typed payload the pipeline bound.
	 * @param message a verified message
	 * @return its payload record
	 */
	public static Object payload(VerifiedMessage message) {
		Object payload = message.attributes().get(PayloadBinder.ATTRIBUTE);
		if (payload == null || payload instanceof JsonValue) {
			throw new IllegalArgumentException("the message has no typed payload");
		}
		return payload;
	}

	/**
	 * Return the Spring Security authentication the endpoint makes for a message.
	 * @param message the verified message
	 * @param authorities the authorities granted to its sender
	 * @return the authentication
	 */
	public static SecureAgentAuthentication authentication(VerifiedMessage message, String... authorities) {
		return new SecureAgentAuthentication(message, AuthorityUtils.createAuthorityList(authorities));
	}

	private static VerifiedMessage verify(TestIdentities identities, String sender, String recipient, String type,
			JsonValue payload, @Nullable PayloadBinder binder) {
		Clock clock = Clock.systemUTC();
		AgentIdentity from = identities.identity(sender);
		AgentIdentity to = identities.identity(recipient);
		VerificationPipeline.Builder pipeline = VerificationPipeline
			.builder(to, new InMemoryReplayStore(10, clock), clock)
			.authorization(new SenderRules(List.of(new SenderRules.Rule(List.of(sender), Set.of(type), Set.of()))))
			.handledTypes(type::equals);
		if (binder != null) {
			pipeline.payloadBinder(binder);
		}
		byte[] envelope;
		try {
			envelope = new EnvelopeSigner(from, clock, Duration.ofMinutes(1))
				.sign(type, SpiffeId.parse(recipient), null, payload)
				.bytes();
		}
		catch (IdentityUnavailableException ex) {
			throw new IllegalStateException(ex);
		}
		Verdict verdict = pipeline.build().verify(envelope);
		if (verdict instanceof Verdict.Rejected rejected) {
			throw new IllegalArgumentException("the message is refused " + rejected.reason().slug() + ": "
					+ rejected.detail() + " " + Arrays.toString(rejected.violations().toArray()));
		}
		return ((Verdict.Accepted) verdict).message();
	}

}
