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
package io.secureagent.trace.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.secureagent.trace.TraceReplayer;
import io.secureagent.trace.TraceVerifier;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.exception.X509BundleException;
import io.spiffe.spiffeid.TrustDomain;

/**
 * The decision log tool:
 * {@code java -jar secure-agent-trace.jar trace verify|replay --bundle DOMAIN=PEM… FILE…}.
 * It exits 0 when every file verifies (and, for {@code replay}, every re-derived decision
 * is the same), 1 on a broken chain, naming the first bad line, or on a diverging
 * decision, and 2 on wrong usage.
 *
 * @author secure-agent authors
 */
public final class TraceCommand {

	static final String USAGE = """
			usage: trace verify --bundle DOMAIN=PEM [--bundle DOMAIN=PEM]... [--agent SPIFFE-ID] [--after HEAD] FILE...
			       trace replay --bundle DOMAIN=PEM [--bundle DOMAIN=PEM]... [--agent SPIFFE-ID] [--after HEAD] FILE...
			  verify  checks each file's hash chain and signed checkpoints; files of one log in order
			  replay  verifies, then re-derives every recorded decision offline
			  FILE     the files of one log, oldest first (their names sort in that order)
			  --agent  exit 1 unless the log is this agent's
			  --after  the head (as verify printed it) of the file before the first one given,
			           when that file is gone
			  --bundle the trust bundle (PEM CA certificates) of a trust domain the agent's SVIDs
			           and its senders' chain to""";

	private TraceCommand() {
	}

	public static void main(String[] args) {
		System.exit(run(args, System.out, System.err));
	}

	/**
	 * Run the tool.
	 * @param args the arguments
	 * @param out where results go
	 * @param err where errors go
	 * @return the exit code
	 */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		List<String> rest = new ArrayList<>(List.of(args));
		if (rest.size() < 2 || !rest.get(0).equals("trace")
				|| !(rest.get(1).equals("verify") || rest.get(1).equals("replay"))) {
			err.println(USAGE);
			return 2;
		}
		String command = rest.get(1);
		List<X509Bundle> bundles = new ArrayList<>();
		List<Path> files = new ArrayList<>();
		String agent = null;
		String after = null;
		try {
			for (int i = 2; i < rest.size(); i++) {
				if (rest.get(i).equals("--agent") && i + 1 < rest.size()) {
					agent = rest.get(++i);
				}
				else if (rest.get(i).equals("--after") && i + 1 < rest.size()) {
					after = rest.get(++i);
				}
				else if (rest.get(i).equals("--bundle") && i + 1 < rest.size()) {
					String spec = rest.get(++i);
					int equals = spec.indexOf('=');
					if (equals < 1) {
						err.println("--bundle takes DOMAIN=PEM");
						return 2;
					}
					bundles.add(X509Bundle.load(TrustDomain.parse(spec.substring(0, equals)),
							Path.of(spec.substring(equals + 1))));
				}
				else {
					files.add(Path.of(rest.get(i)));
				}
			}
		}
		catch (X509BundleException | IllegalArgumentException ex) {
			err.println("cannot read a trust bundle: " + ex.getMessage());
			return 2;
		}
		if (bundles.isEmpty() || files.isEmpty()) {
			err.println(USAGE);
			return 2;
		}
		X509BundleSet bundleSet = X509BundleSet.of(bundles);
		List<TraceVerifier.LogFile> read = new ArrayList<>();
		for (Path file : files) {
			try {
				// each file is read once: what is replayed is what was verified
				read.add(new TraceVerifier.LogFile(file.getFileName().toString(),
						Files.readAllLines(file, StandardCharsets.UTF_8)));
			}
			catch (CharacterCodingException ex) {
				out.println("BROKEN " + file.getFileName() + ": not UTF-8 text");
				return 1;
			}
			catch (IOException ex) {
				err.println("cannot read " + file + ": " + ex.getMessage());
				return 2;
			}
		}
		try {
			TraceVerifier.Report report = new TraceVerifier(bundleSet).verifyLines(read, after);
			if (!report.valid()) {
				out.println("BROKEN " + report.file() + " line " + report.firstBadLine() + ": " + report.message());
				return 1;
			}
			if (agent != null && !agent.equals(report.agent())) {
				out.println("BROKEN: the log is " + report.agent() + "'s, not " + agent + "'s");
				return 1;
			}
			out.println("VERIFIED " + files.size() + " file(s) of " + report.agent() + ", " + report.from() + " to "
					+ report.to() + ": " + report.lines() + " lines, " + report.decisions() + " decisions, "
					+ report.checkpoints() + " checkpoints; head " + report.head());
			report.notes().forEach((note) -> out.println("NOTE " + note));
			report.heads().forEach((file, head) -> out.println("HEAD " + file + " " + head));
			if (command.equals("verify")) {
				return 0;
			}
			int differing = 0;
			int underivable = 0;
			int same = 0;
			for (TraceReplayer.Result result : new TraceReplayer(bundleSet).replayFiles(read)) {
				out.println(result.file() + ":" + result.line() + " " + result.status() + " recorded "
						+ result.recorded() + ((result.replayed() != null) ? ", replayed " + result.replayed() : "")
						+ " (" + result.note() + ")");
				switch (result.status()) {
					case SAME -> same++;
					case DIFFERENT -> differing++;
					default -> underivable++;
				}
			}
			out.println(
					"REPLAYED " + same + " same, " + differing + " different, " + underivable + " not re-derivable");
			return (differing > 0) ? 1 : 0;
		}
		catch (RuntimeException ex) {
			out.println("BROKEN: the log cannot be read as a decision log (" + ex.getClass().getSimpleName() + ")");
			return 1;
		}
	}

}
