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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.replay.ReplayStore.Reservation;
import io.secureagent.testsupport.RedisServer;
import io.secureagent.testsupport.TestPki;
import io.secureagent.verification.ReasonCode;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link RedisReplayStore} against a real {@code redis-server} on loopback.
 *
 * @author secure-agent authors
 */
class RedisReplayStoreTests extends ReplayStoreContractTests {

	private RedisServer server;

	private RedisClient client;

	private StatefulRedisConnection<String, String> connection;

	@BeforeEach
	void start() throws Exception {
		this.server = RedisServer.start();
		this.client = this.server.client();
		this.connection = this.client.connect();
	}

	private final Clock clock = Clock.systemUTC();

	@Override
	protected ReplayStore store(int capacity, int capacityPerSender) throws Exception {
		// no quarantine: these cases are about ids and windows; the lost-state cases set
		// their own
		return new RedisReplayStore(this.connection, "test", capacity, capacityPerSender, this.clock)
			.options(new RedisReplayStore.Options(Duration.ZERO, Duration.ZERO, false));
	}

	@Override
	protected Instant now() {
		// the server decides expiry by its own clock: read it
		List<String> time = this.connection.sync().time();
		return Instant.ofEpochSecond(Long.parseLong(time.get(0)), Long.parseLong(time.get(1)) * 1000);
	}

	@Override
	protected void advance(Duration duration) throws Exception {
		Thread.sleep(duration.toMillis());
	}

	@Override
	protected Duration unit() {
		return Duration.ofMillis(150);
	}

