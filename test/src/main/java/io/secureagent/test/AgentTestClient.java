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
package io.secureagent.test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.secureagent.autoconfigure.SecureAgentProperties;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.client.SecureAgentClient;
import io.secureagent.client.SecureAgentClientException;
import io.secureagent.crypto.AeadSuite;
import io.secureagent.envelope.EnvelopeSigner;
import io.secureagent.identity.AgentIdentity;
import io.secureagent.identity.IdentityUnavailableException;
import io.secureagent.messaging.MessageTypes;
import io.secureagent.messaging.MessageVerifier;
import io.secureagent.messaging.RecordPayloadBinder;
import io.secureagent.replay.InMemoryReplayStore;
import io.secureagent.session.InMemorySessionStore;
import io.secureagent.session.SessionLimits;
import io.secureagent.session.SessionManager;
import io.secureagent.verification.VerificationPipeline;
import io.secureagent.verification.VerificationPolicy;
import io.secureagent.web.AgentMessageEndpoint;
import io.spiffe.spiffeid.SpiffeId;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.HttpHandlerConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends messages to the application under test as any agent, through the application's
 * own HTTP stack (its filters and Spring Security included), and returns the verified,
 * typed answers. Each sender is a complete secure-agent client with a test identity: it
 * signs (and, if asked, runs the handshake and encrypts), and verifies the answer with
 * the same response pipeline as the starter's {@link SecureAgentClient}.
 *
 * <pre class="code">
 * &#64;SpringBootTest
 * &#64;AutoConfigureSecureAgentTest
 * class TaskHandlerTests {
 *
 *     &#64;Autowired
 *     AgentTestClient agents;
 *
 *     &#64;Test
 *     void countsWords() {
 *         TaskResult result = agents.as("spiffe://a.test/planner").send(new TaskRequest("one two"), TaskResult.class);
 *         assertThat(result.words()).isEqualTo(2);
 *     }
 *
 * }
 * </pre>
 *
 * Bound to the application context, it runs the application's HTTP handler in memory, as
 * a {@link WebTestClient} bound to it does; bound to a server, it sends real HTTP.
 *
 * @author secure-agent authors
 */
public final class AgentTestClient {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final ApplicationContext context;

	private final Supplier<ClientHttpConnector> connector;

	private final TestIdentities identities;

	private final Map<String, Sender> senders = new ConcurrentHashMap<>();

	private volatile @Nullable ClientHttpConnector resolved;

	private final URI base;

	private AgentTestClient(ApplicationContext context, Supplier<ClientHttpConnector> connector, URI base,
			@Nullable TestIdentities identities) {
		this.context = Objects.requireNonNull(context, "context cannot be null");
		this.connector = connector;
		this.base = base;
		this.identities = (identities != null) ? identities : context.getBeanProvider(TestIdentities.class)
			.getIfAvailable(() -> new TestIdentities(clock(context)));
	}

	/**
	 * Bind to an application context: messages go through its HTTP handler in memory,
	 * with its web filters.
	 * @param context the application under test, made with
	 * {@link AutoConfigureSecureAgentTest @AutoConfigureSecureAgentTest} so that its
	 * identity and the senders' come from the same test identities
	 * @return the client
	 */
	public static AgentTestClient bindToApplicationContext(ApplicationContext context) {
		return bindToApplicationContext(context, null);
	}

	/**
	 * Bind to an application context whose identity comes from elsewhere (an in-JVM
	 * {@link io.secureagent.test.workload.WorkloadApiServer}, say), with senders from the
	 * given test identities, which the application must trust.
	 * @param context the application under test
	 * @param identities the test identities of the senders, or {@code null} for the
	 * context's
	 * @return the client
	 */
	public static AgentTestClient bindToApplicationContext(ApplicationContext context,
			@Nullable TestIdentities identities) {
		return new AgentTestClient(context,
				() -> new HttpHandlerConnector(WebHttpHandlerBuilder.applicationContext(context).build()),
				URI.create("http://localhost"), identities);
	}

