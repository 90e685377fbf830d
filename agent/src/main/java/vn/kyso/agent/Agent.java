package vn.kyso.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import vn.kyso.UsageReporter;

/**
 * kyso's signing agent: a small server on the user's own PC that lets the allowed web pages sign
 * digests with the user's USB token, after the user agrees and types the PIN in the agent's own
 * window. Start with {@link #start}, stop with {@link #close}. The protocol is in agent/README.md.
 */
public final class Agent implements AutoCloseable {

    /**
     * How the agent runs.
     *
     * @param port the loopback port, 0 for any free one
     * @param allowedOrigins exact {@code https://} origins allowed to call the agent
     * @param drivers the PKCS#11 drivers to look for tokens in
     * @param grantsFile where the user's per-origin answers are remembered (null: memory only)
     * @param auditFile where the audit lines go (null: none)
     * @param operationTimeout how long one operation (consent, PIN and signing) may take
     * @param securePort the {@code wss://} port (0 for any free one), or -1 for none
     * @param tlsDirectory where the loopback TLS certificate and the CA certificate to trust are
     *     kept (made on first start); needed when {@code securePort} is not -1
     */
    public record Settings(int port, List<String> allowedOrigins, List<Path> drivers, Path grantsFile, Path auditFile,
            Duration operationTimeout, int securePort, Path tlsDirectory) {
        /** Settings without a wss:// port. */
        public Settings(int port, List<String> allowedOrigins, List<Path> drivers, Path grantsFile, Path auditFile,
                Duration operationTimeout) {
            this(port, allowedOrigins, drivers, grantsFile, auditFile, operationTimeout, -1, null);
        }

        public Settings {
            if (securePort < -1 || securePort > 65535) {
                throw new IllegalArgumentException("secure port " + securePort + " is not a TCP port");
            }
            if (securePort != -1) {
                Objects.requireNonNull(tlsDirectory, "tlsDirectory is needed for the wss:// port");
            }
            allowedOrigins = List.copyOf(allowedOrigins);
            drivers = List.copyOf(drivers);
            Objects.requireNonNull(operationTimeout, "operationTimeout must not be null");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not a TCP port");
            }
        }
    }

    private final Tokens tokens;
    private final Protocol protocol;
    private final LoopbackServer server;
    private final LoopbackServer secure;

    private Agent(Tokens tokens, Protocol protocol, LoopbackServer server, LoopbackServer secure) {
        this.tokens = tokens;
        this.protocol = protocol;
        this.server = server;
        this.secure = secure;
    }

    /**
     * Listens on 127.0.0.1 and ::1 and serves until closed.
     *
     * @throws IllegalArgumentException when an allowed origin is not an exact https origin
     * @throws IOException when the port cannot be bound
     */
    public static Agent start(Settings settings, Consent consent, UsageReporter usage) throws IOException {
        Origins origins = new Origins(settings.allowedOrigins(), settings.grantsFile());
        Tokens tokens = new Tokens(settings.drivers());
        Protocol protocol = new Protocol(tokens, consent, origins,
                new AuditLog(settings.auditFile(), usage, Clock.systemUTC()), settings.operationTimeout());
        LoopbackServer plain = null;
        try {
            plain = new LoopbackServer(settings.port(), origins, protocol, javax.net.ServerSocketFactory.getDefault());
            LoopbackServer tls = settings.securePort() == -1 ? null : new LoopbackServer(settings.securePort(),
                    origins, protocol, LoopbackCertificate.loadOrCreate(settings.tlsDirectory()).getServerSocketFactory());
            return new Agent(tokens, protocol, plain, tls);
        } catch (IOException | RuntimeException e) {
            if (plain != null) {
                plain.close();
            }
            protocol.close();
            tokens.close();
            throw e;
        }
    }

    /** The port the agent listens on. */
    public int port() {
        return server.port();
    }

    /** The wss:// port, or -1 when there is none. */
    public int securePort() {
        return secure == null ? -1 : secure.port();
    }

    /** Forgets the user's answer for an origin: its next use asks again. */
    public void revoke(String origin) throws IOException {
        protocol.revoke(origin);
    }

    @Override
    public void close() {
        server.close();
        if (secure != null) {
            secure.close();
        }
        protocol.close();
        tokens.close();
    }
}
