package vn.kyso.pkcs11;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import vn.kyso.spi.SignerProvider;
import vn.kyso.testkit.SignerProviderContract;

/** The provider contract against a real PKCS#11 module: SoftHSM2 with an RSA and an EC key. */
class Pkcs11ProviderContractTest extends SignerProviderContract {

    @BeforeAll
    static void tokens() throws Exception {
        SoftHsm.tokens();
    }

    @Override
    protected SignerProvider provider() {
        return new Pkcs11SignerProvider();
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("library", SoftHsm.MODULE.toString(), "token", SoftHsm.LEADER_TOKEN);
    }

    @Override
    protected char[] correctSecret() {
        return SoftHsm.PIN.toCharArray();
    }

    @Override
    protected char[] wrongSecret() {
        return "999999".toCharArray();
    }
}
