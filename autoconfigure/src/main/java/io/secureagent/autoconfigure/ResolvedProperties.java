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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.secureagent.client.SecureAgentClient;
import io.secureagent.verification.SenderRules;
import io.secureagent.web.CapabilityPublisher;
import io.spiffe.spiffeid.SpiffeId;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The properties that several auto-configurations use, mapped to their types once, when
 * the application starts: each mistake is reported once, naming its key.
 *
 * @author secure-agent authors
 */
final class ResolvedProperties {

	private final SenderRules senderRules;

	private final Map<String, CapabilityPublisher.Deprecation> deprecations;

	private final Map<String, SecureAgentClient.Peer> peers;

	ResolvedProperties(SecureAgentProperties properties) {
		this.senderRules = senderRules(properties);
		this.deprecations = deprecations(properties);
		this.peers = peers(properties);
	}

	/**
	 * Return the rules of {@code secure-agent.authorization}.
	 * @return the rules
	 */
	SenderRules senderRules() {
		return this.senderRules;
	}

	/**
	 * Return the deprecated message types of {@code secure-agent.deprecations}.
	 * @return the deprecations, by type
	 */
	Map<String, CapabilityPublisher.Deprecation> deprecations() {
		return this.deprecations;
	}

	/**
	 * Return the peers of {@code secure-agent.peers}.
	 * @return the peers, by name
	 */
	Map<String, SecureAgentClient.Peer> peers() {
		return this.peers;
	}

	private static SenderRules senderRules(SecureAgentProperties properties) {
		List<SenderRules.Rule> rules = new ArrayList<>();
		for (int i = 0; i < properties.authorization().size(); i++) {
			SecureAgentProperties.Rule rule = properties.authorization().get(i);
			try {
				rules.add(
						new SenderRules.Rule(rule.senders(), Set.copyOf(rule.types()), Set.copyOf(rule.authorities())));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException("secure-agent.authorization[" + i + "].senders",
						rule.senders(), ex.getMessage());
			}
		}
		return new SenderRules(rules);
	}

	private static Map<String, CapabilityPublisher.Deprecation> deprecations(SecureAgentProperties properties) {
		Map<String, CapabilityPublisher.Deprecation> deprecations = new LinkedHashMap<>();
		for (int i = 0; i < properties.deprecations().size(); i++) {
			SecureAgentProperties.Deprecation deprecation = properties.deprecations().get(i);
			String key = "secure-agent.deprecations[" + i + "]";
			if (deprecation.type() == null || deprecation.since() == null || deprecation.sunset() == null) {
				throw new InvalidConfigurationPropertyValueException(key, deprecation, "needs type, since and sunset");
			}
			if (!deprecation.since().isBefore(deprecation.sunset())) {
				throw new InvalidConfigurationPropertyValueException(key + ".sunset", deprecation.sunset(),
						"must be after since");
			}
			deprecations.put(deprecation.type(),
					new CapabilityPublisher.Deprecation(deprecation.since(), deprecation.sunset()));
		}
		return Map.copyOf(deprecations);
	}

	private static Map<String, SecureAgentClient.Peer> peers(SecureAgentProperties properties) {
		Map<String, SecureAgentClient.Peer> peers = new LinkedHashMap<>();
		properties.peers().forEach((name, peer) -> {
			if (peer.spiffeId() == null || peer.url() == null) {
				throw new InvalidConfigurationPropertyValueException("secure-agent.peers." + name, peer,
						"needs both spiffe-id and url");
			}
			peers.put(name, new SecureAgentClient.Peer(
					parse("secure-agent.peers." + name + ".spiffe-id", peer.spiffeId(), SpiffeId::parse), peer.url()));
		});
		return Map.copyOf(peers);
	}

	/**
	 * Parse a property's value, reporting a failure against its key.
	 * @param <T> the type
	 * @param key the property
	 * @param value its value
	 * @param parser the parser
	 * @return the parsed value
	 */
	static <T> T parse(String key, String value, Function<String, T> parser) {
		try {
			return parser.apply(value);
		}
		catch (RuntimeException ex) {
			throw new InvalidConfigurationPropertyValueException(key, value, ex.getMessage());
		}
	}

}
