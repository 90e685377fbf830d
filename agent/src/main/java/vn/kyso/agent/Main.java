package vn.kyso.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import vn.kyso.UsageReporter;
import vn.kyso.pkcs11.Pkcs11SignerProvider;

/**
 * {@code java -jar kyso-agent.jar}: reads the administrator's settings file, lets the command
 * line override the port, the allowed origins and the drivers, and runs until stopped.
 */
public final class Main {
    static final int DEFAULT_PORT = 8989;
    static final String HELP = String.join("\n",
            "kyso-agent: lets the allowed web sites sign with your USB token, after you agree and type the PIN",
            "in this program's own window.",
            "",
            "Usage: java -jar kyso-agent.jar [options]",
            "  --port N               listen on 127.0.0.1:N and [::1]:N (default: the settings file, else "
                    + DEFAULT_PORT + ")",
            "  --secure-port N|off    the wss:// port for Safari and Firefox HTTPS-Only (default: the settings",
            "                         file, else the port after --port); its certificate comes from a CA made",
            "                         for this computer, kyso-agent-ca.crt in DIR/tls, for the installer to trust",
            "  --allow-origin ORIGIN  an exact https origin allowed to call the agent, e.g.",
            "                         https://dms.example.gov.vn; repeatable; replaces the settings file's list",
            "  --driver PATH          a PKCS#11 driver to look for tokens in; repeatable; replaces the settings",
            "                         file's list (default: the drivers of the Vietnamese CAs' tokens)",
            "  --settings FILE        the administrator's settings file (default: " + systemSettings() + ")",
            "  --data DIR             where the user's answers and the audit log are kept (default: " + userData()
                    + ")",
            "  --timeout SECONDS      how long one operation (consent, PIN, signing) may take (default: 120)",
            "  --help                 this text",
            "",
            "Settings file (Java properties): port=8989, securePort=8990 (or off), allowedOrigins=https://a.gov.vn,https://b.gov.vn,",
            "drivers=/path/one.so,/path/two.so. The protocol is described in agent/README.md.");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Agent.Settings settings;
        try {
            settings = parse(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("kyso-agent: " + e.getMessage() + "\nTry --help.");
            System.exit(2);
            return;
        }
        if (settings == null) {
            return;
        }
        if (settings.allowedOrigins().isEmpty()) {
            System.err.println("kyso-agent: no web site is allowed: set allowedOrigins in " + systemSettings()
                    + " or pass --allow-origin");
            System.exit(2);
            return;
        }
        Consent consent = new SwingConsent();
        Agent agent = Agent.start(settings, consent, UsageReporter.none());
        System.out.println("kyso-agent " + Protocol.AGENT_VERSION + " listening on http://127.0.0.1:" + agent.port()
                + " and http://[::1]:" + agent.port() + (agent.securePort() == -1 ? "" : ", https://127.0.0.1:"
                + agent.securePort() + " (trust " + settings.tlsDirectory().resolve(LoopbackCertificate.CA_FILE) + ")")
                + " for " + String.join(", ", settings.allowedOrigins()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }));
        SwingConsent.trayIcon(agent, settings.allowedOrigins(), stopped::countDown);
        stopped.await();
        agent.close();
        System.exit(0);
    }

    /** The settings from the file and the command line, or null when --help was answered. */
    static Agent.Settings parse(String[] args, PrintStream out) throws IOException {
        Integer port = null;
        String securePort = null;
        List<String> origins = new ArrayList<>();
        List<Path> drivers = new ArrayList<>();
        Path settingsFile = systemSettings();
        Path data = userData();
        Duration timeout = Duration.ofSeconds(120);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.println(HELP);
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--port" -> port = port(v);
                case "--secure-port" -> securePort = v;
                case "--allow-origin" -> origins.add(Origins.normalize(v));
                case "--driver" -> drivers.add(Path.of(v));
                case "--settings" -> settingsFile = Path.of(v);
                case "--data" -> data = Path.of(v);
                case "--timeout" -> timeout = Duration.ofSeconds(positive(v, "--timeout"));
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        Properties file = new Properties();
        if (Files.isRegularFile(settingsFile)) {
            try (InputStream in = Files.newInputStream(settingsFile)) {
                file.load(in);
            }
        }
        if (port == null) {
            port = file.getProperty("port") == null ? DEFAULT_PORT : port(file.getProperty("port").trim());
        }
        if (securePort == null) {
            securePort = file.getProperty("securePort", String.valueOf(port + 1)).trim();
        }
        int secure = securePort.equalsIgnoreCase("off") ? -1 : port(securePort);
        if (secure == port) {
            throw new IllegalArgumentException("--secure-port must differ from --port");
        }
        if (origins.isEmpty()) {
            for (String o : file.getProperty("allowedOrigins", "").split(",")) {
                if (!o.isBlank()) {
                    origins.add(Origins.normalize(o));
                }
            }
        }
        if (drivers.isEmpty()) {
            String listed = file.getProperty("drivers", "");
            if (listed.isBlank()) {
                drivers.addAll(Pkcs11SignerProvider.knownDrivers());
            } else {
                for (String d : listed.split(",")) {
                    if (!d.isBlank()) {
                        drivers.add(Path.of(d.trim()));
                    }
                }
            }
        }
        return new Agent.Settings(port, origins, installed(drivers), data.resolve("allowed-sites"),
                data.resolve("audit.log"), timeout, secure, data.resolve("tls"));
    }

    /** The drivers present, each file once (two table entries may be the same file through a link). */
    static List<Path> installed(List<Path> drivers) {
        Set<Path> seen = new LinkedHashSet<>();
        List<Path> out = new ArrayList<>();
        for (Path d : drivers) {
            try {
                if (Files.isRegularFile(d) && seen.add(d.toRealPath())) {
                    out.add(d);
                }
            } catch (IOException unreadable) {
                // not installed here
            }
        }
        return out;
    }

    private static int port(String v) {
        int p = positive(v, "--port");
        if (p > 65535) {
            throw new IllegalArgumentException("--port " + v + " is not a TCP port");
        }
        return p;
    }

    private static int positive(String v, String option) {
        try {
            int n = Integer.parseInt(v);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a positive number, not '" + v + "'");
        }
    }

    private static boolean windows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    }

    private static boolean mac() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");
    }

    /** Where the installer or an administrator puts the settings: not writable by the user or a page. */
    static Path systemSettings() {
        if (windows()) {
            return Path.of(System.getenv().getOrDefault("ProgramData", "C:\\ProgramData"), "kyso-agent",
                    "agent.properties");
        }
        if (mac()) {
            return Path.of("/Library/Application Support/kyso-agent/agent.properties");
        }
        return Path.of("/etc/kyso-agent/agent.properties");
    }

    /** The user's own data: remembered answers and the audit log. */
    static Path userData() {
        String home = System.getProperty("user.home");
        if (windows()) {
            return Path.of(System.getenv().getOrDefault("APPDATA", home), "kyso-agent");
        }
        if (mac()) {
            return Path.of(home, "Library", "Application Support", "kyso-agent");
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        return (xdg == null || xdg.isBlank() ? Path.of(home, ".config") : Path.of(xdg)).resolve("kyso-agent");
    }
}
