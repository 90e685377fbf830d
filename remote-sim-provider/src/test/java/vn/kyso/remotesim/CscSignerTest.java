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
