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
package io.secureagent.security;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.DevCertificateAuthority.LeafSpec;
import io.secureagent.identity.KeyType;
import io.secureagent.verification.ReasonCode;
import io.secureagent.verification.Verdict;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SecureAgentAuthenticationConverter}: the body cap and the TLS peer.
 *
 * @author secure-agent authors
 */
class SecureAgentAuthenticationConverterTests {

	private final DevCertificateAuthority ca = DevCertificateAuthority.create(TrustDomain.parse("example.org"),
			Clock.systemUTC());

	private final List<Verdict.Rejected> rejections = new ArrayList<>();

	@Test
	void convertWhenClientCertificateHasSpiffeIdThenItIsPassedOn() {
		X509Certificate leaf = this.ca.issue(SpiffeId.parse("spiffe://example.org/planner"), KeyType.EC_P256).leaf();
		StepVerifier.create(converter(true).convert(exchange("{}", leaf))).assertNext((authentication) -> {
			UnverifiedMessage message = (UnverifiedMessage) authentication;
			assertThat(message.bytes()).containsExactly('{', '}');
			assertThat(message.transportPeer()).isEqualTo(SpiffeId.parse("spiffe://example.org/planner"));
		}).verifyComplete();
	}

	@Test
	void convertWhenBindingOffOrNoClientCertificateThenNoPeer() {
		X509Certificate leaf = this.ca.issue(SpiffeId.parse("spiffe://example.org/planner"), KeyType.EC_P256).leaf();
		StepVerifier.create(converter(false).convert(exchange("{}", leaf)))
			.assertNext((authentication) -> assertThat(((UnverifiedMessage) authentication).transportPeer()).isNull())
			.verifyComplete();
		StepVerifier.create(converter(true).convert(exchange("{}", null)))
			.assertNext((authentication) -> assertThat(((UnverifiedMessage) authentication).transportPeer()).isNull())
			.verifyComplete();
	}

	@Test
	void convertWhenClientCertificateHasTwoUriSansThenRejected() {
		Instant now = Instant.now();
		X509Certificate leaf = this.ca
			.issue(new LeafSpec(List.of("spiffe://example.org/a", "spiffe://example.org/b"), KeyType.EC_P256,
					now.minusSeconds(60), now.plus(Duration.ofHours(1)), false, false))
			.leaf();
		StepVerifier.create(converter(true).convert(exchange("{}", leaf)))
			.expectErrorSatisfies((ex) -> assertThat(((MessageRejectedException) ex).rejected().reason())
				.isEqualTo(ReasonCode.TLS_PEER_MISMATCH))
			.verify();
		assertThat(this.rejections).extracting(Verdict.Rejected::reason).containsExactly(ReasonCode.TLS_PEER_MISMATCH);
	}

	@Test
	void convertWhenBodyOverTheCapThenRejectedAsTooLarge() {
		StepVerifier.create(converter(true).convert(exchange("x".repeat(2000), null)))
			.expectErrorSatisfies((ex) -> assertThat(((MessageRejectedException) ex).rejected().reason())
				.isEqualTo(ReasonCode.MESSAGE_TOO_LARGE))
			.verify();
		assertThat(this.rejections).extracting(Verdict.Rejected::reason).containsExactly(ReasonCode.MESSAGE_TOO_LARGE);
	}

	private SecureAgentAuthenticationConverter converter(boolean tlsBinding) {
		return new SecureAgentAuthenticationConverter(1024, this.rejections::add, tlsBinding);
	}

	private static MockServerWebExchange exchange(String body, @Nullable X509Certificate clientCertificate) {
		MockServerHttpRequest.BodyBuilder request = MockServerHttpRequest.post("/secure-agent/messages");
		if (clientCertificate != null) {
			request.sslInfo(new SslInfo() {
				@Override
				public String getSessionId() {
					return "test";
				}

				@Override
				public X509Certificate[] getPeerCertificates() {
					return new X509Certificate[] { clientCertificate };
				}
			});
		}
		return MockServerWebExchange.from(request.body(body));
	}

}
