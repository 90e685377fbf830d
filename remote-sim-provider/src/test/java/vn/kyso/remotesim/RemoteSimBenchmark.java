package vn.kyso.remotesim;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import vn.kyso.CredentialCallback;
import vn.kyso.KeySource;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;
import vn.kyso.testkit.PhoneBehaviour;
import vn.kyso.testkit.RemoteSigningSimulator;
import vn.kyso.testkit.TestPki;

/**
 * Not a test: many concurrent remote signatures, each confirmed on the simulated phone after a
 * fixed delay, through one remote-sim key source on loopback (simulator in the same JVM).
 *
 * <pre>
 * RemoteSimBenchmark [count=5000] [confirm-ms=2000] [dialect=sp769|csc|mss] [results=webhook|FIRST/INTERVAL/MAX] [max-concurrent-requests=256]
 * </pre>
 *
 * {@code results}: {@code webhook} (sp769 only) has the simulator POST each result to a receiver
 * the benchmark exposes as an embedding server would (status queries are the 30 s safety net);
 * {@code FIRST/INTERVAL/MAX} polls: the first status query after FIRST ms, then every INTERVAL ms
 * growing by half up to MAX ms ({@code 500/500/500} is a fixed 500 ms poll). The default is
 * {@code webhook} for sp769, else a first poll at the confirmation delay.
 *
 * Prints the total time from the first submit to the last verified value (the target is close to
 * the confirmation delay plus overhead), latency percentiles, the JVM's peak thread count and the
 * client's own threads, and the peak heap (sum of the heap pools' peaks).
 */
