package vn.kyso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KysoCommandTest {

    @TempDir
    Path dir;

    @Test
    void demoSignsVerifiesAndLeavesItsFiles() throws Exception {
        Path out = dir.resolve("demo");
        assertEquals(0, KysoCommand.run("demo", out.toString()));
        assertTrue(Files.exists(out.resolve("trust/cipher-root.pem")));
        assertTrue(Files.exists(out.resolve("trust/national-root.pem")));
        assertTrue(Files.size(out.resolve("usage.csv")) > 0);
        assertTrue(Files.readString(out.resolve("usage.csv")).contains("SIGNED"));
    }

    @Test
    void verifyExitsTwoOnUnreadableInput() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.bin"), "not a signed document");
        assertEquals(VerifyCommand.UNREADABLE, KysoCommand.run("verify", garbage.toString()));
        assertEquals(VerifyCommand.UNREADABLE, KysoCommand.run("verify", dir.resolve("missing.pdf").toString()));
    }

    @Test
    void verifyExitsTwoOnAnUnreadableTrustAnchor() throws Exception {
        Path file = Files.writeString(dir.resolve("a.pdf"), "%PDF-1.7");
        Path pem = Files.writeString(dir.resolve("bad.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertEquals(VerifyCommand.UNREADABLE, KysoCommand.run("verify", file.toString(), "--trust", pem.toString()));
    }
}
