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
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.crypto.AeadSuite;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.envelope.EnvelopeSigner.SignedEnvelope;
import io.secureagent.envelope.Members;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.replay.RedisReplayStore;
import io.secureagent.testsupport.RedisServer;
import io.secureagent.testsupport.TestPki;
import io.secureagent.verification.Exchange;
import io.secureagent.verification.ReasonCode;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import io.secureagent.verification.VerifiedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions shared by replicas through a real Redis: a handshake completed at one replica
 * serves messages at another, the receive window and the sending sequence numbers are
 * shared, no key is stored in clear, and key-encryption keys rotate.
 *
 * @author secure-agent authors
 */
class RedisSessionStoreTests {

	private static final JsonValue TASK = new JsonObject(Map.of("task", new JsonString("summarise")));

	private static final KeyEncryptionKeys KEYS = new KeyEncryptionKeys(
			List.of(new KeyEncryptionKeys.Key("k1", key(1))));

	private final TestPki pki = new TestPki(Instant.now());

	private final StaticIdentity plannerIdentity = this.pki.identity(TestPki.PLANNER, KeyType.EC_P256);

	private final StaticIdentity executorIdentity = this.pki.identity(TestPki.EXECUTOR, KeyType.EC_P256);

	private RedisServer server;

	private RedisClient client;

	protected StatefulConnection<String, String> connection;

	protected RedisClusterCommands<String, String> commands;

	private Planner planner;

	@BeforeEach
	void start() throws Exception {
		startRedis();
		this.planner = new Planner();
	}

	@AfterEach
	void stop() throws Exception {
		if (this.connection != null) {
			this.connection.close();
		}
		stopRedis();
	}

	/**
	 * Start Redis, and set {@link #connection} and {@link #commands}.
	 * @throws Exception if it cannot start
	 */
	protected void startRedis() throws Exception {
		this.server = RedisServer.start();
		this.client = this.server.client();
		StatefulRedisConnection<String, String> single = this.client.connect();
		this.connection = single;
		this.commands = single.sync();
	}

	/**
	 * Stop what {@link #startRedis()} started.
	 * @throws Exception if it cannot stop
	 */
	protected void stopRedis() throws Exception {
		this.client.shutdown();
		this.server.close();
	}

	@Test
	void sessionWhenEstablishedAtOneReplicaThenUsedAtTheOtherAndReplaysRefusedAtBoth() throws Exception {
		Replica a = new Replica(KEYS);
		Replica b = new Replica(KEYS);
		Session session = this.planner.handshake(a);
		// the first message reaches the other replica
		SignedEnvelope first = this.planner.sessions.seal(session, "task.request", null, TASK);
		VerifiedMessage received = accepted(b.inbox.verify(first.bytes()));
		assertThat(received.payload()).isEqualTo(TASK);
		// a copy at the first replica is a replay
		assertThat(rejected(a.inbox.verify(first.bytes()))).isEqualTo(ReasonCode.REPLAYED);
		// another message sealed under the same sequence number is refused by the shared
		// window
		String id = EnvelopeSigner.newMessageId();
		JsonObject reused = tree(first.bytes()).with(Members.ID, new JsonString(id))
			.with(Members.CORRELATION_ID, new JsonString(id));
		byte[] aad = JsonCanonicalizer.canonicalize(reused.without(Members.SIGNATURE).without(Members.CIPHERTEXT));
		reused = reused.with(Members.CIPHERTEXT,
				new JsonString(Base64.getUrlEncoder()
					.withoutPadding()
					.encodeToString(session.seal(0, aad, JsonCanonicalizer.canonicalize(TASK)))));
		assertThat(rejected(a.inbox.verify(TestPki.sign(reused, this.plannerIdentity.svid()))))
			.isEqualTo(ReasonCode.REPLAYED);
		// both replicas answer in the session, under distinct sequence numbers
		Session atA = a.sessions.find(session.id()).orElseThrow();
		Session atB = b.sessions.find(session.id()).orElseThrow();
		SignedEnvelope answerA = a.sessions.seal(atA, "task.result", first.header().id(), TASK);
		SignedEnvelope answerB = b.sessions.seal(atB, "task.result", first.header().id(), TASK);
		assertThat(tree(answerA.bytes()).get(Members.SEQ)).isNotEqualTo(tree(answerB.bytes()).get(Members.SEQ));
		accepted(this.planner.answer(answerA.bytes(), first));
		accepted(this.planner.answer(answerB.bytes(), first));
	}

