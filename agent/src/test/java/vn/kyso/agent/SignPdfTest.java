package vn.kyso.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.kyso.agent.RawClient.errorCode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Document;
import vn.kyso.InMemoryUsageReporter;
import vn.kyso.UsageEvent;
import vn.kyso.VerificationReport;
import vn.kyso.pdf.DraftFields;
import vn.kyso.testkit.SoftHsm2;
import vn.kyso.testkit.TestPki;

/** The signPdf operation behind kyso-vgca-shim.js, over a raw socket, with a SoftHSM2 token. */
class SignPdfTest {
    private static final String DMS = AgentTest.DMS;
    private static TestPki pki;

    @TempDir
    Path dir;
    private Agent agent;
    private final ScriptedConsent consent = new ScriptedConsent(AgentTokens.PIN);
    private final InMemoryUsageReporter usage = new InMemoryUsageReporter();
    private String leader;

    @BeforeAll
    static void tokens() throws Exception {
        pki = AgentTokens.pki();
    }

    @BeforeEach
    void start() throws Exception {
        agent = Agent.start(new Agent.Settings(0, List.of(DMS), List.of(SoftHsm2.MODULE), dir.resolve("granted"),
                dir.resolve("audit.log"), Duration.ofSeconds(60)), consent, usage);
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            leader = idOf(ws, pki.person().certificate());
        }
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @SuppressWarnings("unchecked")
    private static String idOf(RawClient ws, X509Certificate wanted) throws Exception {
        Map<String, Object> reply = ws.call("{\"v\":1,\"id\":\"c\",\"op\":\"certificates\"}");
        for (Map<String, Object> c : (List<Map<String, Object>>) ((Map<String, Object>) reply.get("result"))
                .get("certificates")) {
            if (Base64.getEncoder().encodeToString(wanted.getEncoded()).equals(c.get("certificate"))) {
                return (String) c.get("id");
            }
        }
        throw new AssertionError("no certificate " + wanted.getSubjectX500Principal() + " in " + reply);
    }

    private static String request(String certificate, String role, byte[] pdf, String number, String date,
            String extra) {
        return "{\"v\":1,\"id\":\"p\",\"op\":\"signPdf\"" + (certificate == null ? "" : ",\"certificate\":\""
                + certificate + "\"") + ",\"role\":\"" + role + "\",\"document\":{\"title\":\"cong-van-12.pdf\""
                + (number == null ? "" : ",\"number\":\"" + number + "\"") + (date == null ? "" : ",\"date\":\"" + date
                + "\"") + "},\"pdf\":\"" + Base64.getEncoder().encodeToString(pdf) + "\"" + extra + "}";
    }

    @SuppressWarnings("unchecked")
    private byte[] signed(RawClient ws, String role, byte[] pdf, String number, String date) throws Exception {
        Map<String, Object> reply = ws.call(request(leader, role, pdf, number, date, ""));
        assertEquals(Boolean.TRUE, reply.get("ok"), reply::toString);
        return Base64.getDecoder().decode((String) ((Map<String, Object>) reply.get("result")).get("pdf"));
    }

    @Test
    void anIssuedLetterCarriesItsNumberAndDateVerifiesWithKysoAndPdfsigAndTheUserSawRoleAndNumber() throws Exception {
        byte[] letter = SignedPdfs.letter("Cong van so 12/UBND-VP ve viec trien khai chu ky so");
        byte[] pdf;
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            pdf = signed(ws, "issued", letter, "12/UBND-VP", "06/12/2026");
        }
        VerificationReport report = SignedPdfs.verify(pdf, pki);
        assertTrue(report.allPassed(), report.toString());
        assertEquals(1, report.signatures().size());
        SignedPdfs.assertPdfsigValid(pdf, dir, 1);
        String text = SignedPdfs.text(pdf, dir);
        assertTrue(text.contains("Số: 12/UBND-VP") && text.contains("Ngày: 06/12/2026"), text);
        assertArrayEquals(letter, java.util.Arrays.copyOf(pdf, letter.length), "an incremental update of the letter");

