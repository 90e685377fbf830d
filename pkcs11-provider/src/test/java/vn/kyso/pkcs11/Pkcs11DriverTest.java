package vn.kyso.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.kyso.CredentialCallback;
import vn.kyso.KeySource;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;
import vn.kyso.TokenAbsentException;

/** The driver over days of polling: tokens in and out, many empty polls, key sources sharing it. */
class Pkcs11DriverTest {
    private final Pkcs11SignerProvider provider = new Pkcs11SignerProvider();

    @BeforeAll
    static void tokens() throws Exception {
        SoftHsm.tokens();
    }

    private KeySource connect(String token) throws Exception {
        return provider.connect(token == null ? Map.of("library", SoftHsm.MODULE.toString())
                : Map.of("library", SoftHsm.MODULE.toString(), "token", token),
                CredentialCallback.of(SoftHsm.PIN.toCharArray()));
    }

    private static void signs(Signer signer) throws Exception {
        assertTrue(signer.sign(SignatureAlgorithm.RSA_SHA256, new byte[32], "").length > 0);
    }

    @Test
    void aHundredEmptyPollsLeaveTheDriverWorkingAndATokenPluggedInAfterThemIsFound() throws Exception {
        // each empty poll initializes the driver again; the JDK's wrapper used to allow 32 of those per process
        try (KeySource waiting = connect("kyso-sau-tram-lan")) {
            for (int poll = 0; poll < 100; poll++) {
                assertThrows(TokenAbsentException.class, waiting::keys, "poll " + poll);
            }
            SoftHsm.plugIn("kyso-sau-tram-lan");
            assertEquals(List.of(), waiting.keys(), "the token plugged in after the polls is found");
        }
        try (KeySource clerk = connect(SoftHsm.CLERK_TOKEN); Signer s = clerk.open(clerk.keys().get(0).id())) {
            signs(s);
        }
    }

    @Test
    void withoutTheWrapperOpenedAHundredEmptyPollsStillLeaveTheDriverSigningWithTheTokensItKnows() throws Exception {
        // a JVM started with --add-exports only cannot call C_Initialize again in place: its fresh
        // wrappers run out after 32, and the driver must then stay initialized instead of dying
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports", "jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), FallbackPolls.class.getName(),
                SoftHsm.MODULE.toString(), SoftHsm.CLERK_TOKEN, SoftHsm.PIN).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the polls hang");
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.contains("signed after 100 empty polls"), out);
    }

    @Test
    void aTokenPulledOutIsAbsentAndFoundAgainWhenPluggedBackIn() throws Exception {
        try (KeySource source = connect("kyso-ra-vao")) {
            for (int round = 0; round < 3; round++) {
                SoftHsm.plugIn("kyso-ra-vao");
                assertEquals(List.of(), source.keys(), "plugged in, round " + round);
                SoftHsm.pullOut("kyso-ra-vao");
                assertThrows(TokenAbsentException.class, source::keys, "pulled out, round " + round);
            }
        }
    }

    @Test
    void aSourcePollingForAnAbsentTokenNeverFinalizesTheDriverUnderAnotherSourcesSession() throws Exception {
        try (KeySource clerk = connect(SoftHsm.CLERK_TOKEN); KeySource waiting = connect("kyso-cho-doi");
                KeySource all = connect(null)) {
            Signer signer = clerk.open(clerk.keys().get(0).id());
            signs(signer);
            for (int poll = 0; poll < 5; poll++) {
                assertThrows(TokenAbsentException.class, waiting::keys);
                assertTrue(all.keys().size() >= 4, "every key on the tokens is listed while the session is open");
            }
            signs(signer);
            // while a session is open the driver is not initialized again, so a token made meanwhile waits
            SoftHsm.plugIn("kyso-cho-doi");
            signs(signer);
            signer.close();
            assertEquals(List.of(), waiting.keys(), "once the session is closed the driver looks again and finds it");
        }
    }
}
