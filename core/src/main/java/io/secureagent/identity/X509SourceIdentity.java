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
package io.secureagent.identity;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

import io.spiffe.bundle.BundleSource;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.exception.SocketEndpointAddressException;
import io.spiffe.exception.X509SourceException;
import io.spiffe.svid.x509svid.X509Svid;
import io.spiffe.workloadapi.DefaultX509Source;
import io.spiffe.workloadapi.X509Source;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AgentIdentity} backed by a java-spiffe {@link X509Source}, typically the
 * SPIFFE Workload API, which pushes rotated SVIDs and bundles as they change.
 *
 * @author secure-agent authors
 */
public final class X509SourceIdentity implements AgentIdentity, Closeable {

	private final X509Source source;

	// the last SVID the source gave, adapted once: a signer asks for it per message
	private volatile @Nullable Adapted adapted;

	public X509SourceIdentity(X509Source source) {
		this.source = Objects.requireNonNull(source, "source cannot be null");
	}

	/**
	 * Connect to a Workload API and wait for the first SVID.
	 * @param socketAddress the Workload API address, such as
	 * {@code unix:/run/spire/agent.sock}
	 * @param initTimeout how long to wait for the first SVID and bundles
	 * @return the identity, which must be closed
	 * @throws IdentityUnavailableException if the address is invalid or no SVID arrives
	 * in time
	 */
	public static X509SourceIdentity connect(String socketAddress, Duration initTimeout)
			throws IdentityUnavailableException {
		Objects.requireNonNull(socketAddress, "socketAddress cannot be null");
		Objects.requireNonNull(initTimeout, "initTimeout cannot be null");
		DefaultX509Source.X509SourceOptions options = DefaultX509Source.X509SourceOptions.builder()
			.spiffeSocketPath(socketAddress)
			.initTimeout(initTimeout)
			.build();
		try {
			return new X509SourceIdentity(DefaultX509Source.newSource(options));
		}
		catch (SocketEndpointAddressException ex) {
			throw new IdentityUnavailableException("invalid Workload API address", ex);
		}
		catch (X509SourceException ex) {
			throw new IdentityUnavailableException("no X.509-SVID from the Workload API", ex);
		}
	}

	@Override
	public Svid svid() throws IdentityUnavailableException {
		X509Svid svid;
		try {
			svid = this.source.getX509Svid();
		}
		catch (IllegalStateException ex) {
			throw new IdentityUnavailableException("X.509 source is closed", ex);
		}
		if (svid == null) {
			throw new IdentityUnavailableException("X.509 source has no SVID");
		}
		Adapted last = this.adapted;
		if (last != null && last.from() == svid) {
			return last.svid();
		}
		Adapted made = new Adapted(svid, Svid.of(svid));
		this.adapted = made;
		return made.svid();
	}

	@Override
	public BundleSource<X509Bundle> trustBundles() {
		return this.source;
	}

	@Override
	public void close() throws IOException {
		this.source.close();
	}

	private record Adapted(X509Svid from, Svid svid) {

	}

}
