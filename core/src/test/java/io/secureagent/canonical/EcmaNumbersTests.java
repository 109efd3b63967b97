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
package io.secureagent.canonical;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link EcmaNumbers}: every result against an exact oracle written from the
 * definition (ECMA-262, Number::toString: the shortest decimal that reads back as the
 * double, then the closest, then the even), and against the reference formatter the
 * canonical form used before. RFC 8785's own table is in {@link JsonCanonicalizerTests}.
 *
 * @author secure-agent authors
 */
class EcmaNumbersTests {

	/**
	 * The definition, with {@link BigDecimal}: for each length from one digit, the
	 * decimals of that length just below and just above the double's exact value, kept if
	 * Java's correctly rounded reader takes them back to the double.
	 */
	static BigDecimal shortest(double value) {
		BigDecimal exact = new BigDecimal(value);
		for (int length = 1; length <= 17; length++) {
			BigDecimal below = exact.round(new MathContext(length, RoundingMode.FLOOR));
			BigDecimal above = exact.round(new MathContext(length, RoundingMode.CEILING));
			boolean belowReads = Double.parseDouble(below.toString()) == value;
			boolean aboveReads = Double.parseDouble(above.toString()) == value;
			if (belowReads && aboveReads && below.compareTo(above) != 0) {
				int closer = exact.subtract(below).compareTo(above.subtract(exact));
				if (closer != 0) {
					return (closer < 0) ? below : above;
				}
				return below.unscaledValue().testBit(0) ? above : below;
			}
			if (belowReads) {
				return below;
			}
			if (aboveReads) {
				return above;
			}
		}
		throw new AssertionError("no decimal of 17 digits reads back as " + value);
	}

	private static void assertShortest(List<Double> values) {
		List<String> wrong = new ArrayList<>();
		for (double value : values) {
			if (value == 0 || !Double.isFinite(value)) {
				continue;
			}
			String written = EcmaNumbers.toString(value);
			BigDecimal expected = shortest(Math.abs(value)).stripTrailingZeros();
			BigDecimal actual = new BigDecimal(written).abs().stripTrailingZeros();
			boolean sign = (value < 0) == written.startsWith("-");
			if (!sign || actual.compareTo(expected) != 0 || actual.scale() != expected.scale()) {
				wrong.add(Long.toHexString(Double.doubleToRawLongBits(value)) + " written " + written + ", expected "
						+ expected);
			}
		}
		assertThat(wrong).isEmpty();
	}

	@Test
	void toStringWhenSmallestSubnormalsThenShortestClosest() {
		// the tiniest doubles have one-digit forms that Java's Double.toString lengthens
		// to two (4.9E-324); ECMAScript takes the one digit (5e-324, 9e-323)
		List<Double> values = new ArrayList<>();
		for (long bits = 1; bits <= 4_000; bits++) {
			values.add(Double.longBitsToDouble(bits));
		}
		assertShortest(values);
		assertThat(EcmaNumbers.toString(Double.MIN_VALUE)).isEqualTo("5e-324");
		assertThat(EcmaNumbers.toString(18 * Double.MIN_VALUE)).isEqualTo("9e-323");
	}

	@Test
	void toStringWhenRandomDoublesThenShortestClosest() {
		SplittableRandom random = new SplittableRandom(8785);
		List<Double> values = new ArrayList<>();
		for (int i = 0; i < 30_000; i++) {
			values.add(Double.longBitsToDouble(random.nextLong()));
		}
		for (int i = 0; i < 5_000; i++) {
			// subnormals
			values.add(Double.longBitsToDouble(random.nextLong() & ((1L << 52) - 1)));
		}
		assertShortest(values);
	}

	@Test
	void toStringWhenEveryExponentWithEdgeSignificandsThenShortestClosest() {
		// powers of two (whose interval is lopsided), the largest significands, and their
		// neighbours, in each of the 2,046 binary exponents
		List<Double> values = new ArrayList<>();
		long[] significands = { 0, 1, 2, 3, 0x8000000000000L, 0xFFFFFFFFFFFFEL, 0xFFFFFFFFFFFFFL };
		for (long exponent = 0; exponent < 0x7FF; exponent++) {
			for (long significand : significands) {
				values.add(Double.longBitsToDouble((exponent << 52) | significand));
			}
		}
		assertShortest(values);
	}

	@Test
	void toStringWhenShortDecimalsAndTheirNeighboursThenShortestClosest() {
		List<Double> values = new ArrayList<>();
		for (int exponent = -324; exponent <= 308; exponent += 3) {
			for (int digits : new int[] { 1, 5, 9, 12, 123, 999, 4_503_599, 1_000_001 }) {
				double value = Double.parseDouble(digits + "e" + exponent);
				values.add(value);
				values.add(Math.nextUp(value));
				values.add(Math.nextDown(value));
			}
		}
		assertShortest(values);
	}

	@Test
	void toStringWhenNumbersThatStallBigIntegerFormattersThenShortestClosest() {
		// found by timing the reference formatter: each cost it tens of times the usual
		// (the subnormal, seconds), in big-integer arithmetic
		double[] hostile = { 1.0391878765383491E-267, 1.1740157429225467E-293, 2.2250738585072014E-308, 1e-308, 1e-315,
				1e-200 };
		List<Double> values = new ArrayList<>();
		for (double value : hostile) {
			values.add(value);
			values.add(-value);
		}
		assertShortest(values);
		assertThat(EcmaNumbers.toString(1.0391878765383491E-267)).isEqualTo("1.0391878765383491e-267");
	}

