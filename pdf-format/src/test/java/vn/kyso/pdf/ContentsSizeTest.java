package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import vn.kyso.BaselineLevel;
import vn.kyso.CredentialCallback;
import vn.kyso.Document;
import vn.kyso.KeySource;
import vn.kyso.Kyso;
import vn.kyso.SignOptions;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;
import vn.kyso.SigningFailedException;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestPki;

/**
 * The /Contents reservation: for any chain and any timestamp token within the allowance the CMS
 * fits; a long chain with a large token from a real (loopback) TSA signs and verifies; a token
 * beyond the allowance is a typed error and leaves nothing behind.
 */
class ContentsSizeTest {
    private static TestPki pki;
    private static List<KeyPair> keys;
    private static List<KeyPair> rsa4096;

    @BeforeContainer
    static void start() throws Exception {
        pki = TestPki.start();
        keys = new ArrayList<>();
        for (int bits : new int[] {2048, 3072, 4096}) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            keys.add(g.generateKeyPair());
        }
        for (String curve : new String[] {"secp256r1", "secp384r1", "secp521r1"}) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            keys.add(g.generateKeyPair());
        }
        rsa4096 = List.of(keys.get(2));
    }

    @AfterContainer
    static void stop() {
        pki.close();
    }

    @Property(tries = 60)
    void anyChainWithATokenWithinTheAllowanceFits(@ForAll @IntRange(min = 1, max = 6) int length,
            @ForAll @IntRange(min = 0, max = 5) int keyKind, @ForAll @IntRange(min = 0, max = 1500) int padding,
            @ForAll @IntRange(min = 0, max = 80) int nameLength, @ForAll boolean timestamped,
            @ForAll @IntRange(min = 64, max = ContentsSize.TIMESTAMP_ALLOWANCE - 64) int tokenLength) throws Exception {
        List<X509Certificate> chain = new ArrayList<>();
        String issuer = "CN=Gốc " + "x".repeat(nameLength) + ",O=Ban Cơ yếu Chính phủ,C=VN";
        KeyPair issuerKey = keys.get((keyKind + length) % keys.size());
        List<KeyPair> path = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            path.add(keys.get((keyKind + i) % keys.size()));
        }
        // built from the root down, then listed signer first as the format expects
        List<X509Certificate> fromRoot = new ArrayList<>();
        for (int i = length - 1; i >= 0; i--) {
            String subject = "CN=Cấp " + i + " " + "y".repeat(nameLength) + ",O=Sở Công Thương tỉnh Đồng Nai,C=VN";
            fromRoot.add(LoopbackTsa.certificate(subject, path.get(i).getPublic(), issuer, issuerKey.getPrivate(), i > 0, padding));
            issuer = subject;
            issuerKey = path.get(i);
        }
        for (int i = fromRoot.size() - 1; i >= 0; i--) {
            chain.add(fromRoot.get(i));
        }
        PublicKey signerKey = chain.get(0).getPublicKey();
        SignatureAlgorithm algorithm = SignatureAlgorithm.forKey(signerKey, vn.kyso.DigestAlgorithm.SHA256);
        BaselineLevel level = timestamped ? BaselineLevel.T : BaselineLevel.B;
        byte[] attributes = Cms.signedAttributes(new byte[32], chain.get(0));
        byte[] token = new DERSequence(new DEROctetString(new byte[tokenLength - 8])).getEncoded();
        byte[] cms = SignedDataDer.encode(attributes, new byte[ContentsSize.maxSignatureLength(signerKey)], algorithm,
                chain, timestamped ? Cms.timestampAttribute(token).getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER) : null);
        int reserved = ContentsSize.reserve(chain, algorithm, level);
        assertTrue(cms.length <= reserved, cms.length + " bytes of CMS, " + reserved + " reserved");
    }

    /** A PKCS#12 signer for a six-certificate chain of RSA-4096 keys with long names, and the chain's root. */
    static Signer longChainSigner(Path dir, List<X509Certificate> rootOut) throws Exception {
        KeyPair key = rsa4096.get(0);
        List<X509Certificate> fromRoot = new ArrayList<>();
        String issuer = "CN=Test Root CA chuỗi dài,O=Ban Cơ yếu Chính phủ (test),C=VN";
        for (int i = 5; i >= 0; i--) {
            String subject = i == 0 ? "CN=Nguyễn Văn An,O=Sở Công Thương tỉnh Đồng Nai,L=Đồng Nai,C=VN"
                    : "CN=Test CA cấp " + i + " phục vụ các cơ quan Nhà nước,O=Ban Cơ yếu Chính phủ (test),C=VN";
            fromRoot.add(LoopbackTsa.certificate(i == 5 ? issuer : subject, key.getPublic(), issuer, key.getPrivate(), i > 0, 300));
            issuer = i == 5 ? issuer : subject;
        }
        List<X509Certificate> chain = new ArrayList<>(fromRoot);
        java.util.Collections.reverse(chain);
        rootOut.add(fromRoot.get(0));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("long", key.getPrivate(), TestPdfs.PASSWORD, chain.toArray(new Certificate[0]));
        Path file = dir.resolve("long-chain.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, TestPdfs.PASSWORD);
        }
        KeySource source = Kyso.discover().connect("pkcs12", Map.of("file", file.toString()),
                CredentialCallback.of(TestPdfs.PASSWORD));
        return source.open(source.keys().get(0).id());
    }

    @net.jqwik.api.Example
    void aLongChainWithALargeTokenFromARealTsaSignsAndVerifies() throws Exception {
        Path dir = Files.createTempDirectory("kyso-contents");
        List<X509Certificate> root = new ArrayList<>();
        try (LoopbackTsa tsa = new LoopbackTsa(pki, request -> ContentsSize.TIMESTAMP_ALLOWANCE - 6_000);
                Signer signer = longChainSigner(dir, root)) {
            assertEquals(6, signer.chain().size());
            Path target = dir.resolve("long.pdf");
            URI url = tsa.uri();
            new PadesFormat().sign(Document.of(TestPdfs.letter(1, "Chuoi dai"), "in.pdf"), signer,
                    SignOptions.builder().level(BaselineLevel.T).timestampUrl(url).build(), target);
            // the test PKI's TSA signs the token: its root must be trusted too for the token to prove the time
            VerificationReport report = new PadesFormat().verify(Document.of(target), ValidationPolicy.builder()
                    .trustAnchors(List.of(root.get(0), pki.nationalRoot().certificate()))
                    .revocation(ValidationPolicy.Revocation.NONE).build());
            assertTrue(report.allPassed(), report.toText());
            assertTrue(report.signatures().get(0).timestampTime().isPresent());
            assertEquals(List.of(true), Pdfsig.integrity(target));
        }
    }

    @net.jqwik.api.Example
    void aTokenLargerThanItsAllowanceIsATypedErrorAndNothingIsWritten() throws Exception {
        Path dir = Files.createTempDirectory("kyso-contents");
        try (LoopbackTsa tsa = new LoopbackTsa(pki, request -> ContentsSize.TIMESTAMP_ALLOWANCE + 4_000);
                Signer signer = TestPdfs.signer(pki.person(), dir)) {
            Path input = Files.write(dir.resolve("in.pdf"), TestPdfs.letter(1, "Token lon"));
            byte[] before = Files.readAllBytes(input);
            Path target = dir.resolve("never.pdf");
            URI url = tsa.uri();
            SigningFailedException e = assertThrows(SigningFailedException.class, () -> new PadesFormat().sign(
                    Document.of(input), signer, SignOptions.builder().level(BaselineLevel.T).timestampUrl(url).build(),
                    target));
            assertTrue(e.getMessage().contains("timestamp token from " + url) && e.getMessage().contains("nothing was written"),
                    e.getMessage());
            assertFalse(Files.exists(target));
            assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(input)));
            try (var left = Files.list(dir)) {
                assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no partial file");
            }
            java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
            assertThrows(SigningFailedException.class, () -> new PadesFormat().sign(Document.of(input), signer,
                    SignOptions.builder().level(BaselineLevel.T).timestampUrl(url).build(), stream));
            assertEquals(0, stream.size(), "nothing written to a stream either");
        }
    }
}
