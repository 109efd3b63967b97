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

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.secureagent.canonical.JsonCanonicalizer;
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
	void canonicalFormWhenWritingNumbersThenNoBigIntegerArithmetic() {
		// the canonical form is computed over numbers a sender chose, before the
		// signature is checked: a formatter that falls back to big integers (erdtman's
		// port of dtoa did) spent forty times the usual on numbers such as
		// 1.0391878765383491e-267; the powers of ten are made once, as the class loads
		noClasses().that()
			.resideInAPackage("io.secureagent.canonical..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.erdtman..")
			.check(CORE);
		JavaClass numbers = CORE.get("io.secureagent.canonical.EcmaNumbers");
		assertThat(bigIntegerAccesses(numbers.getStaticInitializer().orElseThrow().getAccessesFromSelf()))
			.as("the table of powers of ten is made with BigInteger, which this check sees")
			.isNotEmpty();
		assertThat(numbers.getMethods()).isNotEmpty();
		assertThat(bigIntegerAccesses(numbers.getMethods()
			.stream()
			.flatMap((method) -> method.getAccessesFromSelf().stream())
			.collect(Collectors.toSet()))).isEmpty();
		noClasses().that()
			.haveFullyQualifiedName(JsonCanonicalizer.class.getName())
			.should()
			.dependOnClassesThat()
			.belongToAnyOf(BigInteger.class, BigDecimal.class)
			.check(CORE);
	}

	private static List<String> bigIntegerAccesses(Set<? extends JavaAccess<?>> accesses) {
		return accesses.stream()
			.filter((access) -> access.getTargetOwner().isAssignableTo(BigInteger.class))
			.map(JavaAccess::getDescription)
			.toList();
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
