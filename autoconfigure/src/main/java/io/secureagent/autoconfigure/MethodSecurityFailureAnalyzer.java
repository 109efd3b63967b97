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

import io.secureagent.web.MethodSecurityOffException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a startup refused for a handler's unenforced method-security annotation into
 * Boot's "APPLICATION FAILED TO START" report.
 *
 * @author secure-agent authors
 */
final class MethodSecurityFailureAnalyzer extends AbstractFailureAnalyzer<MethodSecurityOffException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MethodSecurityOffException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Add @EnableReactiveMethodSecurity to a @Configuration class of the application, "
						+ "or remove the annotation from the handler.",
				cause);
	}

}
