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
package io.secureagent.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyFactorySpi;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.secureagent.testsupport.AwsLcRequired;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The choice of {@link CryptoProvider}, and AWS-LC against Bouncy Castle on the same
 * keys. The build has the Amazon Corretto Crypto Provider on its test class path, so on
 * Linux x86-64 AWS-LC must load and be chosen: a build where it silently fell back would
 * test one provider only.
 *
 * @author secure-agent authors
 */
class CryptoProviderTests {

	private static final byte[] DATA = "{\"payload\":{\"text\":\"hello\"}}".getBytes(StandardCharsets.UTF_8);

	@Test
	void activeWhenAwsLcIsOnTheClassPathOfLinuxX86ThenItIsChosen() {
		if (AwsLcRequired.here()) {
			assertThat(CryptoProvider.AWS_LC.unavailableReason()).isEmpty();
			assertThat(CryptoProvider.AWS_LC.available()).isTrue();
			assertThat(CryptoProvider.select("auto")).isEqualTo(CryptoProvider.AWS_LC);
		}
		else {
			assertThat(CryptoProvider.AWS_LC.unavailableReason()).isPresent();
			assertThat(CryptoProvider.select("auto")).isEqualTo(CryptoProvider.BOUNCY_CASTLE);
		}
	}

	@Test
	void selectWhenSettingIsSpelledAnyWayThenItIsReadAsTheSameProvider() {
		assumeTrue(AwsLcRequired.here(), "this build's AWS-LC is for Linux x86-64");
		assertThat(CryptoProvider.select(" BouncyCastle ")).isEqualTo(CryptoProvider.BOUNCY_CASTLE);
		assertThat(CryptoProvider.select("AWS-LC")).isEqualTo(CryptoProvider.AWS_LC);
		assertThat(CryptoProvider.select(null)).isEqualTo(CryptoProvider.select("auto"));
		assertThat(CryptoProvider.select("")).isEqualTo(CryptoProvider.select("auto"));
	}

	@Test
	void selectWhenSettingNamesNoProviderThenRefused() {
		assertThatIllegalStateException().isThrownBy(() -> CryptoProvider.select("openssl"))
			.withMessageContaining(CryptoProvider.PROPERTY)
			.withMessageContaining("openssl");
	}

	@Test
	void ofWhenNoProviderIsNamedThenTheActiveOneIsUsed() throws Exception {
		KeyPair pair = ecKeyPair();
		assertThat(KeyVerifier.of(pair.getPublic()).provider()).isEqualTo(CryptoProvider.active());
		assertThat(MessageSigner.of(pair.getPrivate()).provider()).isEqualTo(CryptoProvider.active());
	}

	@ParameterizedTest
	@EnumSource(SignatureAlgorithm.class)
	void signWhenOneProviderSignsThenTheOtherVerifies(SignatureAlgorithm algorithm) throws Exception {
		assumeTrue(AwsLcRequired.here(), "this build's AWS-LC is for Linux x86-64");
		KeyPair pair = keyPair(algorithm);
		for (CryptoProvider signing : CryptoProvider.values()) {
			byte[] signature = MessageSigner.of(pair.getPrivate(), signing).sign(DATA);
			for (CryptoProvider verifying : CryptoProvider.values()) {
				KeyVerifier verifier = KeyVerifier.of(pair.getPublic(), verifying);
				assertThat(verifier.verify(DATA, signature)).as(signing + " to " + verifying).isTrue();
				byte[] other = DATA.clone();
				other[3] ^= 1;
				assertThat(verifier.verify(other, signature)).as("other data, " + signing + " to " + verifying)
					.isFalse();
				byte[] tampered = signature.clone();
				tampered[tampered.length - 1] ^= 1;
				assertThat(verifier.verify(DATA, tampered)).as("tampered, " + signing + " to " + verifying).isFalse();
			}
		}
	}

