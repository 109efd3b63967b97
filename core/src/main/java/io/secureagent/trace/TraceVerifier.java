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
package io.secureagent.trace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.MalformedJsonException;
import io.secureagent.identity.ChainValidationException;
import io.secureagent.identity.SvidChainValidator;
import io.secureagent.identity.ValidatedSender;
import io.spiffe.bundle.BundleSource;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.spiffeid.SpiffeId;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a decision log: every line canonical, numbered in order and chained to the one
 * before; every checkpoint signed, over the chain up to it, by an SVID of the log's agent
 * that chains to the trust bundles given; and the file ending in a checkpoint. It names
 * the first line that fails.
 *
 * @author secure-agent authors
 */
public final class TraceVerifier {

	private final SvidChainValidator chains;

	/**
	 * Create a verifier.
	 * @param bundles the trust bundles the agent's SVIDs chain to
	 */
	public TraceVerifier(BundleSource<X509Bundle> bundles) {
		this.chains = new SvidChainValidator(Objects.requireNonNull(bundles, "bundles cannot be null"), 16);
	}

	/**
	 * Verify the files of one log, in order: each one after the first must continue the
	 * chain where the one before it ended.
	 * @param files the files
	 * @return the report, of the first file that fails or else of the last
	 * @throws IOException if a file cannot be read
	 */
	public Report verify(List<Path> files) throws IOException {
		String continues = null;
		Report report = null;
		for (Path file : files) {
			report = verify(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8), continues);
			if (!report.valid()) {
				return report;
			}
			continues = report.head();
		}
		if (report == null) {
			throw new IllegalArgumentException("no file to verify");
		}
		return report;
	}

	/**
	 * Verify one file's lines.
	 * @param name the file's name, for the report
	 * @param lines its lines
	 * @param continues the head of the file it continues, or {@code null} for a log's
	 * first file
	 * @return the report
	 */
	public Report verify(String name, List<String> lines, @Nullable String continues) {
		String head = (continues != null) ? continues : TraceLines.GENESIS;
		SpiffeId agent = null;
		int checkpoints = 0;
		int anchored = 0;
		int decisions = 0;
		for (int i = 0; i < lines.size(); i++) {
			int number = i + 1;
			String line = lines.get(i);
			JsonObject object;
			try {
				object = TraceLines.parse(line);
			}
			catch (MalformedJsonException | IllegalArgumentException ex) {
				return Report.broken(name, number, "line " + number + " is not a JSON object: " + ex.getMessage());
			}
			if (!TraceLines.line(object).equals(line)) {
				return Report.broken(name, number, "line " + number + " is not in canonical form: it was rewritten");
			}
			if (!(object.get("n") instanceof JsonNumber n) || n.value() != number) {
				return Report.broken(name, number, "line " + number + " is numbered out of order");
			}
			if (!(object.get("prev") instanceof JsonString prev) || !prev.value().equals(head)) {
				return Report.broken(name, number, "line " + number
						+ " does not follow the line before it: a line was changed, removed or moved before it");
			}
			String kind = (object.get("kind") instanceof JsonString value) ? value.value() : "";
			if ((number == 1) != kind.equals(TraceLines.START)) {
				return Report.broken(name, number, "a log file starts with its start line, and only there");
			}
			switch (kind) {
				case TraceLines.START -> {
					try {
						agent = SpiffeId.parse(((JsonString) object.get("agent")).value());
					}
					catch (RuntimeException ex) {
						return Report.broken(name, number, "the start line names no agent");
					}
					String declared = (object.get("continues") instanceof JsonString value) ? value.value() : null;
					if (!Objects.equals(declared, continues)) {
						return Report.broken(name, number,
								(continues == null) ? "this file continues another log file: verify it after that file"
										: "this file does not continue the file before it");
					}
				}
				case TraceLines.DECISION -> decisions++;
				case TraceLines.CHECKPOINT -> {
					String problem = checkpoint(object, agent);
					if (problem != null) {
						return Report.broken(name, number, "checkpoint at line " + number + " " + problem);
					}
					checkpoints++;
					anchored = number;
				}
				default -> {
					return Report.broken(name, number, "line " + number + " is of no known kind");
				}
			}
			head = TraceLines.hash(line);
		}
		if (lines.isEmpty()) {
			return Report.broken(name, 1, "the file is empty");
		}
		if (anchored < lines.size()) {
			return Report.broken(name, anchored + 1, "lines " + (anchored + 1) + " to " + lines.size()
					+ " follow the last checkpoint and are not anchored: the file was cut off, or the agent stopped without writing its final checkpoint");
		}
		return new Report(name, true, lines.size(), decisions, checkpoints, 0, "verified", head,
				Objects.requireNonNull(agent).toString());
	}

	private @Nullable String checkpoint(JsonObject object, @Nullable SpiffeId agent) {
		if (agent == null) {
			return "precedes the start line";
		}
		if (!(object.get("signature") instanceof JsonString signature) || !(object.get("x5c") instanceof JsonArray x5c)
				|| !(object.get("alg") instanceof JsonString alg) || !(object.get("time") instanceof JsonNumber time)) {
			return "is incomplete";
		}
		List<byte[]> chain = new ArrayList<>();
		try {
			for (JsonValue certificate : x5c.elements()) {
				chain.add(Base64.getDecoder().decode(((JsonString) certificate).value()));
			}
			ValidatedSender signer = this.chains.validate(chain, agent, Instant.ofEpochMilli((long) time.value()));
			if (!signer.verifier().algorithm().jwaName().equals(alg.value())) {
				return "names another algorithm than its key's";
			}
			byte[] signed = TraceLines.line(object.without("signature")).getBytes(StandardCharsets.UTF_8);
			if (!signer.verifier().verify(signed, TraceLines.fromBase64url(signature.value()))) {
				return "has a signature that does not verify: the lines before it were rewritten";
			}
			return null;
		}
		catch (ChainValidationException ex) {
			return "is not signed by an SVID of " + agent + " that chains to the trust bundles given";
		}
		catch (IllegalArgumentException | ClassCastException ex) {
			return "is malformed";
		}
	}

	/**
	 * The outcome of verifying a log file.
	 *
	 * @param file the file's name
	 * @param valid whether it verified
	 * @param lines its number of lines
	 * @param decisions the decisions in it
	 * @param checkpoints the checkpoints in it
	 * @param firstBadLine the first line that failed, or 0
	 * @param message what was found
	 * @param head the hash of its last line, which a file that continues it starts from
	 * @param agent the agent whose log it is
	 */
	public record Report(String file, boolean valid, int lines, int decisions, int checkpoints, int firstBadLine,
			String message, @Nullable String head, @Nullable String agent) {

		static Report broken(String file, int line, String message) {
			return new Report(file, false, 0, 0, 0, line, message, null, null);
		}

	}

}
