package vn.kyso.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void aKeyIsGeneratedOncePerAliasAndType() {
        KeyPair first = Keys.get("keys-test", Keys.Type.EC_P256);
        assertSame(first, Keys.get("keys-test", Keys.Type.EC_P256));
        assertNotSame(first, Keys.get("keys-test-other", Keys.Type.EC_P256));
    }

    @Test
    void generatedKeysHaveTheRequestedSizes() {
        assertEquals(256, ((ECPublicKey) Keys.generate(Keys.Type.EC_P256).getPublic()).getParams().getOrder().bitLength());
        assertEquals(1024, ((RSAPublicKey) Keys.generate(Keys.Type.RSA_1024).getPublic()).getModulus().bitLength());
    }
}
