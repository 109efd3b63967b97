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
package io.secureagent.messaging;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a Spring bean as the handler of one message type. The method takes
 * the payload record (an {@link AgentMessage} type, validated), and optionally the
 * {@link io.secureagent.verification.VerifiedMessage} or the sender's
 * {@link io.spiffe.spiffeid.SpiffeId}; it returns the response record, or a {@code Mono}
 * of it. The response is signed, addressed to the sender, correlated with the request,
 * and encrypted in the request's session when the request was encrypted. Method security
 * ({@code @PreAuthorize}) applies, with the sender as principal.
 *
 * <pre class="code">
 * &#064;AgentMessageHandler
 * public Mono&lt;TaskResult&gt; run(TaskRequest task, SpiffeId sender) { ... }
 * </pre>
 *
 * @author secure-agent authors
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface AgentMessageHandler {

}
