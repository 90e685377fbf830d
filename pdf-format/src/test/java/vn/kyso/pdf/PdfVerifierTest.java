package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;
import vn.kyso.Indication;
import vn.kyso.SignatureReport;
import vn.kyso.SubIndication;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;

/**
 * The verifier against PDFs signed by another implementation: plain PDFBox external signing with a
 * Bouncy Castle CMS, the way PDFBox's own examples do it.
 */
class PdfVerifierTest {
    private static TestPki pki;
    private static ValidationPolicy offline;

    @BeforeAll
    static void start() {
        pki = TestPki.start();
        offline = ValidationPolicy.builder().trustAnchors(pki.roots())
                .revocation(ValidationPolicy.Revocation.NONE).build();
    }

    @AfterAll
    static void stop() {
        pki.close();
    }

    // ---- proof of time and fresh revocation (issue 12, section 2); the rules live in validation ----

    private static byte[] signWithKyso(TestIdentity who, vn.kyso.SignOptions options) throws Exception {
        return TestPdfs.sign(TestPdfs.letter(1, "Thoi diem ky"), who, options,
                java.nio.file.Files.createTempDirectory("kyso-poe"));
    }

    private static vn.kyso.SignOptions timestamped() {
        return vn.kyso.SignOptions.builder().level(vn.kyso.BaselineLevel.T).timestampUrl(pki.services().tsaUri()).build();
    }

