package vn.kyso.remotesim;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import vn.kyso.spi.SignerProvider;
import vn.kyso.testkit.PhoneBehaviour;
import vn.kyso.testkit.RemoteSigningSimulator;
import vn.kyso.testkit.SignerProviderContract;
import vn.kyso.testkit.TestPki;

/**
 * The testkit's provider contract against remote-sim and the simulator; the secret is the
 * service password, and a wrong one is {@link vn.kyso.PinIncorrectException}.
 */
class RemoteSimContractTest {
    private static TestPki pki;
    private static RemoteSigningSimulator sim;

    @BeforeAll
    static void start() {
        pki = TestPki.start();
        sim = RemoteSigningSimulator.builder()
                .user("rsa", pki.person(), PhoneBehaviour.approveAfter(Duration.ofMillis(20)))
                .user("ec", pki.ecPerson(), PhoneBehaviour.approveAfter(Duration.ofMillis(20)))
                .start();
    }

    @AfterAll
    static void stop() {
        sim.close();
        pki.close();
    }

    abstract static class Sp769Contract extends SignerProviderContract {
        abstract String user();

        @Override
        protected SignerProvider provider() {
            return new RemoteSimProvider();
        }

        @Override
        protected Map<String, String> settings() {
            return Sp769SignerTest.settings(sim, user());
        }

        @Override
        protected char[] correctSecret() {
            return sim.spPassword().toCharArray();
        }

        @Override
        protected char[] wrongSecret() {
            return "not-the-password".toCharArray();
        }
    }

    @Nested
    class Sp769WithAnRsaKey extends Sp769Contract {
        @Override
        String user() {
            return "rsa";
        }
    }

    @Nested
    class Sp769WithAnEcKey extends Sp769Contract {
        @Override
        String user() {
            return "ec";
        }
    }
}
