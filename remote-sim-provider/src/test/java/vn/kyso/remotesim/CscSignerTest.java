package vn.kyso.remotesim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import vn.kyso.CredentialCallback;
import vn.kyso.KeySource;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;
import vn.kyso.testkit.PhoneBehaviour;
import vn.kyso.testkit.RemoteSigningSimulator;

/** The remote-sim cases over the CSC API v1 dialect, and the bearer token's refresh. */
class CscSignerTest extends RemoteSignerTest {
    @Override
    String dialect() {
        return "csc";
    }

    @Override
    boolean pollsForStatus() {
        return false;
    }

    @Test
    void aConfirmationHeldOpenDoesNotBlockOtherRequestsOfTheSource() throws Exception {
        java.util.Map<String, String> s = settings(sim, "silent");
        s.put("max_concurrent_requests", "1");
        try (KeySource source = connect(s); Signer signer = open(source)) {
            // the silent phone holds its authorize open; with one permit, a second signature must still go through
            java.util.concurrent.CompletableFuture<?> held = signer.signAsync(vn.kyso.SignRequest.of(
                    SignatureAlgorithm.RSA_SHA256, sha256("held"), "Ký")).toCompletableFuture();
            sim.setBehaviour("silent", PhoneBehaviour.approveAfter(DELAY));
            try {
                assertTrue(verifies(signer, "SHA256withRSA", "next",
                        signer.sign(SignatureAlgorithm.RSA_SHA256, sha256("next"), "Ký")));
            } finally {
                sim.setBehaviour("silent", PhoneBehaviour.neverAnswer());
                held.cancel(true);
            }
        }
    }

    @Test
    void anExpiringBearerTokenIsRenewedBetweenSignatures() throws Exception {
        try (RemoteSigningSimulator shortTokens = RemoteSigningSimulator.builder()
                .user("approve", pki.person(), PhoneBehaviour.approveAfter(Duration.ofMillis(20)))
                .tokenLifetime(Duration.ofSeconds(2)).start();
                KeySource source = new RemoteSimProvider().connect(settings(shortTokens, "approve"),
                        CredentialCallback.of(shortTokens.clientSecret().toCharArray()));
                Signer signer = open(source)) {
            int logins = shortTokens.cscLogins();
            for (int i = 0; i < 4; i++) {
                Thread.sleep(1_200);
                assertTrue(verifies(signer, "SHA256withRSA", "token " + i,
                        signer.sign(SignatureAlgorithm.RSA_SHA256, sha256("token " + i), "Ký")));
            }
            assertTrue(shortTokens.cscLogins() >= logins + 2,
                    "a two-second token must be renewed across 4.8 s of signing, saw " + (shortTokens.cscLogins() - logins));
        }
    }
}
