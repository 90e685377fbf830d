package vn.kyso.remotesim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.CredentialCallback;
import vn.kyso.KeySource;
import vn.kyso.PinIncorrectException;
import vn.kyso.ServiceUnavailableException;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;
import vn.kyso.testkit.PhoneBehaviour;
import vn.kyso.testkit.RemoteSigningSimulator;
import vn.kyso.testkit.TestPki;

/** The simulator over HTTPS: the MSSP requires the AP's TLS client certificate, as the PKI SIM service does. */
class RemoteSimTlsTest {
    private static final char[] P12_PASSWORD = "ap-p12-pass".toCharArray();
    private static TestPki pki;
    private static RemoteSigningSimulator sim;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        pki = TestPki.start();
        sim = RemoteSigningSimulator.builder().https(pki)
                .user("0912345678", pki.person(), PhoneBehaviour.approveAfter(Duration.ofMillis(50)))
                .start();
    }

    @AfterAll
    static void stop() {
        sim.close();
        pki.close();
    }

    /** Answers the AP password for the MSSP and the file password for the client certificate. */
    private static CredentialCallback secrets(String dialect) {
        return request -> request.target().endsWith(".p12") ? P12_PASSWORD.clone()
                : RemoteSignerTest.secret(sim, dialect).toCharArray();
    }

    private Map<String, String> settings(String dialect, boolean trust, boolean clientCertificate) throws Exception {
        Map<String, String> s = RemoteSignerTest.settings(sim, dialect, "0912345678");
        if (trust) {
            s.put("tls_trust", Files.writeString(dir.resolve("root.pem"), sim.tlsTrustPem()).toString());
        }
        if (clientCertificate) {
            s.put("tls_client_certificate", Files.write(dir.resolve("ap.p12"), sim.apClientPkcs12(P12_PASSWORD)).toString());
        }
        return s;
    }

    @Test
    void anMssSignatureOverHttpsWithTheApClientCertificateVerifies() throws Exception {
        assertTrue(sim.mssUri().getScheme().equals("https"));
        try (KeySource source = new RemoteSimProvider().connect(settings("mss", true, true), secrets("mss"));
                Signer signer = RemoteSignerTest.open(source)) {
            assertTrue(RemoteSignerTest.verifies(signer, "SHA256withRSA", "tls",
                    signer.sign(SignatureAlgorithm.RSA_SHA256, RemoteSignerTest.sha256("tls"), "Ký qua TLS")));
        }
    }

    @Test
    void withoutTheClientCertificateTheMsspRefusesTheAp() throws Exception {
        Map<String, String> s = settings("mss", true, false);
        assertThrows(PinIncorrectException.class, () -> new RemoteSimProvider().connect(s, secrets("mss")).close());
    }

    @Test
    void aServerCertificateFromAnUntrustedRootIsRefused() throws Exception {
        Map<String, String> s = settings("mss", false, true);
        assertThrows(ServiceUnavailableException.class, () -> new RemoteSimProvider().connect(s, secrets("mss")).close());
    }

    @Test
    void theJsonDialectsWorkOverHttpsWithoutAClientCertificate() throws Exception {
        for (String dialect : new String[] {"sp769", "csc"}) {
            try (KeySource source = new RemoteSimProvider().connect(settings(dialect, true, false), secrets(dialect));
                    Signer signer = RemoteSignerTest.open(source)) {
                assertTrue(RemoteSignerTest.verifies(signer, "SHA256withRSA", dialect,
                        signer.sign(SignatureAlgorithm.RSA_SHA256, RemoteSignerTest.sha256(dialect), "Ký")), dialect);
            }
        }
    }
}
