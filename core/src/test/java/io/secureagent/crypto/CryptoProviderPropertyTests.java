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
package io.secureagent.crypto;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@value CryptoProvider#PROPERTY} in a JVM of its own, since the choice is made once per
 * JVM: a setting that cannot be met refuses every key, every time, and nothing falls
 * back.
 *
 * @author secure-agent authors
 */
class CryptoProviderPropertyTests {

	@Test
	void activeWhenThePropertyNamesNoProviderThenEveryKeyIsRefused() throws Exception {
		String output = probe("openssl", true);
		assertThat(output).contains(
				"active: refused: " + CryptoProvider.PROPERTY + " must be auto, aws-lc or bouncycastle, not 'openssl'");
		assertThat(output).contains("again: refused").contains("verifier: refused").doesNotContain("verifier: made");
	}

	@Test
	void activeWhenAwsLcIsRequiredButNotOnTheClassPathThenEveryKeyIsRefused() throws Exception {
		String output = probe("aws-lc", false);
		assertThat(output).contains("active: refused: " + CryptoProvider.PROPERTY + "=aws-lc but it cannot be used")
			.contains("not on the class path");
		assertThat(output).contains("verifier: refused").doesNotContain("verifier: made");
	}

	@Test
	void activeWhenBouncyCastleIsAskedThenItIsUsedEvenWhereAwsLcIsAvailable() throws Exception {
		String output = probe("bouncycastle", true);
		assertThat(output).contains("active: bouncycastle").contains("verifier: made with bouncycastle");
	}

	private static String probe(String setting, boolean withAwsLc) throws Exception {
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		List<String> entries = List.of(classPath.split(File.pathSeparator));
		if (!withAwsLc) {
			entries = entries.stream()
				.filter((entry) -> !entry.contains("AmazonCorrettoCryptoProvider"))
				.collect(Collectors.toList());
		}
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.add("-D" + CryptoProvider.PROPERTY + "=" + setting);
		command.add("-cp");
		command.add(String.join(File.pathSeparator, entries));
		command.add(Probe.class.getName());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

	/**
	 * Asks for the active provider twice, and for a verifier, and prints what happened.
	 */
	public static final class Probe {

		public static void main(String[] args) throws Exception {
			System.out.println("active: " + attempt(() -> CryptoProvider.active().id()));
			System.out.println("again: " + attempt(() -> CryptoProvider.active().id()));
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			PublicKey key = generator.generateKeyPair().getPublic();
			System.out.println("verifier: " + attempt(() -> "made with " + KeyVerifier.of(key).provider().id()));
		}

		private static String attempt(Attempt attempt) {
			try {
				return attempt.run();
			}
			catch (IllegalStateException ex) {
				return "refused: " + ex.getMessage();
			}
			catch (Exception ex) {
				return "failed: " + ex;
			}
		}

		interface Attempt {

			String run() throws Exception;

		}

	}

}
