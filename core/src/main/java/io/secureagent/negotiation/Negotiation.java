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

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Picks what two agents share. Never falls back silently: with nothing in common the
 * answer says what each side has.
 *
 * @author secure-agent authors
 */
public final class Negotiation {

	private Negotiation() {
	}

	/**
	 * Pick the protocol version to use: the first of ours, in our preference order, that
	 * the peer supports and that has not passed its sunset on the peer.
	 * @param ours our versions, most preferred first
	 * @param theirs the peer's document
	 * @param now the current instant
	 * @return the version
	 * @throws NoCommonVersionException if there is none
	 */
	public static String protocolVersion(List<String> ours, CapabilityDocument theirs, Instant now)
			throws NoCommonVersionException {
		for (String version : ours) {
			Instant sunset = theirs.protocolSunsets().get(version);
			if (theirs.protocolVersions().contains(version) && (sunset == null || now.isBefore(sunset))) {
				return version;
			}
		}
		throw new NoCommonVersionException("protocol", ours, theirs.protocolVersions());
	}

	/**
	 * Check that the peer accepts a message type at the version we send.
	 * @param wireType the type we send
	 * @param theirs the peer's document
	 * @param now the current instant
	 * @return the peer's entry for the type, whose sunset tells whether it is deprecated
	 * @throws NoCommonVersionException if the peer does not accept this version, or only
	 * until a sunset that has passed
	 */
	public static CapabilityDocument.MessageType messageType(String wireType, CapabilityDocument theirs, Instant now)
			throws NoCommonVersionException {
		TypeVersion version = TypeVersion.parse(wireType);
		Optional<CapabilityDocument.MessageType> entry = theirs.find(wireType);
		if (entry.isEmpty() || (entry.get().sunset() != null && !now.isBefore(entry.get().sunset()))) {
			List<String> accepted = theirs.messageTypes()
				.stream()
				.filter((type) -> type.sunset() == null || now.isBefore(type.sunset()))
				.map(CapabilityDocument.MessageType::wireType)
				.filter((type) -> TypeVersion.parse(type).name().equals(version.name()))
				.toList();
			throw new NoCommonVersionException(version.name(), List.of(wireType), accepted);
		}
		return entry.get();
	}

	/**
	 * Pick the highest version of a type name that both sides accept.
	 * @param ours the versions we can send
	 * @param theirs the peer's document
	 * @param now the current instant
	 * @return the wire type to send
	 * @throws NoCommonVersionException if there is none
	 */
	public static String highestCommon(List<TypeVersion> ours, CapabilityDocument theirs, Instant now)
			throws NoCommonVersionException {
		return ours.stream()
			.sorted((a, b) -> Integer.compare(b.version(), a.version()))
			.map(TypeVersion::wireType)
			.filter((wireType) -> theirs.find(wireType)
				.filter((type) -> type.sunset() == null || now.isBefore(type.sunset()))
				.isPresent())
			.findFirst()
			.orElseThrow(() -> new NoCommonVersionException(ours.isEmpty() ? "message" : ours.get(0).name(),
					ours.stream().map(TypeVersion::wireType).toList(),
					theirs.messageTypes().stream().map(CapabilityDocument.MessageType::wireType).toList()));
	}

}
