package vn.kyso.pkcs12;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.CredentialCallback;
import vn.kyso.CredentialRequest;
import vn.kyso.DeviceKind;
import vn.kyso.KeyNotFoundException;
import vn.kyso.KeySource;
import vn.kyso.PinIncorrectException;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;
import vn.kyso.TestKeys;
import vn.kyso.UserRejectedException;

class Pkcs12SignerProviderTest {
    private static final byte[] DATA = "Công văn số 2806/SCT-VP".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private KeySource connect(Path file, CredentialCallback callback) throws Exception {
        return new Pkcs12SignerProvider().connect(Map.of("file", file.toString()), callback);
    }

    @Test
    void signsDigestsThatVerifyWithTheCertificateForEveryRsaAlgorithm() throws Exception {
        Path file = TestKeys.pkcs12(dir, TestKeys.rsa(), "CN=Nguyễn Văn An,C=VN");
        try (KeySource source = connect(file, CredentialCallback.of(TestKeys.PASSWORD));
                Signer signer = source.open(source.keys().get(0).id())) {
            assertEquals(DeviceKind.FILE, signer.deviceKind());
            for (SignatureAlgorithm alg : List.of(SignatureAlgorithm.RSA_SHA256, SignatureAlgorithm.RSA_SHA512,
                    SignatureAlgorithm.RSA_PSS_SHA256, SignatureAlgorithm.RSA_PSS_SHA384)) {
                byte[] digest = MessageDigest.getInstance(alg.digest().jcaName()).digest(DATA);
                byte[] value = signer.sign(alg, digest, "");
                Signature verifier;
                if (alg.isPss()) {
                    verifier = Signature.getInstance("RSASSA-PSS");
                    String md = alg.digest().jcaName();
                    verifier.setParameter(new PSSParameterSpec(md, "MGF1", new MGF1ParameterSpec(md),
                            alg.digest().length(), 1));
                } else {
                    verifier = Signature.getInstance(alg.jcaName());
                }
                verifier.initVerify(signer.certificate());
                verifier.update(DATA);
                assertTrue(verifier.verify(value), alg + " signature must verify");
            }
        }
    }

    @Test
    void signsEcdsaDigestsInDer() throws Exception {
        Path file = TestKeys.pkcs12(dir, TestKeys.ec(), "CN=Trần Thị Bình,C=VN");
        try (KeySource source = connect(file, CredentialCallback.of(TestKeys.PASSWORD));
                Signer signer = source.open("key")) {
            byte[] value = signer.sign(SignatureAlgorithm.ECDSA_SHA256,
                    MessageDigest.getInstance("SHA-256").digest(DATA), "");
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(signer.certificate());
            verifier.update(DATA);
            assertTrue(verifier.verify(value));
            assertThrows(IllegalArgumentException.class,
                    () -> signer.sign(SignatureAlgorithm.RSA_SHA256, new byte[32], ""));
        }
    }

    @Test
    void wrongPasswordIsPinIncorrectAndAskedOnlyOnce() throws Exception {
        Path file = TestKeys.pkcs12(dir, TestKeys.rsa(), "CN=An,C=VN");
        int[] asked = {0};
        var e = assertThrows(PinIncorrectException.class, () -> connect(file, request -> {
            asked[0]++;
            return "wrong".toCharArray();
        }));
        assertEquals(1, asked[0], "a wrong password is never retried");
        assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
        assertTrue(e.triesLeft().isEmpty());
    }

    @Test
    void clearsThePasswordAfterUse() throws Exception {
        Path file = TestKeys.pkcs12(dir, TestKeys.rsa(), "CN=An,C=VN");
        AtomicReference<char[]> given = new AtomicReference<>();
        AtomicReference<CredentialRequest> request = new AtomicReference<>();
        try (KeySource source = connect(file, r -> {
            request.set(r);
            given.set(TestKeys.PASSWORD.clone());
            return given.get();
        })) {
            assertEquals(1, source.keys().size());
        }
        char[] zeros = new char[TestKeys.PASSWORD.length];
        assertTrue(Arrays.equals(zeros, given.get()), "the password array must be cleared");
        assertEquals(CredentialRequest.Kind.PASSWORD, request.get().kind());
    }

    @Test
    void cancelledPasswordIsUserRejected() throws Exception {
        Path file = TestKeys.pkcs12(dir, TestKeys.rsa(), "CN=An,C=VN");
        assertThrows(UserRejectedException.class, () -> connect(file, CredentialCallback.none()));
    }

    @Test
    void missingOrCorruptFileIsKeyNotFoundAndMissingSettingIsMisuse() throws Exception {
        assertThrows(KeyNotFoundException.class, () -> connect(dir.resolve("none.p12"),
                CredentialCallback.of(TestKeys.PASSWORD)));
        Path garbage = Files.writeString(dir.resolve("garbage.p12"), "not a keystore");
        assertThrows(KeyNotFoundException.class, () -> connect(garbage, CredentialCallback.of(TestKeys.PASSWORD)));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Pkcs12SignerProvider().connect(Map.of(), CredentialCallback.of(TestKeys.PASSWORD)));
        assertTrue(e.getMessage().contains("'file'"));
    }

    @Test
    void closedSignerRefusesToSign() throws Exception {
        Path file = TestKeys.pkcs12(dir, TestKeys.rsa(), "CN=An,C=VN");
        try (KeySource source = connect(file, CredentialCallback.of(TestKeys.PASSWORD))) {
            Signer signer = source.open("key");
            signer.close();
            var e = assertThrows(IllegalStateException.class,
                    () -> signer.sign(SignRequest.of(SignatureAlgorithm.RSA_SHA256, new byte[32], "")));
            assertTrue(e.getMessage().contains("closed"));
            assertThrows(KeyNotFoundException.class, () -> source.open("other"));
        }
    }

    @Test
    void closingTheSourceClosesItsSigners() throws Exception {
        Path file = TestKeys.pkcs12(dir, TestKeys.rsa(), "CN=An,C=VN");
        KeySource source = connect(file, CredentialCallback.of(TestKeys.PASSWORD));
        Signer signer = source.open("key");
        source.close();
        assertThrows(IllegalStateException.class, () -> signer.sign(SignatureAlgorithm.RSA_SHA256, new byte[32], ""));
        assertThrows(IllegalStateException.class, source::keys);
    }
}
