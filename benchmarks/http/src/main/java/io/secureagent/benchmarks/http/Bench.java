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
package io.secureagent.benchmarks.http;

import io.secureagent.messaging.AgentMessage;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The benchmark's messages and its business work, the same for every set-up.
 *
 * @author secure-agent authors
 */
public final class Bench {

	private Bench() {
	}

	/**
	 * Count the words of a text: the work every set-up does.
	 * @param text the text
	 * @return the number of words
	 */
	static int words(String text) {
		int words = 0;
		boolean inWord = false;
		for (int i = 0; i < text.length(); i++) {
			boolean space = Character.isWhitespace(text.charAt(i));
			if (!space && !inWord) {
				words++;
			}
			inWord = !space;
		}
		return words;
	}

	/**
	 * A text to count, as the agent receives it.
	 *
	 * @param text the text
	 */
	@AgentMessage("bench.count")
	public record CountRequest(@NotNull @Size(max = 100_000) String text) {

	}

	/**
	 * The count, as the agent answers it.
	 *
	 * @param words the number of words
	 */
	@AgentMessage("bench.counted")
	public record CountResult(int words) {

	}

	/**
	 * A text to count, as the plain controller receives it.
	 *
	 * @param text the text
	 */
	public record Text(String text) {

	}

	/**
	 * The count, as the plain controller answers it.
	 *
	 * @param words the number of words
	 */
	public record Count(int words) {

	}

}
