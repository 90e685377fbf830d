package vn.kyso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import vn.kyso.testkit.SoftHsm2;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;

class TokensCommandTest {
    private static String tokens(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            String[] all = new String[args.length + 1];
            all[0] = "tokens";
            System.arraycopy(args, 0, all, 1, args.length);
            assertEquals(0, KysoCommand.run(all));
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tokensShowsTheTokenAndTheHolderAndExpiryOfItsCertificate() throws Exception {
        SoftHsm2 hsm = SoftHsm2.fromEnvironment();
        try (TestPki pki = TestPki.start()) {
            TestIdentity leader = pki.person();
            hsm.initToken("token-giam-doc", "123456");
            hsm.importKey("token-giam-doc", "123456", leader, "01", false);

            String report = tokens("--library", SoftHsm2.MODULE.toString());
            assertTrue(report.contains("đã nạp / loaded"), report);
            assertTrue(report.contains("token 'token-giam-doc'"), report);
            assertTrue(report.contains("Nguyễn Văn An"), report);
            assertTrue(report.contains("expires " + leader.certificate().getNotAfter().toInstant()
                    .atOffset(TestPki.VIETNAM).toLocalDate()), report);
        }
    }

    @Test
    void aTokenHoldingOnlyACaCertificateIsListedAndTheDemoSaysItHasNoSigningKey() throws Exception {
        SoftHsm2 hsm = SoftHsm2.fromEnvironment();
        try (TestPki pki = TestPki.start()) {
            hsm.initToken("token-chi-co-ca", "123456");
            hsm.importCertificate("token-chi-co-ca", "123456", pki.cipherCa().certificate(), null, "CA");
            // the filter makes the provider initialize the driver again: SoftHSM sees new tokens only then
            String listed = tokens("--library", SoftHsm2.MODULE.toString(), "--token", "token-chi-co-ca");
            assertTrue(listed.contains("token 'token-chi-co-ca'"), listed);
            try (vn.kyso.KeySource token = vn.kyso.Kyso.discover().connect("pkcs11", java.util.Map.of("library",
                    SoftHsm2.MODULE.toString(), "token", "token-chi-co-ca"),
                    vn.kyso.CredentialCallback.of("123456".toCharArray()))) {
                vn.kyso.KeyNotFoundException e = org.junit.jupiter.api.Assertions.assertThrows(
                        vn.kyso.KeyNotFoundException.class, () -> DemoCommand.firstSigningKey(token));
                assertTrue(e.getMessage().contains("no signing key was found") && e.getMessage().contains("kyso tokens"),
                        e.getMessage());
            }
        }
    }

    @Test
    void aDriverThatIsNotThereIsReportedAsMissing() {
        String report = tokens("--library", "/nonexistent/vnptca_p11_v10.so");
        assertTrue(report.contains("/nonexistent/vnptca_p11_v10.so: không có / missing"), report);
    }
}
