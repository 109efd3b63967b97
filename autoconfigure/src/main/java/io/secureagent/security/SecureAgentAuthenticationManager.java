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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.secureagent.messaging.MessageVerifier;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationContext;
import io.spiffe.spiffeid.SpiffeId;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import reactor.core.publisher.Mono;

/**
 * Authenticates an {@link UnverifiedMessage} by running the whole receiving pipeline on
 * it: a message that passes becomes a {@link SecureAgentAuthentication} with authority
 * {@code ROLE_AGENT} and those the configured rules grant its sender; a message that
 * fails is a {@link MessageRejectedException} with its reason code.
 *
 * @author secure-agent authors
 */
public final class SecureAgentAuthenticationManager implements ReactiveAuthenticationManager {

	/** The authority every verified sender has. */
	public static final String AGENT_AUTHORITY = "ROLE_AGENT";

	private final MessageVerifier verifier;

	private final Function<SpiffeId, ? extends Iterable<String>> authorities;

	public SecureAgentAuthenticationManager(MessageVerifier verifier,
			Function<SpiffeId, ? extends Iterable<String>> authorities) {
		this.verifier = Objects.requireNonNull(verifier, "verifier cannot be null");
		this.authorities = Objects.requireNonNull(authorities, "authorities cannot be null");
	}

	@Override
	public Mono<Authentication> authenticate(Authentication authentication) {
		if (!(authentication instanceof UnverifiedMessage unverified)) {
			return Mono.empty();
		}
		Map<String, Object> attributes = (unverified.transportPeer() != null)
				? Map.of(VerificationContext.TRANSPORT_PEER, unverified.transportPeer()) : Map.of();
		return this.verifier.verifyRequest(unverified.bytes(), attributes).flatMap((timed) -> {
			Verdict verdict = timed.verdict();
			if (verdict instanceof Verdict.Accepted accepted) {
				List<GrantedAuthority> granted = new ArrayList<>();
				granted.add(new SimpleGrantedAuthority(AGENT_AUTHORITY));
				this.authorities.apply(accepted.message().sender().spiffeId())
					.forEach((authority) -> granted.add(new SimpleGrantedAuthority(authority)));
				return Mono.just(new SecureAgentAuthentication(accepted.message(), timed.elapsed(), timed.clockMillis(),
						timed.message(), granted));
			}
			return Mono.error(new MessageRejectedException((Verdict.Rejected) verdict));
		});
	}

}