	@ParameterizedTest
	@EnumSource(value = SignatureAlgorithm.class, names = { "ES256", "EDDSA" })
	void signWhenOneAwsLcKeyIsSharedByThreadsThenEverySignatureVerifies(SignatureAlgorithm algorithm) throws Exception {
		assumeTrue(AwsLcRequired.here(), "this build's AWS-LC is for Linux x86-64");
		KeyPair pair = keyPair(algorithm);
		MessageSigner signer = MessageSigner.of(pair.getPrivate(), CryptoProvider.AWS_LC);
		KeyVerifier verifier = KeyVerifier.of(pair.getPublic(), CryptoProvider.AWS_LC);
		KeyVerifier portable = KeyVerifier.of(pair.getPublic(), CryptoProvider.BOUNCY_CASTLE);
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<Integer>> results = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				int thread = t;
				results.add(threads.submit(() -> {
					int verified = 0;
					for (int i = 0; i < 300; i++) {
						byte[] data = (thread + ":" + i).getBytes(StandardCharsets.UTF_8);
						byte[] signature = signer.sign(data);
						if (verifier.verify(data, signature) && portable.verify(data, signature)
								&& !verifier.verify(DATA, signature)) {
							verified++;
						}
					}
					return verified;
				}));
			}
			for (Future<Integer> result : results) {
				assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(300);
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void signWhenEdDsaThenBothProvidersGiveTheSameSignature() throws Exception {
		assumeTrue(AwsLcRequired.here(), "this build's AWS-LC is for Linux x86-64");
		KeyPair pair = keyPair(SignatureAlgorithm.EDDSA);
		byte[] portable = MessageSigner.of(pair.getPrivate(), CryptoProvider.BOUNCY_CASTLE).sign(DATA);
		MessageSigner awsLc = MessageSigner.of(pair.getPrivate(), CryptoProvider.AWS_LC);
		assertThat(awsLc.provider()).isEqualTo(CryptoProvider.AWS_LC);
		assertThat(awsLc.sign(DATA)).isEqualTo(portable);
	}

	@Test
	void signWhenEs256ThenBouncyCastleIsDeterministicAndAwsLcHedged() throws Exception {
		assumeTrue(AwsLcRequired.here(), "this build's AWS-LC is for Linux x86-64");
		KeyPair pair = keyPair(SignatureAlgorithm.ES256);
		MessageSigner portable = MessageSigner.of(pair.getPrivate(), CryptoProvider.BOUNCY_CASTLE);
		MessageSigner awsLc = MessageSigner.of(pair.getPrivate(), CryptoProvider.AWS_LC);
		assertThat(portable.sign(DATA)).as("RFC 6979").isEqualTo(portable.sign(DATA));
		assertThat(awsLc.sign(DATA)).as("a fresh nonce each time").isNotEqualTo(awsLc.sign(DATA));
		assertThat(awsLc.sign(DATA)).hasSize(64);
	}

	@Test
	void ofWhenPs256AndAwsLcIsAskedThenBouncyCastleComputesIt() throws Exception {
		KeyPair pair = keyPair(SignatureAlgorithm.PS256);
		assertThat(KeyVerifier.of(pair.getPublic(), CryptoProvider.AWS_LC).provider())
			.isEqualTo(CryptoProvider.BOUNCY_CASTLE);
		assertThat(MessageSigner.of(pair.getPrivate(), CryptoProvider.AWS_LC).provider())
			.isEqualTo(CryptoProvider.BOUNCY_CASTLE);
	}

	@Test
	void disagreementWhenAProviderAgreesThenNone() {
		// the JDK's own EC provider computes the same two algorithms correctly
		assertThat(AwsLc.disagreement(sunEc())).isNull();
	}

	@Test
	void disagreementWhenAProvidersSignaturesAreWrongThenFound() {
		assertThat(AwsLc.disagreement(new WrongSignatures(true, true))).contains("disagree on ES256");
	}

	@Test
	void disagreementWhenOnlyEdDsaIsWrongThenFound() {
		assertThat(AwsLc.disagreement(new WrongSignatures(false, true))).contains("disagree on EdDSA");
	}

	@Test
	void disagreementWhenAProviderAcceptsEverySignatureThenFound() {
		assertThat(AwsLc.disagreement(new AcceptsAnything())).contains("disagree on ES256");
	}

	private static Provider sunEc() {
		try {
			return Signature.getInstance("SHA256withECDSAinP1363Format").getProvider();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static KeyPair keyPair(SignatureAlgorithm algorithm) throws GeneralSecurityException {
		return switch (algorithm) {
			case ES256 -> ecKeyPair();
			case EDDSA -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
			case PS256 -> {
				KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
				generator.initialize(2048);
				yield generator.generateKeyPair();
			}
		};
	}

	private static KeyPair ecKeyPair() throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		return generator.generateKeyPair();
	}

	/**
	 * A provider whose signatures verify nowhere but with itself: the JDK's, with the
	 * last byte of every signature flipped.
	 */
	static final class WrongSignatures extends Provider {

		WrongSignatures(boolean es256, boolean eddsa) {
			super("WrongSignatures", "1", "flips the last byte of every signature");
			put("Signature.SHA256withECDSAinP1363Format", (es256 ? FlippedEs256.class : JdkEs256.class).getName());
			put("Signature.Ed25519", (eddsa ? FlippedEd25519.class : JdkEd25519.class).getName());
			put("KeyFactory.EC", JdkEcKeys.class.getName());
		}

	}

	/**
	 * A provider whose verification accepts every signature.
	 */
	static final class AcceptsAnything extends Provider {

		AcceptsAnything() {
			super("AcceptsAnything", "1", "accepts every signature");
			put("Signature.SHA256withECDSAinP1363Format", Accepting.class.getName());
			put("Signature.Ed25519", JdkEd25519.class.getName());
			put("KeyFactory.EC", JdkEcKeys.class.getName());
		}

	}

	public static class JdkEs256 extends Flipped {

		public JdkEs256() {
			super("SHA256withECDSAinP1363Format", 0);
		}

	}

	public static class JdkEd25519 extends Flipped {

		public JdkEd25519() {
			super("Ed25519", 0);
		}

	}

	public static class Accepting extends Flipped {

		public Accepting() {
			super("SHA256withECDSAinP1363Format", 0);
		}

		@Override
		protected boolean engineVerify(byte[] signature) {
			return true;
		}

	}

	public static class FlippedEs256 extends Flipped {

		public FlippedEs256() {
			super("SHA256withECDSAinP1363Format", 1);
		}

	}

	public static class FlippedEd25519 extends Flipped {

		public FlippedEd25519() {
			super("Ed25519", 1);
		}

	}

	abstract static class Flipped extends SignatureSpi {

		private final Signature jdk;

		private final int flip;

		Flipped(String algorithm, int flip) {
			this.flip = flip;
			try {
				this.jdk = Signature.getInstance(algorithm);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
			this.jdk.initVerify(publicKey);
		}

		@Override
		protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
			this.jdk.initSign(privateKey);
		}

		@Override
		protected void engineUpdate(byte b) throws SignatureException {
			this.jdk.update(b);
		}

		@Override
		protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
			this.jdk.update(b, off, len);
		}

		@Override
		protected byte[] engineSign() throws SignatureException {
			byte[] signature = this.jdk.sign();
			signature[signature.length - 1] ^= this.flip;
			return signature;
		}

		@Override
		protected boolean engineVerify(byte[] signature) throws SignatureException {
			byte[] flipped = signature.clone();
			flipped[flipped.length - 1] ^= this.flip;
			return this.jdk.verify(flipped);
		}

		@Override
		@Deprecated
		protected void engineSetParameter(String param, Object value) {
			throw new UnsupportedOperationException();
		}

		@Override
		@Deprecated
		protected Object engineGetParameter(String param) {
			throw new UnsupportedOperationException();
		}

	}

	public static class JdkEcKeys extends KeyFactorySpi {

		private final KeyFactory jdk;

		public JdkEcKeys() throws GeneralSecurityException {
			this.jdk = KeyFactory.getInstance("EC");
		}

		@Override
		protected PublicKey engineGeneratePublic(KeySpec keySpec) throws InvalidKeySpecException {
			return this.jdk.generatePublic(keySpec);
		}

		@Override
		protected PrivateKey engineGeneratePrivate(KeySpec keySpec) throws InvalidKeySpecException {
			return this.jdk.generatePrivate(keySpec);
		}

		@Override
		protected <T extends KeySpec> T engineGetKeySpec(Key key, Class<T> keySpec) throws InvalidKeySpecException {
			return this.jdk.getKeySpec(key, keySpec);
		}

		@Override
		protected Key engineTranslateKey(Key key) throws InvalidKeyException {
			return this.jdk.translateKey(key);
		}

	}

}
