package vn.kyso;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.kyso.spi.SignerProvider;

/**
 * The entry point: the providers and formats found on the class path, each reachable by id in
 * one line, and the usage reporter every signer obtained here reports to.
 *
 * <pre>{@code
 * Kyso kyso = Kyso.builder().usageReporter(reporter).build();
 * try (KeySource token = kyso.connect("pkcs11", Map.of(), pinDialog);
 *      Signer signer = token.open(token.keys().get(0).id())) {
 *     kyso.format("pades").sign(Document.of(in), signer, SignOptions.defaults(), out);
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe; keep one per application. Nothing here is global: two
 * instances with different plugins or reporters live side by side.
 */
public final class Kyso {
    private static final Logger LOG = LoggerFactory.getLogger(Kyso.class);
    private static final Map<String, String> ARTIFACTS = Map.of(
            "pkcs12", "vn.kyso:kyso-api",
            "pkcs11", "vn.kyso:kyso-pkcs11-provider",
            "remote-sim", "vn.kyso:kyso-remote-sim-provider",
            "pades", "vn.kyso:kyso-pdf-format",
            "xades", "vn.kyso:kyso-xml-format");

    private final Map<String, SignerProvider> providers;
    private final Map<String, SignatureFormat> formats;
    private final List<String> problems;
    private final UsageReporter usageReporter;
    private final Clock clock;

    private Kyso(Map<String, SignerProvider> providers, Map<String, SignatureFormat> formats, List<String> problems,
            UsageReporter usageReporter, Clock clock) {
        this.providers = Map.copyOf(providers);
        // sorted by id: formatFor asks them in this order, the same in every run and on every class path
        this.formats = Collections.unmodifiableMap(new TreeMap<>(formats));
        this.problems = List.copyOf(problems);
        this.usageReporter = usageReporter;
        this.clock = clock;
    }

    /** Finds every provider and format on the context class loader's path; usage is not reported. */
    public static Kyso discover() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The provider with {@code id}.
     *
     * @throws PluginNotFoundException naming the Maven artifact that brings it
     */
    public SignerProvider provider(String id) throws PluginNotFoundException {
        SignerProvider p = providers.get(Objects.requireNonNull(id, "id must not be null"));
        if (p == null) {
            throw missing("signer provider", id, providers.keySet());
        }
        return p;
    }

    /**
     * The format with {@code id}.
     *
     * @throws PluginNotFoundException naming the Maven artifact that brings it
     */
    public SignatureFormat format(String id) throws PluginNotFoundException {
        SignatureFormat f = formats.get(Objects.requireNonNull(id, "id must not be null"));
        if (f == null) {
            throw missing("signature format", id, formats.keySet());
        }
        return f;
    }

    /**
     * The format that reads {@code document}, recognised by its content. Formats are asked in the
     * order of their ids, so when two accept the same document the choice is the same in every run.
     *
     * @throws PluginNotFoundException when no format on the class path accepts it
     */
    public SignatureFormat formatFor(Document document) throws PluginNotFoundException, IOException {
        Objects.requireNonNull(document, "document must not be null");
        for (SignatureFormat f : formats.values()) {
            if (f.accepts(document)) {
                return f;
            }
        }
        throw new PluginNotFoundException("no signature format reads " + document.name() + " (found formats: "
                + formatIds() + "); for PDF add " + ARTIFACTS.get("pades") + ", for XML add "
                + ARTIFACTS.get("xades"));
    }

    /**
     * Verifies one document with the format that reads it, never throwing for what the document
     * holds: a document no format reads, a damaged or hostile one, or one that cannot be read comes
     * back as {@link VerificationReport#unreadable} with a stable code.
     */
    public VerificationReport verify(Document document, ValidationPolicy policy) {
        Objects.requireNonNull(document, "document must not be null");
        Objects.requireNonNull(policy, "policy must not be null");
        try {
            return formatFor(document).verify(document, policy);
        } catch (IOException | KysoException | RuntimeException | StackOverflowError e) {
            if (!(e instanceof KysoException) && !(e instanceof IOException)) {
                LOG.warn("verifying {} failed unexpectedly", document.name(), e);
            }
            return VerificationReport.unreadable(document.name(), e instanceof Exception ex ? ex
                    : new IllegalStateException("stack overflow", e));
        }
    }

