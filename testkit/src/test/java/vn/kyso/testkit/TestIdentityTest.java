package vn.kyso.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TestIdentityTest {

    private static TestPki pki;

    @BeforeAll
    static void startPki() {
        pki = TestPki.start();
    }

    @AfterAll
    static void stopPki() {
        pki.close();
    }

    @Test
    void pkcs12ExportLoadsBackWithItsPasswordKeyAndFullChain() throws Exception {
        char[] password = "123456".toCharArray();
        TestIdentity id = pki.person();
        byte[] p12 = id.toPkcs12(password);

        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(p12), password);
        assertEquals(List.of("person"), java.util.Collections.list(store.aliases()));
        assertEquals(id.privateKey(), store.getKey("person", password));
        Certificate[] chain = store.getCertificateChain("person");
        assertArrayEquals(id.chainWithRoot().toArray(), chain);
        assertArrayEquals("123456".toCharArray(), password, "the caller's password is left as it was");

        KeyStore wrong = KeyStore.getInstance("PKCS12");
        assertThrows(java.io.IOException.class,
                () -> wrong.load(new ByteArrayInputStream(p12), "654321".toCharArray()));
    }

    @Test
    void pkcs12ExportWorksForAnEcKey() throws Exception {
        char[] password = "ec".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(pki.ecPerson().toPkcs12(password)), password);
        assertEquals("EC", store.getKey("ec-person", password).getAlgorithm());
    }

    @Test
    void pemExportsParseBackToTheSameCertificatesAndKey() throws Exception {
        TestIdentity id = pki.ecPerson();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        assertEquals(id.certificate(), factory.generateCertificate(
                new ByteArrayInputStream(id.certificatePem().getBytes(StandardCharsets.US_ASCII))));
        assertEquals(id.chainWithRoot(), List.copyOf(factory.generateCertificates(
                new ByteArrayInputStream(id.chainPem().getBytes(StandardCharsets.US_ASCII)))));

        String pem = id.privateKeyPem();
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(pem.endsWith("-----END PRIVATE KEY-----\n"));
        assertTrue(Arrays.stream(pem.split("\n")).allMatch(line -> line.length() <= 64));
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replace("\n", "");
        PrivateKey key = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        assertEquals(id.privateKey(), key);
    }

    @Test
    void privateKeySignsWhatTheCertificateVerifies() throws Exception {
        for (TestIdentity id : List.of(pki.person(), pki.ecPerson(), pki.legacySha1())) {
            byte[] data = "Quyết định số 123/QĐ-SCT".getBytes(StandardCharsets.UTF_8);
            Signature signer = Signature.getInstance(id.signatureAlgorithm());
            signer.initSign(id.privateKey());
            signer.update(data);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(id.signatureAlgorithm());
            verifier.initVerify(id.certificate());
            verifier.update(data);
            assertTrue(verifier.verify(signature), id.alias());
        }
    }

    @Test
    void chainStopsBelowTheRootAndChainWithRootAddsIt() {
        TestIdentity id = pki.invoiceSeller();
        assertEquals(List.of(id.certificate(), pki.vnptCa().certificate()), id.chain());
        assertEquals(List.of(id.certificate(), pki.vnptCa().certificate(), pki.nationalRoot().certificate()),
                id.chainWithRoot());
        assertEquals(List.of(pki.vnptCa().certificate()), pki.vnptCa().chain());
        assertEquals(List.of(pki.cipherRoot().certificate()), pki.cipherRoot().chain());
        assertEquals(List.of(pki.cipherRoot().certificate()), pki.cipherRoot().chainWithRoot());
        assertEquals(pki.cipherRoot().certificate(), pki.cipherRoot().issuer());
        assertThrows(UnsupportedOperationException.class, () -> id.chain().clear());
    }

    @Test
    void toStringNamesTheHolderButNeverTheKey() {
        String text = pki.person().toString();
        assertTrue(text.contains("person") && text.contains("Nguyễn Văn An"), text);
        String key = Base64.getEncoder().encodeToString(pki.person().privateKey().getEncoded());
        assertFalse(text.contains(key.substring(40, 80)));
    }
}
