package vn.kyso.remotesim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.kyso.CredentialCallback;
import vn.kyso.KeySource;
import vn.kyso.KysoException;
import vn.kyso.PinIncorrectException;
import vn.kyso.PinLockedException;
import vn.kyso.ServiceUnavailableException;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;
import vn.kyso.SigningFailedException;
import vn.kyso.SigningTimeoutException;
import vn.kyso.UserRejectedException;
import vn.kyso.testkit.PhoneBehaviour;
import vn.kyso.testkit.RemoteSigningSimulator;
import vn.kyso.testkit.TestPki;

/**
 * The remote-sim provider against the simulator on 127.0.0.1, the same cases for every dialect:
 * each subclass names its dialect.
 */
abstract class RemoteSignerTest {
    static final Duration DELAY = Duration.ofMillis(100);
    static TestPki pki;
    static RemoteSigningSimulator sim;

    @BeforeAll
    static void start() {
        pki = TestPki.start();
        sim = RemoteSigningSimulator.builder()
                .user("approve", pki.person(), PhoneBehaviour.approveAfter(DELAY))
                .user("approve-ec", pki.ecPerson(), PhoneBehaviour.approveAfter(DELAY))
                .user("reject", pki.person(), PhoneBehaviour.rejectAfter(DELAY))
                .user("silent", pki.person(), PhoneBehaviour.neverAnswer())
                .user("pin-blocked", pki.person(), PhoneBehaviour.pinBlockedAfter(DELAY))
                .user("phone-off", pki.person(), PhoneBehaviour.phoneOff())
                .user("revoked", pki.revoked(), PhoneBehaviour.approveAfter(DELAY))
                .user("dropping", pki.person(), PhoneBehaviour.approveAfter(DELAY))
                .user("flaky", pki.person(), PhoneBehaviour.approveAfter(DELAY))
                .user("slow", pki.person(), PhoneBehaviour.approveAfter(DELAY))
                .user("corrupt", pki.person(), PhoneBehaviour.approveAfter(DELAY).withCorruptSignatures())
                .user("batch", pki.person(), PhoneBehaviour.approveAfter(DELAY))
                .user("crowd", pki.ecPerson(), PhoneBehaviour.approveAfter(Duration.ofMillis(300)))
                .user("cms-over-hash", pki.person(), PhoneBehaviour.approveAfter(DELAY)
                        .withContainer(PhoneBehaviour.Container.CMS_WITHOUT_ATTRIBUTES))
                .user("cms-over-attributes", pki.person(), PhoneBehaviour.approveAfter(DELAY)
                        .withContainer(PhoneBehaviour.Container.CMS_WITH_ATTRIBUTES))
                .start();
    }

    @AfterAll
    static void stop() {
        sim.close();
        pki.close();
    }

    /** The dialect under test: "sp769" or "csc". */
    abstract String dialect();

    /** The password the dialect's client sends (sp_password, client_secret, AP_PWD). */
    static String secret(RemoteSigningSimulator sim, String dialect) {
        return switch (dialect) {
            case "csc" -> sim.clientSecret();
            case "mss" -> sim.apPassword();
            default -> sim.spPassword();
        };
    }

    /** How many confirmations a batch of {@code n} costs in this dialect. */
    int promptsForBatch(int n) {
        return 1;
    }

    /** Whether the dialect can tell the service to drop a pending request. */
    boolean serviceCancels() {
        return true;
    }

    /** Whether the dialect's service may answer with a CMS container (TS 102 204 with MSS_Format PKCS1 never does). */
    boolean mayReturnContainers() {
        return true;
    }

    /** Whether the dialect learns the answer by status queries (csc: a request the service holds open). */
    boolean pollsForStatus() {
        return true;
    }

    /** The most characters this dialect's phone shows. */
    int displayLimit() {
        return 200;
    }

    Map<String, String> settings(RemoteSigningSimulator sim, String user) {
        return settings(sim, dialect(), user);
    }

