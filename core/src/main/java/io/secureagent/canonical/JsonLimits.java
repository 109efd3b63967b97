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
package io.secureagent.canonical;

/**
 * Bounds that {@link StrictJsonParser} enforces before any other work is done.
 *
 * @param maxDocumentBytes the largest document accepted, in bytes of UTF-8
 * @param maxDepth the deepest nesting of objects and arrays accepted
 * @param maxStringLength the longest string or member name accepted, in UTF-16 code units
 * @param maxMembers the most members of one object, or elements of one array
 * @author secure-agent authors
 */
public record JsonLimits(int maxDocumentBytes, int maxDepth, int maxStringLength, int maxMembers) {

	/**
	 * Limits suited to agent messages: 1 MiB, depth 32, 256 KiB strings, 10,000 members.
	 */
	public static final JsonLimits DEFAULT = new JsonLimits(1024 * 1024, 32, 256 * 1024, 10_000);

	public JsonLimits {
		requirePositive(maxDocumentBytes, "maxDocumentBytes");
		requirePositive(maxDepth, "maxDepth");
		requirePositive(maxStringLength, "maxStringLength");
		requirePositive(maxMembers, "maxMembers");
	}

	private static void requirePositive(int value, String name) {
		if (value <= 0) {
			throw new IllegalArgumentException(name + " must be positive");
		}
	}

}
