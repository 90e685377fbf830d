package vn.kyso.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import vn.kyso.internal.json.Json;

/**
 * A remote-signing service on {@code 127.0.0.1} that speaks the dialects Vietnamese PKI SIM and
 * cloud-signing services use, with users whose keys and certificates come from the
 * {@link TestPki}, and a simulated phone per user whose answers and faults are set by a
 * {@link PhoneBehaviour}. It counts the prompts each phone saw, so a test can prove that a
 * batch or a retried request asked the person only once.
 *
 * <p>Dialects and their base URLs (paths and fields are in remote-sim-provider/README.md):
 * <ul>
 *   <li>SP769 / NEAC eSign ({@link #sp769Uri()}): POST + JSON with {@code sp_id}/{@code sp_password}
 *       in the body, {@code v1/credentials/get_certificate}, {@code v1/signatures/sign},
 *       {@code v1/signatures/sign/{transaction_id}/status}.</li>
 *   <li>Cloud Signature Consortium API v1 ({@link #cscUri()}): {@code auth/login} (HTTP Basic
 *       client credentials → bearer token), {@code credentials/list}, {@code credentials/info},
 *       {@code credentials/authorize} (answered once the person approves: the SAD),
 *       {@code signatures/signHash}.</li>
 *   <li>ETSI TS 102 204 over SOAP 1.1 ({@link #mssUri()}): {@code MSS_Signature} in
 *       asynchronous client-server mode, {@code MSS_StatusQuery}, {@code MSS_ProfileQuery}.</li>
 * </ul>
 *
 * <p>Outcomes are decided lazily when a transaction is next looked at, so pending
 * confirmations cost no thread; transactions are bounded in number. Thread-safe.
 */
