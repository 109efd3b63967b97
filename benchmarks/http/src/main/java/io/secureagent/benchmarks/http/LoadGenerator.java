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
package io.secureagent.benchmarks.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.client.SecureAgentClient;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.session.Session;
import io.secureagent.session.SessionManager;
import io.spiffe.spiffeid.SpiffeId;
import io.netty.buffer.Unpooled;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The client side of the load benchmark. For each round it runs the set-ups interleaved
 * (plain, signed, encrypted, then again), each with messages made just before its turn:
 * every signed or encrypted message is unique and fresh, so the server does its whole
 * work (verification, replay reservation, typed binding, the signed answer). For each it
 * measures the throughput at saturation (a closed loop of {@code concurrency} requests),
 * the server's CPU time per request (from {@code /proc/<pid>/stat}), its resident memory,
 * and the latency at a fixed moderate rate (an open loop), and counts every answer that
 * is not a 200: a run full of refusals is no measurement. Loopback only; every loop is
 * bounded by a time and a count.
 *
 * @author secure-agent authors
 */
public final class LoadGenerator {

	private static final Pattern PROBLEM_CODE = Pattern.compile("\"code\":\"([a-z0-9-]+)\"");

	/**
	 * The problem code of the latest refusal of each set-up, shown with the first few.
	 */
	private static final Map<Mode, String> REFUSALS = new ConcurrentHashMap<>();

	private static final SpiffeId AGENT = SpiffeId.parse("spiffe://example.org/bench-agent");

	private static final SpiffeId AGENT_EDDSA = SpiffeId.parse("spiffe://example.org/bench-agent-eddsa");

	enum Mode {

		PLAIN, SIGNED, SIGNED_EDDSA, ENCRYPTED, CLIENT

	}

	private final long pid;

	private final HttpClient plain;

	private final HttpClient agent;

	private final HttpClient agentEddsa;

	private final ConfigurableApplicationContext loadgen;

	private final ConfigurableApplicationContext loadgenEddsa;

	private final String text;

	private LoadGenerator(long pid, int plainPort, int agentPort, int eddsaPort, Path ca, int concurrency,
			int payloadBytes) {
		this.pid = pid;
		ConnectionProvider connections = ConnectionProvider.builder("load").maxConnections(concurrency * 2).build();
		this.plain = HttpClient.create(connections)
			.baseUrl("http://127.0.0.1:" + plainPort)
			.headers((headers) -> headers.set("Content-Type", "application/json"));
		this.agent = HttpClient.create(connections)
			.baseUrl("http://127.0.0.1:" + agentPort)
			.headers((headers) -> headers.set("Content-Type", "application/secure-agent+json"));
		this.agentEddsa = HttpClient.create(connections)
			.baseUrl("http://127.0.0.1:" + eddsaPort)
			.headers((headers) -> headers.set("Content-Type", "application/secure-agent+json"));
		this.loadgenEddsa = new SpringApplicationBuilder(LoadgenApplication.class)
			.properties("server.address=127.0.0.1", "server.port=0", "spring.main.banner-mode=off",
					"logging.level.root=WARN", "spring.application.name=loadgen-eddsa",
					"secure-agent.identity.dev.ca-directory=" + ca, "secure-agent.identity.dev.key-type=ed25519",
					"secure-agent.capabilities.negotiate=false")
			.run();
		this.loadgen = new SpringApplicationBuilder(LoadgenApplication.class)
			.properties("server.address=127.0.0.1", "server.port=0", "spring.main.banner-mode=off",
					"logging.level.root=WARN", "spring.application.name=loadgen",
					"secure-agent.identity.dev.ca-directory=" + ca, "secure-agent.capabilities.negotiate=false",
					"secure-agent.peers.bench.spiffe-id=" + AGENT,
					"secure-agent.peers.bench.url=http://127.0.0.1:" + agentPort + "/secure-agent/messages")
			.run();
		StringBuilder words = new StringBuilder();
		while (words.length() < payloadBytes) {
			words.append("agents sign what they say ");
		}
		this.text = words.substring(0, payloadBytes);
	}

