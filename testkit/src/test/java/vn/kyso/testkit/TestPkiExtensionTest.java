package vn.kyso.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(TestPkiExtension.class)
class TestPkiExtensionTest {

    private static TestPki fromBeforeAll;

    @BeforeAll
    static void receiveThePki(TestPki pki) {
        fromBeforeAll = pki;
    }

    @Test
    void testMethodsGetTheSameRunningPkiAsBeforeAll(TestPki pki) {
        assertSame(fromBeforeAll, pki);
        assertEquals(200, Loopback.get(pki.services().crlUri(pki.cipherCa())).statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"person", "tsa"})
    void parameterizedInvocationsShareItToo(String alias, TestPki pki) {
        assertSame(fromBeforeAll, pki);
        assertEquals(alias, pki.identity(alias).alias());
    }
}
