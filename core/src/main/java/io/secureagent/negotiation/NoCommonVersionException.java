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
package io.secureagent.negotiation;

import java.util.List;

/**
 * Thrown when two agents share no version of something: the message names what each side
 * has, so that the operator can see which one to upgrade.
 *
 * @author secure-agent authors
 */
public final class NoCommonVersionException extends Exception {

	private final List<String> ours;

	private final List<String> theirs;

	public NoCommonVersionException(String what, List<String> ours, List<String> theirs) {
		super("no common version of " + what + ": this agent has " + ours + ", the peer accepts " + theirs);
		this.ours = List.copyOf(ours);
		this.theirs = List.copyOf(theirs);
	}

	public List<String> ours() {
		return this.ours;
	}

	public List<String> theirs() {
		return this.theirs;
	}

}
