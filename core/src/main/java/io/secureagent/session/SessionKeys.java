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
package io.secureagent.session;

import java.util.Arrays;

/**
 * The keys and nonce bases of one session, seen from one side.
 *
 * @param sendKey the AEAD key of messages this side sends
 * @param sendIv the nonce base of messages this side sends
 * @param receiveKey the AEAD key of messages this side receives
 * @param receiveIv the nonce base of messages this side receives
 * @author secure-agent authors
 */
record SessionKeys(byte[] sendKey, byte[] sendIv, byte[] receiveKey, byte[] receiveIv) {

	void destroy() {
		Arrays.fill(this.sendKey, (byte) 0);
		Arrays.fill(this.sendIv, (byte) 0);
		Arrays.fill(this.receiveKey, (byte) 0);
		Arrays.fill(this.receiveIv, (byte) 0);
	}

	boolean isDestroyed() {
		for (byte[] key : new byte[][] { this.sendKey, this.sendIv, this.receiveKey, this.receiveIv }) {
			for (byte b : key) {
				if (b != 0) {
					return false;
				}
			}
		}
		return true;
	}

}
