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
package io.secureagent.replay;

import java.util.Objects;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.jspecify.annotations.Nullable;

/**
 * A connection to Redis, a single server or a cluster, opened when first needed and again
 * after it closed: a store built on it can be created while Redis is down, fails its
 * calls until Redis is back, then resumes by itself. Against a cluster, every command
 * goes to the node that owns its keys' slot (the stores keep all of their keys in one
 * slot, by a hash tag).
 *
 * @author secure-agent authors
 */
public final class LazyConnection implements AutoCloseable {

	private final RedisReplayStore.Connector connector;

	private volatile @Nullable StatefulConnection<String, String> connection;

	/**
	 * Create a lazy connection.
	 * @param connector opens the connection
	 */
	public LazyConnection(RedisReplayStore.Connector connector) {
		this.connector = Objects.requireNonNull(connector, "connector cannot be null");
	}

	/**
	 * Return the synchronous commands, connecting first if need be.
	 * @return the commands
	 * @throws io.lettuce.core.RedisException if Redis cannot be reached
	 */
	public RedisClusterCommands<String, String> sync() {
		StatefulConnection<String, String> open = this.connection;
		if (open == null || !open.isOpen()) {
			synchronized (this) {
				open = this.connection;
				if (open == null || !open.isOpen()) {
					open = this.connector.connect();
					this.connection = open;
				}
			}
		}
		if (open instanceof StatefulRedisClusterConnection<String, String> cluster) {
			return cluster.sync();
		}
		return ((StatefulRedisConnection<String, String>) open).sync();
	}

	@Override
	public void close() {
		StatefulConnection<String, String> open = this.connection;
		this.connection = null;
		if (open != null) {
			open.close();
		}
	}

}
