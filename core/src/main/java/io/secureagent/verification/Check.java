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

import java.util.Set;

/**
 * One named step of the {@link VerificationPipeline}. A check reads what earlier checks
 * left in the context, adds what it established, or fails with one of its declared
 * reasons. Checks change no state outside the context, except the last (the replay
 * reservation, the commit point), which reserves everything at once or nothing.
 *
 * @author secure-agent authors
 */
public interface Check {

	/**
	 * Return the stable name of this check.
	 * @return the name
	 */
	String name();

	/**
	 * Return what this check establishes, in one line.
	 * @return the summary
	 */
	String summary();

	/**
	 * Return every reason this check may fail with.
	 * @return the reasons
	 */
	Set<ReasonCode> reasons();

	/**
	 * Apply this check.
	 * @param context the message under verification
	 * @throws CheckFailedException if the message fails this check
	 */
	void apply(VerificationContext context) throws CheckFailedException;

	/**
	 * Make lasting what this check prepared, once every check has passed. Called in
	 * order, after the replay reservation; the default does nothing.
	 * @param context the accepted message
	 */
	default void commit(VerificationContext context) {
	}

}
