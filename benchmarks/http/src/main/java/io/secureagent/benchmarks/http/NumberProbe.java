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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.envelope.EnvelopeSigner;
import io.spiffe.spiffeid.SpiffeId;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What a forged envelope full of numbers costs the {@link LoadServer}'s signed agent: the
 * envelope is signed by an agent of the same CA, then one character of its payload is
 * changed, so that the server parses it, writes its canonical form and refuses it
 * ({@code 401 bad-signature}), as it would for anyone who copied a peer's certificate
 * chain. Each kind is sent a bounded number of times, one after another, over loopback,
 * twice (the first pass warms the server up); the server's CPU time per request comes
 * from {@code /proc/<pid>/stat}.
 * <p>
 * {@code small} carries no numbers; {@code hostile} 40,000 copies of
 * {@code 1.0391878765383491e-267}, a normal double that big-integer number formatters
 * take some forty times a typical double's time to write; {@code short} 162,000 one-digit
 * decimals.
 *
 * @author secure-agent authors
 */
public final class NumberProbe {

	private static final Pattern CODE = Pattern.compile("\"code\":\"([^\"]*)\"");

	/** The clock ticks of {@code /proc/<pid>/stat}, a hundred a second on Linux. */
	private static final int TICKS_PER_SECOND = 100;

	private NumberProbe() {
	}

	/**
	 * Run the probe.
	 * @param args the development CA's directory, the signed agent's port, the server's
	 * pid, and the number of requests of each kind per pass
	 * @throws Exception if the probe cannot run
	 */
	public static void main(String[] args) throws Exception {
		Path ca = Path.of(args[0]);
		int port = Integer.parseInt(args[1]);
		long pid = Long.parseLong(args[2]);
		int requests = Integer.parseInt(args[3]);
		ConfigurableApplicationContext prober = new SpringApplicationBuilder(LoadGenerator.LoadgenApplication.class)
			.properties("server.address=127.0.0.1", "server.port=0", "spring.main.banner-mode=off",
					"logging.level.root=WARN", "spring.application.name=prober",
					"secure-agent.identity.dev.ca-directory=" + ca, "secure-agent.capabilities.negotiate=false")
			.run();
		try {
			EnvelopeSigner signer = prober.getBean(EnvelopeSigner.class);
			SpiffeId agent = SpiffeId.parse("spiffe://example.org/bench-agent");
			HttpClient http = HttpClient.newHttpClient();
			URI endpoint = URI.create("http://127.0.0.1:" + port + "/secure-agent/messages");
			for (int pass = 1; pass <= 2; pass++) {
				for (String kind : List.of("small", "hostile", "short")) {
					byte[] forged = forged(signer, agent, kind);
					long cpuBefore = cpuTicks(pid);
					String outcome = "";
					for (int i = 0; i < requests; i++) {
						HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
							.header("Content-Type", "application/secure-agent+json")
							.POST(HttpRequest.BodyPublishers.ofByteArray(forged))
							.build(), HttpResponse.BodyHandlers.ofString());
						Matcher code = CODE.matcher(response.body());
						outcome = response.statusCode() + " " + (code.find() ? code.group(1) : "");
					}
					double cpuMillis = (cpuTicks(pid) - cpuBefore) * 1000.0 / TICKS_PER_SECOND / requests;
					System.out.printf("pass %d %-8s %,9d bytes  %s  server CPU %.1f ms per request%n", pass, kind,
							forged.length, outcome, cpuMillis);
				}
			}
		}
		finally {
			prober.close();
		}
	}

	private static byte[] forged(EnvelopeSigner signer, SpiffeId agent, String kind) throws Exception {
		int arrays = switch (kind) {
			case "hostile" -> 5;
			case "short" -> 18;
			default -> 0;
		};
		int perArray = kind.equals("short") ? 9_000 : 8_000;
		List<JsonValue> lists = new ArrayList<>();
		for (int j = 0; j < arrays; j++) {
			List<JsonValue> numbers = new ArrayList<>();
			for (int i = 0; i < perArray; i++) {
				numbers.add(new JsonNumber(kind.equals("hostile") ? 1.0391878765383491E-267 : (1 + i % 9) / 10.0));
			}
			lists.add(new JsonArray(numbers));
		}
		JsonObject payload = new JsonObject(
				Map.of("text", new JsonString("count these words"), "n", new JsonArray(lists)));
		byte[] envelope = signer.sign("bench.count", agent, null, payload).bytes();
		int at = new String(envelope, StandardCharsets.UTF_8).indexOf("count these words");
		envelope[at] = 'C';
		return envelope;
	}

	private static long cpuTicks(long pid) throws Exception {
		String[] fields = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
		// utime and stime, the 14th and 15th fields of the whole line
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

}
