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
package io.secureagent.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules of the core module: the protocol stands without Spring, and uses only
 * java-spiffe's public API.
 *
 * @author secure-agent authors
 */
class CoreArchitectureTests {

	private static final JavaClasses CORE = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.secureagent");

	@Test
	void importWhenRunThenSeesTheProductionClasses() {
		assertThat(CORE.size()).isGreaterThan(40);
	}

	@Test
	void coreWhenImportedThenNoSpring() {
		noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(CORE);
	}

	@Test
	void coreWhenImportedThenNoJavaSpiffeInternals() {
		noClasses().should().dependOnClassesThat().resideInAPackage("io.spiffe.internal..").check(CORE);
	}

	@Test
	void canonicalJsonWhenImportedThenDependsOnNothingOfTheProtocol() {
		noClasses().that()
			.resideInAPackage("io.secureagent.canonical..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.secureagent.envelope..", "io.secureagent.verification..",
					"io.secureagent.session..", "io.secureagent.identity..", "io.secureagent.replay..")
			.check(CORE);
	}

	@Test
	void packagesWhenImportedThenFreeOfCycles() {
		// envelope does not know sessions, session does not know the pipeline: the
		// session checks live in verification, beside the other checks
		slices().matching("io.secureagent.(*)..").should().beFreeOfCycles().check(CORE);
	}

	@Test
	void cryptoWhenImportedThenDependsOnNoHigherLayer() {
		noClasses().that()
			.resideInAPackage("io.secureagent.crypto..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.secureagent.envelope..", "io.secureagent.verification..",
					"io.secureagent.session..", "io.secureagent.identity..")
			.check(CORE);
	}

}
