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
import java.util.concurrent.atomic.AtomicBoolean;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.verification.PayloadBinder.Binding;
import jakarta.validation.Validation;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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
		types.register(Order.class);
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

	@Test
	void bindWhenRecordsNestThenEachMadeByItsConstructorWithoutASpreadingMethodHandle() throws Exception {
		Line.spread.set(false);
		Binding binding = bind("order", "{\"id\":\"o-1\",\"lines\":[{\"n\":1,\"sku\":\"a\"},{\"n\":2,\"sku\":\"b\"}]}");
		assertThat(binding).isEqualTo(new Binding.Bound(new Order("o-1", List.of(new Line(1, "a"), new Line(2, "b")))));
		// Jackson 3.1 calls a constructor of several arguments through
		// MethodHandle.invokeWithArguments, which makes a spreader per object
		assertThat(Line.spread).isFalse();
	}

	@Test
	void bindWhenAConstructorRefusesThenInvalidAtItsPathAsJacksonReportsIt() throws Exception {
		String payload = "{\"id\":\"o-1\",\"lines\":[{\"n\":1,\"sku\":\"a\"},{\"n\":0,\"sku\":\"b\"}]}";
		assertThat(bind("order", payload))
			.isEqualTo(new Binding.Invalid(List.of("lines[1]: cannot be read as the declared type")));
		// Jackson's own instantiation reports the same problem at the same place
		assertThatExceptionOfType(ValueInstantiationException.class)
			.isThrownBy(() -> JsonMapper.builder().build().readValue(payload, Order.class))
			.satisfies((ex) -> assertThat(ex.getPath()).extracting(JacksonException.Reference::getIndex)
				.containsExactly(-1, 1))
			.withRootCauseInstanceOf(IllegalArgumentException.class);
	}

	private Binding bind(String payload) throws Exception {
		return bind("reading", payload);
	}

	private Binding bind(String type, String payload) throws Exception {
		return this.binder.bind(type, this.parser.parse(payload.getBytes(StandardCharsets.UTF_8)));
	}

	@AgentMessage("reading")
	record Reading(double celsius, float single, BigDecimal amount, int count) {
	}

	@AgentMessage("order")
	record Order(String id, List<Line> lines) {
	}

	record Line(int n, String sku) {

		static final AtomicBoolean spread = new AtomicBoolean();

		Line {
			if (StackWalker.getInstance()
				.walk((frames) -> frames.anyMatch((frame) -> frame.getMethodName().equals("invokeWithArguments")))) {
				spread.set(true);
			}
			if (n <= 0) {
				throw new IllegalArgumentException("n must be positive");
			}
		}

	}

}
