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

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} on a loopback port, started and stopped by a test. CI
 * installs the binary; on a developer machine without it, the tests that need it are
 * skipped, and in CI ({@code CI=true}) they fail instead.
 *
 * @author secure-agent authors
 */
public final class RedisServer implements AutoCloseable {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final int port;

	private final List<String> options;

	private Process process;

	private RedisServer(int port, List<String> options) throws IOException {
		this.port = port;
		this.options = List.copyOf(options);
		this.process = launch(port, this.options);
	}

	/**
	 * Start a server on a free loopback port.
	 * @return the running server
	 * @throws IOException if it cannot start
	 */
	public static RedisServer start() throws IOException {
		return start(List.of());
	}

	/**
	 * Start a server on a free loopback port with more options, such as those of a
	 * cluster node.
	 * @param options the options, each a separate argument
	 * @return the running server
	 * @throws IOException if it cannot start
	 */
	public static RedisServer start(List<String> options) throws IOException {
		Path binary = Path.of("/usr/bin/redis-server");
		if (!Files.isExecutable(binary)) {
			if ("true".equals(System.getenv("CI"))) {
				throw new IllegalStateException("redis-server is required in CI: .ci/run installs it");
			}
			Assumptions.abort("redis-server is not installed (apt-get install -y redis-server)");
		}
		// ports below the ephemeral range (32768 and up), so that no client socket can be
		// given one as its own local port while the server starts; a cluster node also
		// binds its bus port, its port plus 10,000, so it takes a port below 22,000
		boolean clusterNode = options.contains("--cluster-enabled");
		IOException last = null;
		for (int attempt = 0; attempt < 50; attempt++) {
			int port = clusterNode ? 10_000 + RANDOM.nextInt(12_000) : 20_000 + RANDOM.nextInt(12_000);
			if (!free(port) || (clusterNode && !free(port + 10_000))) {
				continue;
			}
			try {
				return new RedisServer(port, options);
			}
			catch (IOException ex) {
				// taken between the check and the start: another port
				last = ex;
			}
		}
		throw (last != null) ? last : new IOException("no free loopback port for redis-server");
	}

	private static boolean free(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	public String uri() {
		return "redis://127.0.0.1:" + this.port;
	}

	/**
	 * Create a client of this server that refuses commands while disconnected (as the
	 * stores want), with a two-second command timeout; the caller shuts it down.
	 * @return the client
	 */
	public RedisClient client() {
		RedisURI uri = RedisURI.create(uri());
		uri.setTimeout(Duration.ofSeconds(2));
		RedisClient client = RedisClient.create(uri);
		client.setOptions(ClientOptions.builder()
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.build());
		return client;
	}

	/**
	 * Return the port.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Stop the server, as an outage would.
	 * @throws InterruptedException if interrupted while waiting
	 */
	public void stop() throws InterruptedException {
		this.process.destroy();
		this.process.waitFor();
	}

	/**
	 * Start it again on the same port, empty.
	 * @throws IOException if it cannot start
	 */
	public void restart() throws IOException {
		this.process = launch(this.port, this.options);
	}

	@Override
	public void close() throws InterruptedException {
		stop();
	}

	private static Process launch(int port, List<String> options) throws IOException {
		List<String> command = new ArrayList<>(List.of("/usr/bin/redis-server", "--port", Integer.toString(port),
				"--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"));
		command.addAll(options.stream().map((option) -> option.replace("{port}", Integer.toString(port))).toList());
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
		while (Instant.now().isBefore(deadline)) {
			try (Socket socket = new Socket()) {
				// a PING answered, not merely a connection: a port with no listener can
				// connect
				// to itself
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				socket.setSoTimeout(1000);
				socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
				byte[] answer = socket.getInputStream().readNBytes(7);
				if ("+PONG\r\n".equals(new String(answer, StandardCharsets.US_ASCII))) {
					return process;
				}
			}
			catch (IOException ex) {
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw new IOException(interrupted);
				}
			}
		}
		process.destroy();
		throw new IOException("redis-server did not start on port " + port);
	}

}
