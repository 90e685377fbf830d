package vn.kyso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Certificates;
import vn.kyso.Document;
import vn.kyso.Kyso;
import vn.kyso.SignatureReport;
import vn.kyso.TrustAnchors;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.internal.validation.CertificateChecks;

class VerifyCommandTest {

    @TempDir
    static Path demo;

    @TempDir
    Path dir;

    private static Schema schema;

    @BeforeAll
    static void signTheDemoFiles() throws Exception {
        assertEquals(0, KysoCommand.run("demo", demo.toString()));
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(Path.of("..", "docs", "kyso-verify-1.schema.json")));
    }

    private record Run(int exit, String out) {
    }

    private static Run run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            int exit = KysoCommand.run(args);
            return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    private static String[] withDemoTrust(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--trust", demo.resolve("trust/cipher-root.pem").toString(),
                demo.resolve("trust/national-root.pem").toString(),
                "--ca", demo.resolve("ca/cipher-ca.pem").toString(), demo.resolve("ca/vnpt-ca.pem").toString()));
        return all.toArray(String[]::new);
    }

    private static void assertValid(String json) {
        assertEquals(List.of(), schema.validate(json, InputFormat.JSON).stream().map(Object::toString).toList(), json);
    }

    /** A one-page PDF nobody signed. */
    private static byte[] blankPdf() throws java.io.IOException {
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            doc.addPage(new org.apache.pdfbox.pdmodel.PDPage());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            doc.save(bytes);
            return bytes.toByteArray();
        }
    }

    private static int summary(String json, String outcome) {
        Matcher m = Pattern.compile("\"summary\":\\{[^}]*\"" + outcome + "\":(\\d+)").matcher(json);
        assertTrue(m.find(), json);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void theJsonOfARunValidatesAgainstTheSchemaAndSaysWhichTimeAndRevocationItUsed() {
        Path issued = demo.resolve("3-van-thu-dong-dau.pdf");
        Run r = run(withDemoTrust("verify", "--json", "--revocation", "embedded", issued.toString(),
                demo.resolve("7-hoa-don-cqt.xml").toString()));
        assertValid(r.out());
        assertEquals(VerifyCommand.NOT_ALL_VALID, r.exit(), "the XML carries no revocation data: indeterminate offline");
        assertEquals(1, summary(r.out(), "TOTAL_PASSED"), r.out());
        assertEquals(1, summary(r.out(), "INDETERMINATE"), r.out());
        assertTrue(r.out().contains("\"basis\":\"CURRENT_TIME\""), r.out());
        assertTrue(r.out().contains("\"revocation\":\"EMBEDDED_ONLY\""), r.out());
    }

    @Test
    void eachRevocationChoiceChangesTheVerdictAsDescribedAndTheReportSaysWhichWasUsed() {
        String xml = demo.resolve("7-hoa-don-cqt.xml").toString();
        // the invoice carries no revocation data: embedded only, its status stays unknown
        Run embedded = run(withDemoTrust("verify", xml, "--json", "--revocation", "embedded"));
        assertValid(embedded.out());
        assertEquals(1, summary(embedded.out(), "INDETERMINATE"), embedded.out());
        assertTrue(embedded.out().contains("\"code\":\"REVOCATION_UNKNOWN\""), embedded.out());
        // off: not checked, and the report says so for every signature
        Run off = run(withDemoTrust("verify", xml, "--json", "--revocation", "off"));
        assertValid(off.out());
        assertTrue(off.out().contains("\"revocation\":\"NONE\""), off.out());
        assertEquals(3, count(off.out(), "\"revocation\":{\"status\":\"NOT_CHECKED\",\"source\":\"NONE\"}"), off.out());
        assertFalse(off.out().contains("REVOCATION_UNKNOWN"), off.out());
        // --offline stays the alias of embedded
        assertEquals(run(withDemoTrust("verify", xml, "--offline")).exit(),
                run(withDemoTrust("verify", xml, "--revocation", "embedded")).exit());
        assertEquals(VerifyCommand.UNREADABLE, KysoCommand.run("verify", xml, "--offline", "--revocation", "online"),
                "contradictory options are refused");
    }

    @Test
    void anXmlOrPdfWithNoSignatureIsAReadableUnsignedDocumentNotAnUnreadableOne() throws Exception {
        // an e-invoice saved before signing, and a PDF nobody signed: both read fine, so a clerk must be told
        // "not signed" (exit 1), not "damaged file" (exit 2)
        Path xml = Files.writeString(dir.resolve("chua-ky.xml"),
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><HDon><DLHDon Id=\"_1\"><TTChung><SHDon>123</SHDon></TTChung>"
                + "</DLHDon><DSCKS><NBan/></DSCKS></HDon>");
        Path pdf = Files.write(dir.resolve("chua-ky.pdf"), blankPdf());
        for (Path file : List.of(xml, pdf)) {
            Run r = run(withDemoTrust("verify", "--json", "--offline", file.toString()));
            assertValid(r.out());
            assertEquals(VerifyCommand.NOT_ALL_VALID, r.exit(), r.out());
            assertEquals(1, summary(r.out(), "UNSIGNED"), r.out());
            assertEquals(0, summary(r.out(), "UNREADABLE"), r.out());
            assertTrue(r.out().contains("\"signatures\":[],\"warnings\":[{\"code\":\"NO_SIGNATURE\""), r.out());
            assertFalse(r.out().contains("\"error\""), r.out());
        }
        Run text = run(withDemoTrust("verify", "--offline", "--lang", "en", xml.toString()));
        assertTrue(text.out().contains("no signature"), text.out());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aValidationTimeBeforeTheCertificatesMakesTheSameFileNotPassAndIsReportedAsRequested() {
        // the invoice's signatures carry no timestamp: they are judged at the validation time
        String xml = demo.resolve("7-hoa-don-cqt.xml").toString();
        Run now = run(withDemoTrust("verify", xml, "--json", "--revocation", "off"));
        Run past = run(withDemoTrust("verify", xml, "--json", "--revocation", "off", "--at", "2001-01-01"));
        assertValid(past.out());
        assertTrue(now.out().contains("\"basis\":\"CURRENT_TIME\""), now.out());
        assertTrue(past.out().contains("\"time\":\"2001-01-01T00:00:00+07:00\",\"basis\":\"REQUESTED\""), past.out());
        assertEquals(0, summary(past.out(), "TOTAL_PASSED"), past.out());
        assertTrue(count(now.out(), "\"indication\":\"TOTAL_PASSED\"") > count(past.out(), "\"indication\":\"TOTAL_PASSED\""),
                "before its certificates were issued the signature does not hold: " + past.out());
        assertEquals(VerifyCommand.UNREADABLE, KysoCommand.run("verify", xml, "--at", "yesterday"),
                "a time that cannot be read is refused, not taken for now");
    }

    @Test
    void aTimestampLaterThanTheRequestedTimeIsSetAsideAndTheReportSaysWhy() {
        // the issued letter's signatures are timestamped today; as of 2025-06-01 those tokens did not exist yet
        String pdf = demo.resolve("3-van-thu-dong-dau.pdf").toString();
        Run past = run(withDemoTrust("verify", pdf, "--json", "--revocation", "off", "--at", "2025-06-01"));
        assertValid(past.out());
        assertTrue(past.out().contains("\"basis\":\"REQUESTED\""), past.out());
        assertTrue(past.out().contains("a timestamp dated later did not exist yet"), "the run's reason says it: " + past.out());
        assertTrue(past.out().contains("\"code\":\"TIMESTAMP_AFTER_VALIDATION_TIME\""), past.out());
        assertFalse(past.out().matches("(?s).*\"timestampTime\":\"2.*"), "no token counts as proof then: " + past.out());
        Run now = run(withDemoTrust("verify", pdf, "--json", "--revocation", "off"));
        assertFalse(now.out().contains("TIMESTAMP_AFTER_VALIDATION_TIME"), now.out());
        assertTrue(now.out().matches("(?s).*\"timestampTime\":\"2.*"), now.out());
    }

    @Test
    void theTextReportComesInTheLanguageAskedFor() {
        Path issued = demo.resolve("3-van-thu-dong-dau.pdf");
        String vi = run(withDemoTrust("verify", "--offline", "--lang", "vi", issued.toString())).out();
        String en = run(withDemoTrust("verify", "--offline", "--lang", "en", issued.toString())).out();
        assertTrue(vi.contains("Người ký:") && vi.contains("Tổng kết") && !vi.contains("Signer"), vi);
        assertTrue(en.contains("Signer:") && en.contains("Summary") && !en.contains("Người ký"), en);
    }

    @Test
    void withoutTrustTheBuiltInVietnameseRootsAreUsedAndTheDemoPkiIsNotTrusted() {
        Run r = run("verify", "--json", "--offline", demo.resolve("3-van-thu-dong-dau.pdf").toString());
        assertValid(r.out());
        assertEquals(VerifyCommand.NOT_ALL_VALID, r.exit());
        assertTrue(r.out().contains("CN=Vietnam National Root CA"), r.out());
        assertTrue(r.out().contains("CN=RootCA chuyên dùng Chính phủ G2"), r.out());
        Run named = run("verify", demo.resolve("3-van-thu-dong-dau.pdf").toString(), "--json", "--offline", "--trust", "vn");
        assertTrue(named.out().contains("CN=RootCA chuyên dùng Chính phủ G2"), named.out());
        Run own = run(withDemoTrust("verify", "--json", "--offline", demo.resolve("3-van-thu-dong-dau.pdf").toString()));
        assertFalse(own.out().contains("CN=Vietnam National Root CA,"), "--trust PEM replaces the built-in roots");
    }

    /**
     * The tax authority's real certificate (CN=CỤC THUẾ, O=BỘ TÀI CHÍNH, serial 2A05F812673607B0, as every
     * e-invoice it codes carries in DSCKS/CQT, leaf only) chains to the built-in Cipher Committee root.
     */
    @Test
    void theTaxAuthoritysRealCertificateChainsToTheBuiltInCipherCommitteeRootWithNoTrustGiven() throws Exception {
        X509Certificate cqt = Certificates.parse(Files.readAllBytes(
                Path.of("src", "test", "resources", "trust", "cuc-thue-2025.pem"))).get(0);
        Instant at = Instant.parse("2026-01-15T03:00:00Z");
        ValidationPolicy offline = ValidationPolicy.builder().revocation(ValidationPolicy.Revocation.EMBEDDED_ONLY).build();
        assertEquals(SignatureReport.ChainStatus.NO_TRUSTED_ANCHOR,
                CertificateChecks.chain(cqt, List.of(), at, offline).status(), "nothing is trusted by default in the API");

        ValidationPolicy vn = ValidationPolicy.builder().trust(TrustAnchors.vietnam())
                .revocation(ValidationPolicy.Revocation.EMBEDDED_ONLY).build();
        CertificateChecks.Chain chain = CertificateChecks.chain(cqt, List.of(), at, vn);
        assertEquals(SignatureReport.ChainStatus.TRUSTED, chain.status());
        assertEquals("RootCA chuyên dùng Chính phủ G2", Certificates.commonName(chain.anchor()));
        assertEquals(List.of("CỤC THUẾ", "CA phục vụ các cơ quan Nhà nước G2"),
                chain.path().stream().map(Certificates::commonName).toList());
        assertTrue(CertificateChecks.notForSigning(cqt).isEmpty(), "its key usage is a signer's");
    }

    @Test
    void aFolderOf200MixedFilesGivesTheRightSummaryAndNoCrash() throws Exception {
        Path in = Files.createDirectories(dir.resolve("incoming"));
        byte[] pdf = Files.readAllBytes(demo.resolve("3-van-thu-dong-dau.pdf"));
        byte[] xml = Files.readAllBytes(demo.resolve("7-hoa-don-cqt.xml"));
        byte[] tampered = pdf.clone();
        int at = new String(pdf, StandardCharsets.ISO_8859_1).indexOf("/MediaBox");
        tampered[at + 2] = 'X';
        // a viewer would show the deepest text of this XML; a naive parser recurses until the stack breaks
        String deep = "<a>".repeat(100_000) + "x" + "</a>".repeat(100_000);
        // the classic entity bomb: a naive parser expands it to gigabytes
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><HDon>&c;&c;&c;&c;</HDon>";
        byte[] unsigned = blankPdf();
        for (int i = 0; i < 50; i++) {
            Files.write(in.resolve("valid-" + i + ".bin"), pdf); // named .bin: found by content, not extension
        }
        for (int i = 0; i < 50; i++) {
            Files.write(Files.createDirectories(in.resolve("sub")).resolve("tampered-" + i + ".pdf"), tampered);
        }
        for (int i = 0; i < 40; i++) {
            Files.write(in.resolve("invoice-" + i + ".xml"), xml);
        }
        for (int i = 0; i < 10; i++) {
            Files.writeString(in.resolve("deep-" + i + ".xml"), deep);
            Files.writeString(in.resolve("bomb-" + i + ".xml"), bomb);
        }
        for (int i = 0; i < 10; i++) {
            // a PDF header and then nothing a PDF reader can use, and a signed PDF cut in half in transfer
            Files.writeString(in.resolve("broken-" + i + ".pdf"), "%PDF-1.7\n" + "garbage ".repeat(1000));
            Files.write(in.resolve("cut-" + i + ".pdf"), java.util.Arrays.copyOf(pdf, 700));
        }
        for (int i = 0; i < 10; i++) {
            Files.writeString(in.resolve("notes-" + i + ".pdf"), "not a document at all"); // skipped: not PDF/XML
            Files.write(in.resolve("unsigned-" + i + ".pdf"), unsigned);
        }
        Run r = run(withDemoTrust("verify", "--json", "--offline", "--threads", "2", in.toString()));
        assertValid(r.out());
        assertEquals(200, summary(r.out(), "total") + summary(r.out(), "SKIPPED"), r.out().substring(r.out().length() - 300));
        assertEquals(50, summary(r.out(), "TOTAL_PASSED"));
        assertEquals(50, summary(r.out(), "TOTAL_FAILED"));
        assertEquals(40, summary(r.out(), "INDETERMINATE"));
        assertEquals(10, summary(r.out(), "UNSIGNED"));
        assertEquals(40, summary(r.out(), "UNREADABLE"));
        assertEquals(10, summary(r.out(), "SKIPPED"));
        assertEquals(VerifyCommand.UNREADABLE, r.exit());
        String text = run(withDemoTrust("verify", "--offline", "--lang", "en", in.toString())).out();
        assertTrue(text.matches("(?s).*Summary\\s+TOTAL_PASSED\\s+passed\\s+50\\s+TOTAL_FAILED\\s+failed\\s+50.*"), text);
    }

    @Test
    void thePrintableReportHasOnePagePerDocumentInVietnameseWithItsFontEmbedded() throws Exception {
        Path garbage = Files.writeString(dir.resolve("scan.pdf"), "%PDF-1.7\n" + "garbage ".repeat(100));
        Path out = dir.resolve("bao-cao.pdf");
        Run r = run(withDemoTrust("verify", demo.resolve("3-van-thu-dong-dau.pdf").toString(),
                demo.resolve("7-hoa-don-cqt.xml").toString(), garbage.toString(), "--offline", "--pdf", out.toString()));
        assertEquals(VerifyCommand.UNREADABLE, r.exit(), r.out());
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(out.toFile())) {
            assertEquals(3, doc.getNumberOfPages(), "one page per document");
        }
        String text = poppler("pdftotext", "-layout", out.toString(), "-");
        assertTrue(text.contains("BÁO CÁO KIỂM TRA CHỮ KÝ SỐ"), text);
        assertTrue(text.contains("Phụ lục II Thông tư 15/2025/TT-BKHCN"), text);
        assertTrue(text.contains("Người ký: Nguyễn Văn An — CCCD 075085001234"), text);
        assertTrue(text.contains("1. Tính toàn vẹn: Đạt"), text);
        assertTrue(text.contains("3. Tình trạng thu hồi: Chưa xác định"), "the invoice offline: " + text);
        assertTrue(text.contains("4. Đường dẫn đến chứng thư gốc tin cậy: Đạt — đến Test RootCA chuyên dùng Chính phủ"),
                text);
        assertTrue(text.contains("KHÔNG ĐỌC ĐƯỢC"), text);
        String fonts = poppler("pdffonts", out.toString());
        List<String> rows = fonts.lines().skip(2).toList();
        assertFalse(rows.isEmpty(), fonts);
        for (String row : rows) {
            assertTrue(row.matches(".*\\byes\\s+yes\\s+yes\\s+.*"), "every font embedded, subset, with a ToUnicode map: " + fonts);
        }
        assertEquals(List.of(), Files.list(dir).filter(p -> p.getFileName().toString().startsWith(".kyso-")).toList(),
                "no temporary file left");
    }

    private static String poppler(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void theApiHandsBackEveryReportOnceAsItCompletes() throws Exception {
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Path f = dir.resolve("f" + i);
            Files.write(f, i % 3 == 0 ? "garbage".getBytes(StandardCharsets.US_ASCII)
                    : Files.readAllBytes(demo.resolve(i % 3 == 1 ? "3-van-thu-dong-dau.pdf" : "7-hoa-don-cqt.xml")));
            documents.add(Document.of(f));
        }
        Map<Document, VerificationReport> seen = new ConcurrentHashMap<>();
        Thread caller = Thread.currentThread();
        Kyso.discover().verifyAll(documents, ValidationPolicy.builder()
                .revocation(ValidationPolicy.Revocation.EMBEDDED_ONLY).build(), 3, (d, report) -> {
                    assertEquals(caller, Thread.currentThread(), "reports arrive on the caller's thread");
                    assertEquals(null, seen.put(d, report), "each document once");
                });
        assertEquals(12, seen.size());
        assertEquals(4, seen.values().stream().filter(r -> r.outcome() == VerificationReport.Outcome.UNREADABLE).count());
        assertEquals("UNSUPPORTED_FORMAT", seen.get(documents.get(0)).error().code());
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(vn.kyso.testkit.TestPkiExtension.class)
    void aBatchAsksEachOcspResponderOncePerRunNotOncePerFile(vn.kyso.testkit.TestPki pki) throws Exception {
        // eight letters signed by one official, no revocation data embedded: each file needs the same OCSP answers
        Path p12 = Files.write(dir.resolve("person.p12"), pki.person().toPkcs12("123456".toCharArray()));
        byte[] blank = blankPdf();
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        Kyso kyso = Kyso.discover();
        try (vn.kyso.KeySource source = kyso.connect("pkcs12", Map.of("file", p12.toString()),
                vn.kyso.CredentialCallback.of("123456".toCharArray()));
                vn.kyso.Signer signer = source.open(source.keys().get(0).id())) {
            kyso.format("pades").sign(Document.of(blank, "letter.pdf"), signer,
                    vn.kyso.SignOptions.builder().level(vn.kyso.BaselineLevel.B).build(), signed);
        }
        List<Document> eight = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            eight.add(Document.of(Files.write(dir.resolve("letter-" + i + ".pdf"), signed.toByteArray())));
        }
        ValidationPolicy online = ValidationPolicy.builder().trustAnchors(pki.roots())
                .revocation(ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE).networkTimeout(java.time.Duration.ofSeconds(5))
                .build();
        int before = pki.services().ocspRequests();
        List<VerificationReport> reports = new ArrayList<>();
        kyso.verifyAll(eight.subList(0, 1), online, 1, (d, r) -> reports.add(r));
        int forOne = pki.services().ocspRequests() - before;
        kyso.verifyAll(eight, online, 3, (d, r) -> reports.add(r));
        int forEight = pki.services().ocspRequests() - before - forOne;
        assertTrue(forOne > 0, "the file's certificates are checked online");
        assertEquals(forOne, forEight, "eight files under the same CA ask what one file asks, once per run");
        for (VerificationReport r : reports) {
            SignatureReport s = r.signatures().get(0);
            assertEquals(vn.kyso.Indication.TOTAL_PASSED, s.indication(), s.findings().toString());
            assertEquals(SignatureReport.RevocationSource.ONLINE_OCSP, s.revocationSource());
        }
    }
}
