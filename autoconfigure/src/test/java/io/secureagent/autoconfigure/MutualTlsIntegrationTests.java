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

import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.ChainValidationException;
import io.secureagent.identity.DevCertificateAuthority;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.identity.Svid;
import io.secureagent.identity.SvidChainValidator;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutual TLS with X.509-SVIDs on a real HTTPS listener: when the client presents a
 * certificate, the envelope's sender must be its SPIFFE ID.
 *
 * @author secure-agent authors
 */
class MutualTlsIntegrationTests {

	private static final SpiffeId PLANNER = SpiffeId.parse("spiffe://example.org/planner");

	private static final SpiffeId EXECUTOR = SpiffeId.parse("spiffe://example.org/executor");

	@TempDir
	Path directory;

	private ConfigurableApplicationContext executor;

	private DevCertificateAuthority ca;

	private StaticIdentity planner;

	@AfterEach
	void close() {
		if (this.executor != null) {
			this.executor.close();
		}
	}

	@Test
	void postWhenClientCertificateIsTheSenderThenAccepted() throws Exception {
		start(true);
		assertThat(post(this.planner.svid()).getStatusCode().value()).isEqualTo(200);
	}

	@Test
	void postWhenClientCertificateIsAnotherAgentThenTlsPeerMismatch() throws Exception {
		start(true);
		Svid relay = this.ca.issue(SpiffeId.parse("spiffe://example.org/relay"), KeyType.EC_P256);
		ResponseEntity<byte[]> response = post(relay);
		assertThat(response.getStatusCode().value()).isEqualTo(401);
		JsonObject problem = (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(response.getBody());
		assertThat(problem.get("code")).isEqualTo(new JsonString("tls-peer-mismatch"));
	}

	@Test
	void postWhenNoClientCertificateThenEnvelopeAloneAuthenticates() throws Exception {
		start(true);
		assertThat(post(null).getStatusCode().value()).isEqualTo(200);
	}

	@Test
	void postWhenBindingOffThenAnotherAgentsCertificateIsIgnored() throws Exception {
		start(false);
		Svid relay = this.ca.issue(SpiffeId.parse("spiffe://example.org/relay"), KeyType.EC_P256);
		assertThat(post(relay).getStatusCode().value()).isEqualTo(200);
	}

	private void start(boolean tlsBinding) throws Exception {
		Path caDirectory = this.directory.resolve("ca");
		this.ca = DevCertificateAuthority.loadOrCreate(caDirectory, TrustDomain.parse("example.org"),
				Clock.systemUTC());
		this.planner = new StaticIdentity(this.ca.issue(PLANNER, KeyType.EC_P256),
				X509BundleSet.of(List.of(this.ca.bundle())));
		Svid server = this.ca.issue(EXECUTOR, KeyType.EC_P256);
		Path certificate = pem("server.pem", server.leaf());
		Path key = pem("server-key.pem", new PemObject("PRIVATE KEY", server.privateKey().getEncoded()));
		Path trust = pem("ca.pem", this.ca.certificate());
		this.executor = TestAgents.executor(caDirectory, "server.ssl.bundle=agent",
				"spring.ssl.bundle.pem.agent.keystore.certificate=file:" + certificate,
				"spring.ssl.bundle.pem.agent.keystore.private-key=file:" + key,
				"spring.ssl.bundle.pem.agent.truststore.certificate=file:" + trust, "server.ssl.client-auth=want",
				"secure-agent.endpoint.tls-binding=" + tlsBinding);
	}

	private ResponseEntity<byte[]> post(@Nullable Svid clientCertificate) throws Exception {
		SslContextBuilder ssl = SslContextBuilder.forClient().trustManager(new SpiffeTrustManager(this.ca, EXECUTOR));
		if (clientCertificate != null) {
			ssl.keyManager(clientCertificate.privateKey(), clientCertificate.leaf());
		}
		SslContext context = ssl.build();
		HttpClient http = HttpClient.create().secure((spec) -> spec.sslContext(context));
		byte[] message = new EnvelopeSigner(this.planner, Clock.systemUTC(), Duration.ofMinutes(1))
			.sign("task.request", EXECUTOR, null, new JsonObject(Map.of("tool", new JsonString("wc"), "text",
					new JsonString("over tls"), "priority", new JsonNumber(1))))
			.bytes();
		return WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(http))
			.build()
			.post()
			.uri("https://127.0.0.1:" + TestAgents.port(this.executor) + "/secure-agent/messages")
			.bodyValue(message)
			.exchangeToMono((response) -> response.toEntity(byte[].class))
			.block(Duration.ofSeconds(30));
	}

	private Path pem(String name, Object object) throws Exception {
		StringWriter text = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
			writer.writeObject(object);
		}
		return Files.writeString(this.directory.resolve(name), text.toString(), StandardCharsets.US_ASCII);
	}

	/**
	 * Trusts a server whose chain leads to the CA and whose SVID names the expected
	 * SPIFFE ID: SVIDs name workloads, not host names.
	 */
	static final class SpiffeTrustManager extends X509ExtendedTrustManager {

		private final X509TrustManager chain;

		private final SpiffeId expected;

		SpiffeTrustManager(DevCertificateAuthority ca, SpiffeId expected) throws Exception {
			KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
			store.load(null, null);
			store.setCertificateEntry("ca", ca.certificate());
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init(store);
			this.chain = (X509TrustManager) factory.getTrustManagers()[0];
			this.expected = expected;
		}

		@Override
		public void checkServerTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
			this.chain.checkServerTrusted(certificates, authType);
			try {
				if (!SvidChainValidator.uriSan(certificates[0]).equals(this.expected)) {
					throw new CertificateException("server is not " + this.expected);
				}
			}
			catch (ChainValidationException ex) {
				throw new CertificateException("server certificate is not an SVID", ex);
			}
		}

		@Override
		public void checkServerTrusted(X509Certificate[] certificates, String authType, Socket socket)
				throws CertificateException {
			checkServerTrusted(certificates, authType);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] certificates, String authType, SSLEngine engine)
				throws CertificateException {
			checkServerTrusted(certificates, authType);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
			throw new CertificateException("client side only");
		}

		@Override
		public void checkClientTrusted(X509Certificate[] certificates, String authType, Socket socket)
				throws CertificateException {
			throw new CertificateException("client side only");
		}

		@Override
		public void checkClientTrusted(X509Certificate[] certificates, String authType, SSLEngine engine)
				throws CertificateException {
			throw new CertificateException("client side only");
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return this.chain.getAcceptedIssuers();
		}

	}

}
