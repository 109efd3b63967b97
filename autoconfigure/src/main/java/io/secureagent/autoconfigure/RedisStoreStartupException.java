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
package io.secureagent.autoconfigure;

/**
 * Raised at startup when the Redis replay store cannot be used, with
 * {@code secure-agent.replay.redis.fail-fast} on: Redis cannot be reached, or its server
 * evicts keys.
 *
 * @author secure-agent authors
 */
final class RedisStoreStartupException extends RuntimeException {

	private final String problem;

	private final String servers;

	RedisStoreStartupException(String problem, String servers) {
		super("secure-agent's Redis replay store at " + servers + " cannot be used: " + problem);
		this.problem = problem;
		this.servers = servers;
	}

	String problem() {
		return this.problem;
	}

	String servers() {
		return this.servers;
	}

}
