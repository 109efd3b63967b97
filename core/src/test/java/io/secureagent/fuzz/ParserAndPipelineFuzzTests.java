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
package io.secureagent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.MalformedJsonException;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.testsupport.TestPki;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzz tests (Jazzer). Under {@code mvn test} they replay their seed
 * corpus (under
 * {@code src/test/resources/io/secureagent/fuzz/ParserAndPipelineFuzzTestsInputs}); with
 * {@code JAZZER_FUZZ=1} they fuzz for real. Properties: the strict parser either produces
 * a tree or reports malformed input, never another exception; its canonical form parses
 * back to the same tree and is a fixed point; the whole pipeline answers every input with
 * a verdict, and no unsigned input is ever accepted.
 *
 * @author secure-agent authors
 */
class ParserAndPipelineFuzzTests {

	private static final StrictJsonParser PARSER = new StrictJsonParser(new JsonLimits(64 * 1024, 16, 4096, 256));

	private static final TestPki PKI = new TestPki();

	private static final StaticIdentity EXECUTOR = PKI.identity(TestPki.EXECUTOR, KeyType.EC_P256);

	private static final VerificationPipeline PIPELINE = VerificationPipeline.standard(EXECUTOR,
			new InMemoryReplayStore(10_000, PKI.clock), VerificationPolicy.DEFAULT, PKI.clock);

	@FuzzTest(maxDuration = "30s")
	void parseWhenAnyBytesThenTreeWithStableCanonicalFormOrMalformed(byte[] input) throws Exception {
		JsonValue tree;
		try {
			tree = PARSER.parse(input);
		}
		catch (MalformedJsonException ex) {
			return;
		}
		byte[] canonical = JsonCanonicalizer.canonicalize(tree);
		JsonValue reparsed = PARSER.parse(canonical);
		assertThat(reparsed).isEqualTo(tree);
		assertThat(JsonCanonicalizer.canonicalize(reparsed)).isEqualTo(canonical);
	}

	@FuzzTest(maxDuration = "30s")
	void verifyWhenAnyBytesThenRejectedWithAReason(byte[] input) {
		Verdict verdict = PIPELINE.verify(input);
		assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
		assertThat(((Verdict.Rejected) verdict).reason()).isNotNull();
	}

}