    /** {@code pdf} with a DSS holding {@code ocsps} appended as an incremental update, as anyone can do after signing. */
    private static byte[] appendDss(byte[] pdf, List<byte[]> ocsps) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            COSArray streams = new COSArray();
            for (byte[] ocsp : ocsps) {
                org.apache.pdfbox.cos.COSStream stream = doc.getDocument().createCOSStream();
                try (java.io.OutputStream out = stream.createOutputStream()) {
                    out.write(ocsp);
                }
                stream.setNeedToBeUpdated(true);
                streams.add(stream);
            }
            streams.setNeedToBeUpdated(true);
            COSDictionary dss = new COSDictionary();
            dss.setItem(COSName.getPDFName("OCSPs"), streams);
            dss.setNeedToBeUpdated(true);
            COSDictionary catalog = doc.getDocumentCatalog().getCOSObject();
            catalog.setItem(COSName.getPDFName("DSS"), dss);
            catalog.setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.saveIncremental(out);
            return out.toByteArray();
        }
    }

    @Test
    void aTimestampFromAnUntrustedAuthorityIsNoProofOfTheSigningTime() throws Exception {
        // judged in 2045, after person()'s certificate ended: a viewer trusting only the cipher root sees a
        // timestamp from a TSA it does not trust, which proves nothing, so the signature cannot be placed in time
        byte[] pdf = signWithKyso(pki.person(), timestamped());
        java.time.Instant later = TestPki.EXPIRES_AT.plus(Duration.ofDays(365));
        SignatureReport untrusted = PdfVerifier.verify(Document.of(pdf, "t.pdf"), ValidationPolicy.builder()
                .trustAnchors(List.of(pki.cipherRoot().certificate())).revocation(ValidationPolicy.Revocation.NONE)
                .validationTime(later).build()).signatures().get(0);
        assertTrue(untrusted.has("TIMESTAMP_UNTRUSTED"), untrusted.findings().toString());
        assertTrue(untrusted.timestampTime().isEmpty(), "an untrusted token's time is not reported as proven");
        assertEquals(Indication.INDETERMINATE, untrusted.indication(), untrusted.findings().toString());
        assertEquals(SubIndication.OUT_OF_BOUNDS_NO_POE, untrusted.subIndication().orElseThrow());
        SignatureReport trusted = PdfVerifier.verify(Document.of(pdf, "t.pdf"), ValidationPolicy.builder()
                .trustAnchors(pki.roots()).revocation(ValidationPolicy.Revocation.NONE).validationTime(later).build())
                .signatures().get(0);
        assertEquals(Indication.TOTAL_PASSED, trusted.indication(), trusted.findings().toString());
        assertTrue(trusted.timestampTime().isPresent());
    }

    @Test
    void aTimestampLaterThanTheValidationTimeIsNoProofAsOfThatTime() throws Exception {
        // signed and timestamped today; judged as of 2023-06-01, before the certificate was even issued: the token
        // did not exist then, so a reader taking it as proof would call the signature valid at a time it could not exist
        byte[] pdf = signWithKyso(pki.person(), timestamped());
        java.time.Instant before = TestPki.ISSUED_AT.minus(Duration.ofDays(214));
        SignatureReport r = PdfVerifier.verify(Document.of(pdf, "t.pdf"), ValidationPolicy.builder()
                .trustAnchors(pki.roots()).revocation(ValidationPolicy.Revocation.NONE).validationTime(before).build())
                .signatures().get(0);
        assertTrue(r.has("TIMESTAMP_AFTER_VALIDATION_TIME"), r.findings().toString());
        assertTrue(r.timestampTime().isEmpty(), "a token that did not exist yet is not reported as proof");
        assertEquals(SubIndication.NOT_YET_VALID, r.subIndication().orElseThrow(), r.findings().toString());
        // the same file judged as of today: the token exists and proves the time
        SignatureReport now = PdfVerifier.verify(Document.of(pdf, "t.pdf"), ValidationPolicy.builder()
                .trustAnchors(pki.roots()).revocation(ValidationPolicy.Revocation.NONE).build()).signatures().get(0);
        assertFalse(now.has("TIMESTAMP_AFTER_VALIDATION_TIME"), now.findings().toString());
        assertTrue(now.timestampTime().isPresent());
        assertEquals(Indication.TOTAL_PASSED, now.indication(), now.findings().toString());
    }

    @Test
    void theClaimedSigningTimeDoesNotRescueACertificateExpiredAtTheValidationTime() throws Exception {
        // /M and the CMS signing-time say "today"; judged in 2045 with no timestamp, nothing proves it
        byte[] pdf = signWithKyso(pki.person(), vn.kyso.SignOptions.defaults());
        SignatureReport r = PdfVerifier.verify(Document.of(pdf, "b.pdf"), ValidationPolicy.builder()
                .trustAnchors(pki.roots()).revocation(ValidationPolicy.Revocation.NONE)
                .validationTime(TestPki.EXPIRES_AT.plus(Duration.ofDays(1))).build()).signatures().get(0);
        assertEquals(Indication.INDETERMINATE, r.indication(), r.findings().toString());
        assertEquals(SubIndication.OUT_OF_BOUNDS_NO_POE, r.subIndication().orElseThrow());
        assertTrue(r.has("CERT_EXPIRED_NO_POE"), r.findings().toString());
    }

    @Test
    void anOldGoodOcspResponseAppendedAfterSigningDoesNotHideARevocation() throws Exception {
        // revoked() signs with a trusted timestamp (today, after its revocation in 2024); someone appends a genuine
        // "good" answer of the responder from the day before the revocation. A viewer reading the DSS sees "good".
        byte[] signed = signWithKyso(pki.revoked(), timestamped());
        byte[] old = vn.kyso.testkit.TestEvidence.ocsp(pki.ocspResponder(pki.cipherCa()), pki.cipherCa().certificate(),
                pki.revoked().certificate(), null, null, TestPki.REVOKED_AT.minus(Duration.ofDays(1)),
                TestPki.REVOKED_AT.minus(Duration.ofDays(1)).plus(Duration.ofHours(1)));
        byte[] pdf = appendDss(signed, List.of(old));
        SignatureReport r = PdfVerifier.verify(Document.of(pdf, "dss.pdf"), ValidationPolicy.builder()
                .trustAnchors(pki.roots()).revocation(ValidationPolicy.Revocation.EMBEDDED_ONLY).build())
                .signatures().get(0);
        assertTrue(r.timestampTime().isPresent());
        assertEquals(Indication.INDETERMINATE, r.indication(), r.findings().toString());
        assertEquals(SubIndication.TRY_LATER, r.subIndication().orElseThrow());
        assertTrue(r.findings().stream().anyMatch(f -> f.code().equals("REVOCATION_UNKNOWN")
                && f.english().contains("not fresh")), r.findings().toString());
        SignatureReport online = PdfVerifier.verify(Document.of(pdf, "dss.pdf"), ValidationPolicy.builder()
                .trustAnchors(pki.roots()).networkTimeout(Duration.ofSeconds(5)).build()).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, online.indication(), online.findings().toString());
        assertEquals(SubIndication.REVOKED, online.subIndication().orElseThrow());
    }

    @Test
    void allSignaturesOfADocumentShareOneNetworkTime() throws Exception {
        // two signatures while the OCSP responder hangs longer than the whole network time: the first signature's
        // fetch uses it up and the second does not wait again (each used to get a full timeout per fetch)
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("kyso-net");
        byte[] once = TestPdfs.sign(TestPdfs.letter(1, "Hai chu ky"), pki.person(), vn.kyso.SignOptions.defaults(), dir);
        byte[] twice = TestPdfs.sign(once, pki.organization(), vn.kyso.SignOptions.defaults(), dir);
        ValidationPolicy policy = ValidationPolicy.builder().trustAnchors(pki.roots())
                .networkTimeout(Duration.ofMillis(1500)).build();
        pki.services().setResponseDelay(Duration.ofSeconds(4));
        try {
            int before = pki.services().ocspRequests();
            int crlsBefore = pki.services().crlRequests();
            VerificationReport report = PdfVerifier.verify(Document.of(twice, "two.pdf"), policy);
            assertEquals(2, report.signatures().size());
            for (SignatureReport s : report.signatures()) {
                assertEquals(SubIndication.TRY_LATER, s.subIndication().orElseThrow(), s.findings().toString());
            }
            assertEquals(1, pki.services().ocspRequests() - before, "one fetch, then the document's network time is spent");
            assertEquals(crlsBefore, pki.services().crlRequests());
        } finally {
            pki.services().setResponseDelay(Duration.ZERO);
        }
    }

    @Test
    void aTimestampAuthorityCertificateIsNotAcceptedAsADocumentSigner() throws Exception {
        // the TSA's key (same CA as ordinary signers) signs a letter: it is trusted, but not for signing documents
        byte[] pdf = signWithKyso(pki.tsa(), vn.kyso.SignOptions.defaults());
        SignatureReport r = PdfVerifier.verify(Document.of(pdf, "tsa.pdf"), offline).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, r.indication(), r.findings().toString());
        assertEquals(SubIndication.CHAIN_CONSTRAINTS_FAILURE, r.subIndication().orElseThrow());
        assertTrue(r.has("CERT_NOT_FOR_SIGNING"), r.findings().toString());
    }

    /** Signs {@code pdf} incrementally with PDFBox and a detached BC CMS; certifies with {@code docMdp} when > 0. */
    static byte[] pdfboxSign(byte[] pdf, TestIdentity identity, String subFilter, int docMdp) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(COSName.getPDFName(subFilter));
            signature.setName(identity.alias());
            signature.setSignDate(Calendar.getInstance(TimeZone.getTimeZone("GMT+07:00")));
            if (docMdp > 0) {
                certify(doc, signature, docMdp);
            }
            doc.addSignature(signature, content -> {
                try {
                    CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
                    generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                            new JcaDigestCalculatorProviderBuilder().build())
                            .build(new JcaContentSignerBuilder(identity.signatureAlgorithm()).build(identity.privateKey()),
                                    identity.certificate()));
                    generator.addCertificates(new JcaCertStore(identity.chain()));
                    return generator.generate(new CMSProcessableByteArray(content.readAllBytes()), false).getEncoded();
                } catch (Exception e) {
                    throw new java.io.IOException(e);
                }
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.saveIncremental(out);
            return out.toByteArray();
        }
    }

    private static void certify(PDDocument doc, PDSignature signature, int level) {
        COSDictionary params = new COSDictionary();
        params.setItem(COSName.TYPE, COSName.getPDFName("TransformParams"));
        params.setInt(COSName.P, level);
        params.setName(COSName.V, "1.2");
        COSDictionary reference = new COSDictionary();
        reference.setItem(COSName.TYPE, COSName.getPDFName("SigRef"));
        reference.setItem(COSName.getPDFName("TransformMethod"), COSName.DOCMDP);
        reference.setItem(COSName.getPDFName("DigestMethod"), COSName.getPDFName("SHA256"));
        reference.setItem(COSName.getPDFName("TransformParams"), params);
        COSArray references = new COSArray();
        references.add(reference);
        signature.getCOSObject().setItem(COSName.getPDFName("Reference"), references);
        COSDictionary perms = new COSDictionary();
        perms.setItem(COSName.DOCMDP, signature);
        doc.getDocumentCatalog().getCOSObject().setItem(COSName.PERMS, perms);
        doc.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
    }

    private static VerificationReport verify(byte[] pdf, ValidationPolicy policy) throws Exception {
        return PdfVerifier.verify(Document.of(pdf, "other.pdf"), policy);
    }

    private static byte[] letter() throws Exception {
        return TestPdfs.letter(2, "Cong van so 12/UBND");
    }

    @Test
    void aPdfboxExampleSignaturePassesWithTheTestRootAsAnchor() throws Exception {
        for (String subFilter : List.of("adbe.pkcs7.detached", "ETSI.CAdES.detached")) {
            VerificationReport report = verify(pdfboxSign(letter(), pki.person(), subFilter, 0), offline);
            assertEquals(1, report.signatures().size());
            SignatureReport s = report.signatures().get(0);
            assertEquals(Indication.TOTAL_PASSED, s.indication(), report.toText());
            assertTrue(s.intact());
            assertTrue(s.coversWholeDocument());
            assertEquals(pki.person().certificate(), s.signerCertificate().orElseThrow());
        }
    }

    @Test
    void twoSequentialSignaturesBothPassAndTheFirstNamesTheLaterOne() throws Exception {
        byte[] once = pdfboxSign(letter(), pki.person(), "ETSI.CAdES.detached", 0);
        byte[] twice = pdfboxSign(once, pki.organization(), "ETSI.CAdES.detached", 0);
        VerificationReport report = verify(twice, offline);
        assertEquals(2, report.signatures().size(), report.toText());
        assertTrue(report.allPassed(), report.toText());
        assertTrue(report.signatures().get(0).laterChanges().stream().anyMatch(c -> c.contains("signature(s) added later")),
                report.toText());
    }

    @Test
    void anEcdsaSignerPasses() throws Exception {
        VerificationReport report = verify(pdfboxSign(letter(), pki.ecPerson(), "ETSI.CAdES.detached", 0), offline);
        assertTrue(report.allPassed(), report.toText());
    }

    @Test
    void anUnknownRootIsIndeterminate() throws Exception {
        List<java.security.cert.X509Certificate> others = pki.roots().stream()
                .filter(r -> !r.equals(pki.person().root())).toList();
        assertTrue(!others.isEmpty());
        ValidationPolicy otherRoot = ValidationPolicy.builder().trustAnchors(others)
                .revocation(ValidationPolicy.Revocation.NONE).build();
        SignatureReport s = verify(pdfboxSign(letter(), pki.person(), "ETSI.CAdES.detached", 0), otherRoot)
                .signatures().get(0);
        assertEquals(Indication.INDETERMINATE, s.indication());
        assertEquals(SubIndication.NO_CERTIFICATE_CHAIN_FOUND, s.subIndication().orElseThrow());
    }

    @Test
    void aRevokedSignerFailsOnlineOcsp() throws Exception {
        ValidationPolicy online = ValidationPolicy.builder().trustAnchors(pki.roots())
                .revocation(ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE).networkTimeout(Duration.ofSeconds(5)).build();
        SignatureReport s = verify(pdfboxSign(letter(), pki.revoked(), "ETSI.CAdES.detached", 0), online)
                .signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, s.indication());
        assertEquals(SubIndication.REVOKED, s.subIndication().orElseThrow(), s.toString());
    }

    @Test
    void aGoodSignerPassesOnlineOcsp() throws Exception {
        ValidationPolicy online = ValidationPolicy.builder().trustAnchors(pki.roots())
                .revocation(ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE).networkTimeout(Duration.ofSeconds(5)).build();
        VerificationReport report = verify(pdfboxSign(letter(), pki.person(), "ETSI.CAdES.detached", 0), online);
        assertTrue(report.allPassed(), report.toText());
        assertEquals(SignatureReport.RevocationStatus.GOOD, report.signatures().get(0).revocationStatus());
    }

    @Test
    void aCertificationThatForbidsChangesIsViolatedByALaterSignature() throws Exception {
        byte[] certified = pdfboxSign(letter(), pki.organization(), "ETSI.CAdES.detached", 1);
        assertTrue(verify(certified, offline).allPassed(), verify(certified, offline).toText());
        byte[] signedAgain = pdfboxSign(certified, pki.person(), "ETSI.CAdES.detached", 0);
        SignatureReport first = verify(signedAgain, offline).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, first.indication());
        assertTrue(first.findings().stream().anyMatch(f -> f.code().equals("DOCMDP_VIOLATED")));
    }

    @Test
    void aCertificationThatAllowsSignaturesAcceptsALaterSignature() throws Exception {
        byte[] certified = pdfboxSign(letter(), pki.organization(), "ETSI.CAdES.detached", 2);
        byte[] signedAgain = pdfboxSign(certified, pki.person(), "ETSI.CAdES.detached", 0);
        VerificationReport report = verify(signedAgain, offline);
        assertTrue(report.allPassed(), report.toText());
    }

    @Test
    void anAppendedPageContentChangeFailsTheSignature() throws Exception {
        byte[] signed = pdfboxSign(letter(), pki.person(), "ETSI.CAdES.detached", 0);
        byte[] attacked;
        try (PDDocument doc = Loader.loadPDF(signed)) {
            PDPage page = doc.getPage(0);
            try (PDPageContentStream s = new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.APPEND, false)) {
                s.addRect(0, 0, 600, 900);
                s.fill();
            }
            page.getCOSObject().setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.saveIncremental(out);
            attacked = out.toByteArray();
        }
        SignatureReport s = verify(attacked, offline).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, s.indication());
        assertTrue(s.findings().stream().anyMatch(f -> f.code().equals("PAGE_CONTENT_CHANGED_AFTER_SIGNING")));
    }

    @Test
    void aSignatureWrappingByteRangeFails() throws Exception {
        byte[] signed = pdfboxSign(letter(), pki.person(), "ETSI.CAdES.detached", 0);
        String text = new String(signed, StandardCharsets.ISO_8859_1);
        int at = text.lastIndexOf("/ByteRange");
        int open = text.indexOf('[', at);
        int close = text.indexOf(']', open);
        String[] n = text.substring(open + 1, close).trim().split("\\s+");
        long a = Long.parseLong(n[1]);
        long b = Long.parseLong(n[2]);
        long c = Long.parseLong(n[3]);
        // move the second signed range 200 bytes earlier into the hole, as a wrapping attack does to make room
        String moved = "[0 " + a + " " + (b - 200) + " " + (c + 200) + "]";
        StringBuilder padded = new StringBuilder(moved);
        while (padded.length() < close - open + 1) {
            padded.insert(padded.length() - 1, ' ');
        }
        byte[] attacked = (text.substring(0, open) + padded + text.substring(close + 1)).getBytes(StandardCharsets.ISO_8859_1);
        SignatureReport s = verify(attacked, offline).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, s.indication(), s.toString());
    }

    /** Loads {@code signed}, lets {@code change} alter it and appends the change as an incremental update. */
    private static byte[] appendUpdate(byte[] signed, PdfChange change) throws Exception {
        try (PDDocument doc = Loader.loadPDF(signed)) {
            change.apply(doc);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.saveIncremental(out);
            return out.toByteArray();
        }
    }

    interface PdfChange {
        void apply(PDDocument doc) throws Exception;
    }

    private static SignatureReport firstAfter(PdfChange change) throws Exception {
        byte[] signed = pdfboxSign(letter(), pki.person(), "ETSI.CAdES.detached", 0);
        return verify(appendUpdate(signed, change), offline).signatures().get(0);
    }

    @Test
    void anOverlayAnnotationAddedLaterIsAShadowAttack() throws Exception {
        SignatureReport s = firstAfter(doc -> {
            PDPage page = doc.getPage(0);
            org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationSquare cover =
                    new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationSquare();
            cover.setRectangle(new org.apache.pdfbox.pdmodel.common.PDRectangle(60, 740, 300, 40));
            cover.setInteriorColor(new org.apache.pdfbox.pdmodel.graphics.color.PDColor(new float[] {1, 1, 1},
                    org.apache.pdfbox.pdmodel.graphics.color.PDDeviceRGB.INSTANCE));
            page.getAnnotations().add(cover);
            page.getCOSObject().setNeedToBeUpdated(true);
            page.getCOSObject().getCOSArray(COSName.ANNOTS).setNeedToBeUpdated(true);
        });
        assertEquals(Indication.TOTAL_FAILED, s.indication(), s.toString());
        assertTrue(s.has("ANNOTATION_CHANGED_AFTER_SIGNING"), s.toString());
    }

    @Test
    void replacingASignedContentStreamInPlaceIsAHideAndReplaceAttack() throws Exception {
        SignatureReport s = firstAfter(doc -> {
            org.apache.pdfbox.cos.COSStream content = (org.apache.pdfbox.cos.COSStream)
                    doc.getPage(0).getCOSObject().getDictionaryObject(COSName.CONTENTS);
            try (java.io.OutputStream out = content.createOutputStream()) {
                out.write("BT /F1 12 Tf 72 760 Td (Chi tra 9.000.000 dong) Tj ET".getBytes(StandardCharsets.US_ASCII));
            }
            content.setNeedToBeUpdated(true);
        });
        assertEquals(Indication.TOTAL_FAILED, s.indication(), s.toString());
        assertTrue(s.has("PAGE_CONTENT_CHANGED_AFTER_SIGNING"), s.toString());
    }

    @Test
    void switchingOptionalContentVisibilityLaterIsAShadowHideAttack() throws Exception {
        SignatureReport s = firstAfter(doc -> {
            COSDictionary layer = new COSDictionary();
            layer.setItem(COSName.TYPE, COSName.OCG);
            layer.setString(COSName.NAME, "hidden text");
            COSArray layers = new COSArray();
            layers.add(layer);
            COSDictionary defaults = new COSDictionary();
            defaults.setItem(COSName.OFF, layers);
            COSDictionary properties = new COSDictionary();
            properties.setItem(COSName.OCGS, layers);
            properties.setItem(COSName.D, defaults);
            doc.getDocumentCatalog().getCOSObject().setItem(COSName.OCPROPERTIES, properties);
            doc.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
        });
        assertEquals(Indication.TOTAL_FAILED, s.indication(), s.toString());
        assertTrue(s.has("CATALOG_CHANGED_AFTER_SIGNING"), s.toString());
    }

    @Test
    void aSignatureWhoseBytesStopInsideARevisionFails() throws Exception {
        byte[] signed = pdfboxSign(letter(), pki.person(), "ETSI.CAdES.detached", 0);
        // shorten the signed range so it stops 7 bytes before the revision's %%EOF
        String text = new String(signed, StandardCharsets.ISO_8859_1);
        int at = text.lastIndexOf("/ByteRange");
        int open = text.indexOf('[', at);
        int close = text.indexOf(']', open);
        String[] n = text.substring(open + 1, close).trim().split("\\s+");
        String shorter = "[0 " + n[1] + " " + n[2] + " " + (Long.parseLong(n[3]) - 7) + "]";
        StringBuilder padded = new StringBuilder(shorter);
        while (padded.length() < close - open + 1) {
            padded.insert(padded.length() - 1, ' ');
        }
        byte[] attacked = (text.substring(0, open) + padded + text.substring(close + 1)).getBytes(StandardCharsets.ISO_8859_1);
        SignatureReport s = verify(attacked, offline).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, s.indication(), s.toString());
        assertTrue(s.has("BYTE_RANGE_NOT_AT_REVISION_END"), s.toString());
    }

    /** {@code signed} with its last ByteRange array replaced by {@code array}, padded to the same length. */
    private static byte[] withByteRange(byte[] signed, String array) {
        String text = new String(signed, StandardCharsets.ISO_8859_1);
        int at = text.lastIndexOf("/ByteRange");
        int open = text.indexOf('[', at);
        int close = text.indexOf(']', open);
        StringBuilder padded = new StringBuilder(array);
        while (padded.length() < close - open + 1) {
            padded.insert(padded.length() - 1, ' ');
        }
        assertTrue(padded.length() == close - open + 1, "replacement too long: " + array);
        return (text.substring(0, open) + padded + text.substring(close + 1)).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void everyUniversalSignatureForgeryVariantFailsAsAFormatFailure() throws Exception {
        byte[] signed = pdfboxSign(letter(), pki.person(), "ETSI.CAdES.detached", 0);
        String text = new String(signed, StandardCharsets.ISO_8859_1);
        int at = text.lastIndexOf("/ByteRange");
        String[] n = text.substring(text.indexOf('[', at) + 1, text.indexOf(']', at)).trim().split("\\s+");
        long a = Long.parseLong(n[1]);
        long b = Long.parseLong(n[2]);
        long c = Long.parseLong(n[3]);
        long pastEnd = (long) Math.pow(10, n[3].length()) - 1;
        assertTrue(b + pastEnd > signed.length);
        List<String> variants = List.of(
                "[]",
                "[0 0 0 0]",
                "[0 " + a + " " + b + "]",
                "[1 " + (a - 1) + " " + b + " " + c + "]",
                "[0 " + (a + 10) + " " + b + " " + c + "]",
                "[0 " + a + " " + a + " " + c + "]",
                "[0 " + a + " " + b + " " + pastEnd + "]",
                "[0 " + a + " " + (b + 1) + " " + (c - 1) + "]",
                "[0 -1 " + b + " " + c + "]",
                "[0 " + a + " /x " + c + "]");
        for (String variant : variants) {
            VerificationReport report = verify(withByteRange(signed, variant), offline);
            assertEquals(1, report.signatures().size(), variant);
            SignatureReport s = report.signatures().get(0);
            assertEquals(Indication.TOTAL_FAILED, s.indication(), variant + ": " + s);
            assertFalse(s.intact(), variant);
        }
        byte[] noContents = text.replaceFirst("/Contents\\s*<", "/Contentz <").getBytes(StandardCharsets.ISO_8859_1);
        assertFalse(verify(noContents, offline).allPassed());
    }

    /** Appends a document timestamp (SubFilter ETSI.RFC3161) from the test TSA, as PAdES B-LTA does. */
    static byte[] documentTimestamp(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDSignature timestamp = new PDSignature();
            timestamp.setType(COSName.getPDFName("DocTimeStamp"));
            timestamp.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            timestamp.setSubFilter(COSName.getPDFName("ETSI.RFC3161"));
            doc.addSignature(timestamp, content -> {
                try {
                    return vn.kyso.internal.validation.Net.timestamp("pades", pki.services().tsaUri(), vn.kyso.DigestAlgorithm.SHA256,
                            vn.kyso.DigestAlgorithm.SHA256.digest(content.readAllBytes()), Duration.ofSeconds(5));
                } catch (vn.kyso.KysoException e) {
                    throw new java.io.IOException(e);
                }
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.saveIncremental(out);
            return out.toByteArray();
        }
    }

    @Test
    void aDocumentTimestampAfterASignatureIsAllowedAndVerified() throws Exception {
        byte[] stamped = documentTimestamp(pdfboxSign(letter(), pki.person(), "ETSI.CAdES.detached", 0));
        // the TSA's issuing CA is not in the token: let the verifier fetch it from caIssuers (online policy)
        ValidationPolicy online = ValidationPolicy.builder().trustAnchors(pki.roots())
                .revocation(ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE).networkTimeout(Duration.ofSeconds(5)).build();
        VerificationReport report = verify(stamped, online);
        assertEquals(2, report.signatures().size(), report.toText());
        assertTrue(report.allPassed(), report.toText());
        assertTrue(report.signatures().get(1).timestampTime().isPresent());
        assertTrue(report.signatures().get(1).coversWholeDocument());
        assertFalse(report.signatures().get(0).coversWholeDocument());
        byte[] flipped = stamped.clone();
        int inTimestampedRevision = stamped.length - 40;
        flipped[inTimestampedRevision] ^= 1;
        SignatureReport broken = verify(flipped, online).signatures().get(1);
        assertEquals(Indication.TOTAL_FAILED, broken.indication(), broken.toString());
    }

    @Test
    void aDocumentTimestampLaterThanTheValidationTimeDidNotExistThen() throws Exception {
        // stamped today, judged as of a year ago: a reader taking the token at its word would show a document
        // "timestamped" at a time the token could not exist
        byte[] stamped = documentTimestamp(pdfboxSign(letter(), pki.person(), "ETSI.CAdES.detached", 0));
        SignatureReport r = verify(stamped, ValidationPolicy.builder().trustAnchors(pki.roots())
                .revocation(ValidationPolicy.Revocation.NONE).validationTime(java.time.Instant.now().minus(Duration.ofDays(365)))
                .build()).signatures().get(1);
        assertTrue(r.has("TIMESTAMP_AFTER_VALIDATION_TIME"), r.toString());
        assertEquals(Indication.INDETERMINATE, r.indication(), r.toString());
        assertEquals(SubIndication.NO_POE, r.subIndication().orElseThrow());
    }

    @Test
    void anEmptySignatureFieldThatPaintsOverThePageIsAnOverlayAttack() throws Exception {
        SignatureReport s = firstAfter(doc -> {
            org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm form = doc.getDocumentCatalog().getAcroForm();
            org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField field =
                    new org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField(form);
            field.setPartialName("cover");
            org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget widget = field.getWidgets().get(0);
            org.apache.pdfbox.pdmodel.common.PDRectangle rect = new org.apache.pdfbox.pdmodel.common.PDRectangle(60, 740, 300, 40);
            widget.setRectangle(rect);
            PDPage page = doc.getPage(0);
            widget.setPage(page);
            org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream look =
                    new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream(doc);
            look.setBBox(new org.apache.pdfbox.pdmodel.common.PDRectangle(300, 40));
            try (java.io.OutputStream out = look.getCOSObject().createOutputStream()) {
                out.write("1 1 1 rg 0 0 300 40 re f".getBytes(StandardCharsets.US_ASCII));
            }
            org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary ap =
                    new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary();
            ap.setNormalAppearance(look);
            widget.setAppearance(ap);
            page.getAnnotations().add(widget);
            form.getFields().add(field);
            page.getCOSObject().setNeedToBeUpdated(true);
            form.getCOSObject().setNeedToBeUpdated(true);
            form.getCOSObject().getCOSArray(COSName.FIELDS).setNeedToBeUpdated(true);
            COSArray annots = page.getCOSObject().getCOSArray(COSName.ANNOTS);
            annots.setNeedToBeUpdated(true);
        });
        assertEquals(Indication.TOTAL_FAILED, s.indication(), s.toString());
        assertTrue(s.has("UNSIGNED_FIELD_OVERLAY_AFTER_SIGNING"), s.toString());
    }

    @Test
    void garbageAndTruncatedFilesAreMalformedQuickly() throws Exception {
        byte[] signed = pdfboxSign(letter(), pki.person(), "ETSI.CAdES.detached", 0);
        long start = System.nanoTime();
        assertThrows(DocumentMalformedException.class,
                () -> verify("not a pdf at all".getBytes(StandardCharsets.US_ASCII), offline));
        assertThrows(DocumentMalformedException.class,
                () -> verify(java.util.Arrays.copyOf(signed, 40), offline));
        byte[] header = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        byte[] noise = new byte[200_000];
        new java.util.Random(7).nextBytes(noise);
        System.arraycopy(header, 0, noise, 0, header.length);
        assertThrows(DocumentMalformedException.class, () -> verify(noise, offline));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
    }
}
