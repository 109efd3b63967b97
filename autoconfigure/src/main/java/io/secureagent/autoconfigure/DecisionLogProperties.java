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
package io.secureagent.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The decision log: every decision as a hash-chained JSON line, anchored by checkpoints
 * signed with the agent's SVID.
 *
 * @param enabled Whether decisions are written to the log
 * @param directory Directory of the log's files, made if missing
 * @param checkpointEvery Most decisions between two signed checkpoints
 * @param checkpointInterval Longest time from a checkpoint to the next decision without
 * one
 * @param maxFileSize Size past which the log goes on in a new file
 * @param recordEnvelopes Whether each decision carries its message as received
 * (ciphertext for an encrypted one), so that it can be replayed offline
 * @param maxEnvelopeSize Largest message recorded with its decision; a larger one is
 * logged without it, so that large refused messages cannot fill the disk
 * @author secure-agent authors
 */
@ConfigurationProperties("secure-agent.trace")
public record DecisionLogProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue("secure-agent-trace") Path directory, @DefaultValue("1000") int checkpointEvery,
		@DefaultValue("1m") Duration checkpointInterval, @DefaultValue("64MB") DataSize maxFileSize,
		@DefaultValue("false") boolean recordEnvelopes, @DefaultValue("64KB") DataSize maxEnvelopeSize) {

}