	@Test
	void toStringWhenRandomDoublesThenAgreesWithReferenceFormatter() {
		SplittableRandom random = new SplittableRandom(42);
		List<String> wrong = new ArrayList<>();
		for (int i = 0; i < 500_000; i++) {
			double value = Double.longBitsToDouble(random.nextLong());
			if (!Double.isFinite(value) || Math.abs(value) < Double.MIN_NORMAL) {
				// the reference takes seconds on some subnormals
				continue;
			}
			String expected = ReferenceCanonicalizer.serializeNumber(value);
			String actual = JsonCanonicalizer.serializeNumber(value);
			if (!expected.equals(actual)) {
				wrong.add(actual + " != " + expected);
			}
		}
		assertThat(wrong).isEmpty();
	}

	@Test
	void toStringWhenEachNotationBoundaryThenEcmaScriptForm() {
		// ECMA-262 Number::toString: plain digits up to 21 of them, "0.000..." down to
		// 1e-6, exponent form beyond, with a sign on the exponent
		assertThat(EcmaNumbers.toString(1e21)).isEqualTo("1e+21");
		assertThat(EcmaNumbers.toString(1.5e21)).isEqualTo("1.5e+21");
		assertThat(EcmaNumbers.toString(1e20)).isEqualTo("100000000000000000000");
		assertThat(EcmaNumbers.toString(123456789012345680000.0)).isEqualTo("123456789012345680000");
		assertThat(EcmaNumbers.toString(0.000001)).isEqualTo("0.000001");
		assertThat(EcmaNumbers.toString(0.0000012)).isEqualTo("0.0000012");
		assertThat(EcmaNumbers.toString(1e-7)).isEqualTo("1e-7");
		assertThat(EcmaNumbers.toString(-1.25e-7)).isEqualTo("-1.25e-7");
		assertThat(EcmaNumbers.toString(0.1)).isEqualTo("0.1");
		assertThat(EcmaNumbers.toString(-2.5)).isEqualTo("-2.5");
		assertThat(EcmaNumbers.toString(4.35)).isEqualTo("4.35");
		assertThat(EcmaNumbers.toString(0.0)).isEqualTo("0");
		assertThat(EcmaNumbers.toString(-0.0)).isEqualTo("0");
		assertThat(EcmaNumbers.toString(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
		assertThat(EcmaNumbers.toString(9007199254740993.0 * 2)).isEqualTo("18014398509481984");
	}

	@Test
	void writeWhenLongestFormsThenFitMaxLengthAtAnyOffset() {
		double[] longest = { -0.0000012345678901234567, -1.2345678901234567e-308, -123456789012345680000.0,
				-1234567890.1234567, -5e-324, -1.7976931348623157e308 };
		for (double value : longest) {
			String expected = EcmaNumbers.toString(value);
			assertThat(expected.length()).isLessThanOrEqualTo(EcmaNumbers.MAX_LENGTH);
			byte[] buffer = new byte[3 + EcmaNumbers.MAX_LENGTH];
			int end = EcmaNumbers.write(value, buffer, 3);
			assertThat(new String(buffer, 3, end - 3, StandardCharsets.US_ASCII)).isEqualTo(expected);
		}
		assertThat(EcmaNumbers.toString(-0.0000012345678901234567)).hasSize(EcmaNumbers.MAX_LENGTH);
	}

	@Test
	void toStringWhenNotFiniteThenRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> EcmaNumbers.toString(Double.NaN));
		assertThatIllegalArgumentException().isThrownBy(() -> EcmaNumbers.toString(Double.POSITIVE_INFINITY));
		assertThatIllegalArgumentException().isThrownBy(() -> EcmaNumbers.toString(Double.NEGATIVE_INFINITY));
	}

	@Test
	void flog10WhenEveryExponentOfADoubleThenExactFloor() {
		List<String> wrong = new ArrayList<>();
		for (int q = -1074; q <= 971; q++) {
			BigDecimal power = power2(q);
			if (!isFloorLog10(EcmaNumbers.flog10pow2(q), power)) {
				wrong.add("log10(2^" + q + ")");
			}
			BigDecimal threeQuarters = power.multiply(BigDecimal.valueOf(3)).divide(BigDecimal.valueOf(4));
			if (!isFloorLog10(EcmaNumbers.flog10threeQuartersPow2(q), threeQuarters)) {
				wrong.add("log10(3/4 * 2^" + q + ")");
			}
			if (EcmaNumbers.flog10threeQuartersPow2(q) < EcmaNumbers.flog10pow2(-1074)) {
				wrong.add("log10(3/4 * 2^" + q + ") below the table");
			}
		}
		assertThat(wrong).isEmpty();
	}

	private static BigDecimal power2(int q) {
		BigDecimal two = new BigDecimal(BigInteger.ONE.shiftLeft(Math.abs(q)));
		return (q >= 0) ? two : BigDecimal.ONE.divide(two);
	}

	private static boolean isFloorLog10(int k, BigDecimal value) {
		BigDecimal low = BigDecimal.ONE.scaleByPowerOfTen(k);
		BigDecimal high = BigDecimal.ONE.scaleByPowerOfTen(k + 1);
		return low.compareTo(value) <= 0 && value.compareTo(high) < 0;
	}

}
