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

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code secure-agent.identity.source} is the given source, bound as the
 * property is (so {@code workload-api}, {@code workload_api} and {@code WORKLOAD_API} are
 * one value); {@code dev} when unset.
 *
 * @author secure-agent authors
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(ConditionalOnIdentitySource.OnIdentitySource.class)
@interface ConditionalOnIdentitySource {

	/**
	 * The identity source.
	 * @return the source
	 */
	SecureAgentProperties.Source value();

	/**
	 * The condition.
	 */
	final class OnIdentitySource extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Map<String, Object> attributes = metadata
				.getAnnotationAttributes(ConditionalOnIdentitySource.class.getName());
			SecureAgentProperties.Source wanted = (SecureAgentProperties.Source) attributes.get("value");
			SecureAgentProperties.Source source = Binder.get(context.getEnvironment())
				.bind("secure-agent.identity.source", SecureAgentProperties.Source.class)
				.orElse(SecureAgentProperties.Source.DEV);
			return (source == wanted) ? ConditionOutcome.match("secure-agent.identity.source is " + source)
					: ConditionOutcome.noMatch("secure-agent.identity.source is " + source + ", not " + wanted);
		}

	}

}
