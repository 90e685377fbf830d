package vn.kyso.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.kyso.agent.RawClient.errorCode;
import static vn.kyso.agent.RawClient.result;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.InMemoryUsageReporter;
import vn.kyso.UsageEvent;
import vn.kyso.testkit.SoftHsm2;
import vn.kyso.testkit.TestPki;

class AgentTest {
    static final String DMS = "https://dms.example.gov.vn";
    static final String EVIL = "https://evil.example";
    private static TestPki pki;

    @TempDir
    Path dir;
    private Agent agent;
    private final ScriptedConsent consent = new ScriptedConsent(AgentTokens.PIN);
    private final InMemoryUsageReporter usage = new InMemoryUsageReporter();

    @BeforeAll
    static void tokens() throws Exception {
        pki = AgentTokens.pki();
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    private Agent start(Duration timeout) throws IOException {
        agent = Agent.start(new Agent.Settings(0, List.of(DMS), List.of(SoftHsm2.MODULE), dir.resolve("granted"),
                dir.resolve("audit.log"), timeout), consent, usage);
        return agent;
    }

    private Agent start() throws IOException {
        return start(Duration.ofSeconds(60));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> certificates(RawClient ws) throws Exception {
        return (List<Map<String, Object>>) result(ws.call("{\"v\":1,\"id\":\"c\",\"op\":\"certificates\"}"))
                .get("certificates");
    }

    private static String idOf(List<Map<String, Object>> certs, X509Certificate wanted) throws Exception {
        for (Map<String, Object> c : certs) {
            if (certificate((String) c.get("certificate")).equals(wanted)) {
                return (String) c.get("id");
            }
        }
        throw new AssertionError("no certificate " + wanted.getSubjectX500Principal() + " in " + certs);
    }

    private static X509Certificate certificate(String base64) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }

    private static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String signRequest(String id, String certificate, byte[] digest, String title) {
        return "{\"v\":1,\"id\":\"" + id + "\",\"op\":\"sign\",\"certificate\":\"" + certificate
                + "\",\"algorithm\":\"RSA_SHA256\",\"digest\":\"" + Base64.getEncoder().encodeToString(digest)
                + "\",\"document\":{\"title\":\"" + title + "\",\"number\":\"12/UBND-VP\",\"role\":\"approved\"}}";
    }

    private static boolean verifies(X509Certificate cert, String data, String signatureBase64) throws Exception {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(cert.getPublicKey());
        s.update(data.getBytes(StandardCharsets.UTF_8));
        return s.verify(Base64.getDecoder().decode(signatureBase64));
    }

    @Test
    void anAllowedOriginSignsADigestWithTheTokenAndTheSignatureVerifiesAgainstItsCertificate() throws Exception {
        start();
        try (RawClient http = RawClient.connect("127.0.0.1", agent.port())) {
            RawClient.Response hello = http.request("GET /kyso/v1/hello HTTP/1.1", "Host: 127.0.0.1:" + agent.port(),
                    "Origin: " + DMS);
            assertEquals(200, hello.status());
            assertEquals(DMS, hello.headers().get("access-control-allow-origin"), "the exact origin, never *");
            assertTrue(hello.body().contains("\"protocol\":[1]"), hello.body());
        }
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            Map<String, Object> hello = result(ws.call("{\"v\":1,\"id\":\"h\",\"op\":\"hello\"}"));
            assertEquals(List.of("hello", "certificates", "chooseCertificate", "sign", "signBatch", "signPdf", "signXml"),
                    hello.get("capabilities"));
            assertEquals(0, consent.questions(), "hello asks nothing");
            String id = idOf(certificates(ws), pki.person().certificate());
            String letter = "Công văn số 12/UBND-VP về việc triển khai chữ ký số";
            Map<String, Object> reply = ws.call(signRequest("s1", id, sha256(letter), "Công văn 12"));
            assertEquals("s1", reply.get("id"));
            assertTrue(verifies(pki.person().certificate(), letter, (String) result(reply).get("signature")));
        }
        assertEquals(List.of(DMS), consent.originQuestions, "the first use asks the user once");
        assertEquals(1, consent.prompts.size());
        Consent.SigningPrompt prompt = consent.prompts.get(0);
        assertEquals(DMS, prompt.origin());
        assertEquals(pki.person().certificate(), prompt.certificate());
        assertEquals(List.of(new Consent.Document("Công văn 12", "12/UBND-VP", "approved")), prompt.documents());
        String audit = Files.readString(dir.resolve("audit.log"));
        assertTrue(audit.contains(pki.person().certificate().getSerialNumber().toString(16)), audit);
        assertTrue(audit.contains(java.util.HexFormat.of().formatHex(sha256(
                "Công văn số 12/UBND-VP về việc triển khai chữ ký số"))), audit);
        assertTrue(audit.contains("\"origin\":\"" + DMS + "\""), audit);
        assertEquals(1, usage.events().size());
        assertEquals(UsageEvent.Outcome.SIGNED, usage.events().get(0).outcome());
        assertEquals("approved", usage.events().get(0).documentType());
    }

