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

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a double as ECMAScript's {@code Number.prototype.toString} does, which is the
 * number form of RFC 8785 (section 3.2.2.3): the shortest decimal that reads back as the
 * same double; of several that short, the one closest to the double; of two equally
 * close, the one with an even last digit.
 * <p>
 * The digits come from the Schubfach algorithm (Raffaello Giulietti, "The Schubfach way
 * to render doubles", 2020). The double's rounding interval is scaled by a power of ten
 * held to 126 bits, three 128-bit products in all, rounded to odd so that comparisons
 * with whole numbers stay exact, and the candidates are at most four: the two multiples
 * of ten around the scaled double, then the two whole numbers around it. No big-integer
 * arithmetic is done per number, so every double costs about the same. A formatter that
 * falls back to big integers (as David Gay's {@code dtoa} does for hard cases) lets a
 * sender choose numbers that cost forty times the usual (normal doubles such as
 * {@code 1.0391878765383491e-267}) or seconds (some subnormals), before any signature is
 * checked.
 * <p>
 * The powers of ten are computed exactly with {@link BigInteger} when the class loads.
 *
 * @author secure-agent authors
 */
final class EcmaNumbers {

	/** The precision of a double, in bits. */
	private static final int PRECISION = 53;

	/** The exponent of the smallest subnormal's last bit: 2^-1074. */
	private static final int Q_MIN = -1074;

	/** The exponent of the largest double's last bit. */
	private static final int Q_MAX = 971;

	/** The significand of a power of two. */
	private static final long C_MIN = 1L << (PRECISION - 1);

	private static final long MASK_63 = Long.MAX_VALUE;

	private static final int E_MIN = -flog10pow2(Q_MAX);

	// the scale of a power of two's lopsided interval, floor(log10(3/4 * 2^q)), is
	// never below that of the smallest subnormal (the tests check every q)
	private static final int E_MAX = -flog10pow2(Q_MIN);

	/** The high 63 bits of g(e) = floor(10^e / 2^r(e)) + 1, 2^125 <= g(e) < 2^126. */
	private static final long[] G1;

	/** The low 63 bits of g(e). */
	private static final long[] G0;

	/** floor(log2(10^e)), so that 10^e is about g(e) * 2^(log2 - 125). */
	private static final int[] LOG2;

	static {
		int size = E_MAX - E_MIN + 1;
		long[] g1 = new long[size];
		long[] g0 = new long[size];
		int[] log2 = new int[size];
		BigInteger mask = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
		for (int e = E_MIN; e <= E_MAX; e++) {
			BigInteger g;
			int floorLog2;
			if (e >= 0) {
				BigInteger power = BigInteger.TEN.pow(e);
				floorLog2 = power.bitLength() - 1;
				int shift = floorLog2 - 125;
				g = ((shift >= 0) ? power.shiftRight(shift) : power.shiftLeft(-shift)).add(BigInteger.ONE);
			}
			else {
				BigInteger power = BigInteger.TEN.pow(-e);
				// 10^-e is no power of two, so log2(10^e) = -ceil(log2(10^-e)) exactly
				floorLog2 = -power.bitLength();
				g = BigInteger.ONE.shiftLeft(125 - floorLog2).divide(power).add(BigInteger.ONE);
			}
			int index = e - E_MIN;
			g1[index] = g.shiftRight(63).longValueExact();
			g0[index] = g.and(mask).longValueExact();
			log2[index] = floorLog2;
		}
		G1 = g1;
		G0 = g0;
		LOG2 = log2;
	}

	private EcmaNumbers() {
	}

	/** The longest form of a double, 25 bytes: {@code -0.0000012345678901234567}. */
	static final int MAX_LENGTH = 25;

	/**
	 * Return the ECMAScript string of a finite double.
	 * @param value the value
	 * @return its string, {@code 0} for either zero
	 * @throws IllegalArgumentException if the value is not finite
	 */
	static String toString(double value) {
		byte[] buffer = new byte[MAX_LENGTH];
		return new String(buffer, 0, write(value, buffer, 0), StandardCharsets.ISO_8859_1);
	}

	/**
	 * Write the ECMAScript string of a finite double, in ASCII.
	 * @param value the value
	 * @param buffer where to write, with at least {@link #MAX_LENGTH} bytes from
	 * {@code at}
	 * @param at the index of the first byte written
	 * @return the index after the last byte written
	 * @throws IllegalArgumentException if the value is not finite
	 */
	static int write(double value, byte[] buffer, int at) {
		long bits = Double.doubleToRawLongBits(value);
		long fraction = bits & (C_MIN - 1);
		int biasedExponent = (int) (bits >>> (PRECISION - 1)) & 0x7FF;
		if (biasedExponent == 0x7FF) {
			throw new IllegalArgumentException("JSON has no form for " + value);
		}
		if (biasedExponent == 0 && fraction == 0) {
			buffer[at] = '0';
			return at + 1;
		}
		int position = at;
		if (bits < 0) {
			buffer[position++] = '-';
		}
		if (biasedExponent != 0) {
			int q = biasedExponent + Q_MIN - 1;
			long c = C_MIN | fraction;
			if (q < 0 && q > -PRECISION) {
				long whole = c >> -q;
				if (whole << -q == c) {
					// a whole number below 2^52: itself
					return format(whole, 0, buffer, position);
				}
			}
			return toDecimal(q, c, buffer, position);
		}
		return toDecimal(Q_MIN, fraction, buffer, position);
	}

	/**
	 * Write the decimal of c * 2^q.
	 */
	private static int toDecimal(int q, long c, byte[] buffer, int at) {
		// the rounding interval in quarters of 2^q: [cbl, cbr], its ends included when c
		// is even, as a round-half-even reader would take them
		int open = (int) c & 1;
		long cb = c << 2;
		long cbr = cb + 2;
		long cbl;
		int k;
		if (c != C_MIN || q == Q_MIN) {
			cbl = cb - 2;
			k = flog10pow2(q);
		}
		else {
			// a power of two: the double below is half as far as the one above
			cbl = cb - 1;
			k = flog10threeQuartersPow2(q);
		}
		int index = -k - E_MIN;
		int h = q + LOG2[index] + 2;
		long g1 = G1[index];
		long g0 = G0[index];
		// the double and the ends of its interval times 10^-k, in quarters, rounded to
		// odd
		long vb = roundToOdd(g1, g0, cb << h);
		long vbl = roundToOdd(g1, g0, cbl << h);
		long vbr = roundToOdd(g1, g0, cbr << h);
		long s = vb >> 2;
		// one digit fewer first: the interval is less than ten wide, so at most one
		// multiple of ten lies in it, and it is then the only shortest candidate (unlike
		// Java's Double.toString, ECMAScript takes one digit where one digit will do)
		long sp10 = s / 10 * 10;
		long tp10 = sp10 + 10;
		boolean sp10In = vbl + open <= sp10 << 2;
		boolean tp10In = (tp10 << 2) + open <= vbr;
		if (sp10In != tp10In) {
			return format(sp10In ? sp10 : tp10, k, buffer, at);
		}
		long t = s + 1;
		boolean sIn = vbl + open <= s << 2;
		boolean tIn = (t << 2) + open <= vbr;
		if (sIn != tIn) {
			return format(sIn ? s : t, k, buffer, at);
		}
		// both in the interval: the closer, and the even one on a tie
		long cmp = vb - ((s + t) << 1);
		return format((cmp < 0 || cmp == 0 && (s & 1) == 0) ? s : t, k, buffer, at);
	}

	/**
	 * Return floor(g * cp / 2^127), its lowest bit set when the quotient is not whole,
	 * where g = g1 * 2^63 + g0.
	 */
	private static long roundToOdd(long g1, long g0, long cp) {
		long x1 = Math.multiplyHigh(g0, cp);
		long y0 = g1 * cp;
		long y1 = Math.multiplyHigh(g1, cp);
		long z = (y0 >>> 1) + x1;
		long whole = y1 + (z >>> 63);
		return whole | (((z & MASK_63) + MASK_63) >>> 63);
	}

	/** floor(q * log10(2)), exact for every q of a double (the tests check each). */
	static int flog10pow2(int q) {
		return (int) ((q * 661_971_961_083L) >> 41);
	}

	/**
	 * floor(q * log10(2) + log10(3/4)), exact for every q of a double (the tests check
	 * each).
	 */
	static int flog10threeQuartersPow2(int q) {
		return (int) ((q * 661_971_961_083L - 274_743_187_321L) >> 41);
	}

	/**
	 * Write digits * 10^exponent in the ECMAScript form (ECMA-262, Number::toString).
	 */
	private static int format(long digits, int exponent, byte[] buffer, int at) {
		long rest = digits;
		int e = exponent;
		while (rest % 10 == 0) {
			rest /= 10;
			e++;
		}
		int length = digitCount(rest);
		// the decimal point stands after the first n digits
		int n = length + e;
		if (length <= n && n <= 21) {
			writeDigits(rest, length, buffer, at);
			Arrays.fill(buffer, at + length, at + n, (byte) '0');
			return at + n;
		}
		if (0 < n && n <= 21) {
			writeDigits(rest, length, buffer, at + 1);
			System.arraycopy(buffer, at + 1, buffer, at, n);
			buffer[at + n] = '.';
			return at + length + 1;
		}
		if (-6 < n && n <= 0) {
			buffer[at] = '0';
			buffer[at + 1] = '.';
			Arrays.fill(buffer, at + 2, at + 2 - n, (byte) '0');
			writeDigits(rest, length, buffer, at + 2 - n);
			return at + 2 - n + length;
		}
		int position = at;
		writeDigits(rest, length, buffer, position + 1);
		buffer[position] = buffer[position + 1];
		if (length > 1) {
			buffer[position + 1] = '.';
			position += length + 1;
		}
		else {
			position++;
		}
		int power = n - 1;
		buffer[position++] = 'e';
		buffer[position++] = (byte) ((power < 0) ? '-' : '+');
		int magnitude = Math.abs(power);
		int powerLength = digitCount(magnitude);
		writeDigits(magnitude, powerLength, buffer, position);
		return position + powerLength;
	}

	private static int digitCount(long value) {
		int count = 1;
		for (long rest = value; rest >= 10; rest /= 10) {
			count++;
		}
		return count;
	}

	private static void writeDigits(long value, int length, byte[] buffer, int at) {
		long rest = value;
		for (int i = at + length - 1; i >= at; i--) {
			buffer[i] = (byte) ('0' + (int) (rest % 10));
			rest /= 10;
		}
	}

}
