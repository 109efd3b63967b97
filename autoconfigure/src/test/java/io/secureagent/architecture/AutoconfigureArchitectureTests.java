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

import java.time.Duration;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules of the Spring Boot module: beans come from auto-configurations, never from
 * component scanning, and no code reaches into java-spiffe's internals.
 *
 * @author secure-agent authors
 */
class AutoconfigureArchitectureTests {

	private static final JavaClasses LIBRARY = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
		.importPackages("io.secureagent");

	@Test
	void importWhenRunThenSeesTheProductionClasses() {
		assertThat(LIBRARY.size()).isGreaterThan(40);
	}

	@Test
	void libraryWhenImportedThenNoComponentScanning() {
		noClasses().should().beAnnotatedWith(Component.class).check(LIBRARY);
		noClasses().should().beAnnotatedWith(ComponentScan.class).check(LIBRARY);
	}

	@Test
	void libraryWhenImportedThenNoJavaSpiffeInternals() {
		noClasses().should().dependOnClassesThat().resideInAPackage("io.spiffe.internal..").check(LIBRARY);
	}

	@Test
	void libraryWhenImportedThenNoBlockingOnReactor() {
		noClasses().should()
			.callMethod(Mono.class, "block")
			.orShould()
			.callMethod(Mono.class, "block", Duration.class)
			.check(LIBRARY);
	}

}
