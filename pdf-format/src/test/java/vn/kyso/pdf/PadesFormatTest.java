package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.BaselineLevel;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;
import vn.kyso.Indication;
import vn.kyso.SignOptions;
import vn.kyso.SignatureReport;
import vn.kyso.Signer;
import vn.kyso.SubIndication;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;

class PadesFormatTest {
    private static TestPki pki;
    private static final PadesFormat PADES = new PadesFormat();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        pki = TestPki.start();
    }

    @AfterAll
    static void stop() {
        pki.close();
    }

    private byte[] sign(byte[] pdf, TestIdentity who, SignOptions options) throws Exception {
        return TestPdfs.sign(pdf, who, options, dir);
    }

    private static VerificationReport verify(byte[] pdf, ValidationPolicy policy) throws Exception {
        return PADES.verify(Document.of(pdf, "signed.pdf"), policy);
    }

    private static ValidationPolicy online() {
        return ValidationPolicy.builder().trustAnchors(pki.roots()).build();
    }

    @Test
    void approvalOfficialAndOrganizationSignaturesAllStayValid() throws Exception {
        byte[] pdf = TestPdfs.letter(2, "Cong van 2806/SCT-VP");
        byte[] approved = sign(pdf, pki.ecPerson(), SignOptions.builder().documentType("Công văn")
                .formatOptions(PadesOptions.builder().reason("Ký nháy").build()).build());
        byte[] official = sign(approved, pki.person(), SignOptions.defaults());
        byte[] issued = sign(official, pki.organization(), SignOptions.builder().level(BaselineLevel.T)
                .timestampUrl(pki.services().tsaUri()).build());
        VerificationReport report = verify(issued, online());
        assertEquals(3, report.signatures().size(), report.toText());
        assertTrue(report.allPassed(), report.toText());
        assertFalse(report.signatures().get(0).coversWholeDocument());
        assertTrue(report.signatures().get(0).laterChanges().get(0).contains("2"), report.toText());
        assertTrue(report.signatures().get(2).coversWholeDocument());
        assertTrue(report.signatures().get(2).timestampTime().isPresent());
        assertEquals("Nguyễn Văn An", vn.kyso.Certificates.commonName(report.signatures().get(1).signerCertificate().orElseThrow()));
        assertTrue(Pdfsig.available(), "poppler's pdfsig must be installed (bash .ci/run installs poppler-utils)");
        assertEquals(List.of(true, true, true), Pdfsig.integrity(Files.write(dir.resolve("issued.pdf"), issued)));
    }

    @Test
    void levelLtCarriesRevocationDataSoItVerifiesWithTheCaOffline() throws Exception {
        byte[] signed;
        List<java.security.cert.X509Certificate> roots;
        try (TestPki ownPki = TestPki.start(); Signer signer = TestPdfs.signer(ownPki.organization(), dir)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PADES.sign(Document.of(TestPdfs.letter(1, "LT"), "in.pdf"), signer, SignOptions.builder()
                    .level(BaselineLevel.LT).timestampUrl(ownPki.services().tsaUri()).build(), out);
            signed = out.toByteArray();
            roots = ownPki.roots();
        }
        VerificationReport report = verify(signed, ValidationPolicy.builder().trustAnchors(roots)
                .revocation(ValidationPolicy.Revocation.EMBEDDED_ONLY).build());
        SignatureReport s = report.signatures().get(0);
        assertEquals(Indication.TOTAL_PASSED, s.indication(), report.toText());
        assertEquals(SignatureReport.RevocationSource.EMBEDDED_OCSP, s.revocationSource());
        assertTrue(s.laterChanges().stream().anyMatch(c -> c.contains("DSS")), report.toText());
        assertEquals(List.of(true), Pdfsig.integrity(Files.write(dir.resolve("lt.pdf"), signed)));
    }

    @Test
    void aRevokedSignerFailsAndAnUnknownRootIsIndeterminate() throws Exception {
        byte[] revoked = sign(TestPdfs.letter(1, "x"), pki.revoked(), SignOptions.defaults());
        SignatureReport r = verify(revoked, online()).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, r.indication());
        assertEquals(SubIndication.REVOKED, r.subIndication().orElseThrow());
        byte[] good = sign(TestPdfs.letter(1, "x"), pki.person(), SignOptions.defaults());
        SignatureReport u = verify(good, ValidationPolicy.builder()
                .trustAnchors(List.of(pki.nationalRoot().certificate())).build()).signatures().get(0);
        assertEquals(Indication.INDETERMINATE, u.indication());
        assertEquals(SubIndication.NO_CERTIFICATE_CHAIN_FOUND, u.subIndication().orElseThrow());
    }

    @Test
    void unreachableRevocationIsAWarningNotAPass() throws Exception {
        byte[] signed;
        List<java.security.cert.X509Certificate> roots;
        try (TestPki ownPki = TestPki.start(); Signer signer = TestPdfs.signer(ownPki.person(), dir)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PADES.sign(Document.of(TestPdfs.letter(1, "B"), "in.pdf"), signer, SignOptions.defaults(), out);
            signed = out.toByteArray();
            roots = ownPki.roots();
        }
        SignatureReport r = verify(signed, ValidationPolicy.builder().trustAnchors(roots)
                .networkTimeout(java.time.Duration.ofSeconds(2)).build()).signatures().get(0);
        assertEquals(Indication.INDETERMINATE, r.indication());
        assertEquals(SubIndication.TRY_LATER, r.subIndication().orElseThrow());
        assertTrue(r.has("REVOCATION_UNKNOWN"));
    }

    @Test
    void legacySha1AndRsa1024AreFlaggedWeakAndFailUnderAStrictPolicy() throws Exception {
        byte[] signed = sign(TestPdfs.letter(1, "legacy"), pki.legacySha1(), SignOptions.defaults());
        SignatureReport lenient = verify(signed, online()).signatures().get(0);
        assertTrue(lenient.has("WEAK_ALGORITHM"));
        assertEquals(Indication.TOTAL_PASSED, lenient.indication());
        SignatureReport strict = verify(signed, ValidationPolicy.builder().trustAnchors(pki.roots())
                .strictAlgorithms(true).build()).signatures().get(0);
        assertEquals(SubIndication.CRYPTO_CONSTRAINTS_FAILURE, strict.subIndication().orElseThrow());
    }

    @Test
    void anExpiredCertificateIsNotAPass() throws Exception {
        byte[] signed = sign(TestPdfs.letter(1, "late"), pki.expired(), SignOptions.defaults());
        SignatureReport r = verify(signed, online()).signatures().get(0);
        assertNotEquals(Indication.TOTAL_PASSED, r.indication());
        assertTrue(r.has("CERT_EXPIRED_AT_SIGNING"));
    }

    @Test
    void aLargeFileIsSignedFromDiskAndTheInputIsUntouched() throws Exception {
        Path input = Files.write(dir.resolve("big.pdf"), TestPdfs.letter(300, "trang"));
        byte[] before = Files.readAllBytes(input);
        Path output = dir.resolve("big-signed.pdf");
        try (Signer signer = TestPdfs.signer(pki.person(), dir)) {
            PADES.sign(Document.of(input), signer, SignOptions.defaults(), output);
        }
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(input)));
        assertTrue(PADES.verify(Document.of(output), online()).allPassed());
    }

    @Test
    void truncatedOrGarbageFilesAreTypedErrors() throws Exception {
        byte[] signed = sign(TestPdfs.letter(1, "x"), pki.person(), SignOptions.defaults());
        byte[] truncated = java.util.Arrays.copyOf(signed, signed.length / 3);
        assertThrows(DocumentMalformedException.class, () -> verify("%PDF-1.7\n garbage".getBytes(StandardCharsets.US_ASCII),
                online()));
        VerificationReport r;
        try {
            r = verify(truncated, online());
            assertFalse(r.allPassed());
        } catch (DocumentMalformedException expected) {
            assertTrue(expected.getMessage().contains("cannot be read"));
        }
    }

    @Test
    void batchSigningOfTenDocumentsUsesOneConfirmation() throws Exception {
        List<Document> docs = new ArrayList<>();
        List<Path> targets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            docs.add(Document.of(TestPdfs.letter(1, "Van ban " + i), "v" + i + ".pdf"));
            targets.add(dir.resolve("v" + i + ".pdf"));
        }
        vn.kyso.InMemoryUsageReporter usage = new vn.kyso.InMemoryUsageReporter();
        vn.kyso.Kyso kyso = vn.kyso.Kyso.builder().usageReporter(usage).build();
        Path p12 = Files.write(dir.resolve("seal.p12"), pki.organization().toPkcs12(TestPdfs.PASSWORD));
        try (vn.kyso.KeySource source = kyso.connect("pkcs12", java.util.Map.of("file", p12.toString()),
                vn.kyso.CredentialCallback.of(TestPdfs.PASSWORD)); Signer signer = source.open(source.keys().get(0).id())) {
            kyso.format("pades").signBatch(docs, targets, signer, SignOptions.builder().documentType("Quyết định").build());
        }
        assertEquals(1, usage.events().size());
        assertEquals(10, usage.events().get(0).signatures());
        assertEquals("Quyết định", usage.events().get(0).documentType());
        for (Path t : targets) {
            assertTrue(PADES.verify(Document.of(t), online()).allPassed());
        }
    }

    @Test
    void timestampAuthorityDownIsServiceUnavailable() throws Exception {
        try (Signer signer = TestPdfs.signer(pki.person(), dir)) {
            SignOptions options = SignOptions.builder().level(BaselineLevel.T)
                    .timestampUrl(URI.create("http://127.0.0.1:9/tsa")).networkTimeout(java.time.Duration.ofSeconds(2)).build();
            assertThrows(vn.kyso.ServiceUnavailableException.class, () -> PADES.sign(
                    Document.of(TestPdfs.letter(1, "x"), "x.pdf"), signer, options, dir.resolve("never.pdf")));
            assertFalse(Files.exists(dir.resolve("never.pdf")));
        }
    }

    @Test
    void asyncSigningCompletes() throws Exception {
        try (Signer signer = TestPdfs.signer(pki.person(), dir)) {
            Path t = PADES.signAsync(Document.of(TestPdfs.letter(1, "x"), "x.pdf"), signer, SignOptions.defaults(),
                    dir.resolve("a.pdf")).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertTrue(PADES.verify(Document.of(t), online()).allPassed());
        }
    }

    @Test
    void optionsMeantForAnotherFormatAreRefusedNamingPadesOptionsAndNothingIsWritten() throws Exception {
        // stands for XmlOptions handed to a PDF signature: ignored, the PDF would be signed with a
        // default look and reason the caller never chose
        final class XmlProfile implements vn.kyso.FormatOptions {
        }
        Path target = dir.resolve("never.pdf");
        try (Signer signer = TestPdfs.signer(pki.person(), dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PADES.sign(
                    Document.of(TestPdfs.letter(1, "x"), "x.pdf"), signer,
                    SignOptions.builder().formatOptions(new XmlProfile()).build(), target));
            assertTrue(e.getMessage().contains(PadesOptions.class.getName()), e.getMessage());
        }
        assertFalse(Files.exists(target));
    }
}
