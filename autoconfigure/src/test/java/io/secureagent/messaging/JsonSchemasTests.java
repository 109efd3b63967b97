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
package io.secureagent.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.stream.Stream;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.secureagent.autoconfigure.TaskRequest;
import io.secureagent.autoconfigure.TaskRequestV2;
import io.secureagent.canonical.JsonCanonicalizer;
import io.secureagent.canonical.JsonLimits;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.StrictJsonParser;
import io.secureagent.verification.PayloadBinder;
import jakarta.validation.Validation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published JSON Schema of a message type and the validation of its payloads agree: a
 * payload that an independent JSON Schema validator (networknt, draft 2020-12) accepts is
 * accepted, and one it rejects is rejected.
 *
 * @author secure-agent authors
 */
class JsonSchemasTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final MessageTypes TYPES = new MessageTypes();

	static {
		TYPES.register(TaskRequest.class);
		TYPES.register(TaskRequestV2.class);
	}

	private final RecordPayloadBinder binder = new RecordPayloadBinder(TYPES, MAPPER,
			Validation.buildDefaultValidatorFactory().getValidator());

	static Stream<Arguments> payloads() {
		String longText = "x".repeat(1001);
		return Stream.of(Arguments.of(TaskRequest.class, "{\"tool\":\"wc\",\"text\":\"x\",\"priority\":1}", true),
				Arguments.of(TaskRequest.class, "{\"tool\":\"wc\",\"text\":\"\",\"priority\":10}", true),
				Arguments.of(TaskRequest.class, "{\"tool\":\"wc\",\"text\":\"x\"}", false),
				Arguments.of(TaskRequest.class, "{\"tool\":\"wc\",\"text\":\"x\",\"priority\":1,\"extra\":1}", false),
				Arguments.of(TaskRequest.class, "{\"tool\":\"\",\"text\":\"x\",\"priority\":1}", false),
				Arguments.of(TaskRequest.class, "{\"tool\":\"   \",\"text\":\"x\",\"priority\":1}", false),
				Arguments.of(TaskRequest.class, "{\"tool\":\"wc\",\"text\":\"x\",\"priority\":0}", false),
				Arguments.of(TaskRequest.class, "{\"tool\":\"wc\",\"text\":\"x\",\"priority\":11}", false),
				Arguments.of(TaskRequest.class, "{\"tool\":\"wc\",\"text\":\"x\",\"priority\":\"1\"}", false),
				Arguments.of(TaskRequest.class, "{\"tool\":\"wc\",\"text\":\"x\",\"priority\":1.5}", false),
				Arguments.of(TaskRequest.class, "{\"tool\":\"wc\",\"text\":\"" + longText + "\",\"priority\":1}",
						false),
				Arguments.of(TaskRequest.class, "{\"tool\":\"wc\",\"text\":null,\"priority\":1}", false),
				Arguments.of(TaskRequest.class, "{\"tool\":5,\"text\":\"x\",\"priority\":1}", false),
				Arguments.of(TaskRequest.class, "[\"wc\",\"x\",1]", false),
				Arguments.of(TaskRequestV2.class, "{\"tool\":\"wc\",\"lines\":[\"a\"],\"urgent\":false}", true),
				Arguments.of(TaskRequestV2.class, "{\"tool\":\"wc\",\"lines\":[],\"urgent\":false}", false),
				Arguments.of(TaskRequestV2.class, "{\"tool\":\"wc\",\"lines\":\"a\",\"urgent\":false}", false),
				Arguments.of(TaskRequestV2.class, "{\"tool\":\"wc\",\"lines\":[1],\"urgent\":false}", false),
				Arguments.of(TaskRequestV2.class, "{\"tool\":\"wc\",\"lines\":[\"a\"],\"urgent\":\"true\"}", false),
				Arguments.of(TaskRequestV2.class, "{\"tool\":\"wc\",\"lines\":" + manyLines(21) + ",\"urgent\":true}",
						false),
				Arguments.of(TaskRequestV2.class, "{\"tool\":\"wc\",\"lines\":" + manyLines(20) + ",\"urgent\":true}",
						true));
	}

	@ParameterizedTest(name = "{1} -> {2}")
	@MethodSource("payloads")
	void bindWhenPayloadThenSameVerdictAsThePublishedSchema(Class<?> type, String json, boolean valid)
			throws Exception {
		JsonValue payload = new StrictJsonParser(JsonLimits.DEFAULT).parse(json.getBytes(StandardCharsets.UTF_8));
		Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
			.getSchema(JsonCanonicalizer.canonicalText(JsonSchemas.of(type)));
		boolean schemaValid = schema.validate(MAPPER.readTree(json)).isEmpty();
		boolean bound = this.binder.bind(MessageTypes.typeName(type), payload) instanceof PayloadBinder.Binding.Bound;
		assertThat(schemaValid).as("published schema").isEqualTo(valid);
		assertThat(bound).as("validation").isEqualTo(valid);
	}

	private static String manyLines(int count) {
		return "[" + String.join(",", Collections.nCopies(count, "\"a\"")) + "]";
	}

}
