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
package io.secureagent.autoconfigure;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.secureagent.crypto.AeadSuite;
import io.secureagent.identity.KeyType;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of secure-agent.
 *
 * @param enabled Whether secure-agent is enabled
 * @param identity Where this agent's SPIFFE identity comes from
 * @param trustBundles PEM trust bundle file of each trusted trust domain, own and
 * federated (a Workload API source brings its own bundles)
 * @param replay Freshness and replay protection
 * @param encryption End-to-end encryption in sessions
 * @param authorization Rules saying which senders may send which message types; with no
 * rule, no sender may send anything
 * @param limits Bounds on inbound messages
 * @param peers Agents this agent calls, by name
 * @param endpoint Agent endpoint
 * @param deprecations Message types this agent deprecates, each with its sunset
 * @param capabilities Capability documents of this agent and of its peers
 * @param client Client that calls other agents
 * @author secure-agent authors
 */
@ConfigurationProperties("secure-agent")
public record SecureAgentProperties(@DefaultValue("true") boolean enabled, @DefaultValue Identity identity,
		@Nullable Map<String, String> trustBundles, @DefaultValue Replay replay, @DefaultValue Encryption encryption,
		@Nullable List<Rule> authorization, @DefaultValue Limits limits, @Nullable Map<String, Peer> peers,
		@DefaultValue Endpoint endpoint, @Nullable List<Deprecation> deprecations,
		@DefaultValue Capabilities capabilities, @DefaultValue Client client) {

	public SecureAgentProperties {
		trustBundles = (trustBundles != null) ? Map.copyOf(trustBundles) : Map.of();
		authorization = (authorization != null) ? List.copyOf(authorization) : List.of();
		peers = (peers != null) ? Map.copyOf(peers) : Map.of();
		deprecations = (deprecations != null) ? List.copyOf(deprecations) : List.of();
	}

	/**
	 * A deprecated message type: accepted until its sunset, with {@code Deprecation} and
	 * {@code Sunset} headers on every answer, refused after it.
	 *
	 * @param type Wire type, such as {@code task.request} or {@code task.request.v2}
	 * @param since When it was deprecated
	 * @param sunset When it stops being accepted
	 */
	public record Deprecation(@Nullable String type, @Nullable Instant since, @Nullable Instant sunset) {

	}

	/**
	 * Capability documents of peers.
	 *
	 * @param negotiate Whether the client checks, from the peer's signed capability
	 * document, that the peer accepts a message's type and version before sending it
	 * @param cacheTtl How long a peer's capability document is kept
	 * @param wellKnown Who may fetch this agent's capability document at
	 * {@code GET /.well-known/secure-agent}: {@code public}, {@code authenticated} (over
	 * mutual TLS, for the SPIFFE ID of the client certificate only) or {@code off}; the
	 * signed {@code capability.request} message is answered in every case
	 */
	public record Capabilities(@DefaultValue("true") boolean negotiate, @DefaultValue("5m") Duration cacheTtl,
			@DefaultValue("public") WellKnown wellKnown) {

	}

	/**
	 * Where the SVID comes from.
	 *
	 * @param source Kind of source
	 * @param workloadApi SPIFFE Workload API, for source {@code workload-api}
	 * @param pem PEM files as spiffe-helper writes them, for source {@code pem}
	 * @param dev Development CA made on first start, for source {@code dev}
	 */
	public record Identity(@DefaultValue("dev") Source source, @DefaultValue WorkloadApi workloadApi,
			@DefaultValue Pem pem, @DefaultValue Dev dev) {

	}

	/**
	 * The client that calls other agents.
	 *
	 * @param timeout How long the client waits for each answer, a handshake's included,
	 * before it fails the call with {@code peer-timeout}
	 * @param retries How many times a request that was not delivered at all
	 * ({@code peer-unreachable}) is sent again, the same envelope, with backoff from 100
	 * ms; nothing that may have been delivered is sent again
	 */
	public record Client(@DefaultValue("30s") Duration timeout, @DefaultValue("2") int retries) {

	}

	/**
	 * Who may fetch the capability document at the well-known path.
	 */
	public enum WellKnown {

		/** Anyone, for any requester in a trusted trust domain. */
		PUBLIC,

		/** Only a client authenticated by mutual TLS, for its own SPIFFE ID. */
		AUTHENTICATED,

		/** Nobody: the path answers 404. */
		OFF

	}

	/**
	 * The kinds of identity source.
	 */
	public enum Source {

		/** A development CA on this machine. */
		DEV,

		/** PEM files. */
		PEM,

		/** The SPIFFE Workload API. */
		WORKLOAD_API

	}

	/**
	 * The SPIFFE Workload API.
	 *
	 * @param socket Address of the Workload API, such as
	 * {@code unix:/run/spire/agent-sockets/spire-agent.sock}; defaults to the
	 * {@code SPIFFE_ENDPOINT_SOCKET} environment variable
	 * @param initTimeout How long to wait at startup for the first SVID
	 */
	public record WorkloadApi(@Nullable String socket, @DefaultValue("10s") Duration initTimeout) {

	}

	/**
	 * PEM files.
	 *
	 * @param certificates SVID certificate chain, leaf first
	 * @param privateKey SVID private key, PKCS#8
	 * @param reloadInterval How often, at most, the files are checked for a rotation (as
	 * spiffe-helper rewrites them) and loaded again when they changed
	 */
	public record Pem(@Nullable Path certificates, @Nullable Path privateKey,
			@DefaultValue("5s") Duration reloadInterval) {

	}

	/**
	 * A development CA.
	 *
	 * @param trustDomain Trust domain of the CA
	 * @param spiffeId This agent's SPIFFE ID; defaults to the trust domain and the
	 * application name
	 * @param keyType SVID's key type
	 * @param caDirectory Where the CA is kept, so that agents on one machine share it;
	 * defaults to a folder in the temporary directory
	 */
	public record Dev(@DefaultValue("example.org") String trustDomain, @Nullable String spiffeId,
			@DefaultValue("ec-p256") KeyType keyType, @Nullable Path caDirectory) {

	}

	/**
	 * Freshness and replay protection.
	 *
	 * @param clockSkew How far a sender's clock may be off, either way
	 * @param freshnessWindow How old, by its issued-at, an inbound message may be
	 * @param maxLifetime Longest lifetime (expires-at minus issued-at) accepted
	 * @param messageLifetime Lifetime of messages this agent sends
	 * @param capacity Most message ids the replay store holds; when full it refuses
	 * messages rather than forget a live id
	 * @param capacityPerSender Most message ids one sender may hold in the replay store,
	 * so that one peer cannot fill it for all; defaults to a quarter of the capacity
	 * @param store Where message ids are kept
	 * @param redis Redis store, for store {@code redis}
	 */
	public record Replay(@DefaultValue("30s") Duration clockSkew, @DefaultValue("5m") Duration freshnessWindow,
			@DefaultValue("5m") Duration maxLifetime, @DefaultValue("1m") Duration messageLifetime,
			@DefaultValue("2000000") int capacity, @Nullable Integer capacityPerSender,
			@DefaultValue("memory") Store store, @DefaultValue Redis redis) {

		/**
		 * Return the share of one sender.
		 * @return the configured share, or a quarter of the capacity
		 */
		public int senderShare() {
			return (this.capacityPerSender != null) ? this.capacityPerSender : Math.max(1, this.capacity / 4);
		}

	}

	/**
	 * Where message ids are kept.
	 */
	public enum Store {

		/** In this process: for a single instance. */
		MEMORY,

		/** In Redis: shared by every replica of the agent. */
		REDIS

	}

	/**
	 * The Redis replay store.
	 *
	 * @param url Redis URL; the server's {@code maxmemory-policy} must be
	 * {@code noeviction}. Without it (and without {@code cluster-nodes}), the Redis that
	 * Spring Boot connects to ({@code spring.data.redis.*}, or a service connection such
	 * as a Testcontainers container), else {@code redis://127.0.0.1:6379}
	 * @param timeout How long a command may take before the store counts as unavailable
	 * @param keyPrefix Prefix of the store's keys, one per agent identity; it is the hash
	 * tag that keeps all of them in one slot of a Redis Cluster
	 * @param clusterNodes URLs of Redis Cluster nodes, to use a cluster instead of the
	 * single server at {@code url}
	 * @param failFast Whether the application fails to start when the store cannot be
	 * reached or its server evicts keys; when false it starts, reports the store down and
	 * refuses every message (503) until the store is healthy
	 */
	public record Redis(@Nullable String url, @DefaultValue("2s") Duration timeout,
			@DefaultValue("secure-agent") String keyPrefix, @Nullable List<String> clusterNodes,
			@DefaultValue("true") boolean failFast) {

	}

	/**
	 * End-to-end encryption.
	 *
	 * @param mode Whether messages are encrypted: {@code off} (sent in the clear),
	 * {@code optional} (sent encrypted, both accepted) or {@code required} (sent
	 * encrypted, plaintext refused)
	 * @param suites AEAD suites, most preferred first
	 * @param sessionMaxAge Longest a session lives
	 * @param sessionMaxMessages Most messages a session carries each way
	 * @param replayWindow How many sequence numbers below the highest are remembered; a
	 * positive multiple of 64
	 * @param sessionCapacity Most sessions held
	 * @param sessionsPerPeer Most sessions held with one peer
	 * @param sessionStore Where sessions are kept: {@code memory}, or {@code redis} to
	 * share them between replicas (needs {@code secure-agent.replay.store=redis})
	 * @param keyEncryptionKeys Keys that wrap session keys kept in Redis, the one that
	 * wraps first; the others still unwrap, for rotation
	 */
	public record Encryption(@DefaultValue("optional") Mode mode, @DefaultValue( {
			"aes-256-gcm", "chacha20-poly1305" }) List<AeadSuite> suites, @DefaultValue("1h") Duration sessionMaxAge,
			@DefaultValue("1000000") long sessionMaxMessages, @DefaultValue("128") int replayWindow,
			@DefaultValue("10000") int sessionCapacity, @DefaultValue("32") int sessionsPerPeer,
			@DefaultValue("memory") Store sessionStore, @Nullable List<KeyEncryptionKey> keyEncryptionKeys){

	}

	/**
	 * A key that wraps session keys kept in Redis.
	 *
	 * @param id Key's id, stored beside each value it wraps
	 * @param secret Key's 32 bytes, base64; or use {@code secret-file}
	 * @param secretFile File that holds the key's 32 bytes, base64
	 */
	public record KeyEncryptionKey(@Nullable String id, @Nullable String secret, @Nullable Path secretFile) {

	}

	/**
	 * Encryption modes.
	 */
	public enum Mode {

		/** Messages are sent in the clear. */
		OFF,

		/** Messages are sent encrypted; both kinds are accepted. */
		OPTIONAL,

		/** Messages are sent encrypted; plaintext messages are refused. */
		REQUIRED

	}

	/**
	 * An authorization rule.
	 *
	 * @param senders SPIFFE ID patterns: {@code *} for part of one path segment, a final
	 * {@code /**} for any path
	 * @param types Message types the senders may send, or {@code *}
	 * @param authorities Spring Security authorities granted to the senders
	 */
	public record Rule(@Nullable List<String> senders, @Nullable List<String> types,
			@Nullable List<String> authorities) {

		public Rule {
			senders = (senders != null) ? List.copyOf(senders) : List.of();
			types = (types != null) ? List.copyOf(types) : List.of();
			authorities = (authorities != null) ? List.copyOf(authorities) : List.of();
		}

	}

	/**
	 * Bounds on inbound messages.
	 *
	 * @param maxMessageSize Largest message read; larger ones are refused unread
	 * @param maxDepth Deepest JSON nesting accepted
	 * @param maxStringLength Longest JSON string accepted, in UTF-16 code units
	 * @param maxMembers Most members of a JSON object or elements of an array
	 */
	public record Limits(@DefaultValue("1MB") DataSize maxMessageSize, @DefaultValue("32") int maxDepth,
			@DefaultValue("262144") int maxStringLength, @DefaultValue("10000") int maxMembers) {

	}

	/**
	 * A peer this agent calls.
	 *
	 * @param spiffeId Peer's SPIFFE ID; its answers must be signed by it
	 * @param url Peer's agent endpoint
	 */
	public record Peer(@Nullable String spiffeId, @Nullable URI url) {

	}

	/**
	 * The agent endpoint.
	 *
	 * @param path Path that receives agent messages
	 * @param problemTypeBase URI that problem types are formed from, by appending the
	 * reason code
	 * @param tlsBinding Whether a message that arrives over mutual TLS with an X.509-SVID
	 * client certificate must be sent by that certificate's SPIFFE ID
	 */
	public record Endpoint(@DefaultValue("/secure-agent/messages") String path,
			@DefaultValue("https://secure-agent.io/docs/errors#") URI problemTypeBase,
			@DefaultValue("true") boolean tlsBinding) {

	}

}
