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
package io.secureagent.spec;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.crypto.AeadSuite;
import io.secureagent.envelope.EnvelopeReader;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.envelope.EnvelopeSigner.SignedEnvelope;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.session.EstablishedSession;
import io.secureagent.session.InMemorySessionStore;
import io.secureagent.session.SessionLimits;
import io.secureagent.session.SessionManager;
import io.secureagent.session.SessionStore;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.crypto.MessageSigner;
import io.secureagent.crypto.SignatureAlgorithm;
import io.secureagent.envelope.Members;
import io.secureagent.identity.KeyType;
import io.secureagent.identity.StaticIdentity;
import io.secureagent.identity.Svid;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.replay.ReplayStore;
import io.secureagent.replay.ReplayStoreUnavailableException;
import io.secureagent.testsupport.MutableClock;
import io.secureagent.testsupport.TestPki;
import io.secureagent.verification.AuthorizationPolicy;
import io.secureagent.verification.Check;
import io.secureagent.verification.Direction;
import io.secureagent.verification.Exchange;
import io.secureagent.verification.PayloadBinder;
import io.secureagent.verification.SenderRules;
import io.secureagent.verification.Verdict;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.SpiffeId;

/**
 * Replays a trace against the real pipelines: concrete envelopes, built and signed
 * (Ed25519, deterministic) from the trace's values with test identities, delivered at the
 * trace's clock readings to the agents that received them, configured with the trace's
 * rules and handlers. The message made by the attacker for an honest sender carries that
 * sender's certificate and a signature by the compromised key.
 *
 * @author secure-agent authors
 */
final class TraceReplay {

	static final Instant BASE = Instant.parse("2026-11-28T12:00:00Z");

	static final Map<String, String> WIRE_TYPES = Map.of("app", "task.request", "answer", "task.result", "init",
			"session.init", "accept", "session.accept", "capreq", "capability.request", "capdoc",
			"capability.document");

	private static final Map<String, String> IDS = Map.of("alice", "spiffe://a.test/alice", "bob",
			"spiffe://b.test/bob", "mallory", "spiffe://a.test/mallory", "outsider", "spiffe://evil.test/outsider");

	private final Counterexample trace;

	private final Variant variant;

	private final TestPki pki = new TestPki(BASE);

	private final Map<String, Svid> svids = new LinkedHashMap<>();

	private final Map<String, Agent> agents = new HashMap<>();

	private final VerificationPolicy policy;

	private final Map<Integer, SignedEnvelope> inits = new HashMap<>();

	private final Map<String, SessionManager> responders = new HashMap<>();

	private final Map<Integer, String> sessionIds = new HashMap<>();

	TraceReplay(Counterexample trace, Specification spec, Variant variant) {
		this.trace = trace;
		this.variant = variant;
		for (String agent : trace.agents()) {
			SpiffeId id = SpiffeId.parse(IDS.get(agent));
			var ca = switch (id.getTrustDomain().getName()) {
				case "a.test" -> this.pki.a;
				case "b.test" -> this.pki.b;
				default -> this.pki.evil;
			};
			this.svids.put(agent, ca.issue(id, KeyType.ED25519));
		}
		Map<String, Integer> constants = spec.integerConstants();
		this.policy = new VerificationPolicy(Duration.ofSeconds(constants.get("SKEW")),
				Duration.ofSeconds(constants.get("WINDOW")), Duration.ofSeconds(constants.get("LIFETIME")),
				EnumSet.allOf(SignatureAlgorithm.class), JsonLimits.DEFAULT, 1024, false);
	}

	/**
	 * Return the wire form of a trace's message id: 22 characters at least, as the
	 * envelope requires.
	 * @param id the id
	 * @return the token
	 */
	static String wireId(int id) {
		return String.format("msg-%018d", id);
	}

	static SpiffeId spiffeId(String agent) {
		return SpiffeId.parse(IDS.get(agent));
	}