public final class RemoteSimBenchmark {
    private RemoteSimBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        long confirmMs = args.length > 1 ? Long.parseLong(args[1]) : 2000;
        String dialect = args.length > 2 ? args[2] : "sp769";
        String results = args.length > 3 ? args[3] : dialect.equals("sp769") ? "webhook" : confirmMs + "/250/10000";
        String maxConcurrent = args.length > 4 ? args[4] : "256";
        boolean webhook = results.equals("webhook");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (TestPki pki = TestPki.start();
                RemoteSigningSimulator sim = RemoteSigningSimulator.builder()
                        .user("leader", pki.person(), PhoneBehaviour.approveAfter(Duration.ofMillis(confirmMs)))
                        .start()) {
            Map<String, String> settings = RemoteSignerTest.settings(sim, dialect, "leader");
            if (!webhook) {
                String[] schedule = results.split("/");
                settings.put("first_poll", schedule[0] + "ms");
                settings.put("poll_interval", schedule[1] + "ms");
                settings.put("max_poll_interval", schedule[2] + "ms");
            } else {
                settings.remove("poll_interval");
            }
            settings.put("confirmation_timeout", "120s");
            settings.put("request_timeout", "60s");
            settings.put("max_concurrent_requests", maxConcurrent);
            try (KeySource source = new RemoteSimProvider().connect(settings,
                    CredentialCallback.of(RemoteSignerTest.secret(sim, dialect).toCharArray()));
                    Signer signer = source.open(source.keys().get(0).id());
                    WebhookReceiver receiver = webhook ? new WebhookReceiver(sim, source) : null) {
                warmUp(signer);
                List<byte[]> digests = new ArrayList<>(count);
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                for (int i = 0; i < count; i++) {
                    digests.add(sha.digest(("document " + i).getBytes(StandardCharsets.UTF_8)));
                }
                System.gc();
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    pool.resetPeakUsage();
                }
                threads.resetPeakThreadCount();
                int clientThreadsBefore = clientThreads();
                Map<String, Long> cpuBefore = cpuByRole();
                long[] latencies = new long[count];
                AtomicInteger failures = new AtomicInteger();
                long start = System.nanoTime();
                int startedBefore = sim.transactionsStarted();
                long[] allAccepted = {0};
                Thread watch = new Thread(() -> {
                    while (sim.transactionsStarted() < startedBefore + count && !Thread.currentThread().isInterrupted()) {
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    allAccepted[0] = System.nanoTime() - start;
                }, "benchmark-watch");
                watch.setDaemon(true);
                watch.start();
                List<CompletableFuture<?>> all = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    int n = i;
                    long submitted = System.nanoTime();
                    all.add(signer.signAsync(SignRequest.of(SignatureAlgorithm.RSA_SHA256, digests.get(i), "Ký văn bản " + i))
                            .toCompletableFuture().whenComplete((v, e) -> {
                                latencies[n] = System.nanoTime() - submitted;
                                if (e != null) {
                                    failures.incrementAndGet();
                                }
                            }));
                }
                int clientThreadsDuring = clientThreads();
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((v, e) -> null)
                        .get(10, TimeUnit.MINUTES);
                long total = System.nanoTime() - start;
                Map<String, Long> cpuAfter = cpuByRole();
                Arrays.sort(latencies);
                long peakHeap = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                        peakHeap += pool.getPeakUsage().getUsed();
                    }
                }
                System.out.printf("remote-sim %s: %d concurrent signatures, confirmation %d ms, results by %s, "
                        + "max %s requests in flight%n", dialect, count, confirmMs,
                        webhook ? "webhook" : "polling " + results + " ms", maxConcurrent);
                System.out.printf("  total %.2f s (first submit to last value), failures %d%n", total / 1e9, failures.get());
                watch.join(1000);
                System.out.printf("  every submit accepted by the service after %.2f s; first value after %.2f s%n",
                        allAccepted[0] / 1e9, latencies[0] / 1e9);
                System.out.printf("  latency p50 %.2f s, p99 %.2f s, max %.2f s%n", latencies[count / 2] / 1e9,
                        latencies[(int) (count * 0.99)] / 1e9, latencies[count - 1] / 1e9);
                System.out.printf("  threads: JVM peak %d (simulator included), client threads %d before / %d during%n",
                        threads.getPeakThreadCount(), clientThreadsBefore, clientThreadsDuring);
                System.out.printf("  peak heap %.1f MB (client and simulator), simulator prompts %d, submits %d, "
                        + "status queries %d, webhook deliveries %d%n", peakHeap / 1048576.0, sim.prompts("leader"),
                        sim.submits("leader"), sim.statusQueries("leader"), sim.webhookDeliveries());
                StringBuilder cpu = new StringBuilder();
                for (Map.Entry<String, Long> e : cpuAfter.entrySet()) {
                    cpu.append(cpu.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                            .append(String.format("%.2f s", (e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0L)) / 1e9));
                }
                System.out.println("  CPU time during the run: " + cpu);
                if (receiver != null) {
                    System.out.printf("  the embedding server's webhook receiver ran on %d threads%n", WebhookReceiver.THREADS);
                }
            }
        }
    }

    private static void warmUp(Signer signer) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(new byte[1]);
        List<CompletableFuture<?>> warm = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            warm.add(signer.signAsync(SignRequest.of(SignatureAlgorithm.RSA_SHA256, digest, "")).toCompletableFuture());
        }
        CompletableFuture.allOf(warm.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    }

    /** The callback endpoint an embedding server exposes: hands each POST to a {@link RemoteSimWebhook}. */
    private static final class WebhookReceiver implements AutoCloseable {
        static final int THREADS = 2;
        private final HttpServer server;
        private final ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "embedding-server-" + r.hashCode());
            t.setDaemon(true);
            return t;
        });

        WebhookReceiver(RemoteSigningSimulator sim, KeySource source) throws IOException {
            RemoteSimWebhook webhook = new RemoteSimWebhook();
            webhook.attach(source);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            server.createContext("/sp769-results", exchange -> {
                try (exchange) {
                    int status = webhook.deliver(exchange.getRequestBody().readAllBytes());
                    exchange.sendResponseHeaders(status, -1);
                }
            });
            server.setExecutor(executor);
            server.start();
            sim.setSp769Webhook(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sp769-results"));
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    /** CPU time of the live threads by role: the client, the simulator's signing, the rest of the simulator, other. */
    private static Map<String, Long> cpuByRole() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (String role : List.of("client", "simulator signing", "simulator HTTP and webhooks", "HTTP server dispatchers",
                "webhook receiver", "other")) {
            out.put(role, 0L);
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long ns = mx.getThreadCpuTime(t.getId());
            if (ns <= 0) {
                continue;
            }
            String name = t.getName();
            String role = name.startsWith("kyso-remote-sim-") || name.startsWith("HttpClient-") ? "client"
                    : name.startsWith("kyso-simulator-phone-") ? "simulator signing"
                    : name.startsWith("kyso-simulator-") ? "simulator HTTP and webhooks"
                    : name.startsWith("HTTP-Dispatcher") ? "HTTP server dispatchers"
                    : name.startsWith("embedding-server-") ? "webhook receiver"
                    : "other";
            out.merge(role, ns, Long::sum);
        }
        return out;
    }

    /** Threads kyso's remote-sim client and the JDK HttpClient run on. */
    private static int clientThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (name.startsWith("kyso-remote-sim-") || name.startsWith("HttpClient-")) {
                n++;
            }
        }
        return n;
    }
}
