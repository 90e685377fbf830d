package vn.kyso.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live services of a {@link TestPki}: one JDK HTTP server on {@code 127.0.0.1} with an
 * ephemeral port, serving
 * <ul>
 *   <li>{@code POST /tsa}: RFC 3161 timestamps ({@code application/timestamp-query} →
 *       {@code application/timestamp-reply}), SHA-256/384/512 imprints, nonce and certReq
 *       honored, policy {@link TestPki#TSA_POLICY};</li>
 *   <li>{@code POST /ocsp} and {@code GET /ocsp/<url-encoded base64 request>}: RFC 6960 OCSP
 *       for every certificate of the PKI, good, revoked (time and reason) or unknown, nonce
 *       echoed, signed by the CA's delegated responder (or by the root for intermediates);</li>
 *   <li>{@code GET /crl/<ca alias>.crl}: a fresh DER CRL of that CA, nextUpdate 7 days ahead;</li>
 *   <li>{@code GET /ca/<ca alias>.cer}: that CA's certificate, DER (AIA caIssuers).</li>
 * </ul>
 *
 * <p>For negative tests the TSA and the OCSP responder can be switched to fail
 * ({@link #setTsaMode}, {@link #setOcspMode}) or slowed ({@link #setResponseDelay}), and
 * every endpoint counts the requests it receives. These switches are per instance, never
 * global. Four daemon worker threads serve requests; {@link #close()} stops them and releases
 * the port, after which connections are refused. Thread-safe.
 */
public final class TestServices implements AutoCloseable {

    /** How the TSA or the OCSP responder answers. */
    public enum Mode {
        /** Normal answers. */
        AVAILABLE,
        /** HTTP 503 with no body, as a service that is down. */
        HTTP_ERROR,
        /**
         * A well-formed refusal: the TSA answers PKIStatus rejection (failInfo systemFailure),
         * the OCSP responder answers status tryLater.
         */
        PROTOCOL_ERROR
    }

    /** Longest delay {@link #setResponseDelay} accepts, so no test can hang for long. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(60);

    private static final int THREADS = 4;
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI base;
    private final Directory directory;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Mode tsaMode = Mode.AVAILABLE;
    private volatile Mode ocspMode = Mode.AVAILABLE;
    private volatile Duration delay = Duration.ZERO;
    final AtomicInteger tsaCount = new AtomicInteger();
    final AtomicInteger ocspCount = new AtomicInteger();
    final AtomicInteger crlCount = new AtomicInteger();
    final AtomicInteger caIssuersCount = new AtomicInteger();

    private TestServices(HttpServer server, ExecutorService executor, Directory directory) {
        this.server = server;
        this.executor = executor;
        this.base = baseUri(server);
        this.directory = directory;
    }

    /** Binds (without starting) a server on a free loopback port. */
    static HttpServer bind() {
        // The JDK server writes headers and body apart; with Nagle's algorithm on, each answer then
        // waits ~40 ms for the client's delayed ACK, which hid kyso's own cost in every online check.
        // The property is read once, when the first server of the JVM is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        try {
            return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback port for the test services", e);
        }
    }

    static URI baseUri(HttpServer server) {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/");
    }

    static URI tsaUri(URI base) {
        return base.resolve("tsa");
    }

    static URI ocspUri(URI base) {
        return base.resolve("ocsp");
    }

    static URI crlUri(URI base, String caAlias) {
        return base.resolve("crl/" + caAlias + ".crl");
    }

    static URI caIssuersUri(URI base, String caAlias) {
        return base.resolve("ca/" + caAlias + ".cer");
    }

    /** Registers the handlers on a bound server and starts it. */
    static TestServices start(HttpServer server, Directory directory, Clock clock) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(128), r -> {
                    Thread t = new Thread(r, "kyso-testkit-http-" + THREAD_NUMBER.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        TestServices services = new TestServices(server, executor, directory);
        server.createContext("/tsa", services.guarded(new TsaHandler(services, directory.tsa(), clock)));
        server.createContext("/ocsp", services.guarded(new OcspHandler(services, directory, clock)));
        RepositoryHandler repository = new RepositoryHandler(services, directory, clock);
        server.createContext("/crl/", services.guarded(repository));
        server.createContext("/ca/", services.guarded(repository));
        server.setExecutor(executor);
        server.start();
        return services;
    }

    /** Wraps a handler so that any failure becomes HTTP 500 and the exchange is always closed. */
    private HttpHandler guarded(HttpHandler handler) {
        return exchange -> {
            try {
                handler.handle(exchange);
            } catch (RuntimeException | IOException e) {
                try {
                    Http.sendError(exchange, 500, "test service failed: " + e);
                } catch (IOException | RuntimeException ignored) {
                    // headers were already sent or the client went away: nothing more to do
                }
            } finally {
                exchange.close();
            }
        };
    }

    /** {@code http://127.0.0.1:<port>/}; never null. */
    public URI baseUri() {
        return base;
    }

    /** The ephemeral port the services listen on. */
    public int port() {
        return base.getPort();
    }

    /** The RFC 3161 timestamp URL to give a signer. */
    public URI tsaUri() {
        return tsaUri(base);
    }

    /** The OCSP URL found in every certificate's AIA. */
    public URI ocspUri() {
        return ocspUri(base);
    }

    /**
     * The CRL URL of a CA, as found in the CRL distribution point of what it issued.
     *
     * @param ca a CA of the owning PKI, e.g. {@link TestPki#vnptCa()}
     */
    public URI crlUri(TestIdentity ca) {
        return crlUri(base, requireCa(ca).alias());
    }

    /** The caIssuers URL serving this CA's certificate, as found in the AIA of what it issued. */
    public URI caIssuersUri(TestIdentity ca) {
        return caIssuersUri(base, requireCa(ca).alias());
    }

    private TestIdentity requireCa(TestIdentity ca) {
        Objects.requireNonNull(ca, "ca");
        return directory.ca(ca.alias()).filter(c -> c == ca).orElseThrow(() -> new IllegalArgumentException(
                ca.alias() + " is not a CA of this PKI; pass one of cipherRoot(), cipherCa(), nationalRoot(), vnptCa()"));
    }

    /** Sets how the TSA answers from now on. */
    public void setTsaMode(Mode mode) {
        tsaMode = Objects.requireNonNull(mode, "mode");
    }

    /** How the TSA answers now. */
    public Mode tsaMode() {
        return tsaMode;
    }

    /** Sets how the OCSP responder answers from now on. */
    public void setOcspMode(Mode mode) {
        ocspMode = Objects.requireNonNull(mode, "mode");
    }

    /** How the OCSP responder answers now. */
    public Mode ocspMode() {
        return ocspMode;
    }

    /**
     * Delays every TSA and OCSP answer, to test client timeouts.
     *
     * @param delay zero (the default) to at most {@link #MAX_DELAY}
     */
    public void setResponseDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("delay must be between 0 and " + MAX_DELAY + ", was " + delay);
        }
        this.delay = delay;
    }

    /** Number of requests the TSA received, whatever it answered. */
    public int tsaRequests() {
        return tsaCount.get();
    }

    /** Number of requests the OCSP responder received, GET and POST, whatever it answered. */
    public int ocspRequests() {
        return ocspCount.get();
    }

    /** Number of CRL downloads requested. */
    public int crlRequests() {
        return crlCount.get();
    }

    /** Number of caIssuers certificate downloads requested. */
    public int caIssuersRequests() {
        return caIssuersCount.get();
    }

    /** Sets every request counter back to zero. */
    public void resetCounters() {
        tsaCount.set(0);
        ocspCount.set(0);
        crlCount.set(0);
        caIssuersCount.set(0);
    }

    /** Sleeps for the configured delay; returns false if interrupted (the server is closing). */
    boolean pause() {
        Duration d = delay;
        if (d.isZero()) {
            return true;
        }
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops serving, releases the port and ends the worker threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TestServices[" + base + (closed.get() ? ", closed" : "") + "]";
    }
}