    static Map<String, String> settings(RemoteSigningSimulator sim, String dialect, String user) {
        Map<String, String> s = new HashMap<>();
        s.put("dialect", dialect);
        switch (dialect) {
            case "csc" -> {
                s.put("url", sim.cscUri().toString());
                s.put("client_id", sim.clientId());
            }
            case "mss" -> {
                s.put("url", sim.mssUri().toString());
                s.put("ap_id", sim.apId());
                s.put("certificate", sim.mssCertificate(user));
            }
            default -> {
                s.put("url", sim.sp769Uri().toString());
                s.put("sp_id", sim.spId());
            }
        }
        s.put(dialect.equals("mss") ? "msisdn" : "user_id", user);
        s.put("poll_interval", "20ms");
        s.put("confirmation_timeout", "10s");
        s.put("request_timeout", "5s");
        return s;
    }

    KeySource connect(String user) throws KysoException {
        return connect(settings(sim, user));
    }

    KeySource connect(Map<String, String> settings) throws KysoException {
        return new RemoteSimProvider().connect(settings, CredentialCallback.of(secret(sim, dialect()).toCharArray()));
    }

    static Signer open(KeySource source) throws KysoException {
        return source.open(source.keys().get(0).id());
    }

    static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    static boolean verifies(Signer signer, String algorithm, String text, byte[] value) throws Exception {
        Signature v = Signature.getInstance(algorithm);
        v.initVerify(signer.certificate().getPublicKey());
        v.update(text.getBytes(StandardCharsets.UTF_8));
        return v.verify(value);
    }

    @Test
    void anApprovedRequestReturnsAValueThatVerifiesAndThePhoneShowedTheVietnameseText() throws Exception {
        String text = "Ký văn bản số 12/QĐ-UBND";
        try (KeySource source = connect("approve"); Signer signer = open(source)) {
            assertEquals(sim.identity("approve").certificate(), signer.certificate());
            assertEquals(2, signer.chain().size(), "the chain holds the issuing CA");
            int before = sim.prompts("approve");
            byte[] value = signer.sign(SignatureAlgorithm.RSA_SHA256, sha256("công văn"), text);
            assertTrue(verifies(signer, "SHA256withRSA", "công văn", value));
            assertEquals(before + 1, sim.prompts("approve"));
            assertEquals(text, sim.lastDisplayText("approve"));
        }
    }

    @Test
    void anEcKeySignsWithDerEcdsa() throws Exception {
        try (KeySource source = connect("approve-ec"); Signer signer = open(source)) {
            byte[] value = signer.sign(SignatureAlgorithm.ECDSA_SHA256, sha256("tờ trình"), "Ký tờ trình");
            assertTrue(verifies(signer, "SHA256withECDSA", "tờ trình", value));
        }
    }

    @Test
    void aFirstStatusQueryTimedAfterTheExpectedConfirmationIsTheOnlyOne() throws Exception {
        Map<String, String> s = settings(sim, "approve");
        s.put("first_poll", (DELAY.toMillis() * 4) + "ms");
        int queries = sim.statusQueries("approve");
        try (KeySource source = connect(s); Signer signer = open(source)) {
            byte[] value = signer.sign(SignatureAlgorithm.RSA_SHA256, sha256("một lần hỏi"), "Ký");
            assertTrue(verifies(signer, "SHA256withRSA", "một lần hỏi", value));
        }
        assertEquals(queries + (pollsForStatus() ? 1 : 0), sim.statusQueries("approve"));
    }

    @Test
    void signAsyncReturnsBeforeThePersonConfirms() throws Exception {
        try (KeySource source = connect("approve"); Signer signer = open(source)) {
            CompletableFuture<List<byte[]>> stage = signer.signAsync(SignRequest.of(SignatureAlgorithm.RSA_SHA256,
                    sha256("async"), "Ký")).toCompletableFuture();
            assertTrue(!stage.isDone(), "the confirmation takes " + DELAY.toMillis() + " ms; the call must not wait for it");
            assertTrue(verifies(signer, "SHA256withRSA", "async", stage.get(30, TimeUnit.SECONDS).get(0)));
        }
    }

    @Test
    void aRejectionOnThePhoneIsUserRejected() throws Exception {
        try (KeySource source = connect("reject"); Signer signer = open(source)) {
            assertThrows(UserRejectedException.class,
                    () -> signer.sign(SignatureAlgorithm.RSA_SHA256, sha256("x"), "Ký"));
        }
    }

