package vn.kyso.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Real USB-token stand-ins for tests: SoftHSM2 tokens (a real PKCS#11 module) filled with test
 * identities, through SoftHSM's own {@code softhsm2-util} and OpenSC's {@code pkcs11-tool}
 * (Debian packages softhsm2 and opensc).
 *
 * <p>SoftHSM reads {@code SOFTHSM2_CONF} when the module is first loaded in a process, so the
 * test JVM must be started with that variable set (with Maven: surefire's
 * {@code environmentVariables}); {@link #fromEnvironment()} then writes the configuration there
 * and keeps the tokens beside it. Not thread-safe; set the tokens up once per test JVM.
 */
public final class SoftHsm2 {
    /** Where Debian installs the module. */
    public static final Path MODULE = Stream.of("/usr/lib/softhsm/libsofthsm2.so",
            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so").map(Path::of).filter(Files::exists).findFirst()
            .orElse(Path.of("/usr/lib/softhsm/libsofthsm2.so"));
    /** The security officer PIN of every token made here. */
    public static final String SO_PIN = "12345678";

    private final Path home;

    private SoftHsm2(Path home) {
        this.home = home;
    }

    /**
     * Empties the folder of {@code SOFTHSM2_CONF} and writes a configuration with a fresh token
     * directory there.
     *
     * @throws IllegalStateException when SOFTHSM2_CONF is not set or SoftHSM2 is not installed
     */
    public static SoftHsm2 fromEnvironment() throws IOException {
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set: start the test JVM with it (surefire's "
                    + "environmentVariables), before anything loads the module");
        }
        if (!Files.exists(MODULE)) {
            throw new IllegalStateException("SoftHSM2 is not installed (" + MODULE + "): apt-get install softhsm2 "
                    + "opensc, as bash .ci/run does");
        }
        Path home = Path.of(conf).toAbsolutePath().getParent();
        if (Files.exists(home)) {
            try (Stream<Path> files = Files.walk(home)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(home.resolve("tokens"));
        Files.writeString(Path.of(conf), "directories.tokendir = " + home.resolve("tokens") + "\n"
                + "objectstore.backend = file\nlog.level = ERROR\n");
        return new SoftHsm2(home);
    }

    /** Initializes a new token in the next free slot, as if one were plugged in. */
    public void initToken(String label, String pin) throws IOException {
        run("softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", SO_PIN, "--pin", pin);
    }

    /**
     * Deletes a token and its keys, as if it were pulled out; a process that loaded the module
     * sees it gone once the driver is initialized again.
     */
    public void deleteToken(String label) throws IOException {
        run("softhsm2-util", "--delete-token", "--token", label);
    }

    /**
     * Puts {@code who}'s private key and certificate on the token under one CKA_ID, as a CA
     * issues a token.
     *
     * @param idHex the CKA_ID, e.g. "01"
     * @param pinAtEverySigning marks the key CKA_ALWAYS_AUTHENTICATE (a token that asks its PIN
     *     again for every signature)
     */
    public void importKey(String token, String pin, TestIdentity who, String idHex, boolean pinAtEverySigning)
            throws IOException {
        if (pinAtEverySigning) {
            // softhsm2-util cannot set the flag; pkcs11-tool can
            Path key = Files.write(home.resolve(who.alias() + ".p8.der"), who.privateKey().getEncoded());
            try {
                pkcs11Tool(token, pin, "--write-object", key.toString(), "--type", "privkey", "--id", idHex, "--label",
                        who.alias(), "--usage-sign", "--always-auth");
            } finally {
                Files.delete(key);
            }
        } else {
            Path key = Files.writeString(home.resolve(who.alias() + ".key.pem"), who.privateKeyPem());
            try {
                run("softhsm2-util", "--import", key.toString(), "--token", token, "--label", who.alias(), "--id",
                        idHex, "--pin", pin);
            } finally {
                Files.delete(key);
            }
        }
        importCertificate(token, pin, who.certificate(), idHex, who.alias());
    }

    /** Writes a certificate object; {@code idHex} null for a CA certificate without a key. */
    public void importCertificate(String token, String pin, X509Certificate certificate, String idHex, String label)
            throws IOException {
        Path der;
        try {
            der = Files.write(Files.createTempFile(home, "cert-", ".der"), certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IOException(e);
        }
        List<String> args = new ArrayList<>(List.of("--write-object", der.toString(), "--type", "cert", "--label", label));
        if (idHex != null) {
            args.addAll(List.of("--id", idHex));
        }
        pkcs11Tool(token, pin, args.toArray(String[]::new));
        Files.delete(der);
    }

    /** The token's serial number as pkcs11-tool, an independent PKCS#11 client, lists it. */
    public String serialOf(String label) throws IOException {
        String[] lines = run("pkcs11-tool", "--module", MODULE.toString(), "-L").split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].trim().matches("token label\\s*:\\s*" + Pattern.quote(label))) {
                for (int j = i; j < Math.min(lines.length, i + 10); j++) {
                    if (lines[j].trim().startsWith("serial num")) {
                        return lines[j].substring(lines[j].indexOf(':') + 1).trim();
                    }
                }
            }
        }
        throw new IllegalStateException("pkcs11-tool lists no token " + label);
    }

    private void pkcs11Tool(String token, String pin, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("pkcs11-tool", "--module", MODULE.toString(), "--token-label", token,
                "--login", "--pin", pin));
        cmd.addAll(List.of(args));
        run(cmd.toArray(String[]::new));
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed:\n" + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + " was interrupted", e);
        } finally {
            p.destroyForcibly();
        }
    }
}
