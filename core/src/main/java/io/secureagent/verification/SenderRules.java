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
package io.secureagent.verification;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.secureagent.identity.SpiffeIds;
import io.secureagent.negotiation.CapabilityDocument;
import io.secureagent.session.Handshake;
import io.spiffe.spiffeid.SpiffeId;

/**
 * An {@link AuthorizationPolicy} of allow rules: a sender may send a type when some rule
 * matches both. Sender patterns are SPIFFE IDs in which {@code *} stands for one path
 * segment (or part of one) and a final {@code /**} for any path; type {@code *} stands
 * for every type. Handshake messages are allowed to every sender that some rule names, so
 * that only senders with something to send can open sessions. Nothing else is allowed: no
 * rule, no access.
 *
 * @author secure-agent authors
 */
public final class SenderRules implements AuthorizationPolicy {

	private final List<Rule> rules;

	public SenderRules(List<Rule> rules) {
		this.rules = List.copyOf(rules);
	}

	/**
	 * Return the rules, in order.
	 * @return the rules
	 */
	public List<Rule> rules() {
		return this.rules;
	}

	@Override
	public boolean permits(SpiffeId sender, String type) {
		String id = SpiffeIds.text(sender);
		for (Rule rule : this.rules) {
			if (rule.matchesSender(id) && (Handshake.isHandshake(type) || CapabilityDocument.isCapabilityType(type)
					|| rule.matchesType(type))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return the authorities granted to a sender by the rules that name it.
	 * @param sender the sender
	 * @return the authorities
	 */
	public Set<String> authorities(SpiffeId sender) {
		String id = SpiffeIds.text(sender);
		return this.rules.stream()
			.filter((rule) -> rule.matchesSender(id))
			.flatMap((rule) -> rule.authorities().stream())
			.collect(Collectors.toCollection(TreeSet::new));
	}

	/**
	 * One allow rule.
	 *
	 * @param senders sender patterns
	 * @param types message types, or {@code *}
	 * @param authorities Spring Security style authorities granted to matching senders
	 */
	public record Rule(List<String> senders, Set<String> types, Set<String> authorities) {

		/** The patterns of every rule made, compiled: as many as are configured. */
		private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

		public Rule {
			senders = List.copyOf(senders);
			types = Set.copyOf(types);
			authorities = Set.copyOf(authorities);
			for (String sender : senders) {
				compile(sender);
			}
		}

		boolean matchesSender(String id) {
			for (String pattern : this.senders) {
				// compiled once per configured pattern, not once per message
				if (COMPILED.computeIfAbsent(pattern, Rule::compile).matcher(id).matches()) {
					return true;
				}
			}
			return false;
		}

		boolean matchesType(String type) {
			return this.types.contains("*") || this.types.contains(type);
		}

		static Pattern compile(String pattern) {
			Objects.requireNonNull(pattern, "pattern cannot be null");
			if (!pattern.startsWith("spiffe://")) {
				throw new IllegalArgumentException("sender patterns are SPIFFE IDs: " + pattern);
			}
			StringBuilder regex = new StringBuilder();
			String body = pattern;
			boolean anyPath = body.endsWith("/**");
			if (anyPath) {
				body = body.substring(0, body.length() - 3);
			}
			String[] parts = body.split("\\*", -1);
			for (int i = 0; i < parts.length; i++) {
				if (i > 0) {
					regex.append("[^/]*");
				}
				regex.append(Pattern.quote(parts[i]));
			}
			if (anyPath) {
				regex.append("(/.*)?");
			}
			return Pattern.compile(regex.toString());
		}

	}

}
