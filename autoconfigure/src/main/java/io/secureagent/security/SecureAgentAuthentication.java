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

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;

import io.secureagent.verification.VerifiedMessage;
import io.spiffe.spiffeid.SpiffeId;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.Transient;

/**
 * The authentication of an agent message: the principal is the sender's SPIFFE ID, taken
 * from the verified envelope (never from a certificate's CN); the details are the
 * verified message. Never stored in a session.
 *
 * @author secure-agent authors
 */
@Transient
public final class SecureAgentAuthentication extends AbstractAuthenticationToken {

	private final SpiffeId sender;

	private final VerifiedMessage message;

	private final Duration verificationTime;

	private final long clockMillis;

	private final byte @Nullable [] received;

	public SecureAgentAuthentication(VerifiedMessage message, Collection<? extends GrantedAuthority> authorities) {
		this(message, Duration.ZERO, authorities);
	}

	/**
	 * Create the authentication of a verified message.
	 * @param message the message
	 * @param verificationTime the time the pipeline took, reported with the message's
	 * event once its handler is done
	 * @param authorities the sender's authorities
	 */
	public SecureAgentAuthentication(VerifiedMessage message, Duration verificationTime,
			Collection<? extends GrantedAuthority> authorities) {
		this(message, verificationTime, -1, null, authorities);
	}

	/**
	 * Create the authentication of an accepted message, with what its decision's event
	 * reports once its handler is done.
	 * @param message the verified message
	 * @param verificationTime the time the pipeline took
	 * @param clockMillis the pipeline's clock reading, or -1 if unknown
	 * @param received the message as received, or {@code null}
	 * @param authorities the sender's authorities
	 */
	public SecureAgentAuthentication(VerifiedMessage message, Duration verificationTime, long clockMillis,
			byte @Nullable [] received, Collection<? extends GrantedAuthority> authorities) {
		super(authorities);
		this.message = Objects.requireNonNull(message, "message cannot be null");
		this.verificationTime = Objects.requireNonNull(verificationTime, "verificationTime cannot be null");
		this.clockMillis = clockMillis;
		this.received = received;
		this.sender = message.sender().spiffeId();
		setAuthenticated(true);
	}

	/**
	 * Return the pipeline's clock reading for the message.
	 * @return milliseconds since the epoch, or -1 if unknown
	 */
	public long clockMillis() {
		return this.clockMillis;
	}

	/**
	 * Return the message as received.
	 * @return the bytes, or {@code null}
	 */
	public byte @Nullable [] received() {
		return this.received;
	}

	@Override
	public SpiffeId getPrincipal() {
		return this.sender;
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public String getName() {
		return this.sender.toString();
	}

	/**
	 * Return the verified message.
	 * @return the message
	 */
	public VerifiedMessage message() {
		return this.message;
	}

	/**
	 * Return the time the pipeline took to verify the message.
	 * @return the time
	 */
	public Duration verificationTime() {
		return this.verificationTime;
	}

}