	@Test
	void keysWhenStoredThenWrappedNeverInClear() throws Exception {
		Replica a = new Replica(KEYS);
		Session session = this.planner.handshake(a);
		Map<String, String> stored = this.commands.hgetall(RedisReplayStore.sessionKey("{executor}", session.id()));
		assertThat(stored.get("keys")).startsWith("k1:");
		SessionKeys keys = session.keys();
		String dump = String.join(" ", stored.values()) + String.join(" ", this.commands.keys("*"));
		for (byte[] secret : List.of(keys.sendKey(), keys.receiveKey(), keys.sendIv(), keys.receiveIv())) {
			assertThat(dump).doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(secret))
				.doesNotContain(Base64.getEncoder().encodeToString(secret))
				.doesNotContain(java.util.HexFormat.of().formatHex(secret));
		}
	}

	@Test
	void keysWhenRotatedThenOldSessionsStillOpenUntilTheOldKeyIsRemoved() throws Exception {
		Replica before = new Replica(KEYS);
		Session session = this.planner.handshake(before);
		KeyEncryptionKeys rotated = new KeyEncryptionKeys(
				List.of(new KeyEncryptionKeys.Key("k2", key(2)), new KeyEncryptionKeys.Key("k1", key(1))));
		Replica during = new Replica(rotated);
		accepted(during.inbox.verify(this.planner.sessions.seal(session, "task.request", null, TASK).bytes()));
		Replica after = new Replica(new KeyEncryptionKeys(List.of(new KeyEncryptionKeys.Key("k2", key(2)))));
		assertThat(
				rejected(after.inbox.verify(this.planner.sessions.seal(session, "task.request", null, TASK).bytes())))
			.isEqualTo(ReasonCode.UNKNOWN_SESSION);
		// new sessions are wrapped under the new key
		Session renewed = this.planner.handshake(during);
		assertThat(this.commands.hget(RedisReplayStore.sessionKey("{executor}", renewed.id()), "keys"))
			.startsWith("k2:");
	}

	@Test
	void sessionWhenRemovedAtOneReplicaThenRefusedAtTheOtherThatHadReadIt() throws Exception {
		Replica a = new Replica(KEYS);
		Replica b = new Replica(KEYS);
		Session session = this.planner.handshake(a);
		accepted(b.inbox.verify(this.planner.sessions.seal(session, "task.request", null, TASK).bytes()));
		a.sessions.close(a.sessions.find(session.id()).orElseThrow());
		assertThat(rejected(b.inbox.verify(this.planner.sessions.seal(session, "task.request", null, TASK).bytes())))
			.isEqualTo(ReasonCode.UNKNOWN_SESSION);
	}

	@Test
	void sealWhenTheSessionWasRemovedAtAnotherReplicaOrRedisLostItThenRefusedNeverUnderAReusedNumber()
			throws Exception {
		Replica a = new Replica(KEYS);
		Replica b = new Replica(KEYS);
		Session session = this.planner.handshake(a);
		accepted(b.inbox.verify(this.planner.sessions.seal(session, "task.request", null, TASK).bytes()));
		Session atA = a.sessions.find(session.id()).orElseThrow();
		Session atB = b.sessions.find(session.id()).orElseThrow();
		assertThat(a.store.nextSequence(atA)).isZero();
		// another replica ends the session: this one holds it still, but may not seal in
		// it
		b.sessions.close(atB);
		org.assertj.core.api.Assertions.assertThatExceptionOfType(SessionExhaustedException.class)
			.isThrownBy(() -> a.store.nextSequence(atA));
		// Redis loses everything: a counter must not start again at 0 under the same keys
		Session renewed = this.planner.handshake(a);
		Session renewedAtA = a.sessions.find(renewed.id()).orElseThrow();
		assertThat(a.store.nextSequence(renewedAtA)).isZero();
		this.commands.flushall();
		org.assertj.core.api.Assertions.assertThatExceptionOfType(SessionExhaustedException.class)
			.isThrownBy(() -> a.store.nextSequence(renewedAtA));
		assertThat(a.sessions.find(renewed.id())).isEmpty();
	}

	@Test
	void sessionWhenAFieldIsChangedInRedisThenUnusableRatherThanSomeoneElses() throws Exception {
		Replica a = new Replica(KEYS);
		Session session = this.planner.handshake(a);
		// someone with write access to Redis attributes the session to another peer
		this.commands.hset(RedisReplayStore.sessionKey("{executor}", session.id()), "peer", "spiffe://a.test/attacker");
		Replica fresh = new Replica(KEYS);
		assertThat(fresh.sessions.find(session.id())).isEmpty();
	}

	@Test
	void publishWhenTheBoundSessionIsGoneThenNothingIsRecreated() throws Exception {
		Replica a = new Replica(KEYS);
		Session session = this.planner.handshake(a);
		String key = RedisReplayStore.sessionKey("{executor}", session.id());
		Session atA = a.sessions.find(session.id()).orElseThrow();
		this.commands.del(key);
		a.store.publish(atA);
		assertThat(this.commands.exists(key)).isZero();
	}

	@Test
	void sessionIdWhenBoundAtOneReplicaThenRefusedAtAnother() throws Exception {
		Replica a = new Replica(KEYS);
		Replica b = new Replica(KEYS);
		Session session = this.planner.handshake(a);
		Session copy = b.sessions.find(session.id()).orElseThrow();
		assertThat(b.store.add(copy)).isEqualTo(SessionStore.Admission.ID_IN_USE);
	}

	private static byte[] key(int fill) {
		byte[] key = new byte[32];
		java.util.Arrays.fill(key, (byte) fill);
		return key;
	}

	private static VerifiedMessage accepted(Verdict verdict) {
		assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
		return ((Verdict.Accepted) verdict).message();
	}

	private static ReasonCode rejected(Verdict verdict) {
		assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
		return ((Verdict.Rejected) verdict).reason();
	}

	private static JsonObject tree(byte[] bytes) throws Exception {
		return (JsonObject) new StrictJsonParser(JsonLimits.DEFAULT).parse(bytes);
	}

	/** The planner, one process, sessions in memory. */
	private final class Planner {

		final SessionManager sessions;

		final VerificationPipeline answers;

		Planner() {
			var clock = RedisSessionStoreTests.this.pki.clock;
			StaticIdentity identity = RedisSessionStoreTests.this.plannerIdentity;
			this.sessions = new SessionManager(identity, new EnvelopeSigner(identity, clock, Duration.ofMinutes(1)),
					new InMemorySessionStore(100, clock), SessionLimits.DEFAULT, List.of(AeadSuite.values()),
					new StrictJsonParser(JsonLimits.DEFAULT), clock);
			this.answers = VerificationPipeline.responseBuilder(identity, new InMemoryReplayStore(1000, clock), clock)
				.sessions(this.sessions)
				.build();
		}

		Session handshake(Replica replica) throws Exception {
			SignedEnvelope init = this.sessions.initiate(TestPki.EXECUTOR);
			SignedEnvelope accept = accepted(replica.inbox.verify(init.bytes())).established().reply();
			return accepted(answer(accept.bytes(), init)).established().session();
		}

		Verdict answer(byte[] message, SignedEnvelope request) {
			String expected = request.header().type().equals(Handshake.INIT) ? Handshake.ACCEPT : "task.result";
			String sessionId = null;
			try {
				if (tree(request.bytes()).get(Members.SESSION) instanceof JsonString id) {
					sessionId = id.value();
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			return this.answers.verify(message, new Exchange(TestPki.EXECUTOR, java.util.Set.of(expected),
					request.header().correlationId(), sessionId));
		}

	}

	/** One replica of the executor: its own process, Redis shared with the others. */
	private final class Replica {

		final RedisSessionStore store;

		final SessionManager sessions;

		final VerificationPipeline inbox;

		Replica(KeyEncryptionKeys keys) {
			var clock = RedisSessionStoreTests.this.pki.clock;
			StaticIdentity identity = RedisSessionStoreTests.this.executorIdentity;
			StatefulConnection<String, String> connection = RedisSessionStoreTests.this.connection;
			this.store = new RedisSessionStore(() -> connection, "executor", 100, 10, keys, clock);
			this.sessions = new SessionManager(identity, new EnvelopeSigner(identity, clock, Duration.ofMinutes(1)),
					this.store, SessionLimits.DEFAULT, List.of(AeadSuite.values()),
					new StrictJsonParser(JsonLimits.DEFAULT), clock);
			RedisReplayStore replay = new RedisReplayStore(() -> connection, "executor", 1000, 1000, clock)
				.options(new RedisReplayStore.Options(Duration.ZERO, Duration.ZERO, true));
			this.inbox = VerificationPipeline.standard(identity, replay, VerificationPolicy.DEFAULT, clock,
					this.sessions);
		}

	}

}
