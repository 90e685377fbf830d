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
     */
    public record Settings(int port, List<String> allowedOrigins, List<Path> drivers, Path grantsFile, Path auditFile,
            Duration operationTimeout) {
        public Settings {
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

    private Agent(Tokens tokens, Protocol protocol, LoopbackServer server) {
        this.tokens = tokens;
        this.protocol = protocol;
        this.server = server;
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
        try {
            return new Agent(tokens, protocol, new LoopbackServer(settings.port(), origins, protocol));
        } catch (IOException | RuntimeException e) {
            protocol.close();
            tokens.close();
            throw e;
        }
    }

    /** The port the agent listens on. */
    public int port() {
        return server.port();
    }

    /** Forgets the user's answer for an origin: its next use asks again. */
    public void revoke(String origin) throws IOException {
        protocol.revoke(origin);
    }

    @Override
    public void close() {
        server.close();
        protocol.close();
        tokens.close();
    }
}