    @Test
    void noAnswerWithinTheConfirmationWindowIsATimeoutAndTheServiceIsTold() throws Exception {
        Map<String, String> s = settings(sim, "silent");
        s.put("confirmation_timeout", "300ms");
        int cancelled = sim.cancellations("silent");
        try (KeySource source = connect(s); Signer signer = open(source)) {
            SigningTimeoutException e = assertThrows(SigningTimeoutException.class,
                    () -> signer.sign(SignatureAlgorithm.RSA_SHA256, sha256("x"), "Ký"));
            assertTrue(e.getMessage().contains("silent"), e.getMessage());
        }
        awaitCancellations("silent", serviceCancels() ? cancelled + 1 : cancelled);
    }

    @Test
    void cancellingAPendingSignatureTellsTheService() throws Exception {
        int cancelled = sim.cancellations("silent");
        try (KeySource source = connect("silent"); Signer signer = open(source)) {
            CompletableFuture<List<byte[]>> stage = signer.signAsync(SignRequest.of(SignatureAlgorithm.RSA_SHA256,
                    sha256("x"), "Ký")).toCompletableFuture();
            awaitPrompt(stage);
            assertTrue(stage.cancel(true));
            if (serviceCancels()) {
                awaitCancellations("silent", cancelled + 1);
            }
            // polling stops either way: no status query after a few poll intervals
            Thread.sleep(100);
            int queries = sim.statusQueries("silent");
            Thread.sleep(200);
            assertEquals(queries, sim.statusQueries("silent"), "a cancelled request must stop polling");
        }
    }

