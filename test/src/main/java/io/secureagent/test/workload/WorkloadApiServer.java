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
package io.secureagent.test.workload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.Svid;
import io.secureagent.test.TestIdentities;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc;
import io.spiffe.workloadapi.grpc.Workload.X509SVID;
import io.spiffe.workloadapi.grpc.Workload.X509SVIDRequest;
import io.spiffe.workloadapi.grpc.Workload.X509SVIDResponse;

/**
 * A SPIFFE Workload API in the test's JVM: the real protocol (gRPC on a unix socket, as a
 * SPIRE agent serves it), with SVIDs from test CAs. It answers the X.509-SVID stream
 * ({@code FetchX509SVID}) and pushes every rotation to every open stream, as an agent
 * does when it renews an SVID; it refuses calls without the {@code workload.spiffe.io}
 * header, as the Workload API specification requires. Point an application at it with
 * {@code secure-agent.identity.source=workload-api} and
 * {@code secure-agent.identity.workload-api.socket=}{@link #address()}.
 *
 * <pre class="code">
 * try (WorkloadApiServer agent = WorkloadApiServer.start(dir.resolve("agent.sock"), identities,
 *         SpiffeId.parse("spiffe://example.org/executor"))) {
 *     // ... the application under test fetches its SVID from agent.address()
 *     agent.rotate(); // a fresh SVID for the same ID, pushed to the application
 * }
 * </pre>
 *
 * Linux only (the socket is served by Netty's epoll transport).
 *
 * @author secure-agent authors
 */
public final class WorkloadApiServer implements AutoCloseable {

	private static final Metadata.Key<String> SECURITY_HEADER = Metadata.Key.of("workload.spiffe.io",
			Metadata.ASCII_STRING_MARSHALLER);

	private final Path socket;

	private final EventLoopGroup boss = new EpollEventLoopGroup(1);

	private final EventLoopGroup workers = new EpollEventLoopGroup(1);

	private final List<StreamObserver<X509SVIDResponse>> streams = new CopyOnWriteArrayList<>();

	private final Server server;

	private final TestIdentities identities;

	private final SpiffeId spiffeId;

	private volatile X509SVIDResponse current;

	/**
	 * Serve one SVID and its trust domain's bundle.
	 * @param socket the unix socket to listen on; it must not exist yet
	 * @param svid the SVID served
	 * @param bundle the X.509 authorities of the SVID's trust domain
	 * @throws IOException if the socket cannot be bound
	 */
	public WorkloadApiServer(Path socket, Svid svid, List<X509Certificate> bundle) throws IOException {
		this(socket, null, svid.spiffeId(), response(svid, bundle, Map.of()));
	}

	private WorkloadApiServer(Path socket, TestIdentities identities, SpiffeId spiffeId, X509SVIDResponse first)
			throws IOException {
		this.socket = Objects.requireNonNull(socket, "socket cannot be null");
		this.identities = identities;
		this.spiffeId = spiffeId;
		this.current = first;
		ServerInterceptor headerCheck = new ServerInterceptor() {
			@Override
			public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
					ServerCallHandler<Q, R> next) {
				if (!"true".equals(headers.get(SECURITY_HEADER))) {
					call.close(Status.INVALID_ARGUMENT.withDescription("security header missing"), new Metadata());
					return new ServerCall.Listener<>() {
					};
				}
				return next.startCall(call, headers);
			}
		};
		this.server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
			.channelType(EpollServerDomainSocketChannel.class)
			.bossEventLoopGroup(this.boss)
			.workerEventLoopGroup(this.workers)
			.addService(ServerInterceptors.intercept(new Service(), headerCheck))
			.build()
			.start();
	}

	/**
	 * Serve an SVID for a SPIFFE ID from test identities, with the bundle of its trust
	 * domain and, as federated bundles, those of every other trust domain the identities
	 * have a CA for.
	 * @param socket the unix socket to listen on; it must not exist yet
	 * @param identities the test identities whose CAs issue the SVIDs
	 * @param spiffeId the workload's SPIFFE ID
	 * @return the running server
	 * @throws IOException if the socket cannot be bound
	 */
	public static WorkloadApiServer start(Path socket, TestIdentities identities, SpiffeId spiffeId)
			throws IOException {
		Objects.requireNonNull(identities, "identities cannot be null");
		return new WorkloadApiServer(socket, identities, spiffeId,
				response(identities, identities.svid(spiffeId, KeyType.EC_P256)));
	}

	/**
	 * Return the address a Workload API client dials, {@code unix:/path/to/socket}.
	 * @return the address
	 */
	public String address() {
		return "unix:" + this.socket;
	}

	/**
	 * Rotate: issue a fresh SVID for the same SPIFFE ID from the test identities, and
	 * push it to every open stream.
	 * @return the new SVID
	 */
	public Svid rotate() {
		if (this.identities == null) {
			throw new IllegalStateException("this server was given its SVIDs: rotate(svid, bundle) instead");
		}
		Svid svid = this.identities.svid(this.spiffeId, KeyType.EC_P256);
		push(response(this.identities, svid));
		return svid;
	}

	/**
	 * Push a given SVID to every open stream.
	 * @param svid the new SVID
	 * @param bundle the X.509 authorities of its trust domain
	 */
	public void rotate(Svid svid, List<X509Certificate> bundle) {
		push(response(svid, bundle, Map.of()));
	}

	private void push(X509SVIDResponse response) {
		this.current = response;
		for (StreamObserver<X509SVIDResponse> stream : this.streams) {
			stream.onNext(response);
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.streams.forEach(StreamObserver::onCompleted);
		this.server.shutdownNow().awaitTermination();
		this.boss.shutdownGracefully();
		this.workers.shutdownGracefully();
	}

	private static X509SVIDResponse response(TestIdentities identities, Svid svid) {
		TrustDomain own = svid.spiffeId().getTrustDomain();
		Map<String, List<X509Certificate>> federated = new TreeMap<>();
		identities.trustDomains()
			.stream()
			.filter((domain) -> !domain.equals(own))
			.forEach((domain) -> federated.put(domain.toString(), List.of(identities.authority(domain).certificate())));
		return response(svid, List.of(identities.authority(own).certificate()), federated);
	}

	private static X509SVIDResponse response(Svid svid, List<X509Certificate> bundle,
			Map<String, List<X509Certificate>> federated) {
		X509SVID grpcSvid = X509SVID.newBuilder()
			.setSpiffeId(svid.spiffeId().toString())
			.setX509Svid(der(svid.chain()))
			.setX509SvidKey(ByteString.copyFrom(svid.privateKey().getEncoded()))
			.setBundle(der(bundle))
			.build();
		X509SVIDResponse.Builder response = X509SVIDResponse.newBuilder().addSvids(grpcSvid);
		federated.forEach((domain, certificates) -> response.putFederatedBundles(domain, der(certificates)));
		return response.build();
	}

	private static ByteString der(List<X509Certificate> certificates) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			for (X509Certificate certificate : certificates) {
				out.write(certificate.getEncoded());
			}
		}
		catch (IOException | CertificateEncodingException ex) {
			throw new IllegalStateException(ex);
		}
		return ByteString.copyFrom(out.toByteArray());
	}

	private final class Service extends SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIImplBase {

		@Override
		public void fetchX509SVID(X509SVIDRequest request, StreamObserver<X509SVIDResponse> responseObserver) {
			WorkloadApiServer.this.streams.add(responseObserver);
			responseObserver.onNext(WorkloadApiServer.this.current);
		}

	}

}
