package vn.kyso.agent;

import vn.kyso.testkit.SoftHsm2;
import vn.kyso.testkit.TestPki;

/**
 * Two real SoftHSM2 tokens, made once per test JVM before the module is first initialized:
 * "kyso-lanh-dao" holds the leader's RSA key (id 01) with its CA certificate, "kyso-van-thu"
 * holds the organization's RSA key (id 03).
 */
final class AgentTokens {
    static final String PIN = "123456";
    static final String LEADER = "kyso-lanh-dao";
    static final String CLERK = "kyso-van-thu";
    private static TestPki pki;
    private static SoftHsm2 hsm;

    private AgentTokens() {
    }

    static synchronized TestPki pki() throws Exception {
        if (pki == null) {
            hsm = SoftHsm2.fromEnvironment();
            TestPki started = TestPki.start();
            hsm.initToken(LEADER, PIN);
            plugLeaderKey(started);
            hsm.initToken(CLERK, PIN);
            hsm.importKey(CLERK, PIN, started.organization(), "03", false);
            pki = started;
        }
        return pki;
    }

    private static void plugLeaderKey(TestPki p) throws Exception {
        hsm.importKey(LEADER, PIN, p.person(), "01", false);
        hsm.importCertificate(LEADER, PIN, p.person().issuer(), null, "CA");
    }

    /** Pulls the clerk's token out (deletes it). */
    static synchronized void pullOutClerk() throws Exception {
        pki();
        hsm.deleteToken(CLERK);
    }

    /** Plugs the clerk's token in again (a new token with the same key). */
    static synchronized void plugInClerk() throws Exception {
        pki();
        hsm.initToken(CLERK, PIN);
        hsm.importKey(CLERK, PIN, pki.organization(), "03", false);
    }

    /** Pulls the leader's token out (deletes it). */
    static synchronized void pullOutLeader() throws Exception {
        pki();
        hsm.deleteToken(LEADER);
    }

    /** Plugs the leader's token in again (a new token with the same key and certificate). */
    static synchronized void plugInLeader() throws Exception {
        pki();
        hsm.initToken(LEADER, PIN);
        plugLeaderKey(pki);
    }
}
