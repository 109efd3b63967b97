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

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The members of a {@link JsonValue.JsonObject}: an unmodifiable view of a map that only
 * the object holds, so that an object can be made without copying its members again.
 *
 * @author secure-agent authors
 */
final class OwnedMembers extends AbstractMap<String, JsonValue> {

	private final Map<String, JsonValue> members;

	OwnedMembers(LinkedHashMap<String, JsonValue> members) {
		this.members = Collections.unmodifiableMap(members);
	}

	@Override
	public @Nullable JsonValue get(Object name) {
		return this.members.get(name);
	}

	@Override
	public boolean containsKey(Object name) {
		return this.members.containsKey(name);
	}

	@Override
	public int size() {
		return this.members.size();
	}

	@Override
	public Set<String> keySet() {
		return this.members.keySet();
	}

	@Override
	public Collection<JsonValue> values() {
		return this.members.values();
	}

	@Override
	public Set<Entry<String, JsonValue>> entrySet() {
		return this.members.entrySet();
	}

}
