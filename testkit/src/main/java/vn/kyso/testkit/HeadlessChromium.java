package vn.kyso.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Browser tests in Debian's headless Chromium, driven by a Node script with playwright-core (never a
 * downloaded browser), and the https page server those tests need. A missing tool fails the test
 * naming the Debian package to install; it never skips.
 */
public final class HeadlessChromium {
    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(180);

    private HeadlessChromium() {
    }

    /** Fails naming what to install when Chromium, Node.js 20+ or playwright-core in {@code scripts} is missing. */
    public static void require(Path scripts) {
        if (!Files.isExecutable(BROWSER)) {
            fail(BROWSER + " is missing: install the Debian package chromium (apt-get install chromium)");
        }
        byte[] printed = output(List.of("node", "--version"), Duration.ofSeconds(30));
        String version = new String(printed, StandardCharsets.UTF_8).trim();
        if (!version.matches("v(2\\d|[3-9]\\d|\\d{3,})\\..*")) {
            fail("playwright-core needs Node.js 20 or later, node is " + version
                    + " (Debian 12's nodejs package is 18)");
        }
        if (!Files.isDirectory(scripts.resolve("node_modules/playwright-core"))) {
            fail("playwright-core is missing in " + scripts.toAbsolutePath()
                    + ": mvn verify runs `npm ci` there (Debian packages nodejs and npm)");
        }
    }

    /** {@code node scripts/script args...}: its standard output, after asserting it ended well within three minutes. */
    public static String run(Path scripts, String script, String... args) {
        require(scripts);
        List<String> command = new ArrayList<>(List.of("node", scripts.resolve(script).toString()));
        command.addAll(List.of(args));
        return new String(output(command, SCRIPT_TIMEOUT), StandardCharsets.UTF_8);
    }

    /**
     * A TLS context for a page server on 127.0.0.1 with a fresh self-signed EC certificate (the
     * browser scripts accept it); its key store is written in {@code dir}.
     */
    public static SSLContext pageTls(Path dir) throws Exception {
        Path store = Files.createTempFile(dir, "page", ".p12");
        Files.delete(store);
        output(List.of("keytool", "-genkeypair", "-alias", "page", "-keyalg", "EC", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit"), Duration.ofSeconds(60));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /**
     * Runs {@code command} with both outputs in files, so that a hanging process is stopped at
     * {@code timeout} instead of blocking the reader, and returns its standard output.
     */
    private static byte[] output(List<String> command, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("kyso-process", ".out");
            err = Files.createTempFile("kyso-process", ".err");
            Process process;
            try {
                process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            } catch (IOException e) {
                throw new AssertionError(command.get(0) + " cannot be started: install the Debian package "
                        + (command.get(0).equals("node") ? "nodejs (and npm)" : "openjdk-17-jdk-headless"), e);
            }
            boolean ended = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String errors = Files.readString(err, StandardCharsets.UTF_8);
            byte[] stdout = Files.readAllBytes(out);
            assertTrue(ended, () -> String.join(" ", command) + " hangs: " + errors);
            assertEquals(0, process.exitValue(), () -> new String(stdout, StandardCharsets.UTF_8) + "\n" + errors);
            return stdout;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command.get(0), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temp file left behind is harmless
            }
        }
    }
}