    @Test
    void anotherOriginGets403OnHttpAndOnTheUpgradeAndTheUserIsNeverAsked() throws Exception {
        start();
        String host = "Host: 127.0.0.1:" + agent.port();
        for (String origin : new String[] {EVIL, "null", "http://dms.example.gov.vn", "https://dms.example.gov.vn:8443",
            "https://dms.example.gov.vn.evil.example", null}) {
            try (RawClient http = RawClient.connect("127.0.0.1", agent.port())) {
                RawClient.Response r = origin == null
                        ? http.request("GET /kyso/v1/hello HTTP/1.1", host)
                        : http.request("GET /kyso/v1/hello HTTP/1.1", host, "Origin: " + origin);
                assertEquals(403, r.status(), "origin " + origin);
                assertNull(r.headers().get("access-control-allow-origin"));
            }
            try (RawClient http = RawClient.connect("127.0.0.1", agent.port())) {
                RawClient.Response r = http.request("OPTIONS /kyso/v1/hello HTTP/1.1", host,
                        "Origin: " + origin, "Access-Control-Request-Method: GET");
                assertEquals(403, r.status(), "preflight from " + origin);
            }
            try (RawClient ws = RawClient.connect("127.0.0.1", agent.port())) {
                assertEquals(403, ws.upgrade("127.0.0.1:" + agent.port(), origin).status(), "upgrade from " + origin);
            }
        }
        assertEquals(0, consent.questions(), "no prompt for a refused origin");
    }

    @Test
    void theWssPortServesWithAPerMachineCaWhosePrivateKeyIsKeptNowhere() throws Exception {
        Path tls = dir.resolve("tls");
        agent = Agent.start(new Agent.Settings(0, List.of(DMS), List.of(SoftHsm2.MODULE), null, null,
                Duration.ofSeconds(60), 0, tls), consent, usage);
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                Files.newInputStream(tls.resolve(LoopbackCertificate.CA_FILE)));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", agent.securePort());
        SSLParameters checkName = socket.getSSLParameters();
        checkName.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(checkName);
        try (RawClient wss = RawClient.over(socket)) {
            assertEquals(101, wss.upgrade("127.0.0.1:" + agent.securePort(), DMS).status(),
                    "a browser trusting only the machine's CA accepts the loopback certificate for 127.0.0.1");
            String id = idOf(certificates(wss), pki.person().certificate());
            assertTrue(verifies(pki.person().certificate(), "w",
                    (String) result(wss.call(signRequest("w", id, sha256("w"), "W"))).get("signature")));
        }
        SSLSocket evil = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", agent.securePort());
        try (RawClient other = RawClient.over(evil)) {
            assertEquals(403, other.upgrade("127.0.0.1:" + agent.securePort(), EVIL).status());
        }
        try (var files = Files.list(tls)) {
            assertEquals(List.of(LoopbackCertificate.CA_FILE, LoopbackCertificate.KEY_FILE),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        KeyStore kept = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(tls.resolve(LoopbackCertificate.KEY_FILE))) {
            kept.load(in, "kyso-agent".toCharArray());
        }
        assertEquals(List.of("loopback"), java.util.Collections.list(kept.aliases()), "one key, the loopback one");
        X509Certificate leaf = (X509Certificate) kept.getCertificate("loopback");
        assertFalse(leaf.equals(ca));
        assertEquals(-1, leaf.getBasicConstraints(), "the key kept is not a CA's");
        assertTrue(ca.getExtensionValue("2.5.29.30") != null, "the CA is name-constrained to loopback");
        agent.close();
        agent = Agent.start(new Agent.Settings(0, List.of(DMS), List.of(SoftHsm2.MODULE), null, null,
                Duration.ofSeconds(60), 0, tls), consent, usage);
        assertEquals(ca, CertificateFactory.getInstance("X.509").generateCertificate(
                Files.newInputStream(tls.resolve(LoopbackCertificate.CA_FILE))), "made once per machine");
    }