	/**
	 * Bind to a running server, over real HTTP.
	 * @param context the application under test, for its identity, policy and endpoint
	 * path
	 * @param baseUrl the server's base URL, such as {@code http://localhost:8080}
	 * @return the client
	 */
	public static AgentTestClient bindToServer(ApplicationContext context, String baseUrl) {
		return new AgentTestClient(context, ReactorClientHttpConnector::new, URI.create(baseUrl), null);
	}

	/**
	 * Return a sender with a test identity for a SPIFFE ID, in any trust domain; the
	 * application under test trusts it. The same ID gives the same sender, with its
	 * sessions.
	 * @param spiffeId the sender's SPIFFE ID, such as {@code spiffe://a.test/planner}
	 * @return the sender
	 */
	public Sender as(String spiffeId) {
		SpiffeId id = SpiffeId.parse(spiffeId);
		return this.senders.computeIfAbsent(id.toString(), (key) -> new Sender(id, false));
	}

	/**
	 * Return a {@link WebTestClient} bound the same way, for requests of your own (an
	 * envelope from {@link Sender#envelope(Object)}, say).
	 * @return the web test client
	 */
	public WebTestClient webTestClient() {
		return WebTestClient.bindToServer(connector()).baseUrl(baseUrl()).responseTimeout(TIMEOUT).build();
	}

	/**
	 * Return the test identities the senders' identities come from.
	 * @return the test identities
	 */
	public TestIdentities identities() {
		return this.identities;
	}

	private String baseUrl() {
		return this.base.toString();
	}

	private URI endpoint() {
		String path = this.context.getBean(SecureAgentProperties.class).endpoint().path();
		return URI.create(this.base.toString().replaceAll("/$", "") + path);
	}

	private ClientHttpConnector connector() {
		ClientHttpConnector connector = this.resolved;
		if (connector == null) {
			connector = this.connector.get();
			this.resolved = connector;
		}
		return connector;
	}

	private SpiffeId recipient() {
		try {
			return this.context.getBean(AgentIdentity.class).spiffeId();
		}
		catch (IdentityUnavailableException ex) {
			throw new IllegalStateException("the application under test has no SVID", ex);
		}
	}

	private static Clock clock(ApplicationContext context) {
		return context.getBeanProvider(Clock.class).getIfAvailable(Clock::systemUTC);
	}

	/**
	 * An agent that sends to the application under test.
	 */
	public final class Sender {

		private final SpiffeId spiffeId;

		private final boolean encrypt;

		private volatile @Nullable Stack stack;

		private Sender(SpiffeId spiffeId, boolean encrypt) {
			this.spiffeId = spiffeId;
			this.encrypt = encrypt;
		}

		/**
		 * Return this sender in a mode where messages are encrypted in a session, made by
		 * a handshake with the application on the first send.
		 * @return the encrypting sender
		 */
		public Sender encrypted() {
			return AgentTestClient.this.senders.computeIfAbsent(this.spiffeId + "#encrypted",
					(key) -> new Sender(this.spiffeId, true));
		}

		/**
		 * Return this sender's identity.
		 * @return the identity
		 */
		public AgentIdentity identity() {
			return stack().identity();
		}

		/**
		 * Send a message and return the verified, typed answer.
		 * @param <R> the answer type
		 * @param message an {@link io.secureagent.messaging.AgentMessage} record
		 * @param responseType the answer's record
		 * @return the answer
		 * @throws SecureAgentClientException if the application refused the message (its
		 * reason code in {@link SecureAgentClientException#code()}), or its answer failed
		 * verification
		 */
		public <R> R send(Object message, Class<R> responseType) {
			Stack stack = stack();
			return stack.client()
				.send(new SecureAgentClient.Peer(recipient(), endpoint()), message, responseType)
				.block(TIMEOUT);
		}

		/**
		 * Send a one-way message (its handler returns nothing) and wait for the
		 * application's receipt, verified and bound to the message by its digest.
		 * @param message an {@link io.secureagent.messaging.AgentMessage} record
		 * @throws SecureAgentClientException if the application refused the message, or
		 * its receipt failed verification
		 */
		public void notify(Object message) {
			stack().client().notify(new SecureAgentClient.Peer(recipient(), endpoint()), message).block(TIMEOUT);
		}

