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
package io.secureagent.verification;

/**
 * Which way a message travels, as seen by the agent that verifies it. Each direction has
 * its own pipeline: requests are authorized by rules, answers by the exchange they belong
 * to, and a message made for one direction is refused in the other.
 *
 * @author secure-agent authors
 */
public enum Direction {

	/**
	 * A message that starts an exchange, received by this agent's endpoint: a request of
	 * a type a handler accepts, a {@code session.init} or a {@code capability.request}.
	 */
	REQUEST,

	/**
	 * The answer to a request this agent sent, received by its client: of the type
	 * expected, from the peer dialled, correlated with the request.
	 */
	RESPONSE

}
