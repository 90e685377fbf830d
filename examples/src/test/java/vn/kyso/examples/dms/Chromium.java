package vn.kyso.examples.dms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Node script of agent/src/test/js that drives Debian's headless Chromium with playwright-core
 * (never a downloaded browser) and returns what it printed. A missing tool fails the test with the
 * Debian package to install; it never skips.
 */
final class Chromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path SCRIPTS = Path.of("../agent/src/test/js");

    private Chromium() {
    }

    /** Fails naming what to install when a tool the browser tests need is missing. */
    static void require() {
        if (!Files.isExecutable(BROWSER)) {
            fail(BROWSER + " is missing: install the Debian package chromium (apt-get install chromium)");
        }
        String version;
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            version = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            node.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("node cannot be started: install the Debian packages nodejs and npm", e);
        }
        if (!version.matches("v(2\\d|[3-9]\\d|\\d{3,})\\..*")) {
            fail("playwright-core needs Node.js 20 or later, node is " + version + " (Debian 12's nodejs package is 18)");
        }
        if (!Files.isDirectory(SCRIPTS.resolve("node_modules/playwright-core"))) {
            fail("playwright-core is missing in " + SCRIPTS.toAbsolutePath()
                    + ": mvn verify runs `npm ci` there (Debian packages nodejs and npm)");
        }
    }

    /** {@code node SCRIPT ARGS...}: its standard output, after asserting it ended well in time. */
    static String run(String script, String... args) throws Exception {
        require();
        List<String> command = new ArrayList<>(List.of("node", SCRIPTS.resolve(script).toString()));
        command.addAll(List.of(args));
        Path errors = Files.createTempFile("chromium", ".log");
        try {
            Process node;
            try {
                node = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            } catch (IOException e) {
                throw new AssertionError("node cannot be started: install the Debian packages nodejs and npm", e);
            }
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean ended = node.waitFor(180, TimeUnit.SECONDS);
            if (!ended) {
                node.destroyForcibly();
            }
            String log = Files.readString(errors, StandardCharsets.UTF_8);
            assertTrue(ended, "the browser hangs: " + log);
            assertEquals(0, node.exitValue(), () -> out + "\n" + log);
            return out;
        } finally {
            Files.deleteIfExists(errors);
        }
    }
}
