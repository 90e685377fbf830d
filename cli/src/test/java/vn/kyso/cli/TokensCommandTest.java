package vn.kyso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;

class TokensCommandTest {
    private static final Path SOFTHSM = Stream.of("/usr/lib/softhsm/libsofthsm2.so",
            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so").map(Path::of).filter(Files::exists).findFirst()
            .orElse(Path.of("/usr/lib/softhsm/libsofthsm2.so"));

    private static String tokens(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            String[] all = new String[args.length + 1];
            all[0] = "tokens";
            System.arraycopy(args, 0, all, 1, args.length);
            assertEquals(0, KysoCommand.run(all));
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tokensShowsTheTokenAndTheHolderAndExpiryOfItsCertificate() throws Exception {
        Path conf = Path.of(System.getenv("SOFTHSM2_CONF"));
        Path home = conf.getParent();
        if (Files.exists(home)) {
            try (Stream<Path> files = Files.walk(home)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(home.resolve("tokens"));
        Files.writeString(conf, "directories.tokendir = " + home.resolve("tokens") + "\nlog.level = ERROR\n");
        try (TestPki pki = TestPki.start()) {
            TestIdentity leader = pki.person();
            run("softhsm2-util", "--init-token", "--free", "--label", "token-giam-doc", "--so-pin", "12345678",
                    "--pin", "123456");
            Path key = Files.writeString(home.resolve("k.pem"), leader.privateKeyPem());
            run("softhsm2-util", "--import", key.toString(), "--token", "token-giam-doc", "--label", "giam-doc",
                    "--id", "01", "--pin", "123456");
            Path cert = Files.write(home.resolve("c.der"), leader.certificate().getEncoded());
            run("pkcs11-tool", "--module", SOFTHSM.toString(), "--token-label", "token-giam-doc", "--login", "--pin",
                    "123456", "--write-object", cert.toString(), "--type", "cert", "--id", "01");

            String report = tokens("--library", SOFTHSM.toString());
            assertTrue(report.contains("đã nạp / loaded"), report);
            assertTrue(report.contains("token 'token-giam-doc'"), report);
            assertTrue(report.contains("Nguyễn Văn An"), report);
            assertTrue(report.contains("expires " + leader.certificate().getNotAfter().toInstant()
                    .atOffset(TestPki.VIETNAM).toLocalDate()), report);
        }
    }

    @Test
    void aDriverThatIsNotThereIsReportedAsMissing() {
        String report = tokens("--library", "/nonexistent/vnptca_p11_v10.so");
        assertTrue(report.contains("/nonexistent/vnptca_p11_v10.so: không có / missing"), report);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed:\n" + out);
        }
    }
}
