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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster of three masters, each a {@code redis-server} in cluster mode on a
 * loopback port, joined by {@code redis-cli --cluster create} and stopped by the test.
 *
 * @author secure-agent authors
 */
public final class RedisCluster implements AutoCloseable {

	private final List<RedisServer> nodes = new ArrayList<>();

	private RedisCluster() {
	}

	/**
	 * Start three nodes and create the cluster; wait until it serves every slot.
	 * @param directory where the nodes keep their cluster configuration
	 * @return the running cluster
	 * @throws Exception if it cannot start
	 */
	public static RedisCluster start(Path directory) throws Exception {
		RedisCluster cluster = new RedisCluster();
		try {
			for (int i = 0; i < 3; i++) {
				Path dir = Files.createDirectories(directory.resolve("node" + i));
				cluster.nodes.add(RedisServer.start(List.of("--cluster-enabled", "yes", "--cluster-config-file",
						dir.resolve("nodes.conf").toString(), "--cluster-node-timeout", "3000", "--dir",
						dir.toString())));
			}
			List<String> create = new ArrayList<>(List.of("/usr/bin/redis-cli", "--cluster", "create"));
			cluster.nodes.forEach((node) -> create.add("127.0.0.1:" + node.port()));
			create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
			run(create);
			Instant deadline = Instant.now().plusSeconds(20);
			for (RedisServer node : cluster.nodes) {
				while (!run(List.of("/usr/bin/redis-cli", "-p", Integer.toString(node.port()), "cluster", "info"))
					.contains("cluster_state:ok")) {
					if (Instant.now().isAfter(deadline)) {
						throw new IOException("the Redis cluster did not come up");
					}
					Thread.sleep(100);
				}
			}
			return cluster;
		}
		catch (Exception ex) {
			cluster.close();
			throw ex;
		}
	}

	/**
	 * Return the URIs of the nodes.
	 * @return the URIs
	 */
	public List<String> uris() {
		return this.nodes.stream().map(RedisServer::uri).toList();
	}

	@Override
	public void close() throws InterruptedException {
		for (RedisServer node : this.nodes) {
			node.close();
		}
	}

	private static String run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroy();
			throw new IOException("timed out: " + command);
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.exitValue() != 0) {
			throw new IOException(command + " failed: " + output);
		}
		return output;
	}

}
