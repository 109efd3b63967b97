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

import io.spiffe.spiffeid.SpiffeId;
import org.jspecify.annotations.Nullable;

/**
 * Where established sessions are kept, by id. A session id, once bound, is never rebound
 * while its session is held: {@link #add} refuses an id in use instead of replacing it.
 *
 * @author secure-agent authors
 */
public interface SessionStore {

	/**
	 * Bind a session, unless its id is in use or a limit is reached. The session counts
	 * against the limits and holds its id, but {@link #find} does not return it until it
	 * is {@link #publish published}: a handshake whose message is then refused leaves
	 * nothing any message could have used.
	 * @param session the session
	 * @return the outcome; only {@link Admission#ADMITTED} added it
	 */
	Admission add(Session session);

	/**
	 * Make a bound session visible to {@link #find}, once its handshake message was
	 * accepted.
	 * @param session the session
	 */
	void publish(Session session);

	/**
	 * Take the next sequence number to send under in a session: from the session itself,
	 * or, where replicas share the session, from the shared store, so that no two
	 * replicas ever seal under one number.
	 * @param session the session
	 * @return the sequence number
	 * @throws SessionExhaustedException if the session has no sequence numbers left
	 */
	default long nextSequence(Session session) throws SessionExhaustedException {
		return session.nextSequence();
	}

	/**
	 * Tell whether a session with a peer, and with an id, could be added now.
	 * @param peer the peer
	 * @param sessionId the id, or {@code null} for one chosen by this agent
	 * @return the outcome {@link #add} would have now
	 */
	Admission admissible(SpiffeId peer, @Nullable String sessionId);

	/**
	 * Find a published session by id, expired or not.
	 * @param sessionId the id
	 * @return the session, or empty
	 */
	Optional<Session> find(String sessionId);

	/**
	 * Remove a session and destroy its keys; a session of that id that is another object
	 * is left alone.
	 * @param session the session
	 */
	void remove(Session session);

	/**
	 * Return the number of sessions held.
	 * @return the number
	 */
	int size();

	/**
	 * Return the number of sessions held with a peer.
	 * @param peer the peer
	 * @return the number
	 */
	int size(SpiffeId peer);

	/**
	 * The outcome of adding a session.
	 */
	enum Admission {

		/** The session was added. */
		ADMITTED,

		/** The store is full of live sessions. */
		FULL,

		/** The peer holds as many live sessions as it may. */
		PEER_QUOTA_EXCEEDED,

		/** Another session holds the id. */
		ID_IN_USE

	}

}
