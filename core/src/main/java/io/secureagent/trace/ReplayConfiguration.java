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
package io.secureagent.trace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonBoolean;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.crypto.SignatureAlgorithm;
import io.secureagent.verification.SenderRules;
import io.secureagent.verification.VerificationPolicy;

/**
 * What a replay needs to decide as the agent did, written in each log file's first line:
 * the verification policy, the sender rules and the request types handled. None of it is
 * secret.
 *
 * @param policy the policy
 * @param rules the sender rules (patterns and types)
 * @param handledTypes the request types the agent's handlers take
 * @param storeSurvivesRestarts whether the agent's replay store outlives its restarts (a
 * shared Redis store does, one in memory does not)
 * @author secure-agent authors
 */
public record ReplayConfiguration(VerificationPolicy policy, List<SenderRules.Rule> rules,
		Collection<String> handledTypes, boolean storeSurvivesRestarts) {

	/**
	 * Create a configuration of an agent whose replay store is in memory.
	 * @param policy the policy
	 * @param rules the sender rules
	 * @param handledTypes the request types handled
	 */
	public ReplayConfiguration(VerificationPolicy policy, List<SenderRules.Rule> rules,
			Collection<String> handledTypes) {
		this(policy, rules, handledTypes, false);
	}

	public ReplayConfiguration {
		rules = List.copyOf(rules);
		handledTypes = Set.copyOf(handledTypes);
	}

	/**
	 * Return the configuration as the start line's {@code configuration} member.
	 * @return the JSON
	 */
	public JsonObject toJson() {
		Map<String, JsonValue> policy = new LinkedHashMap<>();
		policy.put("maxClockSkewMillis", new JsonNumber(this.policy.maxClockSkew().toMillis()));
		policy.put("freshnessWindowMillis", new JsonNumber(this.policy.freshnessWindow().toMillis()));
		policy.put("maxLifetimeMillis", new JsonNumber(this.policy.maxLifetime().toMillis()));
		policy.put("encryptionRequired", this.policy.encryptionRequired() ? JsonBoolean.TRUE : JsonBoolean.FALSE);
		policy.put("algorithms",
				strings(this.policy.allowedAlgorithms().stream().map(SignatureAlgorithm::jwaName).toList()));
		policy.put("maxDocumentBytes", new JsonNumber(this.policy.jsonLimits().maxDocumentBytes()));
		policy.put("maxDepth", new JsonNumber(this.policy.jsonLimits().maxDepth()));
		policy.put("maxStringLength", new JsonNumber(this.policy.jsonLimits().maxStringLength()));
		policy.put("maxMembers", new JsonNumber(this.policy.jsonLimits().maxMembers()));
		List<JsonValue> rules = new ArrayList<>();
		for (SenderRules.Rule rule : this.rules) {
			rules.add(new JsonObject(Map.of("senders", strings(rule.senders()), "types", strings(rule.types()))));
		}
		return new JsonObject(Map.of("policy", new JsonObject(policy), "rules", new JsonArray(rules), "handledTypes",
				strings(this.handledTypes), "storeSurvivesRestarts",
				this.storeSurvivesRestarts ? JsonBoolean.TRUE : JsonBoolean.FALSE));
	}

	/**
	 * Read a configuration from a start line.
	 * @param json the {@code configuration} member
	 * @return the configuration
	 * @throws IllegalArgumentException if it is incomplete
	 */
	public static ReplayConfiguration fromJson(JsonObject json) {
		try {
			JsonObject policy = (JsonObject) json.get("policy");
			Set<SignatureAlgorithm> algorithms = EnumSet.noneOf(SignatureAlgorithm.class);
			for (String name : strings((JsonArray) policy.get("algorithms"))) {
				algorithms.add(SignatureAlgorithm.fromJwaName(name).orElseThrow());
			}
			JsonLimits limits = new JsonLimits(integer(policy, "maxDocumentBytes"), integer(policy, "maxDepth"),
					integer(policy, "maxStringLength"), integer(policy, "maxMembers"));
			VerificationPolicy verification = new VerificationPolicy(
					Duration.ofMillis(integer(policy, "maxClockSkewMillis")),
					Duration.ofMillis(integer(policy, "freshnessWindowMillis")),
					Duration.ofMillis(integer(policy, "maxLifetimeMillis")), algorithms, limits, 1024,
					((JsonBoolean) policy.get("encryptionRequired")).value());
			List<SenderRules.Rule> rules = new ArrayList<>();
			for (JsonValue value : ((JsonArray) json.get("rules")).elements()) {
				JsonObject rule = (JsonObject) value;
				rules.add(new SenderRules.Rule(strings((JsonArray) rule.get("senders")),
						Set.copyOf(strings((JsonArray) rule.get("types"))), Set.of()));
			}
			return new ReplayConfiguration(verification, rules, strings((JsonArray) json.get("handledTypes")),
					((JsonBoolean) json.get("storeSurvivesRestarts")).value());
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("the start line's configuration is incomplete", ex);
		}
	}

	private static int integer(JsonObject object, String name) {
		return (int) ((JsonNumber) object.get(name)).value();
	}

	private static JsonArray strings(Collection<String> values) {
		return new JsonArray(new TreeSet<>(values).stream().map(JsonString::new).map(JsonValue.class::cast).toList());
	}

	private static List<String> strings(JsonArray array) {
		return array.elements().stream().map((value) -> ((JsonString) value).value()).toList();
	}

}