	/**
	 * Deliver every message of the trace, in order.
	 * @return what the real pipelines decided, and whether each wrote its replay store
	 */
	List<Outcome> run() {
		List<Outcome> outcomes = new ArrayList<>();
		for (int i = 0; i < this.trace.deliveries().size(); i++) {
			Map<String, Object> delivery = this.trace.deliveries().get(i);
			Agent agent = this.agents.computeIfAbsent(this.trace.agent(delivery, "recv"), this::agent);
			agent.pipelineClock.set(BASE.plusSeconds((Integer) delivery.get("clock")));
			agent.storeClock.set(BASE.plusSeconds((Integer) delivery.get("storeClock")));
			byte[] bytes = envelope(delivery);
			boolean request = (Integer) delivery.get("arrival") == 0;
			Recording store = request ? agent.requestStore : agent.answerStore;
			int reserved = store.reserved;
			Verdict verdict = request ? agent.requests.verify(bytes) : agent.answers.verify(bytes, exchange(delivery));
			boolean wrote = store.reserved > reserved;
			if (verdict instanceof Verdict.Rejected rejected) {
				outcomes.add(new Outcome(false, rejected.reason().slug(), wrote));
			}
			else {
				outcomes.add(new Outcome(true, null, wrote));
			}
		}
		return outcomes;
	}

