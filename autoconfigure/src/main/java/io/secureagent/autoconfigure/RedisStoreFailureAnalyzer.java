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

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a startup that failed because the Redis replay store cannot be used into Boot's
 * "APPLICATION FAILED TO START" report, with the cause and the action.
 *
 * @author secure-agent authors
 */
final class RedisStoreFailureAnalyzer extends AbstractFailureAnalyzer<RedisStoreStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RedisStoreStartupException cause) {
		String action;
		if (cause.problem().contains("maxmemory-policy")) {
			action = "Set the server's maxmemory-policy to noeviction (CONFIG SET maxmemory-policy noeviction, and in "
					+ "redis.conf): a replay store whose entries can be evicted may forget a live message id and "
					+ "accept its replay.";
		}
		else {
			action = "Start Redis at " + cause.servers() + ", or point secure-agent.replay.redis.url (or "
					+ "secure-agent.replay.redis.cluster-nodes, or spring.data.redis.*) at a running server. To start "
					+ "anyway and refuse every message until the store is reachable, set "
					+ "secure-agent.replay.redis.fail-fast=false.";
		}
		return new FailureAnalysis(cause.getMessage(), action, cause);
	}

}
