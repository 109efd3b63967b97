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
package io.secureagent.testsupport;

import java.util.Locale;

/**
 * Whether this build's AWS-LC must be usable here: on Linux x86-64, which the build's
 * {@code linux-x86_64} provider is for, and always in CI, so that a test needing AWS-LC
 * fails there rather than being skipped.
 *
 * @author secure-agent authors
 */
public final class AwsLcRequired {

	private AwsLcRequired() {
	}

	/**
	 * Return whether AWS-LC must be usable in this test JVM.
	 * @return whether it must
	 */
	public static boolean here() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch");
		boolean platform = os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
		return platform || "true".equals(System.getenv("CI"));
	}

}