    @Test
    void aForeignHostHeaderIsRefusedWith403AsDnsRebindingWouldSendIt() throws Exception {
        start();
        int port = agent.port();
        // evil.example resolved to 127.0.0.1 by a rebinding DNS: the browser sends its own name as Host
        for (String host : new String[] {"evil.example:" + port, "127.0.0.1:" + (port == 1 ? 2 : port - 1),
            "127.0.0.1", "127.0.0.2:" + port}) {
            try (RawClient http = RawClient.connect("127.0.0.1", port)) {
                assertEquals(403, http.request("GET /kyso/v1/hello HTTP/1.1", "Host: " + host, "Origin: " + DMS)
                        .status(), host);
            }
            try (RawClient ws = RawClient.connect("127.0.0.1", port)) {
                assertEquals(403, ws.upgrade(host, DMS).status(), host);
            }
        }
        for (String host : new String[] {"localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port}) {
            try (RawClient http = RawClient.connect("127.0.0.1", port)) {
                assertEquals(200, http.request("GET /kyso/v1/hello HTTP/1.1", "Host: " + host, "Origin: " + DMS)
                        .status(), host);
            }
        }
        try (RawClient http = RawClient.connect("127.0.0.1", port)) {
            assertEquals(400, http.request("GET /kyso/v1/hello HTTP/1.1", "Host: 127.0.0.1:" + port,
                    "Host: evil.example:" + port, "Origin: " + DMS).status(), "two Host headers");
        }
        assertEquals(0, consent.questions());
    }

    @Test
    void theAgentListensOnIpv6LoopbackToo() throws Exception {
        start();
        try (RawClient http = RawClient.connect("::1", agent.port())) {
            assertEquals(200, http.request("GET /kyso/v1/hello HTTP/1.1", "Host: [::1]:" + agent.port(),
                    "Origin: " + DMS).status());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBatchOfTwentyIsSignedWithOneConsentAndOnePinEntry() throws Exception {
        start();
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            String id = idOf(certificates(ws), pki.person().certificate());
            StringBuilder items = new StringBuilder();
            List<String> letters = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                String letter = "Quyết định số " + i + "/QĐ-UBND";
                letters.add(letter);
                items.append(i > 1 ? "," : "").append("{\"digest\":\"")
                        .append(Base64.getEncoder().encodeToString(sha256(letter)))
                        .append("\",\"document\":{\"title\":\"Quyết định ").append(i).append("\",\"number\":\"")
                        .append(i).append("/QĐ-UBND\",\"role\":\"issued\"}}");
            }
            Map<String, Object> reply = ws.call("{\"v\":1,\"id\":\"b\",\"op\":\"signBatch\",\"certificate\":\"" + id
                    + "\",\"algorithm\":\"RSA_SHA256\",\"items\":[" + items + "]}");
            List<String> signatures = (List<String>) result(reply).get("signatures");
            assertEquals(20, signatures.size());
            for (int i = 0; i < 20; i++) {
                assertTrue(verifies(pki.person().certificate(), letters.get(i), signatures.get(i)), "signature " + i);
            }
        }
        assertEquals(1, consent.prompts.size(), "one consent and one PIN entry for the whole batch");
        assertEquals(20, consent.prompts.get(0).documents().size(), "the user sees all twenty documents");
        assertEquals(20, usage.events().get(0).signatures());
    }

    @Test
    void twoTokensAreListedAndEachSignsWithItsOwnKey() throws Exception {
        start();
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            List<Map<String, Object>> certs = certificates(ws);
            String leader = idOf(certs, pki.person().certificate());
            String clerk = idOf(certs, pki.organization().certificate());
            assertFalse(leader.equals(clerk));
            Map<String, Object> leaderCert = certs.stream().filter(c -> c.get("id").equals(leader)).findFirst()
                    .orElseThrow();
            assertEquals(2, ((List<?>) leaderCert.get("chain")).size(), "the CA certificate on the token follows");
            assertTrue(verifies(pki.person().certificate(), "a",
                    (String) result(ws.call(signRequest("1", leader, sha256("a"), "A"))).get("signature")));
            assertTrue(verifies(pki.organization().certificate(), "b",
                    (String) result(ws.call(signRequest("2", clerk, sha256("b"), "B"))).get("signature")));
        }
        assertEquals(pki.person().certificate(), consent.prompts.get(0).certificate());
        assertEquals(pki.organization().certificate(), consent.prompts.get(1).certificate());
    }