    /**
     * Verifies {@code documents} on {@code parallelism} threads, handing each report to
     * {@code onReport} as it completes (on the calling thread, so it needs no locking). At most
     * {@code parallelism} documents are being verified at any moment, so memory stays bounded
     * whatever the number of documents; one unreadable or hostile document never stops the others.
     * The OCSP responses and CRLs fetched online are kept for the call while fresh (a
     * {@link RevocationCache} of its own, unless the policy brings one), so documents under the
     * same CA cost one fetch, not one each.
     *
     * @throws InterruptedException when the calling thread is interrupted; verifications under way are cancelled
     */
    public void verifyAll(List<Document> documents, ValidationPolicy policy, int parallelism,
            java.util.function.BiConsumer<Document, VerificationReport> onReport) throws InterruptedException {
        Objects.requireNonNull(documents, "documents must not be null");
        Objects.requireNonNull(policy, "policy must not be null");
        Objects.requireNonNull(onReport, "onReport must not be null");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        ValidationPolicy run = policy.revocationCache().isPresent() ? policy
                : policy.withRevocationCache(RevocationCache.create());
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "kyso-verify-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            java.util.concurrent.CompletionService<VerificationReport> done =
                    new java.util.concurrent.ExecutorCompletionService<>(pool);
            Map<java.util.concurrent.Future<VerificationReport>, Document> inFlight = new java.util.HashMap<>();
            Iterator<Document> next = documents.iterator();
            while (next.hasNext() || !inFlight.isEmpty()) {
                while (next.hasNext() && inFlight.size() < parallelism) {
                    Document d = Objects.requireNonNull(next.next(), "documents must not contain null");
                    inFlight.put(done.submit(() -> verify(d, run)), d);
                }
                java.util.concurrent.Future<VerificationReport> f = done.take();
                Document d = inFlight.remove(f);
                VerificationReport report;
                try {
                    report = f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    // an Error other than a stack overflow (verify catches the rest): this document only
                    LOG.warn("verifying {} failed unexpectedly", d.name(), e.getCause());
                    report = VerificationReport.unreadable(d.name(), new IllegalStateException(String.valueOf(e.getCause()), e.getCause()));
                }
                onReport.accept(d, report);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Connects to a provider's keys; every {@link Signer} opened from the result reports its
     * signing attempts to this instance's usage reporter.
     */
    public KeySource connect(String providerId, Map<String, String> settings, CredentialCallback credentials)
            throws KysoException {
        Objects.requireNonNull(settings, "settings must not be null");
        Objects.requireNonNull(credentials, "credentials must not be null");
        KeySource source = provider(providerId).connect(settings, credentials);
        return new ReportingKeySource(source);
    }

    /** Wraps a signer made outside kyso's providers so that it reports usage like the others. */
    public Signer reporting(Signer signer) {
        Objects.requireNonNull(signer, "signer must not be null");
        return signer instanceof UsageReportingSigner ? signer : new UsageReportingSigner(signer, usageReporter, clock);
    }

    /** Ids of the providers found. */
    public List<String> providerIds() {
        return providers.keySet().stream().sorted().toList();
    }

    /** Ids of the formats found. */
    public List<String> formatIds() {
        return formats.keySet().stream().sorted().toList();
    }

    /** Plugins that were found but could not be loaded, one line each; empty when all loaded. */
    public List<String> problems() {
        return problems;
    }

    private static PluginNotFoundException missing(String kind, String id, java.util.Set<String> found) {
        String artifact = ARTIFACTS.get(id);
        return new PluginNotFoundException("no " + kind + " with id '" + id + "' on the class path (found: "
                + found.stream().sorted().toList() + "); "
                + (artifact != null ? "add the Maven dependency " + artifact
                        : "add the jar of the plugin that provides it, or check the id's spelling"));
    }

    private final class ReportingKeySource implements KeySource {
        private final KeySource delegate;

        ReportingKeySource(KeySource delegate) {
            this.delegate = delegate;
        }

        @Override
        public String providerId() {
            return delegate.providerId();
        }

        @Override
        public List<KeyDescriptor> keys() throws KysoException {
            return delegate.keys();
        }

        @Override
        public Signer open(String keyId) throws KysoException {
            return reporting(delegate.open(keyId));
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Configures a {@link Kyso}: where plugins come from, and who hears about usage. */
    public static final class Builder {
        private ClassLoader classLoader;
        private final List<SignerProvider> providers = new ArrayList<>();
        private final List<SignatureFormat> formats = new ArrayList<>();
        private boolean scan = true;
        private UsageReporter usageReporter = UsageReporter.none();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Scans this class loader instead of the thread's context class loader. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "loader must not be null");
            return this;
        }

        /** Uses exactly the plugins added with {@link #add}; nothing is scanned. */
        public Builder noScanning() {
            this.scan = false;
            return this;
        }

        public Builder add(SignerProvider provider) {
            providers.add(Objects.requireNonNull(provider, "provider must not be null"));
            return this;
        }

        public Builder add(SignatureFormat format) {
            formats.add(Objects.requireNonNull(format, "format must not be null"));
            return this;
        }

        public Builder usageReporter(UsageReporter reporter) {
            this.usageReporter = Objects.requireNonNull(reporter, "reporter must not be null");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * @throws IllegalStateException when two plugins of one kind share an id
         */
        public Kyso build() {
            List<String> problems = new ArrayList<>();
            List<SignerProvider> allProviders = new ArrayList<>(providers);
            List<SignatureFormat> allFormats = new ArrayList<>(formats);
            if (scan) {
                ClassLoader loader = classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
                allProviders.addAll(load(SignerProvider.class, loader, problems));
                allFormats.addAll(load(SignatureFormat.class, loader, problems));
            }
            return new Kyso(byId(allProviders, SignerProvider::id), byId(allFormats, SignatureFormat::id), problems,
                    usageReporter, clock);
        }

        private static <T> List<T> load(Class<T> type, ClassLoader loader, List<String> problems) {
            List<T> found = new ArrayList<>();
            Iterator<T> it = ServiceLoader.load(type, loader).iterator();
            while (true) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    T plugin = it.next();
                    LOG.debug("found {} {} in {}", type.getSimpleName(), plugin.getClass().getName(),
                            plugin.getClass().getProtectionDomain().getCodeSource());
                    found.add(plugin);
                } catch (ServiceConfigurationError e) {
                    String problem = type.getSimpleName() + " could not be loaded: " + e.getMessage();
                    LOG.warn(problem, e);
                    problems.add(problem);
                }
            }
            return found;
        }

        private static <T> Map<String, T> byId(List<T> plugins, java.util.function.Function<T, String> id) {
            Map<String, T> out = new LinkedHashMap<>();
            for (T p : plugins) {
                T other = out.putIfAbsent(id.apply(p), p);
                if (other != null && other.getClass() != p.getClass()) {
                    throw new IllegalStateException("two plugins have the id '" + id.apply(p) + "': "
                            + other.getClass().getName() + " and " + p.getClass().getName()
                            + "; remove one of their jars from the class path");
                }
            }
            return out;
        }
    }
}
