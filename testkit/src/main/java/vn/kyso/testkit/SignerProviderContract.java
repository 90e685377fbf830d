package vn.kyso.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import vn.kyso.CredentialCallback;
import vn.kyso.KeyDescriptor;
import vn.kyso.KeyNotFoundException;
import vn.kyso.KeySource;
import vn.kyso.KysoException;
import vn.kyso.PinIncorrectException;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;
import vn.kyso.spi.SignerProvider;

/**
 * The contract every {@link SignerProvider} keeps. A vendor proves a provider by extending this
 * class in a JUnit 5 test and answering its four questions; the inherited tests then check
 * sign-then-verify for every algorithm the key offers, wrong credentials (typed error, never
 * retried), closed signers, batch against singles, and signing from several threads.
 *
 * <pre>{@code
 * class MyProviderContractTest extends SignerProviderContract {
 *     protected SignerProvider provider() { return new MyProvider(); }
 *     protected Map<String, String> settings() { return Map.of("file", p12.toString()); }
 *     protected char[] correctSecret() { return "123456".toCharArray(); }
 *     protected char[] wrongSecret() { return "000000".toCharArray(); }
 * }
 * }</pre>
 *
 * <p>Keys must be real (a SoftHSM2 token, a simulator on loopback, a file): the contract signs
 * and verifies with the certificate's public key.
 */
public abstract class SignerProviderContract {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The provider under test. */
    protected abstract SignerProvider provider();

    /** Settings that reach at least one signing key. */
    protected abstract Map<String, String> settings();

    /** The secret that unlocks the keys (PIN or password). */
    protected abstract char[] correctSecret();

    /** A secret that does not unlock them. */
    protected abstract char[] wrongSecret();

    /** The error a wrong secret gives; {@link PinIncorrectException} unless the provider documents another. */
    protected Class<? extends KysoException> wrongSecretError() {
        return PinIncorrectException.class;
    }

    /** Connects with the correct secret. */
    protected KeySource connect() throws KysoException {
        return provider().connect(settings(), CredentialCallback.of(correctSecret()));
    }

    @Test
    void hasAStableNonBlankId() {
        assertFalse(provider().id().isBlank());
        assertEquals(provider().id(), provider().id());
    }

    @Test
    void listsKeysWithTheirCertificates() throws Exception {
        try (KeySource source = connect()) {
            List<KeyDescriptor> keys = source.keys();
            assertFalse(keys.isEmpty(), "the settings must reach at least one key");
            for (KeyDescriptor k : keys) {
                assertNotNull(k.certificate());
                assertFalse(k.id().isBlank());
            }
            assertEquals(provider().id(), source.providerId());
        }
    }

    @Test
    void everyOfferedAlgorithmSignsDigestsThatVerifyWithTheCertificate() throws Exception {
        try (KeySource source = connect()) {
            for (KeyDescriptor key : source.keys()) {
                try (Signer signer = source.open(key.id())) {
                    assertEquals(key.certificate(), signer.certificate());
                    assertFalse(signer.algorithms().isEmpty());
                    for (SignatureAlgorithm algorithm : signer.algorithms()) {
                        byte[] data = randomData();
                        byte[] value = signer.sign(algorithm, algorithm.digest().digest(data), "Ký thử / test");
                        assertTrue(verifies(algorithm, signer.certificate().getPublicKey(), data, value),
                                algorithm + " from " + key.label() + " must verify with its certificate");
                    }
                }
            }
        }
    }