	/**
	 * Run the benchmark.
	 * @param args the server's pid, the plain port, the agent's port, the EdDSA agent's
	 * port, the development CA's directory, then
	 * {@code rounds seconds concurrency rate payloadBytes warmup}
	 * @throws Exception if the benchmark cannot run
	 */
	public static void main(String[] args) throws Exception {
		long pid = Long.parseLong(args[0]);
		int rounds = Integer.parseInt(args[5]);
		int seconds = Integer.parseInt(args[6]);
		int concurrency = Integer.parseInt(args[7]);
		int rate = Integer.parseInt(args[8]);
		int payload = Integer.parseInt(args[9]);
		int warmup = Integer.parseInt(args[10]);
		LoadGenerator generator = new LoadGenerator(pid, Integer.parseInt(args[1]), Integer.parseInt(args[2]),
				Integer.parseInt(args[3]), Path.of(args[4]), concurrency, payload);
		try {
			generator.run(rounds, seconds, concurrency, rate, warmup);
		}
		finally {
			generator.loadgen.close();
			generator.loadgenEddsa.close();
		}
	}

	private void run(int rounds, int seconds, int concurrency, int rate, int warmup) throws Exception {
		System.out.printf(Locale.ROOT, "warm-up: %d s per set-up%n", warmup);
		// -Dmodes=plain,signed runs only those (to profile one set-up, say); plain is the
		// baseline of the ratios
		List<Mode> modes = Arrays
			.stream(System.getProperty("modes", "plain,signed,signed_eddsa,encrypted,client").split(","))
			.map((name) -> Mode.valueOf(name.strip().toUpperCase(Locale.ROOT)))
			.toList();
		for (Mode mode : modes) {
			saturate(mode, warmup, concurrency);
			if (mode != Mode.CLIENT) {
				fixedRate(mode, rate, 3);
			}
		}
		Map<Mode, List<Result>> results = new EnumMap<>(Mode.class);
		for (int round = 1; round <= rounds; round++) {
			for (Mode mode : modes) {
				Result result = saturate(mode, seconds, (mode == Mode.CLIENT) ? 16 : concurrency);
				if (mode != Mode.CLIENT) {
					result = result.withLatency(fixedRate(mode, rate, Math.max(3, seconds / 2)));
				}
				results.computeIfAbsent(mode, (key) -> new ArrayList<>()).add(result);
				System.out.printf(Locale.ROOT, "round %d %-9s %s%n", round, mode.name().toLowerCase(Locale.ROOT),
						result);
			}
		}
		report(results, rate, concurrency);
	}

	private Result saturate(Mode mode, int seconds, int concurrency) throws Exception {
		if (mode == Mode.CLIENT) {
			return throughClient(seconds, concurrency);
		}
		// enough unique messages for the round at 4,000 signed or encrypted requests a
		// second (a round that uses them up ends early, and its rate is still right)
		byte[][] bodies = bodies(mode, ((mode == Mode.PLAIN) ? 40_000 : 4_000) * seconds);
		long cpuBefore = cpuTicks();
		AtomicInteger ok = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		long start = System.nanoTime();
		long deadline = start + Duration.ofSeconds(seconds).toNanos();
		// no request starts after the deadline; those in flight are answered
		Flux.range(0, bodies.length)
			.takeWhile((i) -> System.nanoTime() < deadline)
			.flatMap((i) -> post(mode, bodies[i]).doOnNext((status) -> count(mode, status, ok, failed)), concurrency)
			.blockLast(Duration.ofSeconds(seconds + 30L));
		double elapsed = (System.nanoTime() - start) / 1e9;
		long cpu = cpuTicks() - cpuBefore;
		return new Result(ok.get() / elapsed, cpuMillis(cpu) / Math.max(1, ok.get()), rssMegabytes(), failed.get(),
				Double.NaN, Double.NaN);
	}

