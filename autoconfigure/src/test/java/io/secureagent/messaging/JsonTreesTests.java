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
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.MalformedJsonException;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.verification.PayloadBinder.Binding;
import jakarta.validation.Validation;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JsonTrees}: what the sending side writes, the receiving side reads as
 * the same value, or the value is refused before it is signed.
 *
 * @author secure-agent authors
 */
class JsonTreesTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final StrictJsonParser parser = new StrictJsonParser(JsonLimits.DEFAULT);

	private final RecordPayloadBinder binder;

	JsonTreesTests() {
		MessageTypes types = new MessageTypes();
		types.register(Numbers.class);
		types.register(Blob.class);
		this.binder = new RecordPayloadBinder(types, this.mapper,
				Validation.buildDefaultValidatorFactory().getValidator());
	}

	@Test
	void fromJacksonWhenNumbersHaveAnExactFormThenTheReceiverParsesAndBindsTheSameValues() throws Exception {
		Numbers numbers = new Numbers(9_007_199_254_740_991L, new BigDecimal("0.1"), 0.1, 1e21, 0.1f,
				new BigInteger("-9007199254740991"), List.of(new BigDecimal("1E+2"), new BigDecimal("2.50")));
		JsonValue tree = JsonTrees.fromJackson(this.mapper.valueToTree(numbers));
		byte[] written = JsonCanonicalizer.canonicalize(tree);
		// what a receiver parses, and binds back
		JsonValue received = this.parser.parse(written);
		assertThat(received).isEqualTo(tree);
		Binding binding = this.binder.bind("numbers", received);
		assertThat(binding).isInstanceOf(Binding.Bound.class);
		Numbers bound = (Numbers) ((Binding.Bound) binding).value();
		assertThat(bound.count()).isEqualTo(numbers.count());
		assertThat(bound.amount()).isEqualByComparingTo(numbers.amount());
		assertThat(bound.ratio()).isEqualTo(numbers.ratio());
		assertThat(bound.large()).isEqualTo(numbers.large());
		assertThat(bound.single()).isEqualTo(numbers.single());
		assertThat(bound.big()).isEqualTo(numbers.big());
		assertThat(bound.prices()).usingElementComparator(BigDecimal::compareTo)
			.containsExactlyElementsOf(numbers.prices());
	}

	@Test
	void fromJacksonWhenADecimalIsMorePreciseThanADoubleThenRefusedNamingTheField() {
		// sent as 0.1 before: the receiver would have bound another amount than the one
		// the sender's record held
		assertUnrepresentable(numbersWithAmount(new BigDecimal("0.10000000000000000001")), "amount",
				"decimal more precise than a double");
		assertUnrepresentable(numbersWithAmount(new BigDecimal("1e-400")), "amount",
				"decimal more precise than a double");
		assertUnrepresentable(numbersWithAmount(new BigDecimal("1e400")), "amount", "not a finite number");
	}

	@Test
	void fromJacksonWhenNumbersEveryReceiverRefusesThenRefusedBeforeSigning() throws Exception {
		// each of these, written, is refused by the receiver's parser: shown first
		for (String refused : List.of("9007199254740992", "4.9e-324", "1e17")) {
			assertThatExceptionOfType(MalformedJsonException.class)
				.isThrownBy(() -> this.parser.parse(refused.getBytes(StandardCharsets.US_ASCII)));
		}
		assertUnrepresentable(new Numbers(9_007_199_254_740_992L, BigDecimal.ONE, 0, 0, 0, BigInteger.ZERO, List.of()),
				"count", "integer outside ±(2^53-1)");
		assertUnrepresentable(new Numbers(Long.MIN_VALUE, BigDecimal.ONE, 0, 0, 0, BigInteger.ZERO, List.of()), "count",
				"integer outside ±(2^53-1)");
		assertUnrepresentable(new Numbers(0, BigDecimal.ONE, 0, 0, 0, BigInteger.TWO.pow(64), List.of()), "big",
				"integer outside ±(2^53-1)");
		assertUnrepresentable(new Numbers(0, BigDecimal.ONE, Double.MIN_VALUE, 0, 0, BigInteger.ZERO, List.of()),
				"ratio", "subnormal number");
		assertUnrepresentable(new Numbers(0, BigDecimal.ONE, 0, 1e17, 0, BigInteger.ZERO, List.of()), "large",
				"number between 2^53-1 and 10^21 has no exact I-JSON form");
		assertUnrepresentable(new Numbers(0, BigDecimal.ONE, Double.NaN, 0, 0, BigInteger.ZERO, List.of()), "ratio",
				"not a finite number");
		assertUnrepresentable(
				new Numbers(0, BigDecimal.ONE, 0, Double.NEGATIVE_INFINITY, 0, BigInteger.ZERO, List.of()), "large",
				"not a finite number");
		assertUnrepresentable(
				new Numbers(0, BigDecimal.ONE, 0, 0, 0, BigInteger.ZERO,
						List.of(BigDecimal.ONE, new BigDecimal("3.14159265358979323846"))),
				"prices[1]", "decimal more precise than a double");
	}

	@Test
	void toJsonWhenARecordHoldsBytesThenBase64ThatTheReceiverBindsBack() throws Exception {
		// Jackson's tree holds a byte array as an opaque value: refused before as a node
		// with no JSON form
		byte[] data = { 0, 1, 2, (byte) 0xFA, (byte) 0xFF };
		JsonValue tree = this.binder.toJson(new Blob(data));
		assertThat(new String(JsonCanonicalizer.canonicalize(tree), StandardCharsets.US_ASCII))
			.isEqualTo("{\"data\":\"AAEC+v8=\"}");
		Binding binding = this.binder.bind("blob", this.parser.parse(JsonCanonicalizer.canonicalize(tree)));
		assertThat(binding).isInstanceOf(Binding.Bound.class);
		assertThat(((Blob) ((Binding.Bound) binding).value()).data()).isEqualTo(data);
	}

	@Test
	void fromJacksonWhenTheWholeValueIsRefusedThenItsPathIsTheRoot() {
		assertThatExceptionOfType(UnrepresentableValueException.class)
			.isThrownBy(() -> JsonTrees.fromJackson(this.mapper.valueToTree(9_007_199_254_740_993L)))
			.satisfies((ex) -> assertThat(ex.violation()).isEqualTo("$: integer outside ±(2^53-1)"));
	}

	private void assertUnrepresentable(Numbers numbers, String path, String rule) {
		assertThatExceptionOfType(UnrepresentableValueException.class)
			.isThrownBy(() -> JsonTrees.fromJackson(this.mapper.valueToTree(numbers)))
			.satisfies((ex) -> {
				assertThat(ex.path()).isEqualTo(path);
				assertThat(ex.rule()).isEqualTo(rule);
			});
	}

	private static Numbers numbersWithAmount(BigDecimal amount) {
		return new Numbers(1, amount, 0.5, 2, 0.25f, BigInteger.ONE, List.of());
	}

	@AgentMessage("blob")
	record Blob(byte[] data) {
	}

	@AgentMessage("numbers")
	record Numbers(long count, BigDecimal amount, double ratio, double large, float single, BigInteger big,
			List<BigDecimal> prices) {
	}

}
