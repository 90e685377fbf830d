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
 * The testkit's provider contract against remote-sim and the simulator, per dialect; the secret
 * is the service password (sp_password, client_secret, AP_PWD), and a wrong one is
 * {@link vn.kyso.PinIncorrectException}.
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

    abstract static class DialectContract extends SignerProviderContract {
        abstract String user();

        abstract String dialect();

        @Override
        protected SignerProvider provider() {
            return new RemoteSimProvider();
        }

        @Override
        protected Map<String, String> settings() {
            return RemoteSignerTest.settings(sim, dialect(), user());
        }

        @Override
        protected char[] correctSecret() {
            return RemoteSignerTest.secret(sim, dialect()).toCharArray();
        }

        @Override
        protected char[] wrongSecret() {
            return "not-the-password".toCharArray();
        }
    }

    @Nested
    class Sp769WithAnRsaKey extends DialectContract {
        @Override
        String user() {
            return "rsa";
        }

        @Override
        String dialect() {
            return "sp769";
        }
    }

    @Nested
    class Sp769WithAnEcKey extends DialectContract {
        @Override
        String user() {
            return "ec";
        }

        @Override
        String dialect() {
            return "sp769";
        }
    }

    @Nested
    class CscWithAnRsaKey extends DialectContract {
        @Override
        String user() {
            return "rsa";
        }

        @Override
        String dialect() {
            return "csc";
        }
    }

    @Nested
    class CscWithAnEcKey extends DialectContract {
        @Override
        String user() {
            return "ec";
        }

        @Override
        String dialect() {
            return "csc";
        }
    }

    @Nested
    class MssWithAnRsaKey extends DialectContract {
        @Override
        String user() {
            return "rsa";
        }

        @Override
        String dialect() {
            return "mss";
        }
    }

    @Nested
    class MssWithAnEcKey extends DialectContract {
        @Override
        String user() {
            return "ec";
        }

        @Override
        String dialect() {
            return "mss";
        }
    }
}