    @Test
    void aBatchOfThirtyDocumentsIsOnePromptWithValuesInOrder() throws Exception {
        List<byte[]> digests = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            digests.add(sha256("văn bản " + i));
        }
        int before = sim.prompts("batch");
        try (KeySource source = connect("batch"); Signer signer = open(source)) {
            List<byte[]> values = signer.sign(SignRequest.batch(SignatureAlgorithm.RSA_SHA256, digests, "Ký 30 văn bản"));
            assertEquals(30, values.size());
            for (int i = 0; i < 30; i++) {
                assertTrue(verifies(signer, "SHA256withRSA", "văn bản " + i, values.get(i)), "value " + i);
            }
        }
        assertEquals(before + promptsForBatch(30), sim.prompts("batch"),
                "30 documents cost " + promptsForBatch(30) + " confirmation(s) in " + dialect());
    }

    @Test
    void aBlockedPinIsPinLocked() throws Exception {
        try (KeySource source = connect("pin-blocked"); Signer signer = open(source)) {
            assertThrows(PinLockedException.class, () -> signer.sign(SignatureAlgorithm.RSA_SHA256, sha256("x"), "Ký"));
        }
    }

    @Test
    void aPhoneThatIsOffIsReportedAsUnreachableWhenTheServiceGivesUp() throws Exception {
        try (RemoteSigningSimulator shortLived = RemoteSigningSimulator.builder()
                .user("phone-off", pki.person(), PhoneBehaviour.phoneOff())
                .transactionLifetime(Duration.ofMillis(200)).start();
                KeySource source = new RemoteSimProvider().connect(settings(shortLived, "phone-off"),
                        CredentialCallback.of(secret(shortLived, dialect()).toCharArray()));
                Signer signer = open(source)) {
            ServiceUnavailableException e = assertThrows(ServiceUnavailableException.class,
                    () -> signer.sign(SignatureAlgorithm.RSA_SHA256, sha256("x"), "Ký"));
            assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
            assertEquals(0, shortLived.prompts("phone-off"), "a phone that is off shows nothing");
        }
    }

    @Test
    void aRevokedCertificateIsRefusedByTheService() throws Exception {
        try (KeySource source = connect("revoked"); Signer signer = open(source)) {
            SigningFailedException e = assertThrows(SigningFailedException.class,
                    () -> signer.sign(SignatureAlgorithm.RSA_SHA256, sha256("x"), "Ký"));
            assertTrue(e.getMessage().contains("revoked"), e.getMessage());
        }
    }

    @Test
    void aSubmitWhoseAnswerIsLostIsRetriedWithTheSameTransactionAndThePhoneAsksOnce() throws Exception {
        int before = sim.prompts("dropping");
        int started = sim.transactionsStarted();
        int submits = sim.submits("dropping");
        sim.setBehaviour("dropping", PhoneBehaviour.approveAfter(DELAY).withDroppedSubmits(2));
        try (KeySource source = connect("dropping"); Signer signer = open(source)) {
            byte[] value = signer.sign(SignatureAlgorithm.RSA_SHA256, sha256("retry"), "Ký");
            assertTrue(verifies(signer, "SHA256withRSA", "retry", value));
        }
        assertEquals(before + 1, sim.prompts("dropping"), "two lost answers and three submits, one prompt");
        assertEquals(started + 1, sim.transactionsStarted());
        assertEquals(submits + 3, sim.submits("dropping"), "the two dropped answers were retried");
    }

    @Test
    void serverErrorsAreRetriedAndPersistentOnesAreServiceUnavailable() throws Exception {
        sim.setBehaviour("flaky", PhoneBehaviour.approveAfter(DELAY).withServerErrorRate(1.0));
        Map<String, String> s = settings(sim, "flaky");
        s.put("retries", "1");
        assertThrows(ServiceUnavailableException.class, () -> connect(s).close());
        sim.setBehaviour("flaky", PhoneBehaviour.approveAfter(DELAY).withServerErrorRate(0.3));
        s.put("retries", "8");
        try (KeySource source = connect(s); Signer signer = open(source)) {
            for (int i = 0; i < 5; i++) {
                assertTrue(verifies(signer, "SHA256withRSA", "flaky " + i,
                        signer.sign(SignatureAlgorithm.RSA_SHA256, sha256("flaky " + i), "Ký")));
            }
        }
    }

    @Test
    void anAnswerSlowerThanTheRequestTimeoutIsATimeout() throws Exception {
        sim.setBehaviour("slow", PhoneBehaviour.approveAfter(DELAY).withSlowAnswer(Duration.ofSeconds(3)));
        Map<String, String> s = settings(sim, "slow");
        s.put("request_timeout", "300ms");
        s.put("retries", "0");
        try {
            KysoException e = assertThrows(KysoException.class, () -> connect(s).close());
            assertInstanceOf(SigningTimeoutException.class, e, e.toString());
        } finally {
            sim.setBehaviour("slow", PhoneBehaviour.approveAfter(DELAY));
        }
    }

    @Test
    void aValueThatDoesNotVerifyIsRefused() throws Exception {
        try (KeySource source = connect("corrupt"); Signer signer = open(source)) {
            SigningFailedException e = assertThrows(SigningFailedException.class,
                    () -> signer.sign(SignatureAlgorithm.RSA_SHA256, sha256("x"), "Ký"));
            assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
        }
    }

    @Test
    void aCmsContainerSigningTheHashItselfIsOpenedAndItsValueUsed() throws Exception {
        try (KeySource source = connect("cms-over-hash"); Signer signer = open(source)) {
            byte[] value = signer.sign(SignatureAlgorithm.RSA_SHA256, sha256("container"), "Ký");
            assertTrue(verifies(signer, "SHA256withRSA", "container", value), "the raw value from inside the CMS");
        }
    }

    @Test
    void aCmsContainerSigningItsOwnAttributesIsRefusedSayingWhy() throws Exception {
        try (KeySource source = connect("cms-over-attributes"); Signer signer = open(source)) {
            if (!mayReturnContainers()) {
                // MSS_Format PKCS1 asks the MSSP for the raw value, whatever else it could build
                assertTrue(verifies(signer, "SHA256withRSA", "attributes",
                        signer.sign(SignatureAlgorithm.RSA_SHA256, sha256("attributes"), "Ký")));
                return;
            }
            SigningFailedException e = assertThrows(SigningFailedException.class,
                    () -> signer.sign(SignatureAlgorithm.RSA_SHA256, sha256("attributes"), "Ký"));
            assertTrue(e.getMessage().contains("attributes of its own"), e.getMessage());
        }
    }

    @Test
    void aWrongServicePasswordIsPinIncorrect() {
        assertThrows(PinIncorrectException.class, () -> new RemoteSimProvider()
                .connect(settings(sim, "approve"), CredentialCallback.of("wrong".toCharArray())).close());
    }

    @Test
    void aRefusedConnectionIsServiceUnavailable() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Map<String, String> s = settings(sim, "approve");
        s.put("url", "http://127.0.0.1:" + port + "/sp769/");
        s.put("retries", "1");
        ServiceUnavailableException e = assertThrows(ServiceUnavailableException.class, () -> connect(s).close());
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
    }

    @Test
    void aMalformedAnswerIsRefusedWithAClearError() throws Exception {
        // a service (or a proxy in front of it) that answers HTML where JSON is expected
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", exchange -> {
            byte[] body = "<html>502 Bad Gateway</html>{".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Map<String, String> s = settings(sim, "approve");
            s.put("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/remote/");
            SigningFailedException e = assertThrows(SigningFailedException.class, () -> connect(s).close());
            assertTrue(e.getMessage().contains("malformed"), e.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anEndlessAnswerIsCutOffInsteadOfBuffered() throws Exception {
        // a broken proxy streaming without end: the client must stop reading, not fill its heap
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        long total = 64L << 20;
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            try (var out = exchange.getResponseBody()) {
                while (written.get() < total) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (java.io.IOException expected) {
                // the client hung up once it had read enough
            }
            exchange.close();
        });
        server.start();
        try {
            Map<String, String> s = settings(sim, "approve");
            s.put("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/remote/");
            SigningFailedException e = assertThrows(SigningFailedException.class, () -> connect(s).close());
            assertTrue(e.getMessage().contains("more than"), e.getMessage());
            Thread.sleep(200);
            assertTrue(written.get() < total / 2, "the client read " + written.get() + " bytes before hanging up");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aDisplayTextLongerThanThePhoneShowsIsRefusedBeforeSending() throws Exception {
        try (KeySource source = connect("approve"); Signer signer = open(source)) {
            int before = sim.prompts("approve");
            // SignRequest itself refuses more than 200 characters; a phone showing fewer is checked by the provider
            String tooLong = "Ký văn bản ".repeat(30).substring(0, Math.min(displayLimit(), 200) + 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> signer.sign(SignatureAlgorithm.RSA_SHA256, sha256("x"), tooLong));
            assertTrue(e.getMessage().contains("at most"), e.getMessage());
            assertEquals(before, sim.prompts("approve"));
        }
    }

    @Test
    void fiveHundredConcurrentRequestsAllComplete() throws Exception {
        try (KeySource source = connect("crowd"); Signer signer = open(source)) {
            List<CompletableFuture<List<byte[]>>> all = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                all.add(signer.signAsync(SignRequest.of(SignatureAlgorithm.ECDSA_SHA256, sha256("n" + i), "Ký " + i))
                        .toCompletableFuture());
            }
            for (int i = 0; i < 500; i++) {
                assertTrue(verifies(signer, "SHA256withECDSA", "n" + i, all.get(i).get(120, TimeUnit.SECONDS).get(0)));
            }
        }
        assertEquals(500, sim.prompts("crowd"));
    }

    @Test
    void closingTheSourceFailsPendingSignaturesAtOnceAndTellsTheService() throws Exception {
        int cancelled = sim.cancellations("silent");
        KeySource source = connect("silent");
        Signer signer = open(source);
        CompletableFuture<List<byte[]>> stage = signer.signAsync(SignRequest.of(SignatureAlgorithm.RSA_SHA256,
                sha256("x"), "Ký")).toCompletableFuture();
        awaitPrompt(stage);
        source.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> stage.get(10, TimeUnit.SECONDS));
        assertInstanceOf(SigningFailedException.class, e.getCause());
        assertThrows(IllegalStateException.class, () -> signer.sign(SignatureAlgorithm.RSA_SHA256, sha256("x"), ""));
        awaitCancellations("silent", serviceCancels() ? cancelled + 1 : cancelled);
    }

    private static void awaitPrompt(CompletableFuture<?> stage) throws InterruptedException {
        int prompts = sim.prompts("silent");
        for (int i = 0; i < 500 && sim.prompts("silent") == prompts && !stage.isDone(); i++) {
            Thread.sleep(10);
        }
    }

    private static void awaitCancellations(String user, int expected) throws InterruptedException {
        // a generous hang guard: a loaded machine may take seconds to deliver the cancel request
        for (int i = 0; i < 3000 && sim.cancellations(user) < expected; i++) {
            Thread.sleep(10);
        }
        assertEquals(expected, sim.cancellations(user));
    }
}
