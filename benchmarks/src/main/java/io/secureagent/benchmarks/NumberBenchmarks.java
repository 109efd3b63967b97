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
package io.secureagent.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.StrictJsonParser;
import org.erdtman.jcs.NumberToJSON;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a receiver spends on a 64 KiB document of numbers before it can check a signature
 * over it: the strict parse and the canonical form, and the canonical form alone. Beside
 * them, in the same run, the number formatter the canonical form used before, over the
 * same numbers alone.
 * <p>
 * {@code hostile} repeats a number that the big-integer formatter takes some forty times
 * a typical double's time to write; {@code random} is 17-digit decimals of every
 * magnitude; {@code short} is decimals of one to three digits; {@code float32} the
 * components of an embedding: floats in (-1, 1) written in their shortest form, up to
 * nine digits.
 *
 * @author secure-agent authors
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NumberBenchmarks {

	private static final int DOCUMENT_BYTES = 64 * 1024;

	@Param({ "hostile", "random", "short", "float32" })
	public String kind;

	private byte[] document;

	private double[] numbers;

	private StrictJsonParser parser;

	private JsonValue tree;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		SplittableRandom random = new SplittableRandom(64);
		StringBuilder text = new StringBuilder("[");
		int count = 0;
		while (text.length() < DOCUMENT_BYTES - 32) {
			double value = switch (this.kind) {
				case "hostile" -> 1.0391878765383491E-267;
				case "random" -> randomDecimal(random);
				case "short" -> (1 + random.nextInt(999)) / 100.0;
				// an embedding's components: floats in (-1, 1), as a float's shortest
				// form
				case "float32" -> Double.parseDouble(Float.toString((float) (random.nextDouble() * 2 - 1)));
				default -> throw new IllegalArgumentException(this.kind);
			};
			text.append((count++ > 0) ? "," : "").append(NumberToJSON.serializeNumber(value));
		}
		this.document = text.append(']').toString().getBytes(StandardCharsets.UTF_8);
		this.parser = new StrictJsonParser(new JsonLimits(DOCUMENT_BYTES, 8, 1024, 100_000));
		JsonValue.JsonArray array = (JsonValue.JsonArray) this.parser.parse(this.document);
		this.tree = array;
		this.numbers = array.elements()
			.stream()
			.mapToDouble((element) -> ((JsonValue.JsonNumber) element).value())
			.toArray();
		if (!Arrays.equals(JsonCanonicalizer.canonicalize(array), this.document)) {
			throw new IllegalStateException("the document is not in canonical form");
		}
	}

	private static double randomDecimal(SplittableRandom random) {
		while (true) {
			double value = Double.longBitsToDouble(random.nextLong(0x0010000000000000L, 0x7FEFFFFFFFFFFFFFL));
			if (value < 9007199254740991d || value >= 1e21) {
				// I-JSON has no form for the numbers between
				return value;
			}
		}
	}

	@Benchmark
	public byte[] parseAndCanonicalize() throws Exception {
		return JsonCanonicalizer.canonicalize(this.parser.parse(this.document));
	}

	@Benchmark
	public byte[] canonicalizeAlone() {
		return JsonCanonicalizer.canonicalize(this.tree);
	}

	@Benchmark
	public int referenceFormatterAlone() throws IOException {
		int length = 0;
		for (double number : this.numbers) {
			length += NumberToJSON.serializeNumber(number).length();
		}
		return length;
	}

}
