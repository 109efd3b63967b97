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

import org.testcontainers.DockerClientFactory;

/**
 * Whether the Testcontainers tests can run: a Docker engine answers. On a developer
 * machine without one they are skipped; in CI ({@code CI=true}), where {@code .ci/run}
 * starts an engine and builds the images, a missing engine fails them instead.
 *
 * @author secure-agent authors
 */
final class DockerSupport {

	/** The Redis image {@code .ci/docker-redis-image} builds from Debian's packages. */
	static final String REDIS_IMAGE = "local/redis:7";

	private DockerSupport() {
	}

	static boolean available() {
		boolean available = DockerClientFactory.instance().isDockerAvailable();
		if (!available && "true".equals(System.getenv("CI"))) {
			throw new IllegalStateException(
					"a Docker engine is required in CI: .ci/run starts one (DOCKER_HOST) and builds " + REDIS_IMAGE);
		}
		return available;
	}

}
