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

/**
 * Raised when a record holds a value that a signed message cannot carry exactly: a number
 * that the protocol's receivers refuse (an integer beyond ±(2^53-1), a subnormal, a
 * number between 2^53-1 and 10^21, or one that is not finite), or a decimal more precise
 * than the double every receiver reads it as, or a value that has no JSON form at all.
 * Raised before anything is signed or sent; the message names the field, never its value.
 *
 * @author secure-agent authors
 */
public final class UnrepresentableValueException extends IllegalArgumentException {

	private final String path;

	private final String rule;

	/**
	 * Create an exception.
	 * @param path the field, as {@code items[0].amount}, or {@code $} for the whole value
	 * @param rule what is wrong with it
	 */
	public UnrepresentableValueException(String path, String rule) {
		super(path + ": " + rule);
		this.path = path;
		this.rule = rule;
	}

	/**
	 * Return the field.
	 * @return its path
	 */
	public String path() {
		return this.path;
	}

	/**
	 * Return what is wrong with the value.
	 * @return the rule
	 */
	public String rule() {
		return this.rule;
	}

	/**
	 * Return the field and the rule as one violation, in the form schema violations take.
	 * @return {@code path: rule}
	 */
	public String violation() {
		return getMessage();
	}

}
