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

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.secureagent.crypto.AeadSuite;
import io.secureagent.replay.LazyConnection;
import io.secureagent.replay.RedisReplayStore;
import io.spiffe.spiffeid.SpiffeId;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SessionStore} in Redis, shared by every replica of an agent: a session
 * established with one replica (its handshake completed there) serves messages that reach
 * any other. Each session is a hash under the store's hash tag, expiring with the
 * session; its keys are stored wrapped under a {@link KeyEncryptionKeys key-encryption
 * key}, never in clear. Binding is one Lua script (an id in use is refused, the store and
 * each peer's share are bounded, a bound session stays invisible until published), and
 * sending sequence numbers come from a Redis counter, so that no two replicas seal under
 * one number. The receive windows live in the {@link RedisReplayStore} under the same
 * tag, which refuses a message whose session no longer exists.
 * <p>
 * Each replica keeps the sessions it has read in a local map, so keys are unwrapped once
 * per replica; Redis stays the authority on whether a session exists.
 *
 * @author secure-agent authors
 */
public final class RedisSessionStore implements SessionStore {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final List<String> BOUND = List.of("role", "local", "peer", "version", "suite", "establishedAt",
			"maxAge", "maxMessages", "rekeyAt", "replayWindow", "handshakeTimeout", "token");

	// KEYS: session, index, peer index, epoch marker; ARGV: provisional expiry, capacity,
	// per peer, id, a new epoch in case the marker is missing, then the session's fields
	// as
	// name, value pairs
	private static final String ADD = """
			if redis.replicate_commands then redis.replicate_commands() end
			local time = redis.call('TIME')
			local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
			redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. now)
			redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. now)
			if redis.call('EXISTS', KEYS[1]) == 1 then return 3 end
			if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return 1 end
			if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[3]) then return 2 end
			local epoch = redis.call('HGET', KEYS[4], 'epoch')
			if not epoch then
				epoch = ARGV[5]
				redis.call('HSET', KEYS[4], 'epoch', epoch)
				if not redis.call('HGET', KEYS[4], 'since') then redis.call('HSET', KEYS[4], 'since', now) end
			end
			for i = 6, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
			redis.call('HSET', KEYS[1], 'live', '0', 'epoch', epoch)
			redis.call('PEXPIREAT', KEYS[1], ARGV[1])
			redis.call('ZADD', KEYS[2], ARGV[1], ARGV[4])
			redis.call('ZADD', KEYS[3], ARGV[1], ARGV[4])
			if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[1]) - now then redis.call('PEXPIREAT', KEYS[3], ARGV[1]) end
			return 0
			""";

	// KEYS: session, index, peer index; ARGV: expiry, id, token
	private static final String PUBLISH = """
			if redis.call('HGET', KEYS[1], 'token') ~= ARGV[3] then return 0 end
			redis.call('HSET', KEYS[1], 'live', '1')
			redis.call('PEXPIREAT', KEYS[1], ARGV[1])
			redis.call('ZADD', KEYS[2], 'XX', ARGV[1], ARGV[2])
			redis.call('ZADD', KEYS[3], 'XX', ARGV[1], ARGV[2])
			if redis.call('PTTL', KEYS[3]) < redis.call('PTTL', KEYS[1]) then redis.call('PEXPIREAT', KEYS[3], ARGV[1]) end
			return 1
			""";

	// KEYS: session, epoch marker; ARGV: token. Whether the session this replica holds is
	// still the one bound in Redis, in the store's current epoch
	private static final String CURRENT = """
			local fields = redis.call('HMGET', KEYS[1], 'live', 'token', 'epoch')
			if fields[1] ~= '1' or fields[2] ~= ARGV[1] then return 0 end
			if fields[3] ~= redis.call('HGET', KEYS[2], 'epoch') then return 0 end
			return 1
			""";

	// KEYS: session, epoch marker; ARGV: token. The next sending sequence number, from a
	// counter inside the session's hash: it cannot outlive the session, nor start again
	private static final String NEXT = """
			local fields = redis.call('HMGET', KEYS[1], 'live', 'token', 'epoch')
			if fields[1] ~= '1' or fields[2] ~= ARGV[1] then return -1 end
			if fields[3] ~= redis.call('HGET', KEYS[2], 'epoch') then return -1 end
			return redis.call('HINCRBY', KEYS[1], 'seq', 1) - 1
			""";

	// KEYS: session, index, peer index; ARGV: id, token
	private static final String REMOVE = """
			if redis.call('HGET', KEYS[1], 'token') == ARGV[2] then redis.call('DEL', KEYS[1]) end
			redis.call('ZREM', KEYS[2], ARGV[1])
			redis.call('ZREM', KEYS[3], ARGV[1])
			return 1
			""";

	private final String tag;

	private final int capacity;

	private final int capacityPerPeer;

	private final KeyEncryptionKeys keys;

	private final Clock clock;

	private final Map<String, Held> read = new ConcurrentHashMap<>();

	private final LazyConnection connection;

	/**
	 * Create a store.
	 * @param connector opens a connection to Redis (lazily, and again after a failure)
	 * @param prefix the prefix of every key, the same as the replay store's: it becomes
	 * the hash tag
	 * @param capacity the most sessions held at once
	 * @param capacityPerPeer the most sessions held with one peer
	 * @param keys the key-encryption keys
	 * @param clock the clock that decides when sessions have expired
	 */
	public RedisSessionStore(RedisReplayStore.Connector connector, String prefix, int capacity, int capacityPerPeer,
			KeyEncryptionKeys keys, Clock clock) {
		this.connection = new LazyConnection(connector);
		this.tag = "{" + Objects.requireNonNull(prefix, "prefix cannot be null") + "}";
		if (capacity <= 0 || capacityPerPeer <= 0) {
			throw new IllegalArgumentException("capacity and capacityPerPeer must be positive");
		}
		this.capacity = capacity;
		this.capacityPerPeer = Math.min(capacity, capacityPerPeer);
		this.keys = Objects.requireNonNull(keys, "keys cannot be null");
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
	}

	@Override
	public Admission add(Session session) {
		String token = randomToken();
		Map<String, String> fields = fields(session, token);
		String[] arguments = new String[5 + fields.size() * 2];
		// bound but unpublished, a session lives only as long as a handshake may take, so
		// that one whose message is refused later leaves nothing behind for long
		long provisional = Math.min(session.expiresAt().toEpochMilli(),
				this.clock.millis() + 2 * session.limits().handshakeTimeout().toMillis());
		arguments[0] = Long.toString(provisional);
		arguments[1] = Integer.toString(this.capacity);
		arguments[2] = Integer.toString(this.capacityPerPeer);
		arguments[3] = session.id();
		arguments[4] = randomToken();
		int i = 5;
		for (Map.Entry<String, String> field : fields.entrySet()) {
			arguments[i++] = field.getKey();
			arguments[i++] = field.getValue();
		}
		Long outcome = run((commands) -> commands.eval(ADD, ScriptOutputType.INTEGER,
				new String[] { key(session.id()), index(), peerIndex(session.peer()), epoch() }, arguments));
		return switch (outcome.intValue()) {
			case 0 -> {
				this.read.put(session.id(), new Held(session, token));
				yield Admission.ADMITTED;
			}
			case 1 -> Admission.FULL;
			case 2 -> Admission.PEER_QUOTA_EXCEEDED;
			default -> Admission.ID_IN_USE;
		};
	}

	@Override
	public void publish(Session session) {
		Held held = this.read.get(session.id());
		if (held == null || held.session() != session) {
			return;
		}
		// only the session this replica bound: one removed or expired meanwhile stays
		// gone
		run((commands) -> commands.eval(PUBLISH, ScriptOutputType.INTEGER,
				new String[] { key(session.id()), index(), peerIndex(session.peer()) },
				Long.toString(session.expiresAt().toEpochMilli()), session.id(), held.token()));
	}

	@Override
	public Admission admissible(SpiffeId peer, @Nullable String sessionId) {
		return run((commands) -> {
			if (sessionId != null && commands.exists(key(sessionId)) > 0) {
				return Admission.ID_IN_USE;
			}
			Range<Double> live = Range.create((double) this.clock.millis(), Double.POSITIVE_INFINITY);
			if (commands.zcount(index(), live) >= this.capacity) {
				return Admission.FULL;
			}
			if (commands.zcount(peerIndex(peer), live) >= this.capacityPerPeer) {
				return Admission.PEER_QUOTA_EXCEEDED;
			}
			return Admission.ADMITTED;
		});
	}

	@Override
	public Optional<Session> find(String sessionId) {
		Held known = this.read.get(sessionId);
		if (known != null && !known.session().isExpired(this.clock.instant())) {
			// the session this replica holds must still be the one bound in Redis (same
			// binding token, same epoch), or it is not used
			Long current = run((commands) -> commands.eval(CURRENT, ScriptOutputType.INTEGER,
					new String[] { key(sessionId), epoch() }, known.token()));
			if (current == 1) {
				return Optional.of(known.session());
			}
			if (this.read.remove(sessionId, known)) {
				known.session().destroy();
			}
		}
		Map<String, String> fields = run((commands) -> commands.hgetall(key(sessionId)));
		String epoch = run((commands) -> commands.hget(epoch(), "epoch"));
		if (fields.isEmpty() || !"1".equals(fields.get("live")) || !Objects.equals(epoch, fields.get("epoch"))) {
			return Optional.empty();
		}
		Session session = session(sessionId, fields);
		if (session == null) {
			return Optional.empty();
		}
		sweepRead();
		Held raced = this.read.putIfAbsent(sessionId, new Held(session, fields.get("token")));
		if (raced != null) {
			session.destroy();
			return Optional.of(raced.session());
		}
		return Optional.of(session);
	}

	@Override
	public void remove(Session session) {
		Held held = this.read.get(session.id());
		try {
			if (held != null && held.session() == session) {
				this.read.remove(session.id(), held);
				run((commands) -> commands.eval(REMOVE, ScriptOutputType.INTEGER,
						new String[] { key(session.id()), index(), peerIndex(session.peer()) }, session.id(),
						held.token()));
			}
		}
		finally {
			session.destroy();
		}
	}

	@Override
	public int size() {
		return run((commands) -> commands
			.zcount(index(), Range.create((double) this.clock.millis(), Double.POSITIVE_INFINITY))
			.intValue());
	}

	@Override
	public int size(SpiffeId peer) {
		return run((commands) -> commands
			.zcount(peerIndex(peer), Range.create((double) this.clock.millis(), Double.POSITIVE_INFINITY))
			.intValue());
	}

	@Override
	public long nextSequence(Session session) throws SessionExhaustedException {
		Held held = this.read.get(session.id());
		if (held == null || held.session() != session) {
			throw new SessionExhaustedException("session " + session.id() + " is no longer held here");
		}
		long taken = run((commands) -> commands.eval(NEXT, ScriptOutputType.INTEGER,
				new String[] { key(session.id()), epoch() }, held.token()));
		if (taken < 0) {
			// removed, expired, or lost with the store's state: never seal in it again
			throw new SessionExhaustedException("session " + session.id() + " is no longer bound in Redis");
		}
		if (taken < session.sequencesTaken()) {
			// the counter went back (a failover lost writes): a number may have been used
			throw new SessionExhaustedException("session " + session.id() + " has an inconsistent sequence counter");
		}
		if (taken >= session.limits().maxMessages()) {
			throw new SessionExhaustedException("session " + session.id() + " has no sequence numbers left");
		}
		session.observeSequence(taken);
		return taken;
	}

	private Map<String, String> fields(Session session, String token) {
		SessionLimits limits = session.limits();
		SessionKeys keys = session.keys();
		byte[] material = ByteBuffer
			.allocate(keys.sendKey().length + keys.sendIv().length + keys.receiveKey().length + keys.receiveIv().length)
			.put(keys.sendKey())
			.put(keys.sendIv())
			.put(keys.receiveKey())
			.put(keys.receiveIv())
			.array();
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("role", session.role().name());
		fields.put("local", session.local().toString());
		fields.put("peer", session.peer().toString());
		fields.put("version", session.version());
		fields.put("suite", session.suite().wireName());
		fields.put("establishedAt", Long.toString(session.establishedAt().toEpochMilli()));
		fields.put("maxAge", Long.toString(limits.maxAge().toMillis()));
		fields.put("maxMessages", Long.toString(limits.maxMessages()));
		fields.put("rekeyAt", Double.toString(limits.rekeyAt()));
		fields.put("replayWindow", Integer.toString(limits.replayWindow()));
		fields.put("handshakeTimeout", Long.toString(limits.handshakeTimeout().toMillis()));
		fields.put("token", token);
		try {
			// every field is bound to the keys: one changed in Redis makes the session
			// unusable rather than someone else's
			fields.put("keys", this.keys.wrap(session.id(), binding(fields), material));
		}
		finally {
			Arrays.fill(material, (byte) 0);
		}
		return fields;
	}

	private @Nullable Session session(String id, Map<String, String> fields) {
		byte[] material = this.keys.unwrap(id, binding(fields), fields.getOrDefault("keys", ""));
		if (material == null || material.length != 2 * (AeadSuite.KEY_LENGTH + AeadSuite.NONCE_LENGTH)) {
			// wrapped under a key no longer configured: the session cannot be used here
			return null;
		}
		try {
			ByteBuffer buffer = ByteBuffer.wrap(material);
			SessionKeys keys = new SessionKeys(take(buffer, AeadSuite.KEY_LENGTH), take(buffer, AeadSuite.NONCE_LENGTH),
					take(buffer, AeadSuite.KEY_LENGTH), take(buffer, AeadSuite.NONCE_LENGTH));
			SessionLimits limits = new SessionLimits(Duration.ofMillis(Long.parseLong(fields.get("maxAge"))),
					Long.parseLong(fields.get("maxMessages")), Double.parseDouble(fields.get("rekeyAt")),
					Integer.parseInt(fields.get("replayWindow")),
					Duration.ofMillis(Long.parseLong(fields.get("handshakeTimeout"))));
			return new Session(id, Session.Role.valueOf(fields.get("role")), SpiffeId.parse(fields.get("local")),
					SpiffeId.parse(fields.get("peer")), fields.get("version"),
					AeadSuite.fromWireName(fields.get("suite")).orElseThrow(), keys,
					Instant.ofEpochMilli(Long.parseLong(fields.get("establishedAt"))), limits);
		}
		catch (RuntimeException ex) {
			return null;
		}
		finally {
			Arrays.fill(material, (byte) 0);
		}
	}

	private static String binding(Map<String, String> fields) {
		StringBuilder binding = new StringBuilder();
		for (String name : BOUND) {
			binding.append(name).append('=').append(fields.getOrDefault(name, "")).append('\n');
		}
		return binding.toString();
	}

	private static String randomToken() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private String epoch() {
		return this.tag + ":epoch";
	}

	private static byte[] take(ByteBuffer buffer, int length) {
		byte[] bytes = new byte[length];
		buffer.get(bytes);
		return bytes;
	}

	private void sweepRead() {
		if (this.read.size() < this.capacity) {
			return;
		}
		Instant now = this.clock.instant();
		this.read.values().removeIf((held) -> {
			if (held.session().isExpired(now)) {
				held.session().destroy();
				return true;
			}
			return false;
		});
	}

	private String key(String sessionId) {
		return RedisReplayStore.sessionKey(this.tag, sessionId);
	}

	private String index() {
		return this.tag + ":sessions";
	}

	private String peerIndex(SpiffeId peer) {
		return this.tag + ":sessions:peer:" + RedisReplayStore.keyDigest(peer.toString());
	}

	private <T> T run(Command<T> command) {
		try {
			return command.run(this.connection.sync());
		}
		catch (RedisException ex) {
			throw new SessionStoreUnavailableException("Redis cannot be reached", ex);
		}
	}

	private record Held(Session session, String token) {

	}

	@FunctionalInterface
	private interface Command<T> {

		T run(RedisClusterCommands<String, String> commands);

	}

}
