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
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The members of a {@link JsonValue.JsonObject}: an unmodifiable map that only the object
 * holds, so that an object can be made without copying its members again. A small object,
 * the most common kind, keeps its names and values in two arrays in document order; a
 * larger one a {@link LinkedHashMap}.
 *
 * @author secure-agent authors
 */
final class OwnedMembers extends AbstractMap<String, JsonValue> {

	/** The most members kept in arrays and looked up one by one. */
	static final int SMALL = 8;

	private final String @Nullable [] names;

	private final JsonValue @Nullable [] values;

	private final int size;

	private final @Nullable Map<String, JsonValue> map;

	OwnedMembers(LinkedHashMap<String, JsonValue> members) {
		this.names = null;
		this.values = null;
		this.size = members.size();
		this.map = Collections.unmodifiableMap(members);
	}

	/**
	 * Members from a range of two arrays, copied.
	 * @param names the names, each once
	 * @param values their values
	 * @param from the first index
	 * @param to the index after the last, at most {@link #SMALL} after {@code from}
	 */
	OwnedMembers(String[] names, JsonValue[] values, int from, int to) {
		this.names = Arrays.copyOfRange(names, from, to);
		this.values = Arrays.copyOfRange(values, from, to);
		this.size = to - from;
		this.map = null;
	}

	/**
	 * The names of a small object, in document order, exactly as many as its members: to
	 * be read, never written.
	 * @return the names, or {@code null} if the members are kept in a map
	 */
	String @Nullable [] smallNames() {
		return this.names;
	}

	/**
	 * The values of a small object, beside {@link #smallNames()}: to be read, never
	 * written.
	 * @return the values, or {@code null} if the members are kept in a map
	 */
	JsonValue @Nullable [] smallValues() {
		return this.values;
	}

	@Override
	public @Nullable JsonValue get(Object name) {
		if (this.map != null) {
			return this.map.get(name);
		}
		int index = indexOf(name);
		return (index >= 0) ? this.values[index] : null;
	}

	@Override
	public boolean containsKey(Object name) {
		return (this.map != null) ? this.map.containsKey(name) : indexOf(name) >= 0;
	}

	private int indexOf(Object name) {
		for (int i = 0; i < this.size; i++) {
			if (this.names[i].equals(name)) {
				return i;
			}
		}
		return -1;
	}

	@Override
	public int size() {
		return this.size;
	}

	@Override
	public Set<Entry<String, JsonValue>> entrySet() {
		if (this.map != null) {
			return this.map.entrySet();
		}
		return new AbstractSet<>() {

			@Override
			public Iterator<Entry<String, JsonValue>> iterator() {
				return new Iterator<>() {

					private int next;

					@Override
					public boolean hasNext() {
						return this.next < OwnedMembers.this.size;
					}

					@Override
					public Entry<String, JsonValue> next() {
						if (this.next >= OwnedMembers.this.size) {
							throw new NoSuchElementException();
						}
						int index = this.next++;
						return Map.entry(OwnedMembers.this.names[index], OwnedMembers.this.values[index]);
					}

				};
			}

			@Override
			public int size() {
				return OwnedMembers.this.size;
			}

		};
	}

	@Override
	public Set<String> keySet() {
		return (this.map != null) ? this.map.keySet() : super.keySet();
	}

	@Override
	public Collection<JsonValue> values() {
		return (this.map != null) ? this.map.values() : super.values();
	}

}