        assertEquals(1, consent.prompts.size());
        Consent.SigningPrompt prompt = consent.prompts.get(0);
        assertEquals(DMS, prompt.origin());
        assertEquals(pki.person().certificate(), prompt.certificate());
        assertEquals(List.of(new Consent.Document("cong-van-12.pdf", "12/UBND-VP, 06/12/2026",
                DocumentSigning.Role.ISSUED.label)), prompt.documents());
        assertEquals(UsageEvent.Outcome.SIGNED, usage.events().get(0).outcome());
        assertEquals("issued", usage.events().get(0).documentType());
        String audit = Files.readString(dir.resolve("audit.log"));
        assertTrue(audit.contains("\"operation\":\"signPdf\"") && audit.contains("\"result\":\"OK\""), audit);
    }

    @Test
    void anApprovalThenTheIssuedSignatureOnTheSameFileKeepTheApprovalValid() throws Exception {
        byte[] pdf;
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            byte[] approved = signed(ws, "approved", SignedPdfs.letter("Du thao cong van 12"), null, null);
            pdf = signed(ws, "issued", approved, "12/UBND-VP", "06/12/2026");
        }
        VerificationReport report = SignedPdfs.verify(pdf, pki);
        assertEquals(2, report.signatures().size());
        assertTrue(report.allPassed(), report.toString());
        SignedPdfs.assertPdfsigValid(pdf, dir, 2);
        assertEquals(2, consent.prompts.size(), "one consent and one PIN per operation");
    }

    @Test
    void aDraftWithNumberAndDateFieldsGetsThemFilledWhenIssued() throws Exception {
        ByteArrayOutputStream draft = new ByteArrayOutputStream();
        DraftFields.addTextFields(Document.of(SignedPdfs.letter("Cong van so ...../UBND-VP"), "draft.pdf"), List.of(
                DraftFields.Field.at(DocumentSigning.NUMBER_FIELD, 1, 300, 700, 120, 16, DraftFields.Alignment.LEFT),
                DraftFields.Field.at(DocumentSigning.DATE_FIELD, 1, 300, 680, 160, 16, DraftFields.Alignment.LEFT)),
                draft);
        byte[] pdf;
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            pdf = signed(ws, "issued", draft.toByteArray(), "2806/SCT-VP", "06/12/2026");
        }
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            var form = doc.getDocumentCatalog().getAcroForm(null);
            assertEquals("2806/SCT-VP", form.getField(DocumentSigning.NUMBER_FIELD).getValueAsString());
            assertEquals("06/12/2026", form.getField(DocumentSigning.DATE_FIELD).getValueAsString());
        }
        assertTrue(SignedPdfs.verify(pdf, pki).allPassed());
        SignedPdfs.assertPdfsigValid(pdf, dir, 1);
    }

    @Test
    void everyRoleOfTheShimSignsAndVerifies() throws Exception {
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            for (String role : new String[] {"income", "copy", "appendix"}) {
                byte[] pdf = signed(ws, role, SignedPdfs.letter("Van ban " + role), "05/SY-SCT", "06/12/2026");
                assertTrue(SignedPdfs.verify(pdf, pki).allPassed(), role);
                String text = SignedPdfs.text(pdf, dir);
                assertTrue(text.contains("05/SY-SCT"), role + ": " + text);
            }
        }
    }

    @Test
    void aDocumentOverTheCapIsRefusedWithATypedCodeBeforeTheUserIsAsked() throws Exception {
        byte[] big = new byte[DocumentSigning.MAX_DOCUMENT + 3];
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            assertEquals("DOCUMENT_TOO_LARGE", errorCode(ws.call(request(leader, "issued", big, "1", "2", ""))));
            // the connection stays usable after the refusal
            assertTrue(ws.call("{\"v\":1,\"id\":\"h\",\"op\":\"hello\"}").get("ok").equals(Boolean.TRUE));
        }
        assertEquals(0, consent.prompts.size());
    }

    @Test
    void onlyAMessageThatStartsAsSignPdfMayPassSixtyFourKibAndNoneMayPassTheDocumentCap() throws Exception {
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            // a digest request inflated past 64 KiB: refused at the frame, before it is read whole
            ws.send("{\"v\":1,\"id\":\"s\",\"op\":\"sign\",\"pad\":\"" + "x".repeat(LoopbackServer.MAX_MESSAGE) + "\"}");
            RawClient.Frame close = ws.readFrame();
            assertEquals(8, close.opcode());
            assertEquals(1009, close.closeCode());
        }
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            // a digest request of 20 MiB in one frame: only its first 256 bytes are sent, and the
            // refusal comes without waiting for the rest
            long length = 20L << 20;
            byte[] start = ("{\"v\":1,\"id\":\"s\",\"op\":\"sign\",\"pad\":\"" + "x".repeat(WebSocket.HEAD))
                    .substring(0, WebSocket.HEAD).getBytes(StandardCharsets.US_ASCII);
            byte[] frame = new byte[14 + start.length];
            frame[0] = (byte) 0x81;
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[9 - i] = (byte) (length >> (8 * i));
            }
            // mask 0: the payload bytes go as they are
            System.arraycopy(start, 0, frame, 14, start.length);
            ws.write(frame);
            assertEquals(1009, ws.readFrame().closeCode());
        }
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            // a masked text frame head announcing one byte more than the cap: refused before any payload
            long length = LoopbackServer.MAX_DOCUMENT_MESSAGE + 1L;
            byte[] head = new byte[10];
            head[0] = (byte) 0x81;
            head[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                head[9 - i] = (byte) (length >> (8 * i));
            }
            ws.write(head);
            RawClient.Frame close = ws.readFrame();
            assertEquals(1009, close.closeCode());
        }
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            // the start looks right but the operation behind it is another: refused by the protocol
            assertEquals("BAD_REQUEST", errorCode(ws.call("{\"v\":1,\"id\":\"p\",\"op\":\"signPdf\",\"x\":\""
                    + "y".repeat(LoopbackServer.MAX_MESSAGE) + "\"}")));
        }
        assertEquals(0, consent.prompts.size());
    }

    @Test
    void addressesOffThePagesOwnHttpsOriginAreRefusedBeforeTheUserIsAsked() throws Exception {
        byte[] letter = SignedPdfs.letter("Cong van");
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            for (String url : new String[] {"https://evil.example/upload", "http://dms.example.gov.vn/upload",
                "https://dms.example.gov.vn:8443/upload", "https://dms.example.gov.vn.evil.example/u",
                "https://user@dms.example.gov.vn/upload", "//evil.example/x", "javascript:alert(1)"}) {
                assertEquals("URL_NOT_ALLOWED", errorCode(ws.call(request(leader, "issued", letter, "1", "2",
                        ",\"uploadUrl\":\"" + url + "\""))), url);
                assertEquals("URL_NOT_ALLOWED", errorCode(ws.call(request(leader, "issued", letter, "1", "2",
                        ",\"downloadUrl\":\"" + url + "\""))), url);
            }
            Map<String, Object> ok = ws.call(request(leader, "approved", letter, null, null,
                    ",\"downloadUrl\":\"https://dms.example.gov.vn/files/12.pdf\",\"uploadUrl\":"
                            + "\"https://dms.example.gov.vn:443/upload?id=12\""));
            assertEquals(Boolean.TRUE, ok.get("ok"), ok::toString);
        }
        assertEquals(1, consent.prompts.size());
    }

    @Test
    void aRefusedConsentSignsNothingAndABrokenPdfIsATypedError() throws Exception {
        consent.pin = null;
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            assertEquals("USER_CANCELLED", errorCode(ws.call(request(leader, "issued",
                    SignedPdfs.letter("Cong van"), "1", "2", ""))));
            assertEquals("DOCUMENT_MALFORMED", errorCode(ws.call(request(leader, "issued",
                    "%PDF-1.7 this is not a PDF".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "1", "2", ""))));
            assertEquals("BAD_REQUEST", errorCode(ws.call(request(leader, "sealed", SignedPdfs.letter("x"), "1", "2",
                    ""))));
        }
        assertEquals(1, consent.prompts.size());
        assertEquals(UsageEvent.Outcome.REJECTED, usage.events().get(0).outcome());
    }

    @Test
    void withoutACertificateIdTheUserChoosesAmongTheTokensKeys() throws Exception {
        consent.choice = 0;
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            Map<String, Object> reply = ws.call(request(null, "approved", SignedPdfs.letter("x"), null, null, ""));
            assertEquals(Boolean.TRUE, reply.get("ok"), reply::toString);
        }
        assertEquals(1, consent.choosers.size());
        assertEquals(consent.choosers.get(0).get(0).certificate(), consent.prompts.get(0).certificate());
    }
}
