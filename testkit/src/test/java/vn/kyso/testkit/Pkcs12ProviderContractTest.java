package vn.kyso.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.pkcs12.Pkcs12SignerProvider;
import vn.kyso.spi.SignerProvider;

/** The provider contract against the pkcs12 provider, with RSA and EC keys from the test PKI. */
class Pkcs12ProviderContractTest {

    private static TestPki pki;

    @BeforeAll
    static void start() {
        pki = TestPki.start();
    }

    @AfterAll
    static void stop() {
        pki.close();
    }

    abstract static class KeyFileContract extends SignerProviderContract {
        @TempDir
        Path dir;

        abstract TestIdentity identity();

        @Override
        protected SignerProvider provider() {
            return new Pkcs12SignerProvider();
        }

        @Override
        protected Map<String, String> settings() {
            try {
                Path file = dir.resolve(identity().alias() + ".p12");
                if (!Files.exists(file)) {
                    Files.write(file, identity().toPkcs12(correctSecret()));
                }
                return Map.of("file", file.toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        protected char[] correctSecret() {
            return "12345678".toCharArray();
        }

        @Override
        protected char[] wrongSecret() {
            return "00000000".toCharArray();
        }
    }

    @org.junit.jupiter.api.Nested
    class WithAnRsaKey extends KeyFileContract {
        @Override
        TestIdentity identity() {
            return pki.person();
        }
    }

    @org.junit.jupiter.api.Nested
    class WithAnEcKey extends KeyFileContract {
        @Override
        TestIdentity identity() {
            return pki.ecPerson();
        }
    }
}
