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

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * The whole receive pipeline beside its crypto floor, taken in turns in one JVM: each
 * round makes fresh messages, runs {@code receive} over all of them, then
 * {@code floorVerify} over as many, and prints both rates and their ratio; the median
 * ratio closes. On a shared 2-core machine, where two JMH forks run minutes apart under
 * different load, the ratio of two neighbouring measurements moves less than the ratio of
 * two forks. Each round also gives the bytes that the thread allocated per message on
 * either side, from {@code com.sun.management.ThreadMXBean}: what the pipeline allocates
 * beyond its floor is work for the collector on every message.
 * <p>
 * {@code java -cp benchmarks/target/benchmarks.jar io.secureagent.benchmarks.PipelineRatio [ES256|EdDSA] [rounds]}
 *
 * @author secure-agent authors
 */
public final class PipelineRatio {

	private PipelineRatio() {
	}

	public static void main(String[] args) throws Exception {
		PipelineBenchmarks bench = new PipelineBenchmarks();
		bench.alg = (args.length > 0) ? args[0] : "ES256";
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 10;
		bench.setUp();
		int messages = 20_000;
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long thread = Thread.currentThread().getId();
		double[] ratios = new double[rounds];
		for (int round = 0; round < rounds; round++) {
			PipelineBenchmarks.Fresh fresh = new PipelineBenchmarks.Fresh();
			fresh.freshMessages(bench);
			PipelineBenchmarks.FreshFloor floor = new PipelineBenchmarks.FreshFloor();
			floor.freshMessages(bench);
			long allocatedAtStart = threads.getThreadAllocatedBytes(thread);
			long start = System.nanoTime();
			for (int i = 0; i < messages; i++) {
				bench.receive(fresh);
			}
			long middle = System.nanoTime();
			long allocatedAtMiddle = threads.getThreadAllocatedBytes(thread);
			for (int i = 0; i < messages; i++) {
				bench.floorVerify(floor);
			}
			long end = System.nanoTime();
			long allocatedAtEnd = threads.getThreadAllocatedBytes(thread);
			ratios[round] = (double) (end - middle) / (middle - start);
			System.out.printf(Locale.ROOT,
					"round %d: receive %.0f ops/s, floorVerify %.0f ops/s, receive / floor %.0f%%;"
							+ " allocated per message: receive %d B, floorVerify %d B%n",
					round + 1, messages / ((middle - start) / 1e9), messages / ((end - middle) / 1e9),
					100 * ratios[round], (allocatedAtMiddle - allocatedAtStart) / messages,
					(allocatedAtEnd - allocatedAtMiddle) / messages);
		}
		double[] sorted = ratios.clone();
		Arrays.sort(sorted);
		System.out.printf(Locale.ROOT, "%s receive / floor: median %.0f%% (%.0f%%-%.0f%%) over %d rounds%n", bench.alg,
				100 * sorted[rounds / 2], 100 * sorted[0], 100 * sorted[rounds - 1], rounds);
	}

}
