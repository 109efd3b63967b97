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

import io.secureagent.identity.IdentityUnavailableException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a startup that failed for want of this agent's identity into Boot's "APPLICATION
 * FAILED TO START" report: the cause in one line, and what to do about it, instead of a
 * long stack trace.
 *
 * @author secure-agent authors
 */
final class IdentityFailureAnalyzer extends AbstractFailureAnalyzer<IdentityUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, IdentityUnavailableException cause) {
		String message = String.valueOf(cause.getMessage());
		String action;
		if (message.contains("Workload API") || message.contains("socket") || message.contains("SVID within")) {
			action = "Check that the SPIFFE Workload API is reachable at secure-agent.identity.workload-api.socket "
					+ "(or SPIFFE_ENDPOINT_SOCKET), that this workload is registered with an X.509-SVID, or raise "
					+ "secure-agent.identity.workload-api.init-timeout.";
		}
		else if (message.contains("key")) {
			action = "Check that secure-agent.identity.pem.private-key holds the private key of the first "
					+ "certificate in secure-agent.identity.pem.certificates (both PEM, as spiffe-helper writes them).";
		}
		else {
			action = "Check the files or the socket named under secure-agent.identity, and "
					+ "secure-agent.trust-bundles.";
		}
		return new FailureAnalysis("secure-agent could not load this agent's SPIFFE identity: " + message, action,
				cause);
	}

}
