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

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.IdentityUnavailableException;
import io.secureagent.identity.ReloadingPemIdentity;
import io.secureagent.identity.X509SourceIdentity;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * This agent's identity: one configuration per source, chosen by
 * {@code secure-agent.identity.source}. Each backs off when the application defines its
 * own {@link AgentIdentity}.
 *
 * @author secure-agent authors
 */
final class IdentityConfigurations {

	private IdentityConfigurations() {
	}

	/**
	 * A development identity from a CA kept on this machine.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnIdentitySource(SecureAgentProperties.Source.DEV)
	static class Dev {

		@Bean
		@ConditionalOnMissingBean
		AgentIdentity secureAgentIdentity(SecureAgentProperties properties, Environment environment,
				Clock secureAgentClock) throws IOException {
			SecureAgentProperties.Dev dev = properties.identity().dev();
			TrustDomain trustDomain = ResolvedProperties.parse("secure-agent.identity.dev.trust-domain",
					dev.trustDomain(), TrustDomain::parse);
			String name = environment.getProperty("spring.application.name", "agent");
			SpiffeId spiffeId = (dev.spiffeId() != null)
					? ResolvedProperties.parse("secure-agent.identity.dev.spiffe-id", dev.spiffeId(), SpiffeId::parse)
					: trustDomain.newSpiffeId(name.replaceAll("[^A-Za-z0-9._-]", "-"));
			if (!spiffeId.memberOf(trustDomain)) {
				throw new InvalidConfigurationPropertyValueException("secure-agent.identity.dev.spiffe-id", spiffeId,
						"must be in trust domain " + trustDomain);
			}
			Path directory = (dev.caDirectory() != null) ? dev.caDirectory()
					: Path.of(System.getProperty("java.io.tmpdir"), "secure-agent-dev-ca");
			DevCertificateAuthority ca = DevCertificateAuthority.loadOrCreate(directory, trustDomain, secureAgentClock);
			LogFactory.getLog(SecureAgentAutoConfiguration.class)
				.warn("secure-agent uses a development identity, " + spiffeId + ", from the CA in " + directory
						+ ": for local runs only; set secure-agent.identity.source to workload-api or pem");
			return ca.renewingIdentity(spiffeId, dev.keyType(), X509BundleSet.of(List.of(ca.bundle())));
		}

	}

	/**
	 * An identity from PEM files, as spiffe-helper writes them, reloaded when they
	 * change.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnIdentitySource(SecureAgentProperties.Source.PEM)
	static class Pem {

		@Bean
		@ConditionalOnMissingBean
		AgentIdentity secureAgentIdentity(SecureAgentProperties properties, Clock secureAgentClock)
				throws IdentityUnavailableException {
			SecureAgentProperties.Pem pem = properties.identity().pem();
			if (pem.certificates() == null) {
				throw new InvalidConfigurationPropertyValueException("secure-agent.identity.pem.certificates", null,
						"is required when secure-agent.identity.source is pem");
			}
			if (pem.privateKey() == null) {
				throw new InvalidConfigurationPropertyValueException("secure-agent.identity.pem.private-key", null,
						"is required when secure-agent.identity.source is pem");
			}
			if (properties.trustBundles().isEmpty()) {
				throw new InvalidConfigurationPropertyValueException("secure-agent.trust-bundles", null,
						"at least one trust bundle is required when secure-agent.identity.source is pem");
			}
			Map<TrustDomain, Path> bundles = new LinkedHashMap<>();
			properties.trustBundles()
				.forEach((domain, path) -> bundles.put(
						ResolvedProperties.parse("secure-agent.trust-bundles[" + domain + "]", domain,
								TrustDomain::parse),
						ResolvedProperties.parse("secure-agent.trust-bundles[" + domain + "]", path, Path::of)));
			return new ReloadingPemIdentity(pem.certificates(), pem.privateKey(), bundles, pem.reloadInterval(),
					secureAgentClock);
		}

	}

	/**
	 * An identity from the SPIFFE Workload API, which pushes each rotation.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnIdentitySource(SecureAgentProperties.Source.WORKLOAD_API)
	static class WorkloadApi {

		@Bean
		@ConditionalOnMissingBean
		AgentIdentity secureAgentIdentity(SecureAgentProperties properties, Environment environment)
				throws IdentityUnavailableException {
			if (!ClassUtils.isPresent("io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder",
					IdentityConfigurations.class.getClassLoader())) {
				throw new InvalidConfigurationPropertyValueException("secure-agent.identity.source", "workload-api",
						"needs io.spiffe:grpc-netty-linux on the classpath (the starter brings it)");
			}
			SecureAgentProperties.WorkloadApi workloadApi = properties.identity().workloadApi();
			String socket = (workloadApi.socket() != null) ? workloadApi.socket()
					: environment.getProperty("SPIFFE_ENDPOINT_SOCKET");
			if (socket == null || socket.isBlank()) {
				throw new InvalidConfigurationPropertyValueException("secure-agent.identity.workload-api.socket", null,
						"is required when secure-agent.identity.source is workload-api and SPIFFE_ENDPOINT_SOCKET is not set");
			}
			return X509SourceIdentity.connect(socket, workloadApi.initTimeout());
		}

	}

}
