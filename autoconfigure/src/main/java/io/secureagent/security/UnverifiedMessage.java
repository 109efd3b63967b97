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

import java.util.List;

import io.spiffe.spiffeid.SpiffeId;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Transient;

/**
 * The bytes of an agent message as received, before the pipeline has verified them.
 *
 * @author secure-agent authors
 */
@Transient
public final class UnverifiedMessage extends AbstractAuthenticationToken {

	private final byte[] bytes;

	private final @Nullable SpiffeId transportPeer;

	/**
	 * Create a token.
	 * @param bytes the body
	 * @param transportPeer the SPIFFE ID of the TLS client certificate, if one was
	 * presented and bound
	 */
	public UnverifiedMessage(byte[] bytes, @Nullable SpiffeId transportPeer) {
		super(List.of());
		this.bytes = bytes;
		this.transportPeer = transportPeer;
	}

	public byte[] bytes() {
		return this.bytes;
	}

	public @Nullable SpiffeId transportPeer() {
		return this.transportPeer;
	}

	@Override
	public Object getCredentials() {
		return this.bytes;
	}

	@Override
	public Object getPrincipal() {
		return "unverified";
	}

}
