package vn.kyso.remotesim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.kyso.CredentialCallback;
import vn.kyso.KeySource;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;
import vn.kyso.UserRejectedException;
import vn.kyso.testkit.PhoneBehaviour;
import vn.kyso.testkit.RemoteSigningSimulator;
import vn.kyso.testkit.TestPki;

/**
 * SP769 results by webhook: the simulator POSTs each settled result to a receiver this test
 * exposes as an embedding server would, and status queries are only a safety net (set to a
 * minute here, longer than any case waits, so a case that passes got its answer by webhook or
 * by a query the webhook brought forward).
 */
class RemoteSimWebhookTest {
    static TestPki pki;
    static RemoteSigningSimulator sim;
    private HttpServer server;
    private volatile UnaryOperator<String> tamper = UnaryOperator.identity();

    @BeforeAll
    static void start() {
        pki = TestPki.start();
        sim = RemoteSigningSimulator.builder()
                .user("approve", pki.person(), PhoneBehaviour.approveAfter(Duration.ofMillis(200)))
                .user("reject", pki.person(), PhoneBehaviour.rejectAfter(Duration.ofMillis(200)))
                .start();
    }

    @AfterAll
    static void stop() {
        sim.close();
        pki.close();
    }

    @AfterEach
    void stopReceiver() {
        sim.setSp769Webhook(null);
        if (server != null) {
            server.stop(0);
        }
    }

    /** Connects {@code user}, exposes a receiver for its source and registers it with the simulator. */
    private KeySource connectWithReceiver(String user) throws Exception {
        Map<String, String> settings = RemoteSignerTest.settings(sim, "sp769", user);
        settings.remove("poll_interval");
        settings.put("webhook_poll_interval", "60s");
        settings.put("confirmation_timeout", "30s");
        KeySource source = new RemoteSimProvider().connect(settings, CredentialCallback.of(sim.spPassword().toCharArray()));
        RemoteSimWebhook webhook = new RemoteSimWebhook();
        webhook.attach(source);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/results", exchange -> {
            try (exchange) {
                String body = tamper.apply(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(webhook.deliver(body.getBytes(StandardCharsets.UTF_8)), -1);
            }
        });
        server.start();
        sim.setSp769Webhook(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/results"));
        return source;
    }

    private static CompletableFuture<List<byte[]>> sign(Signer signer, String text) throws Exception {
        return signer.signAsync(SignRequest.of(SignatureAlgorithm.RSA_SHA256, RemoteSignerTest.sha256(text), "Ký " + text))
                .toCompletableFuture();
    }

    @Test
    void anApprovalArrivesByWebhookWithoutAnyStatusQuery() throws Exception {
        int queries = sim.statusQueries("approve");
        int delivered = sim.webhookDeliveries();
        try (KeySource source = connectWithReceiver("approve"); Signer signer = RemoteSignerTest.open(source)) {
            byte[] value = sign(signer, "tờ trình").get(20, TimeUnit.SECONDS).get(0);
            assertTrue(RemoteSignerTest.verifies(signer, "SHA256withRSA", "tờ trình", value));
        }
        assertEquals(queries, sim.statusQueries("approve"), "the webhook answered; no status query was needed");
        // the simulator counts a delivery once the receiver's answer is back, just after the signature completed
        for (int i = 0; i < 500 && sim.webhookDeliveries() < delivered + 1; i++) {
            Thread.sleep(10);
        }
        assertEquals(delivered + 1, sim.webhookDeliveries());
    }

    @Test
    void aRejectionByWebhookIsConfirmedByOneStatusQueryBeforeItFailsTheSignature() throws Exception {
        int queries = sim.statusQueries("reject");
        try (KeySource source = connectWithReceiver("reject"); Signer signer = RemoteSignerTest.open(source)) {
            CompletableFuture<List<byte[]>> stage = sign(signer, "công văn");
            Exception e = assertThrows(Exception.class, () -> stage.get(20, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof UserRejectedException, String.valueOf(e.getCause()));
        }
        assertEquals(queries + 1, sim.statusQueries("reject"));
    }

    @Test
    void aForgedRejectionDoesNotFailAnApprovedSignature() throws Exception {
        // what an attacker who learnt a transaction id would post to make the DMS believe the leader declined
        tamper = body -> body.replace("\"SUCCESS\"", "\"sig_rejected_by_user\"");
        try (KeySource source = connectWithReceiver("approve"); Signer signer = RemoteSignerTest.open(source)) {
            byte[] value = sign(signer, "quyết định").get(20, TimeUnit.SECONDS).get(0);
            assertTrue(RemoteSignerTest.verifies(signer, "SHA256withRSA", "quyết định", value));
        }
    }

    @Test
    void aDeliveredValueThatDoesNotVerifyIsNotTakenAndTheStatusQueryGivesTheRealOne() throws Exception {
        // a value for another document: a receiver that trusted the POST would embed a signature that does not verify
        tamper = body -> body.replaceFirst("\"signature_value\":\"[A-Za-z0-9+/]{8}", "\"signature_value\":\"AAAAAAAA");
        int queries = sim.statusQueries("approve");
        try (KeySource source = connectWithReceiver("approve"); Signer signer = RemoteSignerTest.open(source)) {
            byte[] value = sign(signer, "báo cáo").get(20, TimeUnit.SECONDS).get(0);
            assertTrue(RemoteSignerTest.verifies(signer, "SHA256withRSA", "báo cáo", value));
        }
        assertEquals(queries + 1, sim.statusQueries("approve"));
    }

    @Test
    void aPostThatIsNoResultOrForNoPendingTransactionIsRefused() throws Exception {
        try (KeySource source = connectWithReceiver("approve")) {
            RemoteSimWebhook webhook = new RemoteSimWebhook();
            webhook.attach(source);
            assertEquals(400, webhook.deliver("not json".getBytes(StandardCharsets.UTF_8)));
            assertEquals(400, webhook.deliver("{\"message\":\"SUCCESS\"}".getBytes(StandardCharsets.UTF_8)));
            assertEquals(404, webhook.deliver("{\"message\":\"SUCCESS\",\"data\":{\"transaction_id\":\"unknown\"}}"
                    .getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void onlyAnSp769SourceCanBeAttached() throws Exception {
        Map<String, String> settings = RemoteSignerTest.settings(sim, "csc", "approve");
        try (KeySource csc = new RemoteSimProvider().connect(settings,
                CredentialCallback.of(sim.clientSecret().toCharArray()))) {
            assertThrows(IllegalArgumentException.class, () -> new RemoteSimWebhook().attach(csc));
        }
    }
}
