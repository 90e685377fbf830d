package vn.kyso.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
