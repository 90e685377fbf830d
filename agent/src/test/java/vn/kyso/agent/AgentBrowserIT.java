package vn.kyso.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.UsageReporter;
import vn.kyso.testkit.HeadlessChromium;
import vn.kyso.testkit.SoftHsm2;
import vn.kyso.testkit.TestPki;

/**
 * A DMS page in Debian's headless Chromium signs through the agent and a SoftHSM2 token, with
 * Chromium's Local Network Access check in force (the page's address is made "public").
 * Run by {@code mvn verify} (failsafe; it needs the Debian package chromium, and runs
 * {@code npm ci} in src/test/js first): {@code mvn -B -pl agent -am verify -Dit.test=AgentBrowserIT
 * -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class AgentBrowserIT {
    private static final Path SCRIPTS = Path.of("src/test/js");
    private static TestPki pki;
    @TempDir
    Path dir;
    private HttpsServer page;
    private Agent agent;
    private final ScriptedConsent consent = new ScriptedConsent(AgentTokens.PIN);

    @BeforeAll
    static void tokens() throws Exception {
        pki = AgentTokens.pki();
    }

    @BeforeEach
    void start() throws Exception {
        page = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        page.setHttpsConfigurator(new HttpsConfigurator(HeadlessChromium.pageTls(dir)));
        page.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/kyso-agent.js")) {
                serve(exchange, "/kyso-agent.js", "text/javascript");
            } else if (path.equals("/")) {
                serve(exchange, "/dms-page.html", "text/html; charset=utf-8");
            } else {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            }
        });
        page.start();
        String origin = "https://127.0.0.1:" + page.getAddress().getPort();
        agent = Agent.start(new Agent.Settings(0, List.of(origin), List.of(SoftHsm2.MODULE), null, null,
                Duration.ofSeconds(60)), consent, UsageReporter.none());
    }

    @AfterEach
    void stop() {
        agent.close();
        page.stop(0);
    }

    private static void serve(HttpExchange exchange, String resource, String type) throws IOException {
        byte[] body;
        try (InputStream in = AgentBrowserIT.class.getResourceAsStream(resource)) {
            body = in.readAllBytes();
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> clickSign(String mode) throws Exception {
        String url = "https://127.0.0.1:" + page.getAddress().getPort() + "/?agent=" + agent.port();
        return (Map<String, Object>) Json.parse(HeadlessChromium.run(SCRIPTS, "browser-test.mjs", url, mode));
    }

    @Test
    void thePageSignsInChromiumOnceLoopbackAccessIsGrantedAndTheSignatureVerifies() throws Exception {
        Map<String, Object> result = clickSign("granted");
        assertEquals(Boolean.TRUE, result.get("ok"), result.toString());
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Base64.getDecoder().decode((String) result.get("certificate"))));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(cert.getPublicKey());
        s.update(((String) result.get("data")).getBytes(StandardCharsets.UTF_8));
        assertTrue(s.verify(Base64.getDecoder().decode((String) result.get("signature"))));
        assertTrue(cert.equals(pki.person().certificate()) || cert.equals(pki.organization().certificate()));
        assertEquals(1, consent.prompts.size());
        assertEquals("https://127.0.0.1:" + page.getAddress().getPort(), consent.prompts.get(0).origin());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPageOfAnotherOriginGets403OnHttpAndOnTheUpgradeInChromiumAndTheUserIsNeverAsked() throws Exception {
        agent.close();
        agent = Agent.start(new Agent.Settings(0, List.of("https://dms.example.gov.vn"), List.of(SoftHsm2.MODULE),
                null, null, Duration.ofSeconds(60)), consent, UsageReporter.none());
        String url = "https://127.0.0.1:" + page.getAddress().getPort() + "/?agent=" + agent.port();
        Map<String, Object> seen = (Map<String, Object>) Json.parse(
                HeadlessChromium.run(SCRIPTS, "browser-test.mjs", url, "other-origin"));
        Map<String, Object> result = (Map<String, Object>) seen.get("page");
        assertEquals(Boolean.FALSE, result.get("ok"), seen.toString());
        assertEquals("refused", seen.get("webSocket"), "the page's own WebSocket to the agent: " + seen);
        List<Map<String, Object>> statuses = (List<Map<String, Object>>) seen.get("statuses");
        assertTrue(statuses.stream().anyMatch(s -> String.valueOf(s.get("url")).endsWith("/kyso/v1/hello")
                && ((Number) s.get("status")).intValue() == 403), "discovery answered 403: " + seen);
        assertTrue(statuses.stream().noneMatch(s -> ((Number) s.get("status")).intValue() != 403),
                "nothing but 403 from the agent: " + seen);
        // Chromium reports a refused upgrade only on its console (the page sees a bare error event)
        assertTrue(((List<String>) seen.get("console")).stream().anyMatch(m -> m.contains("/kyso/v1/ws")
                && m.contains("Unexpected response code: 403")), "the upgrade answered 403: " + seen);
        assertEquals(0, consent.questions(), "no prompt is shown");
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePageSeesBothTokensAndSignsABatchOfTwentyWithOneConsent() throws Exception {
        Map<String, Object> result = clickSign("batch");
        assertEquals(Boolean.TRUE, result.get("ok"), result.toString());
        List<X509Certificate> listed = new java.util.ArrayList<>();
        for (Object c : (List<Object>) result.get("certificates")) {
            listed.add(certificate((String) c));
        }
        assertEquals(2, listed.size(), "one key on each of the two tokens");
        assertTrue(listed.contains(pki.person().certificate()) && listed.contains(pki.organization().certificate()));
        X509Certificate cert = certificate((String) result.get("certificate"));
        List<String> data = (List<String>) result.get("data");
        List<String> signatures = (List<String>) result.get("signatures");
        assertEquals(20, signatures.size());
        for (int i = 0; i < 20; i++) {
            assertTrue(verifies(cert, data.get(i), signatures.get(i)), "signature " + i);
        }
        assertEquals(1, consent.prompts.size(), "one consent and one PIN entry for the batch");
        assertEquals(20, consent.prompts.get(0).documents().size(), "the user sees all twenty decisions");
    }

    /**
     * Simulated removal: SoftHSM2 has no hot-plug, so "pulling the token out" deletes its token
     * folder (softhsm2-util --delete-token) while the consent window is shown; the driver then
     * reports the slot without a token, as a real driver does after the USB key is removed.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aTokenPulledOutWhileTheUserIsAskedGivesThePageTokenAbsentAndTheNextClickSignsWithTheOtherToken()
            throws Exception {
        // the page signs with its first certificate: that token is pulled out while the user is asked
        consent.whileShown = prompt -> {
            if (consent.prompts.size() == 1) {
                try {
                    if (leader(prompt)) {
                        AgentTokens.pullOutLeader();
                    } else {
                        AgentTokens.pullOutClerk();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        Map<String, Object> both;
        try {
            String url = "https://127.0.0.1:" + page.getAddress().getPort() + "/?agent=" + agent.port();
            both = (Map<String, Object>) Json.parse(HeadlessChromium.run(SCRIPTS, "browser-test.mjs", url, "twice"));
        } finally {
            consent.whileShown = prompt -> { };
            if (!consent.prompts.isEmpty()) {
                if (leader(consent.prompts.get(0))) {
                    AgentTokens.plugInLeader();
                } else {
                    AgentTokens.plugInClerk();
                }
            }
        }
        Map<String, Object> first = (Map<String, Object>) both.get("first");
        assertEquals(Boolean.FALSE, first.get("ok"), both.toString());
        assertEquals("TOKEN_ABSENT", first.get("code"), both.toString());
        assertTrue(((String) first.get("message")).contains("token"), "the page shows the friendly text");
        Map<String, Object> second = (Map<String, Object>) both.get("second");
        assertEquals(Boolean.TRUE, second.get("ok"), both.toString());
        X509Certificate cert = certificate((String) second.get("certificate"));
        X509Certificate pulled = consent.prompts.get(0).certificate();
        assertTrue(!cert.equals(pulled) && (cert.equals(pki.person().certificate())
                || cert.equals(pki.organization().certificate())), "the token left in signs");
        assertTrue(verifies(cert, (String) second.get("data"), (String) second.get("signature")));
        assertEquals(2, consent.prompts.size());
    }

    private static boolean leader(Consent.SigningPrompt prompt) {
        return prompt.certificate().equals(pki.person().certificate());
    }

    private static X509Certificate certificate(String base64) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }

    private static boolean verifies(X509Certificate cert, String data, String signature) throws Exception {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(cert.getPublicKey());
        s.update(data.getBytes(StandardCharsets.UTF_8));
        return s.verify(Base64.getDecoder().decode(signature));
    }

    @Test
    void withoutLoopbackAccessThePageGetsTheFriendlyErrorAndTheUserIsNeverAsked() throws Exception {
        Map<String, Object> result = clickSign("denied");
        assertEquals(Boolean.FALSE, result.get("ok"));
        assertEquals("LOCAL_NETWORK_ACCESS_DENIED", result.get("code"), result.toString());
        assertTrue(((String) result.get("message")).contains("LoopbackNetworkAllowedForUrls"));
        assertEquals(0, consent.questions());
    }
}