public final class RemoteSigningSimulator implements AutoCloseable {
    /** Default time after which an unanswered transaction expires: five minutes, as services use. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    static final int MAX_TRANSACTIONS = 200_000;
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final ScheduledThreadPoolExecutor scheduler;
    /** The service's private-key operations, one thread per core, off the HTTP threads. */
    private final ThreadPoolExecutor signing;
    /** Posts SP769 results to the registered webhook; started on first use. */
    private final Sp769Webhooks webhooks;
    private final Map<String, SimulatedUser> users;
    private final String spId;
    private final String spPassword;
    private final long lifetimeNanos;
    private final String clientId;
    private final String clientSecret;
    private final Duration tokenLifetime;
    private final CscDialect csc;
    private final String apId;
    private final String apPassword;
    private final SimulatorTls tls;
    private final URI base;
    private final Map<String, SimTransaction> transactions = new ConcurrentHashMap<>();
    private final AtomicInteger submissions = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RemoteSigningSimulator(Builder b) {
        this.users = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.users));
        this.spId = b.spId;
        this.spPassword = b.spPassword;
        this.lifetimeNanos = b.lifetime.toNanos();
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.tokenLifetime = b.tokenLifetime;
        this.apId = b.apId;
        this.apPassword = b.apPassword;
        this.tls = b.tlsPki == null ? null : new SimulatorTls(b.tlsPki);
        try {
            InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port);
            if (tls == null) {
                this.server = HttpServer.create(bind, 1024);
            } else {
                com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(bind, 1024);
                https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls.serverContext) {
                    @Override
                    public void configure(com.sun.net.httpserver.HttpsParameters params) {
                        javax.net.ssl.SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                        ssl.setWantClientAuth(true);
                        params.setSSLParameters(ssl);
                    }
                });
                this.server = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the simulator on 127.0.0.1:" + b.port, e);
        }
        this.executor = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(16_384),
                r -> daemon(r, "kyso-simulator-http-"));
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "kyso-simulator-late-"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        int cores = Runtime.getRuntime().availableProcessors();
        this.signing = new ThreadPoolExecutor(cores, cores, 30, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(MAX_TRANSACTIONS), r -> daemon(r, "kyso-simulator-phone-"));
        this.webhooks = new Sp769Webhooks(b.sp769Webhook, scheduler, r -> daemon(r, "kyso-simulator-webhook-"));
        InetSocketAddress address = server.getAddress();
        this.base = URI.create((tls == null ? "http" : "https") + "://" + address.getAddress().getHostAddress() + ":"
                + address.getPort() + "/");
        server.createContext("/sp769/", serve(new Sp769Dialect(this)));
        this.csc = new CscDialect(this);
        server.createContext("/csc/", serve(csc));
        server.createContext("/mss/", serve(new MssDialect(this)));
        server.setExecutor(executor);
        server.start();
    }

    private static Thread daemon(Runnable r, String prefix) {
        Thread t = new Thread(r, prefix + THREAD_NUMBER.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    /** A builder with no users; add at least one. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A simulator with the usual cast on a free port: {@code approve} (person, RSA, approves
     * after {@code delay}), {@code approve-ec} (EC key), {@code reject}, {@code silent} (never
     * answers), {@code pin-blocked}, {@code phone-off} and {@code revoked} (a revoked certificate).
     */
    public static RemoteSigningSimulator standard(TestPki pki, Duration delay) {
        return builder().standardUsers(pki, delay).start();
    }

    /** Base URL of the SP769 / NEAC dialect, e.g. {@code http://127.0.0.1:4711/sp769/}. */
    public URI sp769Uri() {
        return base.resolve("sp769/");
    }

    /** Base URL of the CSC v1 dialect, e.g. {@code http://127.0.0.1:4711/csc/v1/}. */
    public URI cscUri() {
        return base.resolve("csc/v1/");
    }

    /** The SOAP endpoint of the TS 102 204 dialect, e.g. {@code http://127.0.0.1:4711/mss/MSS_SignaturePort}. */
    public URI mssUri() {
        return base.resolve("mss/MSS_SignaturePort");
    }

    /** The application provider id clients of the MSS dialect send as {@code AP_ID}. */
    public String apId() {
        return apId;
    }

    /** The matching {@code AP_PWD}. */
    public String apPassword() {
        return apPassword;
    }

    /** Whether the simulator serves HTTPS (then the MSS dialect requires the AP's client certificate). */
    public boolean isHttps() {
        return tls != null;
    }

    /** The root the HTTPS server certificate chains to, as PEM; only with HTTPS. */
    public String tlsTrustPem() {
        requireTls();
        return Pem.encode("CERTIFICATE", encoded(tls.ca.root()));
    }

    /** The AP's TLS client key and chain as PKCS#12 under {@code password}; only with HTTPS. */
    public byte[] apClientPkcs12(char[] password) {
        requireTls();
        return tls.apPkcs12(password);
    }

    /** True when {@code chain} (what the client presented) starts with the AP's client certificate. */
    boolean isApClient(java.security.cert.Certificate[] chain) {
        return tls == null || chain != null && chain.length > 0 && chain[0].equals(tls.apCertificate);
    }

    private void requireTls() {
        if (tls == null) {
            throw new IllegalStateException("the simulator serves plain HTTP; build it with https(pki)");
        }
    }

    private static byte[] encoded(java.security.cert.X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CSC client id ({@code client_id}, the HTTP Basic user of {@code auth/login}). */
    public String clientId() {
        return clientId;
    }

    /** The matching {@code client_secret}. */
    public String clientSecret() {
        return clientSecret;
    }

    /** How many CSC logins (first logins and refreshes) succeeded. */
    public int cscLogins() {
        return csc.logins.get();
    }

    /** The server's own base, {@code http://127.0.0.1:<port>/}. */
    public URI baseUri() {
        return base;
    }

    /** The service-provider id clients of the SP769 dialect send as {@code sp_id}. */
    public String spId() {
        return spId;
    }

    /** The matching {@code sp_password}. */
    public String spPassword() {
        return spPassword;
    }

    /** The user ids served, in the order they were added. */
    public List<String> userIds() {
        return List.copyOf(users.keySet());
    }

    /** How many prompts the phone of {@code userId} has shown (a batch or a retried submit counts once). */
    public int prompts(String userId) {
        return user(userId).prompts.get();
    }

    /** How many sign submissions arrived for {@code userId}, retries included. */
    public int submits(String userId) {
        return user(userId).submits.get();
    }

    /** How many status queries arrived about transactions of {@code userId}. */
    public int statusQueries(String userId) {
        return user(userId).polls.get();
    }

    /** How many pending transactions of {@code userId} clients cancelled. */
    public int cancellations(String userId) {
        return user(userId).cancellations.get();
    }

    /** The text the phone of {@code userId} showed last, or null before the first prompt. */
    public String lastDisplayText(String userId) {
        return user(userId).lastDisplayText.get();
    }

    /** Changes how the phone and service behave for {@code userId} from the next request on. */
    public void setBehaviour(String userId, PhoneBehaviour behaviour) {
        user(userId).setBehaviour(Objects.requireNonNull(behaviour, "behaviour"));
    }

    /** The behaviour {@code userId} has now. */
    public PhoneBehaviour behaviour(String userId) {
        return user(userId).behaviour();
    }

    /** How many sign submissions were accepted as new transactions, over all users. */
    public int transactionsStarted() {
        return submissions.get();
    }

    /**
     * The chain of {@code userId} as the MSS dialect's clients configure it: comma-separated
     * base64 DER, signing certificate first.
     */
    public String mssCertificate(String userId) {
        return MssDialect.certificateBase64(user(userId));
    }

    /** The test identity whose key signs for {@code userId}. */
    public TestIdentity identity(String userId) {
        return user(userId).identity;
    }

    /**
     * One JSON object keyed by dialect with what a client needs: the URL, the service
     * credentials and the users with their behaviour (what {@code kyso simulator --json} prints).
     */
    public String describeJson() {
        List<Object> list = new ArrayList<>();
        for (SimulatedUser u : users.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("user_id", u.userId);
            m.put("serial_number", u.identity.certificate().getSerialNumber().toString(16));
            m.put("behaviour", u.behaviour().describe());
            list.add(m);
        }
        Map<String, Object> sp769 = new LinkedHashMap<>();
        sp769.put("url", sp769Uri().toString());
        sp769.put("sp_id", spId);
        sp769.put("sp_password", spPassword);
        sp769.put("users", list);
        List<Object> cscUsers = new ArrayList<>();
        for (SimulatedUser u : users.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("user_id", u.userId);
            m.put("credential_id", CscDialect.credentialId(u));
            m.put("behaviour", u.behaviour().describe());
            cscUsers.add(m);
        }
        Map<String, Object> cscInfo = new LinkedHashMap<>();
        cscInfo.put("url", cscUri().toString());
        cscInfo.put("client_id", clientId);
        cscInfo.put("client_secret", clientSecret);
        cscInfo.put("users", cscUsers);
        List<Object> msisdns = new ArrayList<>();
        for (SimulatedUser u : users.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("msisdn", u.userId);
            m.put("certificate", MssDialect.certificateBase64(u));
            m.put("behaviour", u.behaviour().describe());
            msisdns.add(m);
        }
        Map<String, Object> mss = new LinkedHashMap<>();
        mss.put("url", mssUri().toString());
        mss.put("ap_id", apId);
        mss.put("ap_pwd", apPassword);
        mss.put("msisdns", msisdns);
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("sp769", sp769);
        all.put("csc", cscInfo);
        all.put("mss", mss);
        return Json.write(all);
    }

    SimulatedUser findUser(String userId) {
        return userId == null ? null : users.get(userId);
    }

    private SimulatedUser user(String userId) {
        SimulatedUser u = users.get(userId);
        if (u == null) {
            throw new IllegalArgumentException("the simulator has no user '" + userId + "'; it has " + users.keySet());
        }
        return u;
    }

    boolean apMatches(String id, String password) {
        return apId.equals(id) && apPassword.equals(password);
    }

    boolean cscClientMatches(String id, String secret) {
        return clientId.equals(id) && clientSecret.equals(secret);
    }

    Duration tokenLifetime() {
        return tokenLifetime;
    }

    boolean spCredentialsMatch(String id, String password) {
        return spId.equals(id) && spPassword.equals(password);
    }

    long lifetimeNanos() {
        return lifetimeNanos;
    }

    SimTransaction transaction(String key) {
        return transactions.get(key);
    }

    /**
     * Registers a transaction under {@code key} unless one exists (an idempotent retry), and
     * returns the one that holds the key; null when the simulator is full.
     */
    SimTransaction register(String key, java.util.function.Supplier<SimTransaction> create) {
        if (transactions.size() >= MAX_TRANSACTIONS) {
            long now = System.nanoTime();
            transactions.values().removeIf(t -> now - t.createdAt > 2 * lifetimeNanos);
            if (transactions.size() >= MAX_TRANSACTIONS) {
                return null;
            }
        }
        boolean[] created = {false};
        SimTransaction t = transactions.computeIfAbsent(key, k -> {
            created[0] = true;
            return create.get();
        });
        if (created[0]) {
            submissions.incrementAndGet();
        }
        return t;
    }

    /**
     * What a dialect answers: a whole response, possibly held back or dropped; a deferred reply
     * is computed only when its hold is over (a long-polling request answered when the phone is).
     */
    record Reply(int status, String contentType, byte[] body, Duration hold, boolean drop,
            java.util.function.Supplier<Reply> later) {
        static Reply json(int status, String json, Duration hold) {
            return new Reply(status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8), hold, false,
                    null);
        }

        static Reply xml(int status, String xml, Duration hold) {
            return new Reply(status, "text/xml; charset=utf-8", xml.getBytes(StandardCharsets.UTF_8), hold, false, null);
        }

        static Reply deferred(Duration hold, java.util.function.Supplier<Reply> later) {
            return new Reply(0, null, null, hold, false, later);
        }

        Reply dropped() {
            return new Reply(status, contentType, body, hold, true, later);
        }
    }

    /**
     * A transaction that prompted the phone: its values are signed ahead for an approving person,
     * and with an SP769 webhook registered, its result is posted there once it settles.
     */
    void started(SimTransaction t, boolean sp769) {
        t.signAhead(signing);
        if (sp769) {
            webhooks.whenSettled(t);
        }
    }

    /**
     * Registers the callback URL SP769 results are POSTed to when they settle (what a service
     * provider registers with the service), or null to stop posting. Applies to transactions
     * submitted from now on.
     */
    public void setSp769Webhook(URI url) {
        webhooks.setUrl(url);
    }

    /** The URL SP769 results are POSTed to, or null. */
    public URI sp769Webhook() {
        return webhooks.url();
    }

    /** How many SP769 results were posted to the webhook and answered with 2xx. */
    public int webhookDeliveries() {
        return webhooks.delivered();
    }

    /** Keeps a transaction cancelled before its submission arrived; not counted as started. */
    void tombstone(String key, SimTransaction cancelled) {
        if (transactions.size() < MAX_TRANSACTIONS) {
            transactions.putIfAbsent(key, cancelled);
        }
    }

    /** One dialect: turns a request into a reply. */
    interface Dialect {
        Reply handle(HttpExchange exchange, String path, byte[] body);
    }

    private HttpHandler serve(Dialect dialect) {
        return exchange -> {
            Reply reply;
            try {
                byte[] body = Http.readBody(exchange);
                if (body == null) {
                    reply = new Reply(413, "text/plain; charset=utf-8",
                            "request body too large".getBytes(StandardCharsets.UTF_8), Duration.ZERO, false, null);
                } else {
                    reply = dialect.handle(exchange, exchange.getRequestURI().getPath(), body);
                }
            } catch (RuntimeException e) {
                reply = new Reply(500, "text/plain; charset=utf-8",
                        ("simulator failed: " + e).getBytes(StandardCharsets.UTF_8), Duration.ZERO, false, null);
            }
            Reply r = reply;
            if (r.hold().isZero() || closed.get()) {
                send(exchange, r);
            } else {
                scheduler.schedule(() -> send(exchange, r), r.hold().toNanos(), TimeUnit.NANOSECONDS);
            }
        };
    }

    private void send(HttpExchange exchange, Reply reply) {
        if (reply.later() != null) {
            Reply now;
            try {
                now = reply.later().get();
            } catch (RuntimeException e) {
                now = new Reply(500, "text/plain; charset=utf-8",
                        ("simulator failed: " + e).getBytes(StandardCharsets.UTF_8), Duration.ZERO, false, null);
            }
            Reply r = now;
            if (r.hold().isZero() || closed.get()) {
                send(exchange, r);
            } else {
                scheduler.schedule(() -> send(exchange, r), r.hold().toNanos(), TimeUnit.NANOSECONDS);
            }
            return;
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (reply.drop()) {
                // announce a body, send none and close: the client sees the connection end mid-answer
                exchange.sendResponseHeaders(reply.status(), reply.body().length + 100L);
                return;
            }
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            if (reply.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // the client went away: nothing more to send
        } finally {
            exchange.close();
        }
    }

    /** Stops the server at once; pending clients see their connections close. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            webhooks.close();
            signing.shutdownNow();
            scheduler.shutdownNow();
            executor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "RemoteSigningSimulator[" + base + ", users " + users.keySet() + "]";
    }

    /** Builds a simulator; {@link #start()} binds and serves. */
    public static final class Builder {
        private final Map<String, SimulatedUser> users = new LinkedHashMap<>();
        private int port;
        private String spId = "kyso-sp";
        private String spPassword = "kyso-sp-secret";
        private Duration lifetime = DEFAULT_LIFETIME;
        private String clientId = "kyso-client";
        private String clientSecret = "kyso-client-secret";
        private Duration tokenLifetime = Duration.ofHours(1);
        private String apId = "http://ap.kyso.test/simulator";
        private String apPassword = "kyso-ap-secret";
        private TestPki tlsPki;
        private URI sp769Webhook;

        private Builder() {
        }

        /** The port on 127.0.0.1; 0 (the default) takes a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535");
            }
            this.port = port;
            return this;
        }

        /** Adds the cast of {@link RemoteSigningSimulator#standard(TestPki, Duration)}. */
        public Builder standardUsers(TestPki pki, Duration delay) {
            return user("approve", pki.person(), PhoneBehaviour.approveAfter(delay))
                    .user("approve-ec", pki.ecPerson(), PhoneBehaviour.approveAfter(delay))
                    .user("reject", pki.person(), PhoneBehaviour.rejectAfter(delay))
                    .user("silent", pki.person(), PhoneBehaviour.neverAnswer())
                    .user("pin-blocked", pki.person(), PhoneBehaviour.pinBlockedAfter(delay))
                    .user("phone-off", pki.person(), PhoneBehaviour.phoneOff())
                    .user("revoked", pki.revoked(), PhoneBehaviour.approveAfter(delay));
        }

        /** The SP769 service-provider account ({@code sp_id}, {@code sp_password}). */
        public Builder sp769Account(String id, String password) {
            this.spId = Objects.requireNonNull(id, "id");
            this.spPassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Adds a user: {@code userId} is what clients send as {@code user_id} (a citizen id or a
         * phone number), {@code identity} the key and certificate that sign for the user.
         */
        public Builder user(String userId, TestIdentity identity, PhoneBehaviour behaviour) {
            Objects.requireNonNull(userId, "userId");
            if (users.containsKey(userId)) {
                throw new IllegalArgumentException("user '" + userId + "' was added twice");
            }
            users.put(userId, new SimulatedUser(userId, Objects.requireNonNull(identity, "identity"),
                    Objects.requireNonNull(behaviour, "behaviour")));
            return this;
        }

        /**
         * Serves HTTPS with a server certificate for 127.0.0.1 issued by {@code pki}'s government
         * CA; the MSS dialect then refuses requests without the AP's client certificate
         * ({@link RemoteSigningSimulator#apClientPkcs12}).
         */
        public Builder https(TestPki pki) {
            this.tlsPki = Objects.requireNonNull(pki, "pki");
            return this;
        }

        /**
         * The callback URL the SP769 service POSTs each settled result to (the body of a status
         * answer), as a service provider registers it with the service; none by default.
         */
        public Builder sp769Webhook(URI url) {
            this.sp769Webhook = Objects.requireNonNull(url, "url");
            return this;
        }

        /** The MSS application provider account ({@code AP_ID}, {@code AP_PWD}). */
        public Builder mssApplicationProvider(String id, String password) {
            this.apId = Objects.requireNonNull(id, "id");
            this.apPassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /** The CSC client account ({@code client_id}, {@code client_secret}). */
        public Builder cscClient(String id, String secret) {
            this.clientId = Objects.requireNonNull(id, "id");
            this.clientSecret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** How long a CSC bearer token lives (the client must refresh it); one hour by default. */
        public Builder tokenLifetime(Duration lifetime) {
            if (lifetime.isNegative() || lifetime.isZero()) {
                throw new IllegalArgumentException("token lifetime must be positive");
            }
            this.tokenLifetime = lifetime;
            return this;
        }

        /** How long an unanswered transaction stays pending before it expires. */
        public Builder transactionLifetime(Duration lifetime) {
            if (lifetime.isNegative() || lifetime.isZero()) {
                throw new IllegalArgumentException("lifetime must be positive");
            }
            this.lifetime = lifetime;
            return this;
        }

        /** Binds the port and starts serving. */
        public RemoteSigningSimulator start() {
            if (users.isEmpty()) {
                throw new IllegalStateException("add at least one user");
            }
            return new RemoteSigningSimulator(this);
        }
    }
}