	private Result throughClient(int seconds, int concurrency) throws Exception {
		SecureAgentClient client = this.loadgen.getBean(SecureAgentClient.class);
		long cpuBefore = cpuTicks();
		AtomicInteger ok = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		long start = System.nanoTime();
		long deadline = start + Duration.ofSeconds(seconds).toNanos();
		Flux.range(0, 8_000 * seconds)
			.takeWhile((i) -> System.nanoTime() < deadline)
			.flatMap((i) -> client.send("bench", new Bench.CountRequest(this.text), Bench.CountResult.class)
				.doOnNext((result) -> ok.incrementAndGet())
				.onErrorResume((ex) -> {
					if (failed.incrementAndGet() <= 3) {
						System.out.println("  client failure: " + ex);
					}
					return Mono.empty();
				}), concurrency)
			.blockLast(Duration.ofSeconds(seconds + 30L));
		double elapsed = (System.nanoTime() - start) / 1e9;
		long cpu = cpuTicks() - cpuBefore;
		return new Result(ok.get() / elapsed, cpuMillis(cpu) / Math.max(1, ok.get()), rssMegabytes(), failed.get(),
				Double.NaN, Double.NaN);
	}

	private double[] fixedRate(Mode mode, int rate, int seconds) throws Exception {
		int count = rate * seconds;
		byte[][] bodies = bodies(mode, count);
		long period = 1_000_000_000L / rate;
		ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
		AtomicInteger ok = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		long start = System.nanoTime();
		Flux.interval(Duration.ofNanos(period)).take(count).onBackpressureBuffer().flatMap((tick) -> {
			long scheduled = start + (tick + 1) * period;
			return post(mode, bodies[tick.intValue()]).doOnNext((status) -> {
				if (status == 200) {
					latencies.add(System.nanoTime() - scheduled);
				}
				count(mode, status, ok, failed);
			});
		}, 4096).blockLast(Duration.ofSeconds(seconds + 30L));
		long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
		if (sorted.length == 0) {
			return new double[] { Double.NaN, Double.NaN, failed.get() };
		}
		return new double[] { sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6,
				failed.get() };
	}

	/** Count an answer; show the status of the first few that are not 200. */
	private static void count(Mode mode, int status, AtomicInteger ok, AtomicInteger failed) {
		if (status == 200) {
			ok.incrementAndGet();
		}
		else if (failed.incrementAndGet() <= 3) {
			System.out.println("  " + mode.name().toLowerCase(Locale.ROOT) + " answered " + status + " ("
					+ REFUSALS.getOrDefault(mode, "no answer") + ")");
		}
	}

	private Mono<Integer> post(Mode mode, byte[] body) {
		HttpClient client = switch (mode) {
			case PLAIN -> this.plain;
			case SIGNED_EDDSA -> this.agentEddsa;
			default -> this.agent;
		};
		String uri = (mode == Mode.PLAIN) ? "/plain/count" : "/secure-agent/messages";
		return client.post()
			.uri(uri)
			.send(Mono.just(Unpooled.wrappedBuffer(body)))
			.responseSingle((response, content) -> content.asByteArray().defaultIfEmpty(new byte[0]).map((bytes) -> {
				int status = response.status().code();
				if (status != 200) {
					Matcher code = PROBLEM_CODE.matcher(new String(bytes, StandardCharsets.UTF_8));
					REFUSALS.put(mode, code.find() ? code.group(1) : "no problem code");
				}
				return status;
			}))
			.onErrorReturn(-1);
	}

