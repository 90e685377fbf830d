package vn.kyso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class VerificationReportJsonTest {

    private static X509Certificate signer() throws Exception {
        return TestKeys.certificate(TestKeys.rsa(),
                "CN=Nguyễn Văn \"A\",UID=MST:0101234567,OID.0.9.2342.19200300.100.1.1=CCCD:001099012345,C=VN");
    }

    private static SignatureReport passed(X509Certificate cert) {
        return SignatureReport.builder("Signature1").signerCertificate(cert).chain(List.of(cert)).intact(true)
                .coversWholeDocument(true).covers("bytes 0-100, 200-300")
                .claimedSigningTime(OffsetDateTime.of(2025, 7, 10, 17, 54, 31, 0, ZoneOffset.ofHours(7)))
                .timestampTime(Instant.parse("2025-07-10T10:54:40Z"))
                .chainStatus(SignatureReport.ChainStatus.TRUSTED, cert)
                .revocation(SignatureReport.RevocationStatus.GOOD, SignatureReport.RevocationSource.EMBEDDED_OCSP)
                .finding(Finding.warning("WEAK_ALGORITHM", "SHA-1 yếu", "SHA-1 is weak"))
                .finding(Finding.info("REFORMATTED_AFTER_SIGNING", "ghi chú", "a note"))
                .indication(Indication.TOTAL_PASSED, null).build();
    }

    private static SignatureReport failed() {
        // control characters, quotes, a backslash and a lone surrogate in attacker-chosen text (a field name)
        return SignatureReport.builder("Sig\"na\\ture\n\u0001\uD800end").intact(false).laterChange("page 1 content")
                .chainStatus(SignatureReport.ChainStatus.NO_TRUSTED_ANCHOR, null)
                .finding(Finding.error("CONTENT_ALTERED", "Nội dung bị thay đổi\t", "Content altered\u2028"))
                .indication(Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE).build();
    }

    private static SignatureReport indeterminate() {
        return SignatureReport.builder("NBan").intact(true)
                .chainStatus(SignatureReport.ChainStatus.INCOMPLETE, null)
                .revocation(SignatureReport.RevocationStatus.UNKNOWN, SignatureReport.RevocationSource.NONE)
                .indication(Indication.INDETERMINATE, SubIndication.NO_CERTIFICATE_CHAIN_FOUND).build();
    }

    @Test
    void everyKindOfReportIsValidAgainstTheSchema() throws Exception {
        X509Certificate cert = signer();
        List<VerificationReport> reports = List.of(
                new VerificationReport("pades", "passed.pdf", List.of(passed(cert))),
                new VerificationReport("pades", "failed.pdf", List.of(passed(cert), failed())),
                new VerificationReport("xades", "indeterminate.xml", List.of(indeterminate())),
                new VerificationReport("pades", "unsigned.pdf", List.of()),
                VerificationReport.unreadable("garbage.bin", new PluginNotFoundException("no format reads it")),
                VerificationReport.unreadable("bomb.pdf", new DocumentMalformedException("pades", "too deep", null)),
                VerificationReport.unreadable("gone.pdf", new IOException("permission denied")),
                VerificationReport.unreadable("crash.xml", new IllegalStateException((String) null)));
        VerificationRun run = new VerificationRun(ValidationPolicy.builder().trustAnchors(List.of(cert)).build(),
                Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));
        for (VerificationReport r : reports) {
            SchemaCheck.assertValid(r.toJson());
            run.add("in/" + r.documentName(), r);
        }
        SchemaCheck.assertValid(run.toJson());
        assertEquals(8, run.total());
        assertEquals(1, run.count(VerificationReport.Outcome.TOTAL_PASSED));
        assertEquals(1, run.count(VerificationReport.Outcome.TOTAL_FAILED));
        assertEquals(1, run.count(VerificationReport.Outcome.INDETERMINATE));
        assertEquals(1, run.count(VerificationReport.Outcome.UNSIGNED));
        assertEquals(4, run.count(VerificationReport.Outcome.UNREADABLE));
        assertTrue(run.toJson().contains("\"time\":\"2026-01-02T10:04:05+07:00\",\"basis\":\"CURRENT_TIME\""));
    }

    @Test
    void theJsonCarriesTheSignersIdsAndEscapesWhatItQuotes() throws Exception {
        String json = new VerificationReport("pades", "a.pdf", List.of(passed(signer()), failed())).toJson();
        assertTrue(json.contains("\"taxCode\":\"0101234567\""), json);
        assertTrue(json.contains("\"citizenId\":\"001099012345\""), json);
        assertTrue(json.contains("\"claimedSigningTime\":\"2025-07-10T17:54:31+07:00\""), json);
        assertTrue(json.contains("\"timestampTime\":\"2025-07-10T17:54:40+07:00\""), json);
        assertTrue(json.contains("\"weak\":{\"weak\":true,\"reasons\":[\"SHA-1 is weak\"]}"), json);
        assertTrue(json.contains("\"id\":\"Sig\\\"na\\\\ture\\n\\u0001\uFFFDend\""), json);
        assertTrue(json.contains("\"en\":\"Content altered\\u2028\""), json);
        assertFalse(json.contains("\n"), "one line, whatever the input");
    }

    @Test
    void theExampleInTheDocsIsValidAgainstTheSchema() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "verification-report.md"));
        int start = doc.indexOf("```json\n") + "```json\n".length();
        SchemaCheck.assertValid(doc.substring(start, doc.indexOf("```", start)));
    }

    @Test
    void aDocumentThatDoesNotMatchTheSchemaIsRejectedByTheCheck() {
        // the check itself must be able to fail: an unknown outcome and a missing path
        assertFalse(SchemaCheck.valid("{\"schema\":\"kyso-verify/1\",\"files\":[{\"format\":\"pades\",\"outcome\":\"OK\"}]}"));
        assertFalse(SchemaCheck.valid("{\"schema\":\"kyso-verify/2\",\"files\":[]}"));
    }

    @Test
    void aRequestedValidationTimeIsReportedAsRequested() {
        VerificationRun run = new VerificationRun(ValidationPolicy.builder()
                .validationTime(Instant.parse("2020-01-01T00:00:00Z")).build(), Clock.systemUTC());
        assertEquals(VerificationRun.TimeBasis.REQUESTED, run.timeBasis());
        assertEquals(Instant.parse("2020-01-01T00:00:00Z"), run.validationTime());
        SchemaCheck.assertValid(run.toJson());
    }

    @Test
    void theTextReportComesInOneLanguageWhenAsked() throws Exception {
        VerificationReport report = new VerificationReport("pades", "a.pdf", List.of(passed(signer())));
        String vi = report.toText(Locale.forLanguageTag("vi"));
        String en = report.toText(Locale.ENGLISH);
        assertTrue(vi.contains("Người ký") && !vi.contains("Signer"), vi);
        assertTrue(en.contains("Signer") && !en.contains("Người ký"), en);
        assertTrue(report.toText().contains("Người ký / Signer"));
    }
}