    @Test
    void aWrongSecretFailsWithItsTypedErrorAndIsNotRetried() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        CredentialCallback wrong = request -> {
            asked.incrementAndGet();
            return wrongSecret();
        };
        assertThrows(wrongSecretError(), () -> {
            try (KeySource source = provider().connect(settings(), wrong)) {
                for (KeyDescriptor key : source.keys()) {
                    try (Signer signer = source.open(key.id())) {
                        SignatureAlgorithm a = signer.algorithms().iterator().next();
                        signer.sign(a, a.digest().digest(randomData()), "");
                    }
                }
            }
        });
        assertEquals(1, asked.get(), "a wrong secret must be asked once and never retried");
    }

    @Test
    void anUnknownKeyIdIsKeyNotFound() throws Exception {
        try (KeySource source = connect()) {
            assertThrows(KeyNotFoundException.class, () -> source.open("no-such-key-" + RANDOM.nextInt()));
        }
    }

    @Test
    void aClosedSignerRefusesToSign() throws Exception {
        try (KeySource source = connect()) {
            Signer signer = source.open(source.keys().get(0).id());
            SignatureAlgorithm a = signer.algorithms().iterator().next();
            signer.close();
            signer.close();
            assertThrows(IllegalStateException.class, () -> signer.sign(a, a.digest().digest(randomData()), ""));
        }
    }

    @Test
    void anAlgorithmTheKeyCannotMakeIsMisuse() throws Exception {
        try (KeySource source = connect(); Signer signer = source.open(source.keys().get(0).id())) {
            SignatureAlgorithm foreign = signer.algorithms().iterator().next().keyKind() == SignatureAlgorithm.KeyKind.RSA
                    ? SignatureAlgorithm.ECDSA_SHA256 : SignatureAlgorithm.RSA_SHA256;
            assertThrows(IllegalArgumentException.class, () -> signer.sign(foreign, new byte[32], ""));
        }
    }

    @Test
    void aBatchSignsLikeSingles() throws Exception {
        try (KeySource source = connect(); Signer signer = source.open(source.keys().get(0).id())) {
            SignatureAlgorithm a = signer.algorithms().iterator().next();
            List<byte[]> data = new ArrayList<>();
            List<byte[]> digests = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                data.add(randomData());
                digests.add(a.digest().digest(data.get(i)));
            }
            List<byte[]> batch = signer.sign(SignRequest.batch(a, digests, "Ký 5 văn bản"));
            assertEquals(5, batch.size());
            for (int i = 0; i < 5; i++) {
                assertTrue(verifies(a, signer.certificate().getPublicKey(), data.get(i), batch.get(i)));
                if (isDeterministic(a)) {
                    assertArrayEquals(signer.sign(a, digests.get(i), ""), batch.get(i),
                            "a deterministic algorithm signs a digest the same in a batch and alone");
                }
            }
        }
    }

    @Test
    void signsFromSeveralThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (KeySource source = connect(); Signer signer = source.open(source.keys().get(0).id())) {
            SignatureAlgorithm a = signer.algorithms().iterator().next();
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(pool.submit(() -> {
                    byte[] data = randomData();
                    return verifies(a, signer.certificate().getPublicKey(), data,
                            signer.sign(a, a.digest().digest(data), ""));
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean isDeterministic(SignatureAlgorithm a) {
        return a.keyKind() == SignatureAlgorithm.KeyKind.RSA && !a.isPss();
    }

    private static byte[] randomData() {
        byte[] data = new byte[1 + RANDOM.nextInt(200)];
        RANDOM.nextBytes(data);
        return data;
    }

    /** Verifies a signature value as kyso's formats will: PKCS#1 v1.5, PSS (salt = digest length) or DER ECDSA. */
    static boolean verifies(SignatureAlgorithm algorithm, PublicKey key, byte[] data, byte[] value) throws Exception {
        Signature verifier;
        if (algorithm.isPss()) {
            String md = algorithm.digest().jcaName();
            verifier = Signature.getInstance("RSASSA-PSS");
            verifier.setParameter(new PSSParameterSpec(md, "MGF1", new MGF1ParameterSpec(md), algorithm.digest().length(), 1));
        } else {
            verifier = Signature.getInstance(algorithm.jcaName());
        }
        verifier.initVerify(key);
        verifier.update(data);
        return verifier.verify(value);
    }
}