	/**
	 * Return the envelope of one delivery, as its sender (or the attacker) made it.
	 * @param delivery the delivery's values
	 * @return the wire bytes
	 */
	byte[] envelope(Map<String, Object> delivery) {
		String sender = this.trace.agent(delivery, "sender");
		String type = WIRE_TYPES.get(this.trace.kind(delivery));
		boolean schemaOk = (Boolean) delivery.get("schemaOk");
		JsonValue payload = type.equals("task.result")
				? new JsonObject(Map.of("result", schemaOk ? new JsonString("done") : new JsonNumber(42)))
				: new JsonObject(Map.of("task", schemaOk ? new JsonString("count") : new JsonNumber(42)));
		Map<String, JsonValue> members = new LinkedHashMap<>();
		if (type.equals("session.accept")) {
			try {
				members.putAll(accept(delivery).members());
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			members.remove(Members.SIGNATURE);
		}
		members.put(Members.VERSION, new JsonString("secure-agent/" + delivery.get("version")));
		members.put(Members.ID, new JsonString(wireId((Integer) delivery.get("id"))));
		members.putIfAbsent(Members.CORRELATION_ID, new JsonString(wireId((Integer) delivery.get("corr"))));
		members.put(Members.SENDER, new JsonString(IDS.get(sender)));
		members.put(Members.RECIPIENT, new JsonString(IDS.get(this.trace.agent(delivery, "recipient"))));
		members.put(Members.TYPE, new JsonString(type));
		members.put(Members.ISSUED_AT,
				new JsonNumber(BASE.plusSeconds((Integer) delivery.get("issued")).toEpochMilli()));
		members.put(Members.EXPIRES_AT,
				new JsonNumber(BASE.plusSeconds((Integer) delivery.get("expires")).toEpochMilli()));
		members.putIfAbsent(Members.PAYLOAD, payload);
		JsonObject tree = new JsonObject(members);
		boolean genuine = (Integer) delivery.get("origin") >= 0;
		if (genuine || sender.equals("mallory") || sender.equals("outsider")) {
			return TestPki.sign(tree, this.svids.get(sender));
		}
		// the attacker's message for an honest sender: its certificate, the compromised
		// key's signature
		try {
			MessageSigner forger = MessageSigner.of(this.svids.get("mallory").privateKey());
			List<JsonValue> x5c = new ArrayList<>();
			for (X509Certificate certificate : this.svids.get(sender).chain()) {
				x5c.add(new JsonString(Base64.getEncoder().encodeToString(certificate.getEncoded())));
			}
			return TestPki.signRaw(tree.with(Members.X5C, new JsonArray(x5c))
				.with(Members.ALG, new JsonString(forger.algorithm().jwaName())), forger);
		}
		catch (CertificateEncodingException | io.secureagent.crypto.UnsupportedKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Exchange exchange(Map<String, Object> delivery) {
		Map<String, Object> request = this.trace.originals().get((Integer) delivery.get("exch"));
		int requestKind = (Integer) request.get("type");
		Set<String> expected = new LinkedHashSet<>();
		for (int kind = 0; kind < this.trace.kinds().size(); kind++) {
			if (this.trace.holds("expects", requestKind, kind)) {
				expected.add(WIRE_TYPES.get(this.trace.kinds().get(kind)));
			}
		}
		if (expected.isEmpty()) {
			expected.add("task.result");
		}
		String correlationId = this.trace.kind(request).equals("init")
				? init((Integer) delivery.get("exch")).header().id() : wireId((Integer) request.get("id"));
		return new Exchange(spiffeId(this.trace.agent(request, "recipient")), expected, correlationId, null);
	}

	private Agent agent(String name) {
		int self = this.trace.agents().indexOf(name);
		StaticIdentity identity = identity(name);
		List<SenderRules.Rule> rules = new ArrayList<>();
		Set<SpiffeId> dialled = new LinkedHashSet<>();
		for (int sender = 0; sender < this.trace.agents().size(); sender++) {
			Set<String> types = new LinkedHashSet<>();
			for (int kind = 0; kind < this.trace.kinds().size(); kind++) {
				String wire = WIRE_TYPES.get(this.trace.kinds().get(kind));
				boolean protocol = wire.equals("session.init") || wire.equals("capability.request");
				if (protocol ? this.trace.holds("names", self, sender)
						: this.trace.holds("grants", self, sender, kind)) {
					types.add(wire);
				}
			}
			if (!types.isEmpty()) {
				rules.add(new SenderRules.Rule(List.of(IDS.get(this.trace.agents().get(sender))), types, Set.of()));
			}
			if (this.trace.holds("dials", self, sender)) {
				dialled.add(spiffeId(this.trace.agents().get(sender)));
			}
		}
		Set<String> handled = new LinkedHashSet<>();
		for (int kind = 0; kind < this.trace.kinds().size(); kind++) {
			if (this.trace.holds("handles", self, kind)) {
				handled.add(WIRE_TYPES.get(this.trace.kinds().get(kind)));
			}
		}
		MutableClock pipelineClock = new MutableClock(BASE);
		MutableClock storeClock = new MutableClock(BASE);
		Recording requestStore = new Recording(this.variant.store(storeClock, pipelineClock));
		Recording answerStore = new Recording(this.variant.store(storeClock, pipelineClock));
		SessionManager sessions = sessions(identity, this.variant.sessionStore(pipelineClock), pipelineClock);
		VerificationPipeline.Builder requests = VerificationPipeline.builder(identity, requestStore, pipelineClock)
			.policy(this.policy)
			.sessions(sessions)
			.authorization(this.variant.authorization(new SenderRules(rules), dialled))
			.handledTypes(handled::contains)
			.payloadBinder(BINDER);
		VerificationPipeline.Builder answers = VerificationPipeline
			.responseBuilder(identity, answerStore, pipelineClock)
			.policy(this.policy)
			.sessions(sessions)
			.payloadBinder(BINDER);
		return new Agent(pipelineClock, storeClock, requestStore, answerStore,
				new VerificationPipeline(Direction.REQUEST,
						this.variant.requestChecks().apply(new ArrayList<>(requests.checks())), pipelineClock),
				new VerificationPipeline(Direction.RESPONSE,
						this.variant.responseChecks().apply(new ArrayList<>(answers.checks())), pipelineClock),
				sessions);
	}

	/** Task requests carry a text task, task results a text result. */
	static final PayloadBinder BINDER = (type, payload) -> {
		String field = switch (type) {
			case "task.request" -> "task";
			case "task.result" -> "result";
			default -> null;
		};
		if (field == null) {
			return new PayloadBinder.Binding.UnknownType();
		}
		if (payload instanceof JsonObject object && object.members().size() == 1
				&& object.get(field) instanceof JsonString text) {
			return new PayloadBinder.Binding.Bound(text.value());
		}
		return new PayloadBinder.Binding.Invalid(List.of(field + ": must be a string"));
	};

	private record Agent(MutableClock pipelineClock, MutableClock storeClock, Recording requestStore,
			Recording answerStore, VerificationPipeline requests, VerificationPipeline answers,
			SessionManager sessions) {
	}

	private SessionManager sessions(AgentIdentity identity, SessionStore store, Clock clock) {
		return new SessionManager(identity, new EnvelopeSigner(identity, clock, Duration.ofMinutes(1)), store,
				SessionLimits.DEFAULT, List.of(AeadSuite.values()), new StrictJsonParser(JsonLimits.DEFAULT), clock);
	}

	private StaticIdentity identity(String agent) {
		return new StaticIdentity(this.svids.get(agent),
				X509BundleSet.of(List.of(this.pki.a.bundle(), this.pki.b.bundle())));
	}

	/** The real init of an honest original, made by its sender's own session manager. */
	private SignedEnvelope init(int original) {
		SignedEnvelope made = this.inits.get(original);
		if (made == null) {
			Map<String, Object> values = this.trace.originals().get(original);
			Agent agent = this.agents.computeIfAbsent(this.trace.agent(values, "sender"), this::agent);
			try {
				made = agent.sessions().initiate(spiffeId(this.trace.agent(values, "recipient")));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			this.inits.put(original, made);
		}
		return made;
	}

	/**
	 * The tree of a session.accept: what its sender's session manager answers to the init
	 * of the exchange (for an honest accept, to the honest init it answers), with the
	 * trace's session id and, for the attacker's, its choices of suite, identities and
	 * transcript.
	 */
	private JsonObject accept(Map<String, Object> delivery) throws Exception {
		int origin = (Integer) delivery.get("origin");
		Map<String, Object> exchange = this.trace.originals().get((Integer) delivery.get("exch"));
		SignedEnvelope init = init((Integer) delivery.get("exch"));
		boolean correlated = delivery.get("corr").equals(exchange.get("id"));
		if (origin >= 0) {
			for (int r = 0; r < this.trace.originals().size(); r++) {
				Map<String, Object> request = this.trace.originals().get(r);
				if (request.get("id").equals(delivery.get("corr")) && request.get("corr").equals(request.get("id"))
						&& request.get("sender").equals(delivery.get("recipient"))) {
					init = init(r);
					correlated = true;
				}
			}
		}
		String sender = this.trace.agent(delivery, "sender");
		String responder = sender.equals("outsider") ? "mallory" : sender;
		SessionManager sessions = this.responders.computeIfAbsent(responder,
				(name) -> sessions(identity(name), new InMemorySessionStore(100, this.pki.clock), this.pki.clock));
		StrictJsonParser parser = new StrictJsonParser(JsonLimits.DEFAULT);
		EstablishedSession answered = sessions.respond(EnvelopeReader.read(parser.parse(init.bytes())),
				BASE.plusSeconds((Integer) delivery.get("issued")));
		JsonObject tree = (JsonObject) parser.parse(answered.reply().bytes());
		JsonObject payload = (JsonObject) tree.get(Members.PAYLOAD);
		String generated = ((JsonString) payload.get("sessionId")).value();
		String sid = this.sessionIds.computeIfAbsent((Integer) delivery.get("sid"), (key) -> generated);
		payload = payload.with("sessionId", new JsonString(sid));
		if (!delivery.get("suite").equals(delivery.get("best"))) {
			// the suite neither side prefers
			payload = payload.with("suite",
					new JsonString(AeadSuite.values()[AeadSuite.values().length - 1].wireName()));
		}
		if (!(Boolean) delivery.get("hsIds")) {
			payload = payload.with("initiator", new JsonString(IDS.get("outsider")));
		}
		if (!(Boolean) delivery.get("transcript")) {
			byte[] hash = Base64.getUrlDecoder().decode(((JsonString) payload.get("initHash")).value());
			hash[0] ^= 1;
			payload = payload.with("initHash",
					new JsonString(Base64.getUrlEncoder().withoutPadding().encodeToString(hash)));
		}
		String correlationId = correlated ? init.header().id() : wireId((Integer) delivery.get("corr"));
		return tree.with(Members.PAYLOAD, payload).with(Members.CORRELATION_ID, new JsonString(correlationId));
	}

	/** What the real pipeline decided on one delivery. */
	record Outcome(boolean accepted, String reason, boolean wrote) {

		static Outcome of(Counterexample.Decision decision) {
			return new Outcome(decision.accepted(), decision.reason(), decision.wrote().contains("replay"));
		}

	}

	/**
	 * How the real agents are built: as shipped, or with a defect the mutation models.
	 */
	interface Variant {

		Variant AS_SHIPPED = new Variant() {
		};

		default ReplayStore store(MutableClock storeClock, MutableClock pipelineClock) {
			return new InMemoryReplayStore(1000, storeClock);
		}

		default AuthorizationPolicy authorization(SenderRules rules, Set<SpiffeId> dialled) {
			return rules;
		}

		default UnaryOperator<List<Check>> requestChecks() {
			return UnaryOperator.identity();
		}

		default UnaryOperator<List<Check>> responseChecks() {
			return UnaryOperator.identity();
		}

		default SessionStore sessionStore(Clock clock) {
			return new InMemorySessionStore(100, clock);
		}

	}

	/** Counts the reservations a store granted. */
	private static final class Recording implements ReplayStore {

		private final ReplayStore delegate;

		private int reserved;

		Recording(ReplayStore delegate) {
			this.delegate = delegate;
		}

		@Override
		public Reservation reserve(Entry entry) throws ReplayStoreUnavailableException {
			Reservation reservation = this.delegate.reserve(entry);
			if (reservation == Reservation.RESERVED) {
				this.reserved++;
			}
			return reservation;
		}

		@Override
		public void forgetWindow(String sessionId) throws ReplayStoreUnavailableException {
			this.delegate.forgetWindow(sessionId);
		}

		@Override
		public long size() throws ReplayStoreUnavailableException {
			return this.delegate.size();
		}

	}

}
