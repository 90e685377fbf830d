package vn.kyso.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.kyso.internal.json.Json;

/**
 * The simulator's SP769 dialect driven by a client written from the public field list alone
 * (hand-written JSON, no kyso client code), so vendors can rely on the paths and names.
 */
class RemoteSigningSimulatorTest {
    private static TestPki pki;
    private static RemoteSigningSimulator sim;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        pki = TestPki.start();
        sim = RemoteSigningSimulator.standard(pki, Duration.ofMillis(50));
    }

    @AfterAll
    static void stop() {
        sim.close();
        pki.close();
    }

    private static Map<String, Object> post(String path, String json, int expectedStatus) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(sim.sp769Uri().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(expectedStatus, r.statusCode(), r.body());
        return Json.parseObject(r.body());
    }

    private String auth() {
        return "\"sp_id\":\"" + sim.spId() + "\",\"sp_password\":\"" + sim.spPassword() + "\"";
    }

    @Test
    @SuppressWarnings("unchecked")
    void aClientWrittenFromTheDocumentationGetsTheCertificateAndASignatureAfterPolling() throws Exception {
        Map<String, Object> certs = post("v1/credentials/get_certificate",
                "{" + auth() + ",\"user_id\":\"approve\",\"transaction_id\":\"c-1\"}", 200);
        Map<String, Object> cert = (Map<String, Object>) Json.array(Json.object(certs, "data"), "user_certificates").get(0);
        assertEquals(Base64.getEncoder().encodeToString(pki.person().certificate().getEncoded()), cert.get("cert_data"));
        String serial = Json.string(cert, "serial_number");

        byte[] hash = MessageDigest.getInstance("SHA-256").digest("Quyết định".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> waiting = post("v1/signatures/sign", "{" + auth() + ",\"user_id\":\"approve\","
                + "\"transaction_id\":\"tx-doc-1\",\"transaction_desc\":\"Ký văn bản số 12/QĐ-UBND\","
                + "\"serial_number\":\"" + serial + "\",\"time_stamp\":\"20261206093000\",\"sign_files\":[{"
                + "\"data_to_be_signed\":\"" + HexFormat.of().formatHex(hash) + "\",\"doc_id\":\"12/QĐ-UBND\","
                + "\"file_type\":\"pdf\",\"sign_type\":\"hash\"}]}", 200);
        assertEquals("sig_wait_for_user_confirm", waiting.get("message"));
        assertEquals("tx-doc-1", Json.object(waiting, "data").get("transaction_id"));
        assertEquals("Ký văn bản số 12/QĐ-UBND", sim.lastDisplayText("approve"));

        Map<String, Object> status;
        int polls = 0;
        do {
            Thread.sleep(20);
            status = post("v1/signatures/sign/tx-doc-1/status", "{" + auth() + "}", 200);
        } while ("sig_wait_for_user_confirm".equals(status.get("message")) && ++polls < 500);
        assertEquals("SUCCESS", status.get("message"));
        List<Object> signatures = Json.array(Json.object(status, "data"), "signatures");
        Map<String, Object> s = (Map<String, Object>) signatures.get(0);
        assertEquals("12/QĐ-UBND", s.get("doc_id"));
        Signature v = Signature.getInstance("SHA256withRSA");
        v.initVerify(pki.person().publicKey());
        v.update("Quyết định".getBytes(StandardCharsets.UTF_8));
        assertTrue(v.verify(Base64.getDecoder().decode(Json.string(s, "signature_value"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSettledResultIsPostedToTheRegisteredWebhookAndRetriedAfterA5xx() throws Exception {
        java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.atomic.AtomicInteger posts = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 16);
        receiver.createContext("/hook", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                // the first delivery meets a failing receiver: the service must try again
                boolean fail = posts.incrementAndGet() == 1;
                if (!fail) {
                    received.add(body);
                }
                exchange.sendResponseHeaders(fail ? 503 : 200, -1);
            }
        });
        receiver.start();
        try {
            sim.setSp769Webhook(java.net.URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"));
            byte[] hash = MessageDigest.getInstance("SHA-256").digest("Tờ trình".getBytes(StandardCharsets.UTF_8));
            post("v1/signatures/sign", "{" + auth() + ",\"user_id\":\"approve\",\"transaction_id\":\"tx-hook-1\","
                    + "\"transaction_desc\":\"Ký tờ trình\",\"sign_files\":[{\"data_to_be_signed\":\""
                    + HexFormat.of().formatHex(hash) + "\",\"doc_id\":\"TT-1\",\"file_type\":\"pdf\","
                    + "\"sign_type\":\"hash\"}]}", 200);
            String body = received.poll(30, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(body != null, "no delivery reached the webhook");
            Map<String, Object> result = Json.parseObject(body);
            assertEquals("SUCCESS", result.get("message"));
            assertEquals("tx-hook-1", Json.object(result, "data").get("transaction_id"));
            Map<String, Object> s = (Map<String, Object>) Json.array(Json.object(result, "data"), "signatures").get(0);
            Signature v = Signature.getInstance("SHA256withRSA");
            v.initVerify(pki.person().publicKey());
            v.update("Tờ trình".getBytes(StandardCharsets.UTF_8));
            assertTrue(v.verify(Base64.getDecoder().decode(Json.string(s, "signature_value"))));
            assertEquals(2, posts.get());
        } finally {
            sim.setSp769Webhook(null);
            receiver.stop(0);
        }
    }

    @Test
    void wrongServiceCredentialsAreHttp401AndMalformedRequestsHttp400() throws Exception {
        Map<String, Object> denied = post("v1/credentials/get_certificate",
                "{\"sp_id\":\"" + sim.spId() + "\",\"sp_password\":\"x\",\"user_id\":\"approve\"}", 401);
        assertEquals("SP_CREDENTIAL_INVALID", denied.get("message"));
        Map<String, Object> bad = post("v1/signatures/sign", "{" + auth() + ",\"user_id\":\"approve\","
                + "\"transaction_id\":\"tx-bad\",\"sign_files\":[{\"data_to_be_signed\":\"abcd\",\"doc_id\":\"1\","
                + "\"sign_type\":\"hash\"}]}", 400);
        assertTrue(String.valueOf(bad.get("error_detail")).contains("no SHA-1/SHA-256"), bad.toString());
    }

    @Test
    void aRevokedCertificateIsHttp403() throws Exception {
        Map<String, Object> refused = post("v1/signatures/sign", "{" + auth() + ",\"user_id\":\"revoked\","
                + "\"transaction_id\":\"tx-rev\",\"sign_files\":[{\"data_to_be_signed\":\"" + "00".repeat(32)
                + "\",\"doc_id\":\"1\",\"sign_type\":\"hash\"}]}", 403);
        assertEquals("CREDENTIAL_STATUS_INVALID", refused.get("message"));
    }

    private static HttpResponse<String> csc(String method, String json, String authorization) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(sim.cscUri().resolve(method)).header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCscV1ClientLogsInListsAuthorizesAndSignsAHash() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString((sim.clientId() + ":" + sim.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> login = csc("auth/login", "{}", basic);
        assertEquals(200, login.statusCode(), login.body());
        String bearer = "Bearer " + Json.string(Json.parseObject(login.body()), "access_token");
        assertEquals(401, csc("credentials/list", "{\"userID\":\"approve\"}", "Bearer not-a-token").statusCode());

        Map<String, Object> list = Json.parseObject(csc("credentials/list", "{\"userID\":\"approve\"}", bearer).body());
        String credential = (String) Json.array(list, "credentialIDs").get(0);
        Map<String, Object> info = Json.parseObject(csc("credentials/info", "{\"credentialID\":\"" + credential
                + "\",\"certificates\":\"chain\",\"certInfo\":true}", bearer).body());
        List<Object> chain = Json.array(Json.object(info, "cert"), "certificates");
        assertEquals(Base64.getEncoder().encodeToString(pki.person().certificate().getEncoded()), chain.get(0));

        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest("Tờ trình".getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> authorized = csc("credentials/authorize", "{\"credentialID\":\"" + credential
                + "\",\"numSignatures\":1,\"hash\":[\"" + hash + "\"],\"description\":\"Ký tờ trình\"}", bearer);
        assertEquals(200, authorized.statusCode(), authorized.body());
        String sad = Json.string(Json.parseObject(authorized.body()), "SAD");
        HttpResponse<String> signed = csc("signatures/signHash", "{\"credentialID\":\"" + credential + "\",\"SAD\":\""
                + sad + "\",\"hash\":[\"" + hash + "\"],\"hashAlgo\":\"2.16.840.1.101.3.4.2.1\","
                + "\"signAlgo\":\"1.2.840.113549.1.1.1\"}", bearer);
        assertEquals(200, signed.statusCode(), signed.body());
        Signature v = Signature.getInstance("SHA256withRSA");
        v.initVerify(pki.person().publicKey());
        v.update("Tờ trình".getBytes(StandardCharsets.UTF_8));
        assertTrue(v.verify(Base64.getDecoder().decode((String) Json.array(Json.parseObject(signed.body()),
                "signatures").get(0))));
        assertEquals("Ký tờ trình", sim.lastDisplayText("approve"));
    }

    private static String soap(String request) throws Exception {
        String envelope = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope "
                + "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:mss=\"http://uri.etsi.org/TS102204/v1.1.2#\">"
                + "<soapenv:Body>" + request + "</soapenv:Body></soapenv:Envelope>";
        return HTTP.send(HttpRequest.newBuilder(sim.mssUri()).header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"\"").POST(HttpRequest.BodyPublishers.ofString(envelope, StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
    }

    private static String between(String text, String open, String close) {
        int start = text.indexOf(open);
        assertTrue(start >= 0, "no " + open + " in " + text);
        start += open.length();
        return text.substring(start, text.indexOf(close, start));
    }

    @Test
    void anMssClientSubmitsADigestInfoAndPollsUntil500Signature() throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest("Công văn".getBytes(StandardCharsets.UTF_8));
        String digestInfo = Base64.getEncoder().encodeToString(vn.kyso.spi.DigestSigning.digestInfo(
                vn.kyso.DigestAlgorithm.SHA256, hash));
        String ap = "<mss:AP_Info AP_ID=\"" + sim.apId() + "\" AP_PWD=\"" + sim.apPassword()
                + "\" AP_TransID=\"AP-1\" Instant=\"2026-12-06T09:30:00Z\"/>";
        String ack = soap("<mss:MSS_Signature><mss:MSS_SignatureReq MajorVersion=\"1\" MinorVersion=\"1\" TimeOut=\"300\" "
                + "MessagingMode=\"asynchClientServer\">" + ap + "<mss:MobileUser><mss:MSISDN>approve</mss:MSISDN>"
                + "</mss:MobileUser><mss:DataToBeSigned MimeType=\"application/octet-stream\" Encoding=\"base64\">"
                + digestInfo + "</mss:DataToBeSigned><mss:DataToBeDisplayed MimeType=\"text/plain\" Encoding=\"UTF-8\">"
                + "Ký công văn 45/UBND</mss:DataToBeDisplayed><mss:SignatureProfile><mss:mssURI>"
                + "http://mobile-id.vn/digitalSignature</mss:mssURI></mss:SignatureProfile><mss:MSS_Format><mss:mssURI>"
                + "http://uri.etsi.org/TS102204/v1.1.2#PKCS1</mss:mssURI></mss:MSS_Format></mss:MSS_SignatureReq>"
                + "</mss:MSS_Signature>");
        assertTrue(ack.contains("<mss:StatusCode Value=\"100\"/>"), ack);
        String msspTransId = between(ack, "MSSP_TransID=\"", "\"");
        assertEquals("Ký công văn 45/UBND", sim.lastDisplayText("approve"));
        String status;
        int polls = 0;
        do {
            Thread.sleep(20);
            status = soap("<mss:MSS_StatusQuery><mss:MSS_StatusReq MajorVersion=\"1\" MinorVersion=\"1\">"
                    + ap.replace("AP-1", "AP-2") + "<mss:MSSP_TransID>" + msspTransId + "</mss:MSSP_TransID>"
                    + "</mss:MSS_StatusReq></mss:MSS_StatusQuery>");
        } while (status.contains("Value=\"504\"") && ++polls < 500);
        assertTrue(status.contains("<mss:StatusCode Value=\"500\"/><mss:StatusMessage>SIGNATURE"), status);
        Signature v = Signature.getInstance("SHA256withRSA");
        v.initVerify(pki.person().publicKey());
        v.update("Công văn".getBytes(StandardCharsets.UTF_8));
        assertTrue(v.verify(Base64.getDecoder().decode(between(status, "<mss:Base64Signature>", "</mss:Base64Signature>"))));

        String denied = soap("<mss:MSS_ProfileQuery><mss:MSS_ProfileReq MajorVersion=\"1\" MinorVersion=\"1\">"
                + ap.replace(sim.apPassword(), "wrong") + "<mss:MobileUser><mss:MSISDN>approve</mss:MSISDN></mss:MobileUser>"
                + "</mss:MSS_ProfileReq></mss:MSS_ProfileQuery>");
        assertTrue(denied.contains("<faultcode>mss:_104</faultcode>"), denied);
    }

    @Test
    void theDescriptionNamesEveryDialectWithItsUrlCredentialsAndUsers() {
        Map<String, Object> all = Json.parseObject(sim.describeJson());
        Map<String, Object> sp769 = Json.object(all, "sp769");
        assertEquals(sim.sp769Uri().toString(), sp769.get("url"));
        assertEquals(sim.spPassword(), sp769.get("sp_password"));
        assertEquals(sim.userIds().size(), Json.array(sp769, "users").size());
        assertEquals(List.of("approve", "approve-ec", "reject", "silent", "pin-blocked", "phone-off", "revoked"),
                sim.userIds(), "users are listed in the order they were added");
        assertEquals("approve", ((Map<?, ?>) Json.array(sp769, "users").get(0)).get("user_id"));
        Map<String, Object> csc = Json.object(all, "csc");
        assertEquals(sim.cscUri().toString(), csc.get("url"));
        assertEquals(sim.clientSecret(), csc.get("client_secret"));
        Map<String, Object> mss = Json.object(all, "mss");
        assertEquals(sim.mssUri().toString(), mss.get("url"));
        assertEquals(sim.apPassword(), mss.get("ap_pwd"));
        assertEquals(sim.userIds().size(), Json.array(mss, "msisdns").size());
    }
}
