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

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import io.secureagent.canonical.JsonValue;
import io.secureagent.verification.VerifiedMessage;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.test.context.support.TestExecutionEvent;
import org.springframework.security.test.context.support.WithSecurityContext;
import org.springframework.security.test.context.support.WithSecurityContextFactory;

/**
 * Run a test as if an agent's message had been verified: the security context holds the
 * {@link io.secureagent.security.SecureAgentAuthentication} that the endpoint makes, for
 * a message really signed by a test identity of {@link #value()} and accepted by the
 * request pipeline, with the given authorities. Method security
 * ({@code @PreAuthorize("hasAuthority('tasks:write')")} on a handler) then sees what it
 * sees in production; the analogue of Spring Security's {@code @WithMockUser}, for
 * handlers called without HTTP. It works for reactive handlers too, through Spring
 * Security Test's Reactor context support.
 *
 * @author secure-agent authors
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
@WithSecurityContext(factory = WithAgent.Factory.class, setupBefore = TestExecutionEvent.TEST_METHOD)
public @interface WithAgent {

	/**
	 * The sender's SPIFFE ID.
	 * @return the SPIFFE ID
	 */
	String value();

	/**
	 * The authorities granted to the sender, as {@code secure-agent.authorization} rules
	 * grant them.
	 * @return the authorities
	 */
	String[] authorities() default {};

	/**
	 * The type of the verified message.
	 * @return the type
	 */
	String type() default "test.request";

	/**
	 * Makes the security context of a {@link WithAgent} test.
	 */
	final class Factory implements WithSecurityContextFactory<WithAgent> {

		@Override
		public SecurityContext createSecurityContext(WithAgent agent) {
			VerifiedMessage message = VerifiedMessages.untyped(agent.value(), agent.type(),
					new JsonValue.JsonObject(Map.of()));
			SecurityContext context = SecurityContextHolder.createEmptyContext();
			context.setAuthentication(VerifiedMessages.authentication(message, agent.authorities()));
			return context;
		}

	}

}