		/**
		 * Send a message and return what came back, answer or refusal, for assertions on
		 * either.
		 * @param <R> the answer type
		 * @param message an {@link io.secureagent.messaging.AgentMessage} record
		 * @param responseType the answer's record
		 * @return the outcome
		 */
		public <R> AgentAnswer<R> exchange(Object message, Class<R> responseType) {
			try {
				return AgentAnswer.answered(send(message, responseType));
			}
			catch (SecureAgentClientException ex) {
				return AgentAnswer.refused(ex);
			}
		}

		/**
		 * Sign a message to the application under test, unencrypted, as the envelope's
		 * bytes: to post yourself with {@link #webTestClient()}, altered or not.
		 * @param message an {@link io.secureagent.messaging.AgentMessage} record
		 * @return the envelope
		 */
		public byte[] envelope(Object message) {
			Stack stack = stack();
			String type = stack.types().register(message.getClass());
			try {
				return stack.signer().sign(type, recipient(), null, stack.binder().toJson(message)).bytes();
			}
			catch (IdentityUnavailableException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/**
		 * Sign a message to the application under test and post it with a
		 * {@link WebTestClient}, for assertions on the HTTP answer itself.
		 * @param message an {@link io.secureagent.messaging.AgentMessage} record
		 * @return the response spec
		 */
		public WebTestClient.ResponseSpec post(Object message) {
			return webTestClient().post()
				.uri(endpoint())
				.contentType(AgentMessageEndpoint.MEDIA_TYPE)
				.bodyValue(envelope(message))
				.exchange();
		}

		private Stack stack() {
			Stack stack = this.stack;
			if (stack == null) {
				synchronized (this) {
					stack = this.stack;
					if (stack == null) {
						stack = newStack();
						this.stack = stack;
					}
				}
			}
			return stack;
		}

		private Stack newStack() {
			ApplicationContext context = AgentTestClient.this.context;
			Clock clock = clock(context);
			VerificationPolicy policy = context.getBeanProvider(VerificationPolicy.class)
				.getIfAvailable(() -> VerificationPolicy.DEFAULT);
			AgentIdentity identity = AgentTestClient.this.identities.identity(this.spiffeId.toString());
			EnvelopeSigner signer = new EnvelopeSigner(identity, clock, Duration.ofMinutes(1));
			SessionManager sessions = new SessionManager(identity, signer, new InMemorySessionStore(100, clock),
					SessionLimits.DEFAULT, List.of(AeadSuite.values()), new StrictJsonParser(policy.jsonLimits()),
					clock);
			MessageTypes types = new MessageTypes();
			JsonMapper mapper = context.getBeanProvider(JsonMapper.class).getIfAvailable(JsonMapper::new);
			Validator validator = context.getBeanProvider(Validator.class)
				.getIfAvailable(() -> Validation.buildDefaultValidatorFactory().getValidator());
			RecordPayloadBinder binder = new RecordPayloadBinder(types, mapper, validator);
			// a sender takes no requests: its request pipeline is there for the
			// verifier's
			// shape, and refuses all but handshakes, which it never receives either
			VerificationPipeline requests = VerificationPipeline
				.builder(identity, new InMemoryReplayStore(1_000, clock), clock)
				.policy(policy)
				.sessions(sessions)
				.build();
			VerificationPipeline responses = VerificationPipeline
				.responseBuilder(identity, new InMemoryReplayStore(100_000, clock), clock)
				.policy(policy)
				.sessions(sessions)
				.payloadBinder(binder)
				.build();
			MessageVerifier verifier = new MessageVerifier(requests, responses, (event) -> {
			});
			WebClient webClient = WebClient.builder().clientConnector(connector()).build();
			SecureAgentClient client = new SecureAgentClient(webClient, Map.of(), signer, sessions, verifier, types,
					binder, this.encrypt, null)
				.timeout(TIMEOUT);
			return new Stack(identity, signer, types, binder, client);
		}

	}

	private record Stack(AgentIdentity identity, EnvelopeSigner signer, MessageTypes types, RecordPayloadBinder binder,
			SecureAgentClient client) {

	}

}
