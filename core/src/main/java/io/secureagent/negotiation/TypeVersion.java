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

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message type name and its version, as carried in the envelope's {@code type}: a type
 * ending in {@code .v} and a number is that version of the name before it
 * ({@code task.request.v2}); any other type is version 1 of itself.
 *
 * @param name the type name without its version
 * @param version the version, 1 or more
 * @author secure-agent authors
 */
public record TypeVersion(String name, int version) implements Comparable<TypeVersion> {

	private static final Pattern VERSIONED = Pattern.compile("(.+)\\.v([1-9][0-9]{0,8})");

	public TypeVersion {
		Objects.requireNonNull(name, "name cannot be null");
		if (version < 1) {
			throw new IllegalArgumentException("versions start at 1");
		}
	}

	/**
	 * Read the name and version of a wire type.
	 * @param type the type
	 * @return its name and version
	 */
	public static TypeVersion parse(String type) {
		Matcher matcher = VERSIONED.matcher(type);
		if (matcher.matches()) {
			return new TypeVersion(matcher.group(1), Integer.parseInt(matcher.group(2)));
		}
		return new TypeVersion(type, 1);
	}

	/**
	 * Return the wire type: the name alone for version 1, else the name and {@code .vN}.
	 * @return the wire type
	 */
	public String wireType() {
		return (this.version == 1) ? this.name : this.name + ".v" + this.version;
	}

	@Override
	public int compareTo(TypeVersion other) {
		int byName = this.name.compareTo(other.name);
		return (byName != 0) ? byName : Integer.compare(this.version, other.version);
	}

	@Override
	public String toString() {
		return wireType();
	}

}
