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
package io.secureagent.sample;

import io.secureagent.messaging.AgentMessage;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The message types of the sample agents.
 *
 * @author secure-agent authors
 */
public final class Messages {

	private Messages() {
	}

	/**
	 * A task the planner asks the executor to run.
	 *
	 * @param tool the tool to run
	 * @param input the tool's input
	 */
	@AgentMessage("task.request")
	public record TaskRequest(@NotBlank @Size(max = 64) String tool, @NotNull @Size(max = 2000) String input) {

	}

	/**
	 * The result of a task.
	 *
	 * @param tool the tool that ran
	 * @param output its output
	 * @param approvedBy the policy agent that allowed it
	 */
	@AgentMessage("task.result")
	public record TaskResult(String tool, String output, String approvedBy) {

	}

	/**
	 * The executor asks the policy agent whether a requester may run a tool.
	 *
	 * @param tool the tool
	 * @param requester the SPIFFE ID of the agent that asked for it
	 */
	@AgentMessage("policy.query")
	public record PolicyQuery(@NotBlank @Size(max = 64) String tool, @NotBlank @Size(max = 2048) String requester) {

	}

	/**
	 * The policy agent's answer.
	 *
	 * @param allowed whether the tool may run
	 * @param reason why
	 */
	@AgentMessage("policy.decision")
	public record PolicyDecision(boolean allowed, String reason) {

	}

}
