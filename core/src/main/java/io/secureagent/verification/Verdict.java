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
import java.util.Objects;

/**
 * The outcome of verifying one message.
 *
 * @author secure-agent authors
 */
public sealed interface Verdict permits Verdict.Accepted, Verdict.Rejected {

	/**
	 * The message passed every check.
	 *
	 * @param message the verified message
	 */
	record Accepted(VerifiedMessage message) implements Verdict {

		public Accepted {
			Objects.requireNonNull(message, "message cannot be null");
		}

	}

	/**
	 * The message failed a check.
	 *
	 * @param check the name of the check that failed
	 * @param reason the reason
	 * @param detail what rule was broken, in words safe to log (no message content, no
	 * key material)
	 */
	record Rejected(String check, ReasonCode reason, String detail, List<String> violations) implements Verdict {

		public Rejected {
			Objects.requireNonNull(check, "check cannot be null");
			Objects.requireNonNull(reason, "reason cannot be null");
			Objects.requireNonNull(detail, "detail cannot be null");
			violations = List.copyOf(violations);
		}

		public Rejected(String check, ReasonCode reason, String detail) {
			this(check, reason, detail, List.of());
		}

	}

}
