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

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * A {@link ReplayStore} in Redis, shared by every replica of an agent. Entries are the
 * members of one sorted set, scored by their retention time, each the SHA-256 of sender
 * and id. One Lua script makes each reservation atomic: it drops the entries whose time
 * has passed, refuses an entry that is present or already past its retention, refuses
 * when {@code capacity} live entries are held or the sender holds
 * {@code capacityPerSender} (counted in a sorted set of its own), and otherwise adds it.
 * Expiry is decided by the Redis server's clock ({@code TIME}), read once per
 * reservation, so replicas whose clocks differ never erase each other's live entries
 * early. Every key carries the prefix as a hash tag, so all of them live in one slot of a
 * Redis Cluster.
 * <p>
 * Redis must never evict these keys: the store refuses to start unless the server's
 * {@code maxmemory-policy} is {@code noeviction} (where the server lets it be read). Any
 * Redis failure is a {@link ReplayStoreUnavailableException}, so messages are refused
 * (fail closed) until Redis answers again; the connection reconnects by itself.
 *
 * @author secure-agent authors
 */
public final class RedisReplayStore implements ReplayStore {

	// times are the server's (TIME), read once: the same reading sweeps and refuses a
	// reservation already past its retention, whatever the replicas' clocks say
	private static final String RESERVE = """
			local time = redis.call('TIME')
			local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
			redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. now)
			if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end
			local retain = tonumber(ARGV[2])
			if retain < now then return 3 end
			if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 2 end
			if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then return 4 end
			redis.call('ZADD', KEYS[1], retain, ARGV[1])
			redis.call('ZADD', KEYS[2], retain, ARGV[1])
			if redis.call('PTTL', KEYS[2]) < retain - now then
				redis.call('PEXPIRE', KEYS[2], retain - now + 1)
			end
			return 0
			""";

	private final StatefulRedisConnection<String, String> connection;

	private final String index;

	private final long capacity;

	private final long capacityPerSender;

	private final String prefix;

	private final Clock clock;

	private final String script;

	/**
	 * Create a store.
	 * @param connection a connection to Redis, owned by the caller
	 * @param prefix the prefix of every key; it becomes a hash tag
	 * @param capacity the most live entries held at once
	 * @param clock the clock that decides when entries have expired, as for freshness
	 * @throws IllegalStateException if Redis may evict keys
	 * @throws ReplayStoreUnavailableException if Redis cannot be reached
	 */
	public RedisReplayStore(StatefulRedisConnection<String, String> connection, String prefix, long capacity,
			Clock clock) throws ReplayStoreUnavailableException {
		this(connection, prefix, capacity, capacity, clock);
	}

	/**
	 * Create a store that keeps a share for each sender.
	 * @param connection a connection to Redis, owned by the caller
	 * @param prefix the prefix of every key; it becomes a hash tag
	 * @param capacity the most live entries held at once
	 * @param capacityPerSender the most live entries one sender may hold
	 * @param clock the clock that counts live entries for {@link #size()}
	 * @throws IllegalStateException if Redis may evict keys
	 * @throws ReplayStoreUnavailableException if Redis cannot be reached
	 */
	public RedisReplayStore(StatefulRedisConnection<String, String> connection, String prefix, long capacity,
			long capacityPerSender, Clock clock) throws ReplayStoreUnavailableException {
		this.connection = Objects.requireNonNull(connection, "connection cannot be null");
		Objects.requireNonNull(prefix, "prefix cannot be null");
		if (capacity <= 0 || capacityPerSender <= 0) {
			throw new IllegalArgumentException("capacity and capacityPerSender must be positive");
		}
		this.prefix = prefix;
		this.index = "{" + prefix + "}:replay";
		this.capacity = capacity;
		this.capacityPerSender = Math.min(capacity, capacityPerSender);
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
		try {
			RedisCommands<String, String> commands = connection.sync();
			checkEvictionPolicy(commands);
			this.script = commands.scriptLoad(RESERVE);
		}
		catch (RedisException ex) {
			throw new ReplayStoreUnavailableException("Redis cannot be reached", ex);
		}
	}

	private static void checkEvictionPolicy(RedisCommands<String, String> commands) {
		Map<String, String> policy;
		try {
			policy = commands.configGet("maxmemory-policy");
		}
		catch (RedisException ex) {
			// managed services may refuse CONFIG; their eviction policy is then the
			// operator's to set
			return;
		}
		String value = policy.get("maxmemory-policy");
		if (value != null && !"noeviction".equals(value)) {
			throw new IllegalStateException("Redis maxmemory-policy is " + value
					+ ": a replay store must never lose a live entry, set it to noeviction");
		}
	}

	@Override
	public Reservation reserve(String sender, String messageId, Instant retainUntil)
			throws ReplayStoreUnavailableException {
		String[] keys = { this.index, "{" + this.prefix + "}:replay:sender:" + digest(sender) };
		String[] arguments = { digest(sender + "\u0000" + messageId), Long.toString(retainUntil.toEpochMilli()),
				Long.toString(this.capacity), Long.toString(this.capacityPerSender) };
		try {
			Long outcome;
			try {
				outcome = this.connection.sync().evalsha(this.script, ScriptOutputType.INTEGER, keys, arguments);
			}
			catch (RedisNoScriptException ex) {
				// a restarted server has forgotten the script
				outcome = this.connection.sync().eval(RESERVE, ScriptOutputType.INTEGER, keys, arguments);
			}
			return switch (outcome.intValue()) {
				case 0 -> Reservation.RESERVED;
				case 1 -> Reservation.DUPLICATE;
				case 2 -> Reservation.FULL;
				case 3 -> Reservation.EXPIRED;
				case 4 -> Reservation.SENDER_FULL;
				default -> throw new ReplayStoreUnavailableException("unexpected answer from Redis", null);
			};
		}
		catch (RedisException ex) {
			throw new ReplayStoreUnavailableException("Redis cannot be reached", ex);
		}
	}

	@Override
	public long size() throws ReplayStoreUnavailableException {
		try {
			return this.connection.sync()
				.zcount(this.index, Range.create((double) this.clock.millis(), Double.POSITIVE_INFINITY));
		}
		catch (RedisException ex) {
			throw new ReplayStoreUnavailableException("Redis cannot be reached", ex);
		}
	}

	private static String digest(String value) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			sha256.update(value.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

}
