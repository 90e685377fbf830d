package vn.kyso.remotesim;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * RemoteSimBenchmark [count=5000] [confirm-ms=2000] [dialect=sp769|csc] [poll-ms=500] [max-concurrent-requests=256]
 * </pre>
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
        String pollMs = args.length > 3 ? args[3] : "500";
        String maxConcurrent = args.length > 4 ? args[4] : "256";
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (TestPki pki = TestPki.start();
                RemoteSigningSimulator sim = RemoteSigningSimulator.builder()
                        .user("leader", pki.person(), PhoneBehaviour.approveAfter(Duration.ofMillis(confirmMs)))
                        .start()) {
            Map<String, String> settings = RemoteSignerTest.settings(sim, dialect, "leader");
            settings.put("poll_interval", pollMs + "ms");
            settings.put("confirmation_timeout", "120s");
            settings.put("request_timeout", "60s");
            settings.put("max_concurrent_requests", maxConcurrent);
            try (KeySource source = new RemoteSimProvider().connect(settings,
                    CredentialCallback.of(RemoteSignerTest.secret(sim, dialect).toCharArray()));
                    Signer signer = source.open(source.keys().get(0).id())) {
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
                long[] latencies = new long[count];
                AtomicInteger failures = new AtomicInteger();
                long start = System.nanoTime();
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
                Arrays.sort(latencies);
                long peakHeap = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                        peakHeap += pool.getPeakUsage().getUsed();
                    }
                }
                System.out.printf("remote-sim %s: %d concurrent signatures, confirmation %d ms, poll %s ms, "
                        + "max %s requests in flight%n", dialect, count, confirmMs, pollMs, maxConcurrent);
                System.out.printf("  total %.2f s (first submit to last value), failures %d%n", total / 1e9, failures.get());
                System.out.printf("  latency p50 %.2f s, p99 %.2f s, max %.2f s%n", latencies[count / 2] / 1e9,
                        latencies[(int) (count * 0.99)] / 1e9, latencies[count - 1] / 1e9);
                System.out.printf("  threads: JVM peak %d (simulator included), client threads %d before / %d during%n",
                        threads.getPeakThreadCount(), clientThreadsBefore, clientThreadsDuring);
                System.out.printf("  peak heap %.1f MB (client and simulator), simulator prompts %d%n",
                        peakHeap / 1048576.0, sim.prompts("leader"));
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
