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

import java.util.Objects;
import java.util.function.Consumer;

import io.secureagent.identity.ChainValidationException;
import io.secureagent.identity.SvidChainValidator;
import io.secureagent.verification.ReasonCode;
import io.secureagent.verification.Verdict;
import io.spiffe.spiffeid.SpiffeId;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads the body of an agent message, up to a cap, into an {@link UnverifiedMessage}. A
 * larger body is rejected ({@code message-too-large}) without being buffered, and every
 * buffer is released.
 *
 * @author secure-agent authors
 */
public final class SecureAgentAuthenticationConverter implements ServerAuthenticationConverter {

	private final int maxBytes;

	private final Consumer<Verdict.Rejected> onRejected;

	private final boolean tlsBinding;

	/**
	 * Create a converter.
	 * @param maxBytes the largest body read
	 * @param onRejected told of each body refused here, so that it is counted like every
	 * other rejection
	 * @param tlsBinding whether to pass on the SPIFFE ID of a TLS client certificate,
	 * which the envelope's sender must then equal
	 */
	public SecureAgentAuthenticationConverter(int maxBytes, Consumer<Verdict.Rejected> onRejected, boolean tlsBinding) {
		if (maxBytes <= 0) {
			throw new IllegalArgumentException("maxBytes must be positive");
		}
		this.maxBytes = maxBytes;
		this.onRejected = Objects.requireNonNull(onRejected, "onRejected cannot be null");
		this.tlsBinding = tlsBinding;
	}

	@Override
	public Mono<Authentication> convert(ServerWebExchange exchange) {
		long declared = exchange.getRequest().getHeaders().getContentLength();
		if (declared > this.maxBytes) {
			return Mono.error(tooLarge());
		}
		SpiffeId transportPeer;
		try {
			transportPeer = this.tlsBinding ? transportPeer(exchange.getRequest().getSslInfo()) : null;
		}
		catch (IllegalArgumentException ex) {
			Verdict.Rejected rejected = new Verdict.Rejected("http", ReasonCode.TLS_PEER_MISMATCH,
					"the TLS client certificate has no single SPIFFE ID");
			this.onRejected.accept(rejected);
			return Mono.error(new MessageRejectedException(rejected));
		}
		return DataBufferUtils.join(exchange.getRequest().getBody(), this.maxBytes).map((buffer) -> {
			try {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				return (Authentication) new UnverifiedMessage(bytes, transportPeer);
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		})
			.defaultIfEmpty(new UnverifiedMessage(new byte[0], transportPeer))
			.onErrorMap(DataBufferLimitException.class, (ex) -> tooLarge());
	}

	/**
	 * Return the SPIFFE ID of a TLS client certificate.
	 * @param sslInfo the connection's TLS information, if any
	 * @return the SPIFFE ID, or {@code null} when no client certificate was presented
	 * @throws IllegalArgumentException if a certificate was presented without exactly one
	 * SPIFFE ID
	 */
	public static @Nullable SpiffeId transportPeer(@Nullable SslInfo sslInfo) {
		if (sslInfo == null || sslInfo.getPeerCertificates() == null || sslInfo.getPeerCertificates().length == 0) {
			return null;
		}
		try {
			return SvidChainValidator.uriSan(sslInfo.getPeerCertificates()[0]);
		}
		catch (ChainValidationException ex) {
			throw new IllegalArgumentException("TLS client certificate has no valid SPIFFE ID", ex);
		}
	}

	private MessageRejectedException tooLarge() {
		Verdict.Rejected rejected = new Verdict.Rejected("http", ReasonCode.MESSAGE_TOO_LARGE,
				"message exceeds " + this.maxBytes + " bytes");
		this.onRejected.accept(rejected);
		return new MessageRejectedException(rejected);
	}

}
