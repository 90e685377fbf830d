package vn.kyso.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.security.Signature;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.testkit.SoftHsm2;
import vn.kyso.testkit.TestPki;

/** The agent's token polling on a PC that runs for weeks, on real SoftHSM2 tokens. */
class TokensTest {

    @Test
    void twoHundredEmptyPollsLeaveTheDriverWorkingAndATokenPluggedInAfterThemSigns() throws Exception {
        // the old defect: each empty poll loaded the driver again, and after 32 it never saw a token
        TestPki pki = AgentTokens.pki();
        AgentTokens.pullOutLeader();
        AgentTokens.pullOutClerk();
        boolean leaderIn = false;
        try (Tokens tokens = new Tokens(List.of(SoftHsm2.MODULE))) {
            for (int poll = 0; poll < 200; poll++) {
                assertEquals(List.of(), tokens.keys(), "poll " + poll + ": no token is plugged in");
            }
            AgentTokens.plugInLeader();
            leaderIn = true;
            List<Tokens.Key> keys = tokens.keys();
            assertEquals(1, keys.size(), "the token plugged in after the polls is found: " + keys);
            assertEquals(pki.person().certificate(), keys.get(0).descriptor().chain().get(0));
            byte[] letter = "Công văn số 12/UBND-VP".getBytes(StandardCharsets.UTF_8);
            Tokens.Key found = tokens.find(keys.get(0).id());
            byte[] signature = tokens.sign(found, SignRequest.of(SignatureAlgorithm.RSA_SHA256,
                    MessageDigest.getInstance("SHA-256").digest(letter), "Công văn 12"),
                    AgentTokens.PIN.toCharArray()).get(0);
            Signature check = Signature.getInstance("SHA256withRSA");
            check.initVerify(pki.person().certificate().getPublicKey());
            check.update(letter);
            assertTrue(check.verify(signature), "the token plugged in after 200 empty polls signs");
        } finally {
            if (!leaderIn) {
                AgentTokens.plugInLeader();
            }
            AgentTokens.plugInClerk();
        }
    }
}