	private byte[][] bodies(Mode mode, int count) throws Exception {
		if (mode == Mode.PLAIN) {
			byte[] json = ("{\"text\":\"" + this.text + "\"}").getBytes(StandardCharsets.UTF_8);
			byte[][] bodies = new byte[count][];
			Arrays.fill(bodies, json);
			return bodies;
		}
		JsonValue payload = new JsonObject(Map.of("text", new JsonString(this.text)));
		if (mode == Mode.SIGNED || mode == Mode.SIGNED_EDDSA) {
			boolean eddsa = mode == Mode.SIGNED_EDDSA;
			EnvelopeSigner signer = (eddsa ? this.loadgenEddsa : this.loadgen).getBean(EnvelopeSigner.class);
			SpiffeId recipient = eddsa ? AGENT_EDDSA : AGENT;
			return IntStream.range(0, count).parallel().mapToObj((i) -> {
				try {
					return signer.sign("bench.count", recipient, null, payload).bytes();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}).toArray(byte[][]::new);
		}
		SessionManager sessions = this.loadgen.getBean(SessionManager.class);
		Session session = sessions.sessionWith(AGENT).orElse(null);
		if (session == null) {
			// the handshake, by the client
			this.loadgen.getBean(SecureAgentClient.class)
				.send("bench", new Bench.CountRequest("hello"), Bench.CountResult.class)
				.block(Duration.ofSeconds(30));
			session = sessions.sessionWith(AGENT).orElseThrow();
		}
		byte[][] bodies = new byte[count][];
		for (int i = 0; i < count; i++) {
			// in sequence order: the receiver's window takes what arrives a little out of
			// order, never what is far behind
			bodies[i] = sessions.seal(session, "bench.count", null, payload).bytes();
		}
		return bodies;
	}

	private long cpuTicks() throws IOException {
		String stat = Files.readString(Path.of("/proc", Long.toString(this.pid), "stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		// utime and stime, fields 14 and 15 of proc(5), counted from the state (field 3)
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	private static double cpuMillis(long ticks) {
		// USER_HZ is 100 on Linux
		return ticks * 10.0;
	}

	private double rssMegabytes() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(this.pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
			}
		}
		return Double.NaN;
	}

	private void report(Map<Mode, List<Result>> results, int rate, int concurrency) {
		Result plain = results.containsKey(Mode.PLAIN) ? median(results.get(Mode.PLAIN))
				: new Result(Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN);
		System.out.println();
		System.out.printf(Locale.ROOT,
				"| set-up | throughput at saturation, req/s (min-max) | vs plain | server CPU per request, ms (min-max) | vs plain | p50 at %d req/s, ms | p99, ms | RSS, MB | non-200 |%n",
				rate);
		System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (Mode mode : results.keySet()) {
			List<Result> all = results.get(mode);
			Result median = median(all);
			System.out.printf(Locale.ROOT,
					"| %s | %.0f (%.0f-%.0f) | %.3fx | %.3f (%.3f-%.3f) | %.1fx | %s | %s | %.0f | %d |%n",
					label(mode, concurrency), median.throughput(), min(all, Result::throughput),
					max(all, Result::throughput), median.throughput() / plain.throughput(), median.cpuPerRequest(),
					min(all, Result::cpuPerRequest), max(all, Result::cpuPerRequest),
					median.cpuPerRequest() / plain.cpuPerRequest(), millis(median.p50()), millis(median.p99()),
					median.rss(), all.stream().mapToInt(Result::failed).sum());
		}
	}

	/**
	 * A latency, or a dash where none was measured (the client mode has no fixed rate).
	 */
	static String millis(double value) {
		return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
	}

	private static String label(Mode mode, int concurrency) {
		return switch (mode) {
			case PLAIN -> "(a) plain WebFlux, c=" + concurrency;
			case SIGNED -> "(b) signed, ES256, c=" + concurrency;
			case SIGNED_EDDSA -> "(b') signed, EdDSA, c=" + concurrency;
			case ENCRYPTED -> "(c) encrypted, c=" + concurrency;
			case CLIENT -> "SecureAgentClient, encrypted, c=16";
		};
	}

	private static Result median(List<Result> results) {
		return new Result(medianOf(results, Result::throughput), medianOf(results, Result::cpuPerRequest),
				medianOf(results, Result::rss), 0, medianOf(results, Result::p50), medianOf(results, Result::p99));
	}

	private static double medianOf(List<Result> results, ToDoubleFunction<Result> value) {
		double[] values = results.stream().mapToDouble(value).sorted().toArray();
		return values[values.length / 2];
	}

	private static double min(List<Result> results, ToDoubleFunction<Result> value) {
		return results.stream().mapToDouble(value).min().orElse(Double.NaN);
	}

	private static double max(List<Result> results, ToDoubleFunction<Result> value) {
		return results.stream().mapToDouble(value).max().orElse(Double.NaN);
	}

	record Result(double throughput, double cpuPerRequest, double rss, int failed, double p50, double p99) {

		Result withLatency(double[] latency) {
			return new Result(this.throughput, this.cpuPerRequest, this.rss, this.failed + (int) latency[2], latency[0],
					latency[1]);
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"%.0f req/s, %.3f ms CPU/req, RSS %.0f MB, non-200 %d, p50 %s ms, p99 %s ms", this.throughput,
					this.cpuPerRequest, this.rss, this.failed, millis(this.p50), millis(this.p99));
		}

	}

	/**
	 * The load generator's own agent, whose identity signs the messages.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class LoadgenApplication {

	}

}
