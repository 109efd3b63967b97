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
package io.secureagent.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
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
import io.secureagent.identity.Svid;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc;
import io.spiffe.workloadapi.grpc.Workload.X509SVID;
import io.spiffe.workloadapi.grpc.Workload.X509SVIDRequest;
import io.spiffe.workloadapi.grpc.Workload.X509SVIDResponse;

/**
 * A SPIFFE Workload API served over gRPC on a unix socket, as a SPIRE agent serves it,
 * with SVIDs from a test CA. It answers the X.509-SVID stream and pushes rotations to
 * every open stream; it refuses calls without the {@code workload.spiffe.io} header, as
 * the specification requires.
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

	private volatile X509SVIDResponse current;

	public WorkloadApiServer(Path socket, Svid svid, List<X509Certificate> bundle) throws IOException {
		this.socket = socket;
		this.current = response(svid, bundle);
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
	 * Return the address a java-spiffe client dials.
	 * @return the address
	 */
	public String address() {
		return "unix:" + this.socket;
	}

	/**
	 * Push a rotated SVID to every open stream.
	 * @param svid the new SVID
	 * @param bundle the trust bundle
	 */
	public void rotate(Svid svid, List<X509Certificate> bundle) {
		this.current = response(svid, bundle);
		for (StreamObserver<X509SVIDResponse> stream : this.streams) {
			stream.onNext(this.current);
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.streams.forEach(StreamObserver::onCompleted);
		this.server.shutdownNow().awaitTermination();
		this.boss.shutdownGracefully();
		this.workers.shutdownGracefully();
	}

	private static X509SVIDResponse response(Svid svid, List<X509Certificate> bundle) {
		X509SVID grpcSvid = X509SVID.newBuilder()
			.setSpiffeId(svid.spiffeId().toString())
			.setX509Svid(der(svid.chain()))
			.setX509SvidKey(ByteString.copyFrom(svid.privateKey().getEncoded()))
			.setBundle(der(bundle))
			.build();
		return X509SVIDResponse.newBuilder().addSvids(grpcSvid).build();
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