    @Test
    @SuppressWarnings("unchecked")
    void withSeveralCertificatesTheUserChoosesOneInTheAgentsWindowOrCancels() throws Exception {
        start();
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            consent.choice = 1;
            Map<String, Object> chosen = (Map<String, Object>) result(ws.call(
                    "{\"v\":1,\"id\":\"k\",\"op\":\"chooseCertificate\"}")).get("certificate");
            assertEquals(1, consent.choosers.size());
            List<Consent.Choice> offered = consent.choosers.get(0);
            assertEquals(2, offered.size(), "both tokens' certificates are offered");
            assertEquals(offered.get(1).certificate(), certificate((String) chosen.get("certificate")));
            assertTrue(verifies(offered.get(1).certificate(), "x", (String) result(ws.call(
                    signRequest("s", (String) chosen.get("id"), sha256("x"), "X"))).get("signature")));
            consent.choice = -1;
            assertEquals("USER_CANCELLED", errorCode(ws.call("{\"v\":1,\"id\":\"l\",\"op\":\"chooseCertificate\"}")));
        }
    }

    @Test
    void aTokenPulledOutWhileTheUserIsAskedIsTokenAbsentAndTheNextCallsWork() throws Exception {
        start();
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            String leader = idOf(certificates(ws), pki.person().certificate());
            consent.whileShown = prompt -> {
                try {
                    AgentTokens.pullOutLeader();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            try {
                assertEquals("TOKEN_ABSENT", errorCode(ws.call(signRequest("1", leader, sha256("a"), "A"))));
            } catch (AssertionError | RuntimeException e) {
                AgentTokens.plugInLeader();
                throw e;
            } finally {
                consent.whileShown = prompt -> { };
            }
            List<Map<String, Object>> left = certificates(ws);
            assertEquals(1, left.size(), "only the clerk's token is left: " + left);
            String clerk = idOf(left, pki.organization().certificate());
            assertTrue(verifies(pki.organization().certificate(), "b",
                    (String) result(ws.call(signRequest("2", clerk, sha256("b"), "B"))).get("signature")));
            assertEquals("TOKEN_ABSENT", errorCode(ws.call(signRequest("3", leader, sha256("a"), "A"))),
                    "the old id while the token is out");
            AgentTokens.plugInLeader();
            String again = idOf(certificates(ws), pki.person().certificate());
            assertTrue(verifies(pki.person().certificate(), "c",
                    (String) result(ws.call(signRequest("4", again, sha256("c"), "C"))).get("signature")));
        }
    }

    @Test
    void theUserCancellingIsUserCancelledAndAWrongPinIsPinIncorrectAndNeitherIsRetried() throws Exception {
        start();
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            String id = idOf(certificates(ws), pki.organization().certificate());
            consent.pin = null;
            assertEquals("USER_CANCELLED", errorCode(ws.call(signRequest("1", id, sha256("a"), "A"))));
            consent.pin = "000000";
            assertEquals("PIN_INCORRECT", errorCode(ws.call(signRequest("2", id, sha256("a"), "A"))));
            assertEquals(2, consent.prompts.size(), "asked once per request, never retried by the agent");
            consent.pin = AgentTokens.PIN;
            assertTrue(verifies(pki.organization().certificate(), "a",
                    (String) result(ws.call(signRequest("3", id, sha256("a"), "A"))).get("signature")));
        }
        assertEquals(UsageEvent.Outcome.REJECTED, usage.events().get(0).outcome());
        assertEquals(UsageEvent.Outcome.FAILED, usage.events().get(1).outcome());
        assertEquals(UsageEvent.Outcome.SIGNED, usage.events().get(2).outcome());
    }

    @Test
    void theFirstUseIsAskedOnceRememberedAcrossRestartsAndAskedAgainAfterRevocation() throws Exception {
        start();
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            certificates(ws);
            certificates(ws);
        }
        assertEquals(1, consent.originQuestions.size());
        agent.close();
        start();
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            certificates(ws);
        }
        assertEquals(1, consent.originQuestions.size(), "remembered in the grants file");
        agent.revoke(DMS);
        consent.allowOrigins = false;
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            assertEquals("ORIGIN_NOT_ALLOWED", errorCode(ws.call("{\"v\":1,\"id\":\"c\",\"op\":\"certificates\"}")));
            assertEquals("ORIGIN_NOT_ALLOWED", errorCode(ws.call("{\"v\":1,\"id\":\"d\",\"op\":\"certificates\"}")));
        }
        assertEquals(2, consent.originQuestions.size(), "asked again after revocation, and a no is not re-asked");
        assertTrue(consent.prompts.isEmpty());
    }

    @Test
    void aSecondOperationWhileOneIsUnderWayIsBusyAndASlowOneTimesOut() throws Exception {
        start(Duration.ofSeconds(2));
        CountDownLatch shown = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (RawClient first = RawClient.webSocket(agent.port(), DMS);
                RawClient second = RawClient.webSocket(agent.port(), DMS)) {
            String id = idOf(certificates(first), pki.organization().certificate());
            consent.whileShown = prompt -> {
                shown.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            first.send(signRequest("slow", id, sha256("a"), "A"));
            assertTrue(shown.await(30, TimeUnit.SECONDS));
            assertEquals("BUSY", errorCode(second.call(signRequest("other", id, sha256("b"), "B"))));
            assertEquals("BUSY", errorCode(second.call("{\"v\":1,\"id\":\"c\",\"op\":\"certificates\"}")));
            assertEquals(Boolean.TRUE, result(second.call("{\"v\":1,\"id\":\"h\",\"op\":\"hello\"}")).isEmpty()
                    ? null : Boolean.TRUE, "hello is answered while busy");
            @SuppressWarnings("unchecked")
            Map<String, Object> timedOut = (Map<String, Object>) Json.parse(first.receive());
            assertEquals("slow", timedOut.get("id"));
            assertEquals("TIMED_OUT", errorCode(timedOut));
            release.countDown();
            consent.whileShown = prompt -> { };
            Map<String, Object> after = null;
            for (int i = 0; i < 100; i++) {
                after = second.call(signRequest("after", id, sha256("c"), "C"));
                if (!"BUSY".equals(after.get("ok").equals(Boolean.FALSE) ? errorCode(after) : "")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertTrue(verifies(pki.organization().certificate(), "c", (String) result(after).get("signature")),
                    "the agent works again once the abandoned operation ended");
        }
        assertEquals(List.of(UsageEvent.Outcome.TIMED_OUT, UsageEvent.Outcome.SIGNED),
                usage.events().stream().map(UsageEvent::outcome).toList(),
                "the PIN given after the page was told TIMED_OUT signed nothing");
    }
}
