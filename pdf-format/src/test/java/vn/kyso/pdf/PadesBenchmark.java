package vn.kyso.pdf;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import vn.kyso.Document;
import vn.kyso.SignOptions;
import vn.kyso.PendingSignature;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.SignatureFormat;
import vn.kyso.Signer;
import vn.kyso.ValidationPolicy;
import vn.kyso.testkit.TestPki;

/**
 * Benchmark main (not a test): PAdES B-B signing and verification with a software RSA-2048
 * key. Prints medians after a warm-up of a few seconds each; run with the command in BENCHMARKS.md.
 */
public final class PadesBenchmark {
    private static final int BLOCKS = 10;

    private PadesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        if (rounds < 10 * BLOCKS) {
            throw new IllegalArgumentException("rounds must be at least " + 10 * BLOCKS);
        }
        try (TestPki pki = TestPki.start()) {
            Path dir = Files.createTempDirectory("kyso-bench");
            Signer signer = TestPdfs.signer(pki.person(), dir);
            PadesFormat pades = new PadesFormat();
            for (int pages : new int[] {1, 100}) {
                byte[] pdf = TestPdfs.letter(pages, "Benchmark");
                Document doc = Document.of(pdf, "b.pdf");
                double[] sign = signMedians(rounds, pades, doc, signer);
                System.out.printf("sign B-B, %d page(s), 1 thread: median %.2f ms (kyso's own work, prepare + complete: "
                        + "%.2f ms; the signer's RSA-2048 call: %.2f ms)%n", pages, sign[0], sign[1], sign[2]);
                System.out.printf("  medians of %d consecutive blocks of %d: whole %.2f-%.2f ms, kyso's own %.2f-%.2f ms, "
                        + "signer %.2f-%.2f ms%n", BLOCKS, rounds / BLOCKS, sign[3], sign[4], sign[5], sign[6], sign[7], sign[8]);
                System.out.printf("sign B-B, %d page(s), 2 threads: %.0f signatures/s%n", pages,
                        throughput(2, rounds, () -> pades.sign(doc, signer, SignOptions.defaults(), OutputStream.nullOutputStream())));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                pades.sign(doc, signer, SignOptions.defaults(), out);
                Document signed = Document.of(out.toByteArray(), "s.pdf");
                ValidationPolicy policy = ValidationPolicy.builder().trustAnchors(pki.roots())
                        .revocation(ValidationPolicy.Revocation.NONE).build();
                double verify = medianMillis(rounds, () -> pades.verify(signed, policy));
                System.out.printf("verify one signature (chain, no revocation), %d page(s): median %.2f ms%n", pages, verify);
                ValidationPolicy online = ValidationPolicy.builder().trustAnchors(pki.roots()).build();
                double verifyOnline = medianMillis(Math.min(60, Math.max(20, rounds / 5)), () -> pades.verify(signed, online));
                System.out.printf("verify one signature (chain + OCSP on loopback), %d page(s): median %.2f ms%n", pages,
                        verifyOnline);
            }
            signer.close();
        }
    }

    interface Task {
        void run() throws Exception;
    }

    /** The median of {@code rounds} runs after a warm-up of at least 3 s, so the JIT has compiled the path. */
    private static double medianMillis(int rounds, Task task) throws Exception {
        long warm = System.nanoTime() + 3_000_000_000L;
        for (int i = 0; i < rounds / 2 + 20 || System.nanoTime() < warm; i++) {
            task.run();
        }
        double[] times = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            task.run();
            times[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(times);
        return times[rounds / 2];
    }

    /**
     * What {@code SignatureFormat.sign} does, timed in parts: medians of the whole, of kyso's own
     * work (prepare and complete) and of the signer's call, each over the same {@code rounds};
     * then the lowest and highest of those medians over {@link #BLOCKS} consecutive blocks, which
     * shows how much other work on the machine moved them during the run.
     */
    private static double[] signMedians(int rounds, PadesFormat pades, Document doc, Signer signer) throws Exception {
        SignOptions options = SignOptions.defaults();
        SignatureAlgorithm algorithm = SignatureFormat.algorithmFor(signer, options);
        double[][] times = new double[3][rounds];
        long warm = System.nanoTime() + 3_000_000_000L;
        for (int i = -rounds / 2 - 20; i < rounds; i++) {
            if (i == -1 && System.nanoTime() < warm) {
                i = -2;
            }
            long t0 = System.nanoTime();
            try (PendingSignature pending = pades.prepare(doc, signer.chain(), algorithm, options)) {
                long t1 = System.nanoTime();
                byte[] value = signer.sign(pending.request()).get(0);
                long t2 = System.nanoTime();
                pending.complete(value, OutputStream.nullOutputStream());
                long t3 = System.nanoTime();
                if (i >= 0) {
                    times[0][i] = (t3 - t0) / 1e6;
                    times[1][i] = (t1 - t0 + t3 - t2) / 1e6;
                    times[2][i] = (t2 - t1) / 1e6;
                }
            }
        }
        double[] result = new double[9];
        int block = rounds / BLOCKS;
        for (int k = 0; k < 3; k++) {
            double low = Double.MAX_VALUE;
            double high = 0;
            for (int b = 0; b < BLOCKS; b++) {
                double[] part = Arrays.copyOfRange(times[k], b * block, (b + 1) * block);
                Arrays.sort(part);
                low = Math.min(low, part[block / 2]);
                high = Math.max(high, part[block / 2]);
            }
            Arrays.sort(times[k]);
            result[k] = times[k][rounds / 2];
            result[3 + 2 * k] = low;
            result[4 + 2 * k] = high;
        }
        return result;
    }

    /** Signatures per second of {@code threads} threads, each running at least {@code perThread} times and 5 s. */
    private static double throughput(int threads, int perThread, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            long until = t0 + 5_000_000_000L;
            List<Future<Integer>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                all.add(pool.submit(() -> {
                    int done = 0;
                    while (done < perThread || System.nanoTime() < until) {
                        task.run();
                        done++;
                    }
                    return done;
                }));
            }
            int done = 0;
            for (Future<Integer> f : all) {
                done += f.get();
            }
            return done / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }
}
