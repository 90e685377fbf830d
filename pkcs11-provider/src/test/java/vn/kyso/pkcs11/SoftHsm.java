package vn.kyso.pkcs11;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;

/**
 * Two real SoftHSM2 tokens for the tests, made once per JVM before the module is first
 * initialized (SoftHSM reads SOFTHSM2_CONF then; surefire points it under target/).
 * Token "kyso-lanh-dao" holds the leader's RSA key (id 01) with its CA certificate and an EC
 * key (id 02); token "kyso-van-thu" holds the organization's RSA key (id 03).
 */
final class SoftHsm {
    static final Path MODULE = Stream.of("/usr/lib/softhsm/libsofthsm2.so",
            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so").map(Path::of).filter(Files::exists).findFirst()
            .orElse(Path.of("/usr/lib/softhsm/libsofthsm2.so"));
    static final String PIN = "123456";
    static final String SO_PIN = "12345678";
    static final String LEADER_TOKEN = "kyso-lanh-dao";
    static final String CLERK_TOKEN = "kyso-van-thu";
    /** A token whose one key is marked CKA_ALWAYS_AUTHENTICATE: it asks the PIN again at every signing. */
    static final String SIGNATURE_PIN_TOKEN = "kyso-pin-ky";
    private static TestPki pki;

    private SoftHsm() {
    }

    /** Starts the test PKI and fills the two tokens with its keys; idempotent within a JVM. */
    static synchronized TestPki tokens() throws Exception {
        if (pki != null) {
            return pki;
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set: run the tests through Maven (surefire sets it)");
        }
        if (!Files.exists(MODULE)) {
            throw new IllegalStateException("SoftHSM2 is not installed (" + MODULE + "): apt-get install softhsm2 opensc, "
                    + "as bash .ci/run does");
        }
        Path home = Path.of(conf).getParent();
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
        TestPki started = TestPki.start();
        for (String label : List.of(LEADER_TOKEN, CLERK_TOKEN, SIGNATURE_PIN_TOKEN)) {
            run("softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", SO_PIN, "--pin", PIN);
        }
        load(home, LEADER_TOKEN, started.person(), "01", true);
        load(home, LEADER_TOKEN, started.ecPerson(), "02", false);
        load(home, CLERK_TOKEN, started.organization(), "03", false);
        loadAskingPinAtEverySigning(home, SIGNATURE_PIN_TOKEN, started.invoiceSeller(), "04");
        pki = started;
        return pki;
    }

    private static void load(Path home, String token, TestIdentity who, String id, boolean withCa) throws Exception {
        Path key = Files.writeString(home.resolve(who.alias() + ".key.pem"), who.privateKeyPem());
        run("softhsm2-util", "--import", key.toString(), "--token", token, "--label", who.alias(), "--id", id,
                "--pin", PIN);
        Files.delete(key);
        Path cert = Files.write(home.resolve(who.alias() + ".der"), who.certificate().getEncoded());
        pkcs11Tool(token, "--write-object", cert.toString(), "--type", "cert", "--id", id, "--label", who.alias());
        if (withCa) {
            Path ca = Files.write(home.resolve(who.alias() + "-ca.der"), who.issuer().getEncoded());
            pkcs11Tool(token, "--write-object", ca.toString(), "--type", "cert", "--label", "CA");
        }
    }

    /**
     * Writes a key marked CKA_ALWAYS_AUTHENTICATE, as tokens with a separate signature PIN hold
     * them; softhsm2-util cannot set the flag, opensc's pkcs11-tool can.
     */
    private static void loadAskingPinAtEverySigning(Path home, String token, TestIdentity who, String id)
            throws Exception {
        Path key = Files.write(home.resolve(who.alias() + ".p8.der"), who.privateKey().getEncoded());
        try {
            pkcs11Tool(token, "--write-object", key.toString(), "--type", "privkey", "--id", id, "--label", who.alias(),
                    "--usage-sign", "--always-auth");
        } finally {
            Files.delete(key);
        }
        Path cert = Files.write(home.resolve(who.alias() + ".der"), who.certificate().getEncoded());
        pkcs11Tool(token, "--write-object", cert.toString(), "--type", "cert", "--id", id, "--label", who.alias());
    }

    private static void pkcs11Tool(String token, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("pkcs11-tool", "--module", MODULE.toString(), "--token-label", token,
                "--login", "--pin", PIN));
        cmd.addAll(List.of(args));
        run(cmd.toArray(String[]::new));
    }

    /** Makes a new, empty token, as if one were plugged in while the application runs. */
    static void plugIn(String label) throws Exception {
        run("softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", SO_PIN, "--pin", PIN);
    }

    /** The token's serial as opensc's pkcs11-tool, an independent client, lists it. */
    static String serialOf(String label) throws Exception {
        String[] lines = run("pkcs11-tool", "--module", MODULE.toString(), "-L").split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].trim().matches("token label\\s*:\\s*" + java.util.regex.Pattern.quote(label))) {
                for (int j = i; j < Math.min(lines.length, i + 10); j++) {
                    if (lines[j].trim().startsWith("serial num")) {
                        return lines[j].substring(lines[j].indexOf(':') + 1).trim();
                    }
                }
            }
        }
        throw new IllegalStateException("pkcs11-tool lists no token " + label);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }
}