	@Test
	void reserveWhenAgentClockRunsFastOrSlowThenTheServersClockDecides() throws Exception {
		// replicas whose clocks differ by minutes share one notion of expiry: the
		// server's
		RedisReplayStore fast = new RedisReplayStore(this.connection, "skew", 10, 10,
				Clock.offset(Clock.systemUTC(), Duration.ofMinutes(5)))
			.options(new RedisReplayStore.Options(Duration.ZERO, Duration.ZERO, false));
		RedisReplayStore slow = new RedisReplayStore(this.connection, "skew", 10, 10,
				Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5)))
			.options(new RedisReplayStore.Options(Duration.ZERO, Duration.ZERO, false));
		Instant until = now().plusSeconds(30);
		assertThat(slow.reserve("s", "live", until)).isEqualTo(Reservation.RESERVED);
		// the fast replica's clock says the entry is long gone; its reservation must not
		// sweep it
		assertThat(fast.reserve("s", "live", until)).isEqualTo(Reservation.DUPLICATE);
		assertThat(slow.reserve("s", "past", now().minusSeconds(1))).isEqualTo(Reservation.EXPIRED);
	}

	@AfterEach
	void stop() throws Exception {
		if (this.connection != null) {
			this.connection.close();
			this.client.shutdown();
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void reserveWhenRedisDownThenUnavailableAndWhenBackThenWorksAgain() throws Exception {
		RedisReplayStore store = new RedisReplayStore(this.connection, "test", 10, this.clock)
			.options(new RedisReplayStore.Options(Duration.ZERO, Duration.ZERO, false));
		Instant until = now().plusSeconds(60);
		assertThat(store.reserve("s", "before", until)).isEqualTo(Reservation.RESERVED);
		this.server.stop();
		assertThatExceptionOfType(ReplayStoreUnavailableException.class)
			.isThrownBy(() -> store.reserve("s", "during", until));
		this.server.restart();
		Instant deadline = Instant.now().plusSeconds(20);
		Reservation after = null;
		while (after == null && Instant.now().isBefore(deadline)) {
			try {
				after = store.reserve("s", "after", until);
			}
			catch (ReplayStoreUnavailableException ex) {
				Thread.sleep(100);
			}
		}
		assertThat(after).isEqualTo(Reservation.RESERVED);
	}

	@Test
	void reserveWhenRedisLostItsStateThenMessagesIssuedBeforeAreQuarantinedAndFreshOnesGoThrough() throws Exception {
		RedisReplayStore store = new RedisReplayStore(this.connection, "lost", 10, this.clock)
			.options(new RedisReplayStore.Options(Duration.ofSeconds(2), Duration.ofMillis(300), false));
		store.checkHealth();
		Thread.sleep(400);
		long issued = now().toEpochMilli();
		Instant until = now().plusSeconds(60);
		assertThat(store.reserve(new ReplayStore.Entry("s", "before", issued, until, null)))
			.isEqualTo(Reservation.RESERVED);
		// Redis restarts without persistence: every entry is gone
		this.connection.sync().flushall();
		// the copy of a message accepted before the loss is refused, not accepted again
		assertThat(store.reserve(new ReplayStore.Entry("s", "before", issued, until, null)))
			.isEqualTo(Reservation.QUARANTINED);
		// a message issued after the detection (plus the skew) goes through
		Thread.sleep(400);
		assertThat(store.reserve(new ReplayStore.Entry("s", "fresh", now().toEpochMilli(), until, null)))
			.isEqualTo(Reservation.RESERVED);
		// once every message from before the loss has expired, the quarantine ends
		Thread.sleep(2000);
		assertThat(store.reserve(new ReplayStore.Entry("s", "late", issued, until, null)))
			.isEqualTo(Reservation.RESERVED);
	}

	@Test
	void checkHealthWhenRedisRestartedWithoutLosslessPersistenceThenQuarantineStarts() throws Exception {
		RedisReplayStore store = new RedisReplayStore(this.connection, "restart", 10, this.clock)
			.options(new RedisReplayStore.Options(Duration.ofSeconds(30), Duration.ofMillis(300), false));
		store.checkHealth();
		Thread.sleep(400);
		long issued = now().toEpochMilli();
		Instant until = now().plusSeconds(60);
		assertThat(store.reserve(new ReplayStore.Entry("s", "before", issued, until, null)))
			.isEqualTo(Reservation.RESERVED);
		// the marker survives (as after a failover or a restore from an older snapshot),
		// but the server is another one: its writes since the snapshot may be gone
		String marker = this.connection.sync().hget("{restart}:epoch", "since");
		this.connection.sync().hset("{restart}:epoch", "runid", "an-earlier-server");
		store.checkHealth();
		assertThat(this.connection.sync().hget("{restart}:epoch", "since")).isNotEqualTo(marker);
		assertThat(store.reserve(new ReplayStore.Entry("s", "copy", issued, until, null)))
			.isEqualTo(Reservation.QUARANTINED);
	}

	@Test
	void reserveWhenEvictionPolicyChangesWhileRunningThenRefusedUntilFixed() throws Exception {
		RedisReplayStore store = new RedisReplayStore(this.connection, "policy", 10, this.clock)
			.options(new RedisReplayStore.Options(Duration.ZERO, Duration.ZERO, false));
		Instant until = now().plusSeconds(60);
		assertThat(store.reserve("s", "1", until)).isEqualTo(Reservation.RESERVED);
		this.connection.sync().configSet("maxmemory-policy", "allkeys-lru");
		assertThat(store.checkHealth()).contains("allkeys-lru");
		assertThatExceptionOfType(ReplayStoreUnavailableException.class)
			.isThrownBy(() -> store.reserve("s", "2", until));
		this.connection.sync().configSet("maxmemory-policy", "noeviction");
		assertThat(store.checkHealth()).isNull();
		assertThat(store.reserve("s", "2", until)).isEqualTo(Reservation.RESERVED);
	}

	@Test
	void reserveWhenRedisIsDownAtStartThenUnavailableAndLaterWorks() throws Exception {
		this.server.stop();
		RedisURI uri = RedisURI.create(this.server.uri());
		uri.setTimeout(Duration.ofSeconds(1));
		RedisReplayStore store = new RedisReplayStore(() -> this.client.connect(uri), "late", 10, 10, this.clock)
			.options(new RedisReplayStore.Options(Duration.ZERO, Duration.ZERO, false));
		assertThat(store.checkHealth()).isEqualTo("Redis cannot be reached");
		assertThatExceptionOfType(ReplayStoreUnavailableException.class)
			.isThrownBy(() -> store.reserve("s", "1", Instant.now().plusSeconds(60)));
		this.server.restart();
		Instant deadline = Instant.now().plusSeconds(20);
		while (store.checkHealth() != null && Instant.now().isBefore(deadline)) {
			Thread.sleep(100);
		}
		// the test's own connection may still be reconnecting: the same machine's clock
		assertThat(store.reserve("s", "1", Instant.now().plusSeconds(60))).isEqualTo(Reservation.RESERVED);
		store.close();
	}

	@Test
	void reserveWhenRedisIsSlowerThanTheTimeoutThenUnavailableAndAfterwardsWorks() throws Exception {
		RedisURI uri = RedisURI.create(this.server.uri());
		uri.setTimeout(Duration.ofMillis(300));
		RedisReplayStore store = new RedisReplayStore(() -> this.client.connect(uri), "slow", 10, 10, this.clock)
			.options(new RedisReplayStore.Options(Duration.ZERO, Duration.ZERO, false));
		Instant until = now().plusSeconds(60);
		assertThat(store.reserve("s", "before", until)).isEqualTo(Reservation.RESERVED);
		// another client keeps the server busy for about a second (a script blocks it)
		Thread busy = new Thread(() -> this.connection.sync()
			.eval("local t = redis.call('TIME') local start = t[1] * 1000 + t[2] / 1000 "
					+ "repeat t = redis.call('TIME') until t[1] * 1000 + t[2] / 1000 > start + 1000 return 1",
					ScriptOutputType.INTEGER));
		busy.start();
		Thread.sleep(100);
		assertThatExceptionOfType(ReplayStoreUnavailableException.class)
			.isThrownBy(() -> store.reserve("s", "during", until));
		busy.join();
		assertThat(store.reserve("s", "after", until)).isEqualTo(Reservation.RESERVED);
		store.close();
	}

	@Test
	void memoryWhenManyEntriesHeldThenMeasuredPerEntry() throws Exception {
		RedisReplayStore store = new RedisReplayStore(this.connection, "memory", 100_000, 100_000, this.clock)
			.options(new RedisReplayStore.Options(Duration.ZERO, Duration.ZERO, false));
		Instant until = now().plusSeconds(600);
		store.reserve("spiffe://example.org/warm", "0", until);
		long before = usedMemory();
		int entries = 20_000;
		for (int i = 0; i < entries; i++) {
			// ten senders, as a busy agent sees them
			store.reserve("spiffe://example.org/sender-" + (i % 10), EnvelopeSigner.newMessageId(), until);
		}
		long perEntry = (usedMemory() - before) / entries;
		System.out.println("Redis replay store: " + perEntry + " bytes per live entry (" + entries + " entries)");
		// an entry is two sorted-set members (the index, the sender's share) of a 43-byte
		// digest each; anything far above that would be a leak
		assertThat(perEntry).isBetween(50L, 400L);
	}

	private long usedMemory() {
		String info = this.connection.sync().info("memory");
		return info.lines()
			.filter((line) -> line.startsWith("used_memory:"))
			.map((line) -> Long.parseLong(line.substring("used_memory:".length()).strip()))
			.findFirst()
			.orElseThrow();
	}

	@Test
	void createWhenRedisMayEvictThenRefusesToStart() {
		this.connection.sync().configSet("maxmemory-policy", "allkeys-lru");
		assertThatIllegalStateException()
			.isThrownBy(() -> new RedisReplayStore(this.connection, "test", 10, this.clock))
			.withMessageContaining("noeviction");
	}

	@Test
	void pipelinesWhenTwoReplicasShareRedisThenAReplayToTheOtherIsRejected() throws Exception {
		TestPki pki = new TestPki(Instant.now());
		StaticIdentity planner = pki.identity(TestPki.PLANNER, KeyType.EC_P256);
		StaticIdentity executor = pki.identity(TestPki.EXECUTOR, KeyType.EC_P256);
		// the store's state is older than the message: no quarantine applies
		RedisReplayStore.Options options = new RedisReplayStore.Options(Duration.ofMinutes(6), Duration.ofSeconds(30),
				false);
		RedisReplayStore shared = new RedisReplayStore(this.connection, "executor", 1000, pki.clock).options(options);
		shared.checkHealth();
		pki.clock.advance(Duration.ofSeconds(31));
		VerificationPipeline replicaA = VerificationPipeline.standard(executor, shared, VerificationPolicy.DEFAULT,
				pki.clock);
		VerificationPipeline replicaB = VerificationPipeline.standard(executor,
				new RedisReplayStore(this.connection, "executor", 1000, pki.clock).options(options),
				VerificationPolicy.DEFAULT, pki.clock);
		byte[] message = new EnvelopeSigner(planner, pki.clock, Duration.ofMinutes(1))
			.sign("task.request", TestPki.EXECUTOR, null, new JsonString("once"))
			.bytes();
		assertThat(replicaA.verify(message)).isInstanceOf(Verdict.Accepted.class);
		assertThat(((Verdict.Rejected) replicaB.verify(message)).reason()).isEqualTo(ReasonCode.REPLAYED);
	}

}
