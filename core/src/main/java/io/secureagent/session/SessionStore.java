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
package io.secureagent.session;

import java.util.Optional;

/**
 * Holds established sessions by id.
 *
 * @author secure-agent authors
 */
public interface SessionStore {

	/**
	 * Add a session.
	 * @param session the session
	 * @return whether it was added; {@code false} when the store is full of live sessions
	 */
	boolean add(Session session);

	/**
	 * Find a session by id, expired or not.
	 * @param sessionId the id
	 * @return the session, or empty
	 */
	Optional<Session> find(String sessionId);

	/**
	 * Remove a session and destroy its keys.
	 * @param sessionId the id
	 */
	void remove(String sessionId);

	/**
	 * Return the number of sessions held.
	 * @return the number
	 */
	int size();

	/**
	 * Whether a session could be added now.
	 * @return whether there is room
	 */
	boolean hasRoom();

}
