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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.Svid;
import io.secureagent.testsupport.RedisServer;
import io.secureagent.web.MethodSecurityOffException;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A startup that fails for a cause of secure-agent's reads as Boot's "APPLICATION FAILED
 * TO START" report: the cause in a sentence and the action, not a long stack trace.
 * Identity (files that do not load, a key that does not match its SVID, a Workload API
 * that does not answer), the Redis store (unreachable, evicting) and properties (an
 * impossible combination, a value that does not bind).
 *
 * @author secure-agent authors
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureAnalysisTests {

	@TempDir
	Path directory;

	@Test
	void startWhenPemFileIsMissingThenReportNamesTheCauseAndTheAction(CapturedOutput output) throws Exception {
		Path certificates = Files.writeString(this.directory.resolve("svid.pem"), "not a certificate");
		Path bundle = Files.writeString(this.directory.resolve("bundle.pem"), "not a bundle");
		failToStart("secure-agent.identity.source=pem", "secure-agent.identity.pem.certificates=" + certificates,
				"secure-agent.identity.pem.private-key=" + this.directory.resolve("missing.pem"),
				"secure-agent.trust-bundles.example.org=" + bundle);
		assertReport(output, "secure-agent could not load this agent's SPIFFE identity: ", "secure-agent.identity");
	}

	@Test
	void startWhenPrivateKeyIsNotTheSvidsThenReportSaysSo(CapturedOutput output) throws Exception {
		DevCertificateAuthority ca = DevCertificateAuthority.create(TrustDomain.parse("example.org"),
				Clock.systemUTC());
		SpiffeId planner = SpiffeId.parse("spiffe://example.org/planner");
		Svid svid = ca.issue(planner, KeyType.EC_P256);
		Svid other = ca.issue(planner, KeyType.EC_P256);
		Path certificates = pem("svid.pem", "CERTIFICATE", svid.leaf().getEncoded());
		Path key = pem("key.pem", "PRIVATE KEY", other.privateKey().getEncoded());
		Path bundle = pem("bundle.pem", "CERTIFICATE", ca.certificate().getEncoded());
		failToStart("secure-agent.identity.source=pem", "secure-agent.identity.pem.certificates=" + certificates,
				"secure-agent.identity.pem.private-key=" + key, "secure-agent.trust-bundles.example.org=" + bundle);
		assertReport(output, "private key does not match the SVID",
				"holds the private key of the first certificate in secure-agent.identity.pem.certificates");
	}

	@Test
	void startWhenWorkloadApiDoesNotAnswerThenReportNamesTheSocket(CapturedOutput output) {
		failToStart("secure-agent.identity.source=workload-api",
				"secure-agent.identity.workload-api.socket=unix:" + this.directory.resolve("agent.sock"),
				"secure-agent.identity.workload-api.init-timeout=500ms");
		assertReport(output, "no X.509-SVID from the Workload API",
				"Check that the SPIFFE Workload API is reachable at secure-agent.identity.workload-api.socket");
	}

	@Test
	void startWhenRedisCannotBeReachedThenReportNamesTheServerAndHowToStartAnyway(CapturedOutput output) {
		failToStart("secure-agent.replay.store=redis", "secure-agent.replay.redis.url=redis://127.0.0.1:1",
				"secure-agent.replay.redis.timeout=300ms");
		assertReport(output,
				"secure-agent's Redis replay store at 127.0.0.1:1 (secure-agent.replay.redis.url) cannot be used: Redis cannot be reached",
				"secure-agent.replay.redis.fail-fast=false");
	}

	@Test
	void startWhenRedisEvictsKeysThenReportSaysNoeviction(CapturedOutput output) throws Exception {
		try (RedisServer redis = RedisServer.start(List.of("--maxmemory-policy", "allkeys-lru"))) {
			failToStart("secure-agent.replay.store=redis", "secure-agent.replay.redis.url=" + redis.uri());
			assertReport(output, "Redis maxmemory-policy is allkeys-lru", "CONFIG SET maxmemory-policy noeviction");
		}
	}

	@Test
	void startWhenPropertiesCannotBothHoldThenReportNamesTheProperty(CapturedOutput output) {
		failToStart("secure-agent.replay.message-lifetime=10m", "secure-agent.replay.max-lifetime=5m");
		assertReport(output, "Invalid value '10m' for configuration property 'secure-agent.replay.message-lifetime'",
				"Review the value of the property");
	}

	@Test
	void startWhenAPropertyDoesNotBindThenReportNamesIt(CapturedOutput output) {
		failToStart("secure-agent.replay.capacity=lots");
		assertReport(output, "Failed to bind properties under 'secure-agent.replay.capacity' to int",
				"Update your application's configuration");
	}

	@Test
	void startWhenAHandlerHasPreAuthorizeButMethodSecurityIsOffThenItDoesNotStart(CapturedOutput output) {
		// the executor's handlers carry @PreAuthorize; the planner's application does not
		// turn method security on, so nothing would enforce them
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(TestAgents.PlannerApp.class, UnguardedHandlers.class)
				.properties("server.port=0", "spring.application.name=planner",
						"secure-agent.identity.dev.ca-directory=" + this.directory.resolve("ca"))
				.run())
			.isInstanceOf(MethodSecurityOffException.class);
		assertReport(output, "has a method-security annotation, but method security is off",
				"Add @EnableReactiveMethodSecurity");
	}

	@Configuration(proxyBeanMethods = false)
	static class UnguardedHandlers {

		@Bean
		ExecutorHandlers executorHandlers() {
			return new ExecutorHandlers(null, null);
		}

	}

	private void failToStart(String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "spring.application.name=planner",
				"secure-agent.identity.dev.ca-directory=" + this.directory.resolve("ca")));
		all.addAll(List.of(properties));
		assertThatException().isThrownBy(
				() -> new SpringApplicationBuilder(TestAgents.PlannerApp.class).properties(all.toArray(String[]::new))
					.run());
	}

	private static void assertReport(CapturedOutput output, String cause, String action) {
		String report = output.getOut() + output.getErr();
		int box = report.indexOf("APPLICATION FAILED TO START");
		assertThat(box).as("the failure report").isNotNegative();
		String analysis = report.substring(box);
		assertThat(analysis).contains("Description:").contains(cause).contains("Action:").contains(action);
		// the report, not a trace
		assertThat(analysis).doesNotContain("\tat org.springframework");
	}

	private Path pem(String name, String type, byte[] der) throws Exception {
		String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
		return Files.writeString(this.directory.resolve(name),
				"-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
	}

}
