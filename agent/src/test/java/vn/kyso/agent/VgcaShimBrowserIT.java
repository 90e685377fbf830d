package vn.kyso.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.UsageReporter;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.HeadlessChromium;
import vn.kyso.testkit.SoftHsm2;
import vn.kyso.testkit.TestPki;

/**
 * A DMS page written for the VGCA plugin, with kyso-vgca-shim.js in place of the plugin's
 * script, in Debian's headless Chromium: it signs through the agent and a SoftHSM2 token and
 * uploads to its own origin, and it is refused, with the error callback, for any other address.
 * Needs the chromium package and {@code npm ci} in src/test/js; run it with {@code mvn -pl agent
 * -am verify -Dtest=VgcaShimBrowserIT -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class VgcaShimBrowserIT {
    private static TestPki pki;
    @TempDir
    Path dir;
    private HttpsServer page;
    private Agent agent;
    private final ScriptedConsent consent = new ScriptedConsent(AgentTokens.PIN);
    /** Every request the page's server received, as "METHOD /path?query". */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** The signed PDFs the shim uploaded, by the name in the upload address. */
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private byte[] letter;

    /** One upload as the page's FileUploadHandler received it. */
    record Upload(byte[] pdf, String fileName, Map<String, String> fields, String authorization) {
    }

    @BeforeAll
    static void tokens() throws Exception {
        pki = AgentTokens.pki();
    }

    @BeforeEach
    void start() throws Exception {
        letter = SignedPdfs.letter("Cong van so 12/UBND-VP ve viec trien khai chu ky so");
        page = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        page.setHttpsConfigurator(new HttpsConfigurator(HeadlessChromium.pageTls(dir)));
        page.createContext("/", this::serve);
        page.start();
        // the tokens hold two keys: the user picks the first in the agent's chooser
        consent.choice = 0;
        agent = Agent.start(new Agent.Settings(0, List.of(origin()), List.of(SoftHsm2.MODULE), null,
                dir.resolve("audit.log"), Duration.ofSeconds(60)), consent, UsageReporter.none());
    }

    @AfterEach
    void stop() {
        agent.close();
        page.stop(0);
    }

    private String origin() {
        return "https://127.0.0.1:" + page.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        requests.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
        try (exchange) {
            if (path.equals("/kyso-vgca-shim.js")) {
                send(exchange, 200, resource("/kyso-vgca-shim.js"), "text/javascript");
            } else if (path.equals("/")) {
                send(exchange, 200, resource("/vgca-page.html"), "text/html; charset=utf-8");
            } else if (path.equals("/api/DownloadFile") && "fileId=12".equals(query)) {
                exchange.getResponseHeaders().set("Content-Disposition",
                        "attachment; filename=\"cong-van-12.pdf\"; filename*=UTF-8''c%C3%B4ng-v%C4%83n-12.pdf");
                send(exchange, 200, letter, "application/pdf");
            } else if (path.equals("/files/letter.pdf")) {
                send(exchange, 200, letter, "application/pdf");
            } else if (path.startsWith("/files/") && uploads.containsKey(path.substring(7).replace(".pdf", ""))) {
                send(exchange, 200, uploads.get(path.substring(7).replace(".pdf", "")).pdf(), "application/pdf");
            } else if (path.equals("/upload") && exchange.getRequestMethod().equals("POST") && query != null
                    && query.startsWith("name=")) {
                String name = query.substring(5);
                uploads.put(name, multipart(exchange));
                // what a FileUploadHandler answers becomes the reply's FileServer
                send(exchange, 200, ("/files/" + name + ".pdf").getBytes(StandardCharsets.UTF_8), "text/plain");
            } else {
                send(exchange, 404, new byte[0], "text/plain");
            }
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = VgcaShimBrowserIT.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String type) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    /** The parts of a multipart/form-data upload: the file part "file", and the text fields. */
    private static Upload multipart(HttpExchange exchange) throws IOException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        assertTrue(type != null && type.startsWith("multipart/form-data; boundary="), type);
        byte[] body = exchange.getRequestBody().readAllBytes();
        byte[] delimiter = ("--" + type.substring(type.indexOf("boundary=") + 9)).getBytes(StandardCharsets.US_ASCII);
        Map<String, String> fields = new LinkedHashMap<>();
        byte[] pdf = null;
        String fileName = null;
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length + 2;
            int next = indexOf(body, delimiter, start);
            if (next < 0) {
                break;
            }
            int headEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), start);
            String head = new String(body, start, headEnd - start, StandardCharsets.UTF_8);
            byte[] content = Arrays.copyOfRange(body, headEnd + 4, next - 2);
            String name = head.replaceAll("(?s).*?; name=\"([^\"]*)\".*", "$1");
            if (head.contains("filename=\"")) {
                pdf = content;
                fields.put("(file part)", name);
                fileName = head.replaceAll("(?s).*filename=\"([^\"]*)\".*", "$1");
            } else {
                fields.put(name, new String(content, StandardCharsets.UTF_8));
            }
            at = next;
        }
        assertNotNull(pdf, "no file part in the upload");
        return new Upload(pdf, fileName, fields, exchange.getRequestHeaders().getFirst("Authorization"));
    }

    private static int indexOf(byte[] data, byte[] what, int from) {
        outer:
        for (int i = from; i <= data.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> click(String scenario) throws Exception {
        return click(scenario, agent.port());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> click(String scenario, int agentPort) throws Exception {
        String url = origin() + "/?agent=" + agentPort + "&scenario=" + scenario;
        String out = HeadlessChromium.run(Path.of("src/test/js"), "vgca-shim-test.mjs", url);
        return (Map<String, Object>) Json.parse(out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> reply(Map<String, Object> result) {
        assertEquals("callback", result.get("kind"), result.toString());
        return (Map<String, Object>) result.get("reply");
    }

    /** The requests the page's server saw besides loading the page and the shim. */
    private List<String> dataRequests() {
        return requests.stream().filter(r -> !r.startsWith("GET /?") && !r.equals("GET /kyso-vgca-shim.js")
                && !r.equals("GET /favicon.ico")).toList();
    }

    @Test
    void aPageUsingOnlyTheShimIssuesALetterWithNumberAndDateAndUploadsItToItsOwnOrigin() throws Exception {
        Map<String, Object> reply = reply(click("issued"));
        assertEquals(0, ((Number) reply.get("Status")).intValue(), reply.toString());
        assertEquals("letter.pdf", reply.get("FileName"));
        assertEquals("/files/issued.pdf", reply.get("FileServer"), "what the FileUploadHandler answered");
        assertEquals("12/UBND-VP", reply.get("DocumentNumber"));
        assertEquals("06/12/2026", reply.get("DocumentDate"));
        assertEquals(List.of("GET /files/letter.pdf", "POST /upload?name=issued"), dataRequests());

        Upload upload = uploads.get("issued");
        assertEquals("Bearer jwt-cua-trang", upload.authorization(), "the page's JWT goes along as the plugin's did");
        assertEquals("phien-1", upload.fields().get("SessionId"));
        assertEquals("file", upload.fields().get("(file part)"));
        assertEquals("letter.pdf", upload.fileName());
        VerificationReport report = SignedPdfs.verify(upload.pdf(), pki);
        assertEquals(1, report.signatures().size());
        assertTrue(report.allPassed(), report.toString());
        SignedPdfs.assertPdfsigValid(upload.pdf(), dir, 1);
        String text = SignedPdfs.text(upload.pdf(), dir);
        assertTrue(text.contains("Số: 12/UBND-VP") && text.contains("Ngày: 06/12/2026"), text);

        assertEquals(1, consent.prompts.size(), "one consent and one PIN");
        Consent.SigningPrompt prompt = consent.prompts.get(0);
        assertEquals(origin(), prompt.origin());
        assertEquals(List.of(new Consent.Document("letter.pdf", "12/UBND-VP, 06/12/2026",
                DocumentSigning.Role.ISSUED.label)), prompt.documents());
    }

    @Test
    void anApprovalThenTheIssuedSignatureOnTheSameFileKeepTheFirstValid() throws Exception {
        Map<String, Object> result = click("approved-then-issued");
        Map<String, Object> reply = reply(result);
        assertEquals(0, ((Number) reply.get("Status")).intValue(), result.toString());
        assertEquals(List.of("GET /files/letter.pdf", "POST /upload?name=approved", "GET /files/approved.pdf",
                "POST /upload?name=issued"), dataRequests());
        byte[] pdf = uploads.get("issued").pdf();
        VerificationReport report = SignedPdfs.verify(pdf, pki);
        assertEquals(2, report.signatures().size());
        assertTrue(report.allPassed(), report.toString());
        SignedPdfs.assertPdfsigValid(pdf, dir, 2);
        assertEquals(2, consent.prompts.size());
    }

    @Test
    void anUploadHandlerOnAnotherOriginIsRefusedBeforeAnyRequestAndTheErrorCallbackFires() throws Exception {
        for (String scenario : new String[] {"foreign-upload", "http-file", "other-origin-file"}) {
            Map<String, Object> result = click(scenario);
            assertEquals("error", result.get("kind"), scenario + ": " + result);
            assertEquals("URL_NOT_ALLOWED", result.get("code"), scenario);
        }
        assertEquals(List.of(), dataRequests(), "no download, no upload");
        assertEquals(0, consent.questions(), "the user was never asked");
    }

    @Test
    void aPageWithoutAnErrorCallbackHearsOfTheRefusalAsANonZeroStatus() throws Exception {
        Map<String, Object> reply = reply(click("foreign-upload-vgca-callback-only"));
        assertEquals(1, ((Number) reply.get("Status")).intValue(), reply.toString());
        assertEquals("URL_NOT_ALLOWED", reply.get("Error"));
        assertEquals(List.of(), dataRequests());
    }

    @Test
    void vgcaSignXmlSignsTheWholeDocumentAndHandsTheSignedXmlToTheCallbackWithItsSender() throws Exception {
        Map<String, Object> result = click("xml");
        Map<String, Object> reply = reply(result);
        assertEquals("nguoi-goi", result.get("sender"));
        assertEquals(0, ((Number) reply.get("Status")).intValue(), reply.toString());
        byte[] signed = java.util.Base64.getDecoder().decode((String) reply.get("Signature"));
        assertTrue(new String(signed, StandardCharsets.UTF_8).contains("Bảng điểm học kỳ I"));
        VerificationReport report = new vn.kyso.xml.XadesFormat().verify(vn.kyso.Document.of(signed, "signed.xml"),
                vn.kyso.ValidationPolicy.builder().trustAnchors(pki.roots()).intermediates(List.of(
                        pki.person().issuer(), pki.organization().issuer()))
                        .revocation(vn.kyso.ValidationPolicy.Revocation.NONE).build());
        assertTrue(report.allPassed(), report.toString());
        assertEquals(List.of(), dataRequests(), "the XML travels in the call, nothing is fetched");
        assertEquals(1, consent.prompts.size());
    }

    @Test
    void theFileNameComesFromTheDownloadsContentDispositionWhenItsAddressHasNone() throws Exception {
        Map<String, Object> reply = reply(click("disposition"));
        assertEquals(0, ((Number) reply.get("Status")).intValue(), reply.toString());
        assertEquals("công-văn-12.pdf", reply.get("FileName"));
        assertEquals("công-văn-12.pdf", uploads.get("approved").fileName());
        assertEquals("công-văn-12.pdf", consent.prompts.get(0).documents().get(0).title());
    }

    @Test
    void withNoAgentRunningTheErrorCallbackFiresWhereTheVgcaScriptStaysSilent() throws Exception {
        int closed;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = free.getLocalPort();
        }
        Map<String, Object> result = click("issued", closed);
        assertEquals("error", result.get("kind"), result.toString());
        assertEquals("AGENT_UNREACHABLE", result.get("code"));
        assertEquals(500, ((Number) result.get("status")).intValue(), "the status the plugin's own failure carried");
        assertEquals(List.of(), dataRequests(), "the agent is asked first, before anything is downloaded");
    }

    @Test
    void aVgcaFunctionTheAgentDoesNotProvideAnswersNotSupportedOnTheErrorCallback() throws Exception {
        Map<String, Object> result = click("verify-pdf");
        assertEquals("error", result.get("kind"), result.toString());
        assertEquals("NOT_SUPPORTED", result.get("code"));
        assertEquals(List.of(), dataRequests());
    }

    @Test
    void aRefusedConsentGivesTheErrorCallbackAndUploadsNothing() throws Exception {
        consent.pin = null;
        Map<String, Object> result = click("cancelled");
        assertEquals("error", result.get("kind"), result.toString());
        assertEquals("USER_CANCELLED", result.get("code"));
        assertEquals(List.of("GET /files/letter.pdf"), dataRequests(), "downloaded, never uploaded");
        assertEquals(1, consent.prompts.size());
    }
}
