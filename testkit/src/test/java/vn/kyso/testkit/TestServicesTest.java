package vn.kyso.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.junit.jupiter.api.Test;

class TestServicesTest {

    @Test
    void servicesListenOnLoopbackOnly() {
        try (TestPki pki = TestPki.start()) {
            assertEquals("127.0.0.1", pki.services().baseUri().getHost());
            assertTrue(pki.services().port() > 0);
            assertEquals(pki.services().baseUri().resolve("tsa"), pki.services().tsaUri());
            assertEquals(pki.services().baseUri().resolve("ocsp"), pki.services().ocspUri());
            assertEquals(pki.services().baseUri().resolve("crl/vnpt-ca.crl"), pki.services().crlUri(pki.vnptCa()));
            assertEquals(pki.services().baseUri().resolve("ca/cipher-ca.cer"),
                    pki.services().caIssuersUri(pki.cipherCa()));
        }
    }

    @Test
    void serverRefusesConnectionsAfterClose() throws IOException {
        TestPki pki = TestPki.start();
        int port = pki.services().port();
        assertEquals(200, Loopback.get(pki.services().crlUri(pki.vnptCa())).statusCode());
        pki.close();
        pki.close(); // idempotent
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            }
        });
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Loopback.get(pki.services().crlUri(pki.vnptCa())));
        assertTrue(e.getCause() instanceof ConnectException, e.toString());
    }

    @Test
    void countersCountEachServiceAndReset() throws Exception {
        try (TestPki pki = TestPki.start()) {
            TestServices services = pki.services();
            byte[] request = new TimeStampRequestGenerator().generate(TSPAlgorithms.SHA256, new byte[32]).getEncoded();
            Loopback.post(services.tsaUri(), TsaHandler.QUERY_TYPE, request);
            Loopback.post(services.tsaUri(), TsaHandler.QUERY_TYPE, request);
            Loopback.post(services.ocspUri(), OcspHandler.REQUEST_TYPE, Loopback.ocspRequest(
                    pki.person().issuer(), pki.person().certificate().getSerialNumber(), null).getEncoded());
            assertEquals(2, services.tsaRequests());
            assertEquals(1, services.ocspRequests());
            assertEquals(0, services.crlRequests());
            services.resetCounters();
            assertEquals(0, services.tsaRequests());
            assertEquals(0, services.ocspRequests());
        }
    }

    @Test
    void responseDelayIsBoundedAndSlowsAnswers() throws Exception {
        try (TestPki pki = TestPki.start()) {
            TestServices services = pki.services();
            assertThrows(IllegalArgumentException.class, () -> services.setResponseDelay(Duration.ofMinutes(2)));
            assertThrows(IllegalArgumentException.class, () -> services.setResponseDelay(Duration.ofMillis(-1)));
            services.setResponseDelay(Duration.ofMillis(300));
            byte[] request = new TimeStampRequestGenerator().generate(TSPAlgorithms.SHA256, new byte[32]).getEncoded();
            long start = System.nanoTime();
            HttpResponse<byte[]> http = Loopback.post(services.tsaUri(), TsaHandler.QUERY_TYPE, request);
            assertEquals(200, http.statusCode());
            assertTrue(System.nanoTime() - start >= 300_000_000L);
        }
    }

    @Test
    void closeDoesNotWaitForADelayedAnswer() throws Exception {
        TestPki pki = TestPki.start();
        pki.services().setResponseDelay(TestServices.MAX_DELAY);
        Thread client = new Thread(() -> {
            try {
                Loopback.get(pki.services().crlUri(pki.vnptCa())); // not delayed: warms a worker
                byte[] request = new TimeStampRequestGenerator().generate(TSPAlgorithms.SHA256, new byte[32])
                        .getEncoded();
                Loopback.post(pki.services().tsaUri(), TsaHandler.QUERY_TYPE, request);
            } catch (RuntimeException | IOException ignored) {
                // the connection is cut by close(): expected
            }
        });
        client.setDaemon(true);
        client.start();
        Thread.sleep(300);
        long start = System.nanoTime();
        pki.close();
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }

    @Test
    void urlsOfIdentitiesThatAreNotCasAreRefused() {
        try (TestPki pki = TestPki.start(); TestPki other = TestPki.start()) {
            assertThrows(IllegalArgumentException.class, () -> pki.services().crlUri(pki.person()));
            assertThrows(IllegalArgumentException.class, () -> pki.services().caIssuersUri(other.vnptCa()));
            assertEquals(TestServices.Mode.AVAILABLE, pki.services().tsaMode());
            assertEquals(TestServices.Mode.AVAILABLE, pki.services().ocspMode());
            assertEquals(404, Loopback.get(pki.services().baseUri().resolve("nothing")).statusCode());
        }
    }
}
