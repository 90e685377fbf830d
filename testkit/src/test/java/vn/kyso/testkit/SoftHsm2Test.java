package vn.kyso.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SoftHsm2Test {

    private static String pkcs11Tool(String... args) throws Exception {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "pkcs11-tool";
        cmd[1] = "--module=" + SoftHsm2.MODULE;
        System.arraycopy(args, 0, cmd, 2, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** The lines pkcs11-tool prints for the private key labelled {@code label}. */
    private static String privateKeyBlock(String listing, String label) {
        for (String block : listing.split("(?=\\n[A-Za-z ]+ Object;)")) {
            if (block.contains("Private Key Object") && block.contains("label:      " + label + "\n")) {
                return block;
            }
        }
        throw new AssertionError("no private key " + label + " in:\n" + listing);
    }

    @Test
    void tokensHoldTheImportedKeysAndCertificatesAsAnIndependentClientSeesThem() throws Exception {
        SoftHsm2 hsm = SoftHsm2.fromEnvironment();
        assertTrue(Files.readString(Path.of(System.getenv("SOFTHSM2_CONF"))).contains("directories.tokendir"));
        try (TestPki pki = TestPki.start()) {
            hsm.initToken("kiem-thu", "123456");
            hsm.importKey("kiem-thu", "123456", pki.person(), "01", false);
            hsm.importKey("kiem-thu", "123456", pki.ecPerson(), "02", true);
            hsm.importCertificate("kiem-thu", "123456", pki.person().issuer(), null, "CA");

            String serial = hsm.serialOf("kiem-thu");
            assertFalse(serial.isBlank());
            String objects = pkcs11Tool("--token-label", "kiem-thu", "--login", "--pin", "123456", "--list-objects");
            assertTrue(objects.contains("label:      " + pki.person().alias()), objects);
            assertTrue(objects.contains("label:      CA"), objects);
            assertTrue(privateKeyBlock(objects, pki.ecPerson().alias()).contains("always authenticate"),
                    "the EC key asks its PIN at every signing:\n" + objects);
            assertFalse(privateKeyBlock(objects, pki.person().alias()).contains("always authenticate"), objects);
        }
    }
}
