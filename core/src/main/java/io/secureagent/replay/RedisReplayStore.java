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
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ReplayStore} in Redis, shared by every replica of an agent. One Lua script
 * makes each reservation atomic: it drops the entries whose time has passed, refuses an
 * entry that is present or already past its retention, takes the sequence number of an
 * encrypted message in its session's window (a bitmap and its highest number, kept beside
 * the ids), refuses when {@code capacity} live entries are held or the sender holds
 * {@code capacityPerSender}, and otherwise adds it, all or nothing. Expiry is decided by
 * the Redis server's clock ({@code TIME}), read once per reservation, so replicas whose
 * clocks differ never erase each other's live entries early.
 * <p>
 * <b>Lost state.</b> A marker key holds the instant since which the store's state is
 * known, an epoch, and the server and replication history it was written under. When it
 * is missing (a restart without persistence, a flush), or, at the next health check, when
 * the server restarted or failed over without a persistence that loses nothing, the
 * marker is set anew and the store is in quarantine: until the longest lifetime plus
 * twice the skew has passed, it refuses every message issued before the detection plus
 * the skew ({@link Reservation#QUARANTINED}), since any of them may have been accepted
 * before. Fresh messages go through. The new epoch also ends every session kept in Redis,
 * whose sequence counters may have gone back.
 * <p>
 * <b>Faults.</b> Redis must never evict these keys: the {@code maxmemory-policy} is read
 * when the store first connects and at each {@link #checkHealth()} (which the application
 * calls periodically); an evicting policy makes the store refuse every reservation until
 * it is fixed. Any Redis failure, a timeout included, is a
 * {@link ReplayStoreUnavailableException}, so messages are refused (fail closed); the
 * store connects lazily and again after a failure, so an application can start while
 * Redis is down and resumes by itself when it is back.
 * <p>
 * Every key carries the prefix as a hash tag, so all of an agent's replay state lives in
 * one slot of a Redis Cluster.
 *
 * @author secure-agent authors
 */
public final class RedisReplayStore implements ReplayStore, AutoCloseable {

	private static final SecureRandom RANDOM = new SecureRandom();

	// KEYS: index, sender index, epoch marker, window high, window bits, session
	// ARGV: entry, retain until, capacity, per sender, issued at, quarantine, skew,
	// sequence or '', window, session expiry, whether the session must exist, a new epoch
	// in case the marker is missing
	private static final String RESERVE = """
			if redis.replicate_commands then redis.replicate_commands() end
			local time = redis.call('TIME')
			local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
			local since = redis.call('HGET', KEYS[3], 'since')
			if not since then
				since = now
				redis.call('HSET', KEYS[3], 'since', now, 'epoch', ARGV[12])
			end
			since = tonumber(since)
			if now < since + tonumber(ARGV[6]) and tonumber(ARGV[5]) < since + tonumber(ARGV[7]) then return 5 end
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
			redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. now)
			if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end
			local retain = tonumber(ARGV[2])
			if retain < now then return 3 end
			local seq = tonumber(ARGV[8])
			local window = tonumber(ARGV[9])
			local high = -1
			if seq then
				if ARGV[11] == '1' then
					local session = redis.call('HMGET', KEYS[6], 'live', 'epoch')
					if session[1] ~= '1' or session[2] ~= redis.call('HGET', KEYS[3], 'epoch') then return 8 end
				end
				if seq < 0 then return 7 end
				local stored = redis.call('GET', KEYS[4])
				if stored then high = tonumber(stored) end
				if seq <= high then
					if high - seq >= window then return 7 end
					if redis.call('GETBIT', KEYS[5], seq % window) == 1 then return 6 end
				end
			end
			if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 2 end
			if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then return 4 end
			redis.call('ZADD', KEYS[1], retain, ARGV[1])
			redis.call('ZADD', KEYS[2], retain, ARGV[1])
			if redis.call('PTTL', KEYS[2]) < retain - now then
				redis.call('PEXPIRE', KEYS[2], retain - now + 1)
			end
			if seq then
				if seq > high then
					if seq - high >= window then
						redis.call('DEL', KEYS[5])
					else
						for s = high + 1, seq do redis.call('SETBIT', KEYS[5], s % window, 0) end
					end
					redis.call('SET', KEYS[4], seq)
				end
				redis.call('SETBIT', KEYS[5], seq % window, 1)
				redis.call('PEXPIREAT', KEYS[4], ARGV[10])
				redis.call('PEXPIREAT', KEYS[5], ARGV[10])
			end
			return 0
			""";

	// KEYS: marker; ARGV: a new epoch, whether a restart loses nothing (every write is
	// fsynced to the append-only file). The marker names the server (run_id) and the
	// replication history (master_replid) it was written under: a restart or a failover
	// changes them, and unless the server is known to lose nothing, the state since the
	// last persisted write may be gone, so a quarantine starts and sessions end (the
	// epoch
	// changes)
	private static final String MARK = """
			if redis.replicate_commands then redis.replicate_commands() end
			local time = redis.call('TIME')
			local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
			local runid = string.match(redis.call('INFO', 'server'), 'run_id:(%w+)') or ''
			local replid = string.match(redis.call('INFO', 'replication'), 'master_replid:(%w+)') or ''
			if ARGV[1] == nil or ARGV[2] == nil then return redis.error_reply('MARK needs an epoch and a flag') end
			if redis.call('HGET', KEYS[1], 'since') == false then
				redis.call('HSET', KEYS[1], 'since', now, 'epoch', ARGV[1], 'runid', runid, 'replid', replid)
				return 'new'
			end
			local seenRun = redis.call('HGET', KEYS[1], 'runid')
			local seenRepl = redis.call('HGET', KEYS[1], 'replid')
			if (seenRun and seenRun ~= runid) or (seenRepl and seenRepl ~= replid) then
				if ARGV[2] ~= '1' then redis.call('HSET', KEYS[1], 'since', now, 'epoch', ARGV[1]) end
				redis.call('HSET', KEYS[1], 'runid', runid, 'replid', replid)
				return 'changed'
			end
			if not seenRun then redis.call('HSET', KEYS[1], 'runid', runid, 'replid', replid) end
			return 'same'
			""";

	private final String tag;

	private final String index;

	private final long capacity;

	private final long capacityPerSender;

	private final Clock clock;

	private final String script;

	private volatile Options options = Options.DEFAULT;

	private final LazyConnection connection;

	private volatile @Nullable String unhealthy;

	/**
	 * Create a store.
	 * @param connection a connection to Redis, owned by the caller
	 * @param prefix the prefix of every key; it becomes a hash tag
	 * @param capacity the most live entries held at once
	 * @param clock the clock that counts live entries for {@link #size()}
	 * @throws IllegalStateException if Redis may evict keys
	 * @throws ReplayStoreUnavailableException if Redis cannot be reached
	 */
	public RedisReplayStore(StatefulRedisConnection<String, String> connection, String prefix, long capacity,
			Clock clock) throws ReplayStoreUnavailableException {
		this(connection, prefix, capacity, capacity, clock);
	}

	/**
	 * Create a store over a connection that is already open, checking the eviction policy
	 * at once.
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
		this(() -> connection, prefix, capacity, capacityPerSender, clock);
		checkHealth();
		if (this.unhealthy != null) {
			throw new IllegalStateException(this.unhealthy);
		}
	}

	/**
	 * Create a store that connects when first used, and again after a failure: the
	 * application starts whether or not Redis is up.
	 * @param connector opens a connection to Redis
	 * @param prefix the prefix of every key; it becomes a hash tag
	 * @param capacity the most live entries held at once
	 * @param capacityPerSender the most live entries one sender may hold
	 * @param clock the clock that counts live entries for {@link #size()}
	 */
	public RedisReplayStore(Connector connector, String prefix, long capacity, long capacityPerSender, Clock clock) {
		this.connection = new LazyConnection(connector);
		Objects.requireNonNull(prefix, "prefix cannot be null");
		if (capacity <= 0 || capacityPerSender <= 0) {
			throw new IllegalArgumentException("capacity and capacityPerSender must be positive");
		}
		this.tag = "{" + prefix + "}";
		this.index = this.tag + ":replay";
		this.capacity = capacity;
		this.capacityPerSender = Math.min(capacity, capacityPerSender);
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
		this.script = sha1(RESERVE);
	}

	/**
	 * Set how the store treats lost state and sessions.
	 * @param options the options
	 * @return this store
	 */
	public RedisReplayStore options(Options options) {
		this.options = Objects.requireNonNull(options, "options cannot be null");
		return this;
	}

	/**
	 * Return the hash tag of every key of this store, such as {@code {secure-agent}}.
	 * @return the tag
	 */
	public String tag() {
		return this.tag;
	}

	@Override
	public Reservation reserve(Entry entry) throws ReplayStoreUnavailableException {
		String problem = this.unhealthy;
		if (problem != null) {
			throw new ReplayStoreUnavailableException(problem, null);
		}
		Sequence sequence = entry.sequence();
		String session = (sequence != null) ? sequence.sessionId() : "-";
		String[] keys = { this.index, this.tag + ":replay:sender:" + keyDigest(entry.sender()), this.tag + ":epoch",
				this.tag + ":window:" + session + ":high", this.tag + ":window:" + session + ":bits",
				sessionKey(this.tag, session) };
		Options options = this.options;
		String[] arguments = { keyDigest(entry.sender() + "\u0000" + entry.messageId()),
				Long.toString(entry.retainUntil().toEpochMilli()), Long.toString(this.capacity),
				Long.toString(this.capacityPerSender), Long.toString(entry.issuedAt()),
				Long.toString(options.quarantine().toMillis()), Long.toString(options.skew().toMillis()),
				(sequence != null) ? Long.toString(sequence.number()) : "",
				(sequence != null) ? Integer.toString(sequence.window()) : "64",
				(sequence != null) ? Long.toString(sequence.sessionExpiresAt().toEpochMilli()) : "0",
				options.sessionsInRedis() ? "1" : "0", newEpoch() };
		Long outcome = run((commands) -> {
			try {
				return commands.evalsha(this.script, ScriptOutputType.INTEGER, keys, arguments);
			}
			catch (RedisNoScriptException ex) {
				// a restarted server has forgotten the script
				return commands.eval(RESERVE, ScriptOutputType.INTEGER, keys, arguments);
			}
		});
		return switch (outcome.intValue()) {
			case 0 -> Reservation.RESERVED;
			case 1 -> Reservation.DUPLICATE;
			case 2 -> Reservation.FULL;
			case 3 -> Reservation.EXPIRED;
			case 4 -> Reservation.SENDER_FULL;
			case 5 -> Reservation.QUARANTINED;
			case 6 -> Reservation.SEQUENCE_SEEN;
			case 7 -> Reservation.SEQUENCE_TOO_OLD;
			case 8 -> Reservation.UNKNOWN_SESSION;
			default -> throw new ReplayStoreUnavailableException("unexpected answer from Redis", null);
		};
	}

	@Override
	public boolean survivesRestarts() {
		return true;
	}

	@Override
	public void forgetWindow(String sessionId) throws ReplayStoreUnavailableException {
		run((commands) -> commands.del(this.tag + ":window:" + sessionId + ":high",
				this.tag + ":window:" + sessionId + ":bits"));
	}

	@Override
	public long size() throws ReplayStoreUnavailableException {
		return run((commands) -> commands.zcount(this.index,
				Range.create((double) this.clock.millis(), Double.POSITIVE_INFINITY)));
	}

	/**
	 * Check the store: connect if need be, set the lost-state marker if it is missing,
	 * and read the eviction policy. An evicting policy makes every reservation fail until
	 * a later check finds it fixed. Called when the application starts and then
	 * periodically, and by the health indicator.
	 * @return why the store refuses reservations, or {@code null} when it is healthy
	 */
	public @Nullable String checkHealth() {
		try {
			String policy = run((commands) -> {
				Map<String, String> config = new HashMap<>();
				try {
					for (String parameter : List.of("maxmemory-policy", "appendonly", "appendfsync")) {
						config.putAll(commands.configGet(parameter));
					}
				}
				catch (RedisException ex) {
					if (ex.getMessage() == null
							|| (!ex.getMessage().contains("unknown command") && !ex.getMessage().contains("NOPERM"))) {
						throw ex;
					}
					// managed services may refuse CONFIG; their eviction policy and
					// persistence are then the operator's to set
					config.clear();
				}
				boolean durable = "yes".equals(config.get("appendonly")) && "always".equals(config.get("appendfsync"));
				commands.eval(MARK, ScriptOutputType.VALUE, new String[] { this.tag + ":epoch" },
						new String[] { newEpoch(), durable ? "1" : "0" });
				return config.get("maxmemory-policy");
			});
			this.unhealthy = (policy != null && !"noeviction".equals(policy)) ? "Redis maxmemory-policy is " + policy
					+ ": a replay store must never lose a live entry, set it to noeviction" : null;
		}
		catch (ReplayStoreUnavailableException ex) {
			return "Redis cannot be reached";
		}
		return this.unhealthy;
	}

	@Override
	public @Nullable String health() {
		return checkHealth();
	}

	/**
	 * Return the instant, by the server's clock, since which this store's state is known:
	 * when its marker was set.
	 * @return milliseconds since the epoch
	 * @throws ReplayStoreUnavailableException if Redis cannot be reached
	 */
	public long stateSince() throws ReplayStoreUnavailableException {
		String since = run((commands) -> commands.hget(this.tag + ":epoch", "since"));
		return (since != null) ? Long.parseLong(since) : Long.MAX_VALUE;
	}

	@Override
	public void close() {
		this.connection.close();
	}

	/**
	 * Return the key of a session's hash in a store with this tag, which an encrypted
	 * message's reservation requires to exist when sessions are kept in Redis.
	 * @param tag the hash tag
	 * @param sessionId the session
	 * @return the key
	 */
	public static String sessionKey(String tag, String sessionId) {
		return tag + ":session:" + sessionId;
	}

	private <T> T run(Command<T> command) throws ReplayStoreUnavailableException {
		try {
			return command.run(this.connection.sync());
		}
		catch (RedisException ex) {
			throw new ReplayStoreUnavailableException("Redis cannot be reached", ex);
		}
	}

	private static String newEpoch() {
		byte[] bytes = new byte[12];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * Return the digest that names a value in a key: SHA-256, base64url.
	 * @param value the value
	 * @return the digest
	 */
	public static String keyDigest(String value) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			sha256.update(value.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

	private static String sha1(String script) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required of every Java platform", ex);
		}
	}

	/**
	 * Opens a connection to Redis.
	 */
	@FunctionalInterface
	public interface Connector {

		/**
		 * Open a connection: to one server, or to a cluster.
		 * @return the connection
		 * @throws RedisException if Redis cannot be reached
		 */
		StatefulConnection<String, String> connect();

	}

	@FunctionalInterface
	private interface Command<T> {

		T run(RedisClusterCommands<String, String> commands);

	}

	/**
	 * How the store treats lost state and sessions.
	 *
	 * @param quarantine how long after detecting lost state messages issued before it are
	 * refused: the longest lifetime plus twice the skew
	 * @param skew the allowed clock skew
	 * @param sessionsInRedis whether sessions are kept in Redis too, so that an encrypted
	 * message's session must still exist there
	 */
	public record Options(Duration quarantine, Duration skew, boolean sessionsInRedis) {

		/** Five minutes of lifetime, 30 s of skew, sessions elsewhere. */
		public static final Options DEFAULT = new Options(Duration.ofMinutes(6), Duration.ofSeconds(30), false);

		public Options {
			Objects.requireNonNull(quarantine, "quarantine cannot be null");
			Objects.requireNonNull(skew, "skew cannot be null");
		}

	}

}
