package vn.kyso.pkcs11;

import java.nio.file.Path;
import vn.kyso.testkit.SoftHsm2;
import vn.kyso.testkit.TestPki;

/**
 * Three real SoftHSM2 tokens for the tests, made once per JVM before the module is first
 * initialized (SoftHSM reads SOFTHSM2_CONF then; surefire points it under target/).
 * Token "kyso-lanh-dao" holds the leader's RSA key (id 01) with its CA certificate and an EC
 * key (id 02); token "kyso-van-thu" holds the organization's RSA key (id 03); token
 * "kyso-pin-ky" holds a key that asks its PIN at every signing (id 04).
 */
final class SoftHsm {
    static final Path MODULE = SoftHsm2.MODULE;
    static final String PIN = "123456";
    static final String LEADER_TOKEN = "kyso-lanh-dao";
    static final String CLERK_TOKEN = "kyso-van-thu";
    /** A token whose one key is marked CKA_ALWAYS_AUTHENTICATE: it asks the PIN again at every signing. */
    static final String SIGNATURE_PIN_TOKEN = "kyso-pin-ky";
    private static TestPki pki;
    private static SoftHsm2 softHsm;

    private SoftHsm() {
    }

    /** Starts the test PKI and fills the tokens with its keys; idempotent within a JVM. */
    static synchronized TestPki tokens() throws Exception {
        if (pki != null) {
            return pki;
        }
        SoftHsm2 hsm = SoftHsm2.fromEnvironment();
        TestPki started = TestPki.start();
        for (String label : new String[] {LEADER_TOKEN, CLERK_TOKEN, SIGNATURE_PIN_TOKEN}) {
            hsm.initToken(label, PIN);
        }
        hsm.importKey(LEADER_TOKEN, PIN, started.person(), "01", false);
        hsm.importCertificate(LEADER_TOKEN, PIN, started.person().issuer(), null, "CA");
        hsm.importKey(LEADER_TOKEN, PIN, started.ecPerson(), "02", false);
        hsm.importKey(CLERK_TOKEN, PIN, started.organization(), "03", false);
        hsm.importKey(SIGNATURE_PIN_TOKEN, PIN, started.invoiceSeller(), "04", true);
        softHsm = hsm;
        pki = started;
        return pki;
    }

    /** Makes a new, empty token, as if one were plugged in while the application runs. */
    static void plugIn(String label) throws Exception {
        tokens();
        softHsm.initToken(label, PIN);
    }

    /** Deletes a token, as if it were pulled out while the application runs. */
    static void pullOut(String label) throws Exception {
        tokens();
        softHsm.deleteToken(label);
    }

    /** The token's serial as opensc's pkcs11-tool, an independent client, lists it. */
    static String serialOf(String label) throws Exception {
        tokens();
        return softHsm.serialOf(label);
    }
}
