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
package io.secureagent.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The YAML that the docs show binds as they say: the snippets are kept under
 * {@code src/test/resources/docs-snippets}, and {@code docs/configuration.md} shows them
 * verbatim.
 *
 * @author secure-agent authors
 */
class PropertiesBindingTests {

	@Test
	void trustBundlesWhenKeyedByDottedTrustDomainsThenEachDomainKeepsItsName() throws Exception {
		SecureAgentProperties properties = bind("docs-snippets/pem-federation.yaml");
		assertThat(properties.trustBundles()).containsOnlyKeys("example.org", "partner.example")
			.containsEntry("example.org", "/run/spiffe/bundle.pem")
			.containsEntry("partner.example", "/run/spiffe/partner-bundle.pem");
	}

	@Test
	void docsWhenShowingASnippetThenShowItVerbatim() throws Exception {
		String page = java.nio.file.Files.readString(Path.of("..", "docs", "configuration.md"));
		String snippet = new String(
				new ClassPathResource("docs-snippets/pem-federation.yaml").getInputStream().readAllBytes(),
				java.nio.charset.StandardCharsets.UTF_8);
		assertThat(page).contains("```yaml\n" + snippet + "```");
	}

	private static SecureAgentProperties bind(String resource) throws Exception {
		List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(resource,
				new ClassPathResource(resource));
		return new Binder(ConfigurationPropertySources.from(sources)).bind("secure-agent", SecureAgentProperties.class)
			.get();
	}

}
