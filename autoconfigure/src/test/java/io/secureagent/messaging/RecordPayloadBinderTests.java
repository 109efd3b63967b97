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
package io.secureagent.messaging;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.verification.PayloadBinder.Binding;
import jakarta.validation.Validation;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RecordPayloadBinder}: numbers as the canonical form writes them.
 *
 * @author secure-agent authors
 */
class RecordPayloadBinderTests {

	private final RecordPayloadBinder binder;

	private final StrictJsonParser parser = new StrictJsonParser(JsonLimits.DEFAULT);

	RecordPayloadBinderTests() {
		MessageTypes types = new MessageTypes();
		types.register(Reading.class);
		this.binder = new RecordPayloadBinder(types, JsonMapper.builder().build(),
				Validation.buildDefaultValidatorFactory().getValidator());
	}

	@Test
	void bindWhenAWholeNumberMeetsAFloatingPointFieldThenBoundAsThatNumber() throws Exception {
		// a sender's 20.0, 2.0f and BigDecimal 1.00 are written 20, 2 and 1 (RFC 8785):
		// refused before as "wrong JSON type"
		Reading sent = new Reading(20.0, 2.0f, new BigDecimal("1.00"), 3);
		JsonValue written = this.binder.toJson(sent);
		assertThat(new String(JsonCanonicalizer.canonicalize(written), StandardCharsets.UTF_8))
			.isEqualTo("{\"amount\":1,\"celsius\":20,\"count\":3,\"single\":2}");
		Binding binding = this.binder.bind("reading", written);
		assertThat(binding).isInstanceOf(Binding.Bound.class);
		Reading received = (Reading) ((Binding.Bound) binding).value();
		assertThat(received.celsius()).isEqualTo(20.0);
		assertThat(received.single()).isEqualTo(2.0f);
		assertThat(received.amount()).isEqualByComparingTo(sent.amount());
		assertThat(received.count()).isEqualTo(3);
	}

	@Test
	void bindWhenTypesDisagreeOtherwiseThenStillRefused() throws Exception {
		assertThat(bind("{\"amount\":1,\"count\":1.5,\"celsius\":1,\"single\":1}"))
			.isEqualTo(new Binding.Invalid(List.of("count: wrong JSON type")));
		assertThat(bind("{\"amount\":1,\"count\":1,\"celsius\":\"20\",\"single\":1}"))
			.isEqualTo(new Binding.Invalid(List.of("celsius: wrong JSON type")));
		assertThat(bind("{\"amount\":true,\"count\":1,\"celsius\":1,\"single\":1}"))
			.isEqualTo(new Binding.Invalid(List.of("amount: wrong JSON type")));
	}

	private Binding bind(String payload) throws Exception {
		return this.binder.bind("reading", this.parser.parse(payload.getBytes(StandardCharsets.UTF_8)));
	}

	@AgentMessage("reading")
	record Reading(double celsius, float single, BigDecimal amount, int count) {
	}

}
