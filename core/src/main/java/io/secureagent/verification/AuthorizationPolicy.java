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

import io.spiffe.spiffeid.SpiffeId;

/**
 * Decides which senders may send which message types: the {@code authorization} check.
 *
 * @author secure-agent authors
 */
@FunctionalInterface
public interface AuthorizationPolicy {

	/**
	 * Whether a sender may send a message type to this agent.
	 * @param sender the authenticated sender
	 * @param type the message type
	 * @return whether it is allowed
	 */
	boolean permits(SpiffeId sender, String type);

	/**
	 * A policy that lets every authenticated sender of a trusted trust domain send every
	 * type.
	 * @return the policy
	 */
	static AuthorizationPolicy permitAll() {
		return (sender, type) -> true;
	}

}
