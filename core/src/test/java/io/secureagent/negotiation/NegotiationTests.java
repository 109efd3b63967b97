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
package io.secureagent.negotiation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.secureagent.canonical.JsonValue.JsonObject;
import io.spiffe.spiffeid.SpiffeId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Negotiation}, {@link TypeVersion} and {@link CapabilityDocument}.
 *
 * @author secure-agent authors
 */
class NegotiationTests {

	private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

	private final CapabilityDocument executor = new CapabilityDocument(SpiffeId.parse("spiffe://a.test/executor"),
			List.of("secure-agent/1"), List.of("AES-256-GCM"), List.of("ES256", "EdDSA"),
			List.of(type("task.request", NOW.plusSeconds(86_400)), type("task.request.v2", null),
					type("task.cancel", NOW.minusSeconds(1))),
			Map.of());

	@Test
	void typeVersionWhenParsedThenNameAndVersion() {
		assertThat(TypeVersion.parse("task.request")).isEqualTo(new TypeVersion("task.request", 1));
		assertThat(TypeVersion.parse("task.request.v2")).isEqualTo(new TypeVersion("task.request", 2));
		assertThat(TypeVersion.parse("task.v0")).isEqualTo(new TypeVersion("task.v0", 1));
		assertThat(new TypeVersion("task.request", 1).wireType()).isEqualTo("task.request");
		assertThat(new TypeVersion("task.request", 3).wireType()).isEqualTo("task.request.v3");
	}

	@Test
	void messageTypeWhenPeerAcceptsItThenEntryWithItsSunset() throws Exception {
		assertThat(Negotiation.messageType("task.request.v2", this.executor, NOW).sunset()).isNull();
		assertThat(Negotiation.messageType("task.request", this.executor, NOW).sunset()).isAfter(NOW);
	}

	@Test
	void messageTypeWhenPeerLacksTheVersionThenErrorNamesBothSides() {
		assertThatExceptionOfType(NoCommonVersionException.class)
			.isThrownBy(() -> Negotiation.messageType("task.request.v3", this.executor, NOW))
			.withMessage("no common version of task.request: this agent has [task.request.v3], "
					+ "the peer accepts [task.request, task.request.v2]");
	}

	@Test
	void messageTypeWhenPastSunsetThenNoCommonVersion() {
		assertThatExceptionOfType(NoCommonVersionException.class)
			.isThrownBy(() -> Negotiation.messageType("task.cancel", this.executor, NOW))
			.satisfies((ex) -> assertThat(ex.theirs()).isEmpty());
	}

	@Test
	void highestCommonWhenBothHaveSeveralThenHighestSharedUnlessPastSunset() throws Exception {
		List<TypeVersion> ours = List.of(new TypeVersion("task.request", 1), new TypeVersion("task.request", 2),
				new TypeVersion("task.request", 3));
		assertThat(Negotiation.highestCommon(ours, this.executor, NOW)).isEqualTo("task.request.v2");
		assertThatExceptionOfType(NoCommonVersionException.class).isThrownBy(
				() -> Negotiation.highestCommon(List.of(new TypeVersion("task.request", 3)), this.executor, NOW));
	}

	@Test
	void protocolVersionWhenOverlapThenOursInPreferenceOrderElseError() throws Exception {
		assertThat(Negotiation.protocolVersion(List.of("secure-agent/2", "secure-agent/1"), this.executor, NOW))
			.isEqualTo("secure-agent/1");
		assertThatExceptionOfType(NoCommonVersionException.class)
			.isThrownBy(() -> Negotiation.protocolVersion(List.of("secure-agent/2"), this.executor, NOW))
			.withMessageContaining("[secure-agent/2]")
			.withMessageContaining("[secure-agent/1]");
		CapabilityDocument sunsetting = new CapabilityDocument(this.executor.agent(), List.of("secure-agent/1"),
				List.of(), List.of(), List.of(), Map.of("secure-agent/1", NOW));
		assertThatExceptionOfType(NoCommonVersionException.class)
			.isThrownBy(() -> Negotiation.protocolVersion(List.of("secure-agent/1"), sunsetting, NOW));
	}

	@Test
	void documentWhenWrittenAndReadThenEqual() {
		assertThat(CapabilityDocument.fromJson(this.executor.toJson())).isEqualTo(this.executor);
	}

	private static CapabilityDocument.MessageType type(String wireType, Instant sunset) {
		return new CapabilityDocument.MessageType(wireType, new JsonObject(Map.of()), sunset);
	}

}
