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

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import javax.crypto.AEADBadTagException;

import io.secureagent.crypto.AeadSuite;
import io.spiffe.spiffeid.SpiffeId;

/**
 * An established session between two agents: its id, the two SPIFFE IDs it binds, the
 * negotiated version and suite, one key and nonce base per direction, the sending
 * sequence counter and the receiving window. Keys live only in this object and are erased
 * by {@link #destroy()}.
 *
 * @author secure-agent authors
 */
public final class Session {

	private final String id;

	private final Role role;

	private final SpiffeId local;

	private final SpiffeId peer;

	private final String version;

	private final AeadSuite suite;

	private final SessionKeys keys;

	private final Instant establishedAt;

	private final SessionLimits limits;

	private final AtomicLong nextSequence = new AtomicLong();

	private final ReadWriteLock lock = new ReentrantReadWriteLock();

	private volatile boolean destroyed;

	Session(String id, Role role, SpiffeId local, SpiffeId peer, String version, AeadSuite suite, SessionKeys keys,
			Instant establishedAt, SessionLimits limits) {
		this.id = Objects.requireNonNull(id, "id cannot be null");
		this.role = Objects.requireNonNull(role, "role cannot be null");
		this.local = Objects.requireNonNull(local, "local cannot be null");
		this.peer = Objects.requireNonNull(peer, "peer cannot be null");
		this.version = Objects.requireNonNull(version, "version cannot be null");
		this.suite = Objects.requireNonNull(suite, "suite cannot be null");
		this.keys = Objects.requireNonNull(keys, "keys cannot be null");
		this.establishedAt = Objects.requireNonNull(establishedAt, "establishedAt cannot be null");
		this.limits = Objects.requireNonNull(limits, "limits cannot be null");
	}

	public String id() {
		return this.id;
	}

	public Role role() {
		return this.role;
	}

	public SpiffeId local() {
		return this.local;
	}

	public SpiffeId peer() {
		return this.peer;
	}

	public String version() {
		return this.version;
	}

	public AeadSuite suite() {
		return this.suite;
	}

	public Instant establishedAt() {
		return this.establishedAt;
	}

	/**
	 * Return the instant after which the session is no longer used.
	 * @return the expiry
	 */
	public Instant expiresAt() {
		return this.establishedAt.plus(this.limits.maxAge());
	}

	/**
	 * Whether the session has expired, or was destroyed.
	 * @param now the current instant
	 * @return whether it is unusable
	 */
	public boolean isExpired(Instant now) {
		return this.destroyed || !now.isBefore(expiresAt());
	}

	/**
	 * Whether a sender should start a new handshake: the session is past the rekey
	 * fraction of its age or of its message count, or unusable.
	 * @param now the current instant
	 * @return whether to rekey
	 */
	public boolean needsRekey(Instant now) {
		long rekeyAge = (long) (this.limits.maxAge().toMillis() * this.limits.rekeyAt());
		long rekeyCount = (long) (this.limits.maxMessages() * this.limits.rekeyAt());
		return isExpired(now) || !now.isBefore(this.establishedAt.plus(Duration.ofMillis(rekeyAge)))
				|| this.nextSequence.get() >= rekeyCount;
	}

	/**
	 * Return the limits of this session.
	 * @return the limits
	 */
	public SessionLimits limits() {
		return this.limits;
	}

	SessionKeys keys() {
		return this.keys;
	}

	/**
	 * Note a sending sequence number taken elsewhere (from a store that replicas share),
	 * so that {@link #needsRekey} counts it.
	 * @param sequence the number taken
	 */
	void observeSequence(long sequence) {
		this.nextSequence.accumulateAndGet(sequence + 1, Math::max);
	}

	long sequencesTaken() {
		return this.nextSequence.get();
	}

	/**
	 * Take the next sending sequence number.
	 * @return the number
	 * @throws SessionExhaustedException if the message limit is reached; numbers never
	 * wrap
	 */
	public long nextSequence() throws SessionExhaustedException {
		long sequence = this.nextSequence.getAndUpdate((n) -> (n < this.limits.maxMessages()) ? n + 1 : n);
		if (sequence >= this.limits.maxMessages() || this.destroyed) {
			throw new SessionExhaustedException("session " + this.id + " has no sequence numbers left");
		}
		return sequence;
	}

	/**
	 * Seal a payload this side sends.
	 * @param sequence the sequence number from {@link #nextSequence()}
	 * @param aad the associated data
	 * @param plaintext the plaintext
	 * @return the ciphertext and tag
	 */
	public byte[] seal(long sequence, byte[] aad, byte[] plaintext) {
		this.lock.readLock().lock();
		try {
			checkUsable();
			return this.suite.seal(this.keys.sendKey(), KeySchedule.nonce(this.keys.sendIv(), sequence), aad,
					plaintext);
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	/**
	 * Open a payload the peer sent.
	 * @param sequence the sequence number it carries
	 * @param aad the associated data
	 * @param ciphertext the ciphertext and tag
	 * @return the plaintext
	 * @throws AEADBadTagException if anything was altered, or the session was destroyed
	 */
	public byte[] open(long sequence, byte[] aad, byte[] ciphertext) throws AEADBadTagException {
		this.lock.readLock().lock();
		try {
			if (this.destroyed) {
				throw new AEADBadTagException("session was destroyed");
			}
			return this.suite.open(this.keys.receiveKey(), KeySchedule.nonce(this.keys.receiveIv(), sequence), aad,
					ciphertext);
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	/**
	 * Whether the peer may still send under a sequence number: the per-session message
	 * limit binds the receiver as it binds the sender.
	 * @param sequence the sequence number received
	 * @return whether it is below the message limit
	 */
	public boolean acceptsSequence(long sequence) {
		return sequence >= 0 && sequence < this.limits.maxMessages();
	}

	/**
	 * Return the size of the window of sequence numbers the receiver remembers.
	 * @return the window size, a multiple of 64
	 */
	public int replayWindow() {
		return this.limits.replayWindow();
	}

	/**
	 * Erase the keys. The session can then neither seal nor open.
	 */
	public void destroy() {
		// waits for a seal or open in progress: keys are never erased under it
		this.lock.writeLock().lock();
		try {
			this.destroyed = true;
			this.keys.destroy();
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	/**
	 * Whether the keys were erased.
	 * @return whether the session is destroyed
	 */
	public boolean isDestroyed() {
		return this.destroyed && this.keys.isDestroyed();
	}

	private void checkUsable() {
		if (this.destroyed) {
			throw new IllegalStateException("session was destroyed");
		}
	}

	@Override
	public String toString() {
		return "Session[" + this.id + ", " + this.local + " <-> " + this.peer + ", " + this.suite.wireName() + "]";
	}

	/**
	 * Which side of the handshake this side was.
	 */
	public enum Role {

		/** Sent the {@code session.init}. */
		INITIATOR,

		/** Answered with the {@code session.accept}. */
		RESPONDER

	}

}
