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

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;

/**
 * Give the application under test a test identity, from the same {@link TestIdentities}
 * as every sender of an {@link AgentTestClient}, which it provides: the application
 * trusts every trust domain that a test sends from, and the senders trust it. Put it on a
 * {@code @SpringBootTest}; the application's own identity source
 * ({@code secure-agent.identity.*}) is not used, nor is any CA written to disk.
 *
 * @author secure-agent authors
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@PropertyMapping("secure-agent.test")
public @interface AutoConfigureSecureAgentTest {

	/**
	 * The SPIFFE ID of the application under test; by default
	 * {@code spiffe://example.test/} followed by {@code spring.application.name} (or
	 * {@code agent}).
	 * @return the SPIFFE ID
	 */
	String spiffeId() default "";

}
