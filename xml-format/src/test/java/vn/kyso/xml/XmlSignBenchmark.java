package vn.kyso.xml;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import vn.kyso.Document;
import vn.kyso.PendingSignature;
import vn.kyso.SignOptions;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.SignatureFormat;
import vn.kyso.Signer;
import vn.kyso.testkit.TestPki;

/**
 * Not a test: XML signing speed and memory with a software RSA-2048 key (pkcs12 provider).
 *
 * <pre>
 * small [n]        median and p90 ms per ~5 KB tax form and ~5 KB e-invoice, single thread after warm-up,
 *                  split into prepare / RSA signature / complete, the JCA RSA signature alone, and
 *                  documents per second with 2 threads
 * large [lines]    the invoice with that many goods lines (default 70,000: about 21 MB) signed file to
 *                  file; run with -Xmx64m; time of the first (cold JVM), median and best of five more, peak heap
 * </pre>
 */
public final class XmlSignBenchmark {
    private XmlSignBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "small";
        try (TestPki pki = TestPki.start()) {
            Path dir = Files.createTempDirectory("kyso-xml-bench");
            try (Signer signer = SigningFixtures.signer(pki.invoiceSeller(), dir)) {
                if (mode.equals("large")) {
                    large(signer, dir, args.length > 1 ? Integer.parseInt(args[1]) : 70_000);
                } else {
                    small(signer, pki, args.length > 1 ? Integer.parseInt(args[1]) : 3000);
                }
            }
        }
    }

    private static void small(Signer signer, TestPki pki, int n) throws Exception {
        XadesFormat format = new XadesFormat();
        byte[] tax = SigningFixtures.taxDeclaration("<CKyDTu></CKyDTu>", 200).getBytes(StandardCharsets.UTF_8);
        byte[] invoice = SigningFixtures.invoice(14).getBytes(StandardCharsets.UTF_8);
        SignOptions taxOptions = SigningFixtures.options(XmlOptions.Profile.TAX_DECLARATION);
        SignOptions invoiceOptions = SigningFixtures.options(XmlOptions.Profile.INVOICE_SELLER);
        System.out.printf("tax form %d bytes, e-invoice %d bytes%n", tax.length, invoice.length);
        for (int round = 0; round < 2; round++) {
            run(format, signer, Document.of(tax, "tk.xml"), taxOptions, n, round == 1 ? "tax form" : null);
            run(format, signer, Document.of(invoice, "hd.xml"), invoiceOptions, n, round == 1 ? "e-invoice" : null);
        }
        rsaAlone(pki, n);
        for (String kind : List.of("tax form", "e-invoice")) {
            Document d = kind.equals("tax form") ? Document.of(tax, "tk.xml") : Document.of(invoice, "hd.xml");
            SignOptions o = kind.equals("tax form") ? taxOptions : invoiceOptions;
            throughput(format, signer, d, o, n, 1, kind);
            throughput(format, signer, d, o, n, 2, kind);
        }
    }

    private static void run(SignatureFormat format, Signer signer, Document doc, SignOptions options, int n, String label)
            throws Exception {
        long[] total = new long[n];
        long[] prepare = new long[n];
        long[] rsa = new long[n];
        long[] complete = new long[n];
        SignatureAlgorithm algorithm = SignatureFormat.algorithmFor(signer, options);
        for (int i = 0; i < n; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
            long t0 = System.nanoTime();
            try (PendingSignature p = format.prepare(doc, signer.chain(), algorithm, options)) {
                long t1 = System.nanoTime();
                byte[] value = signer.sign(p.request()).get(0);
                long t2 = System.nanoTime();
                p.complete(value, out);
                long t3 = System.nanoTime();
                prepare[i] = t1 - t0;
                rsa[i] = t2 - t1;
                complete[i] = t3 - t2;
                total[i] = t3 - t0;
            }
        }
        if (label != null) {
            System.out.printf("%-9s sign: median %.3f ms, p90 %.3f ms (prepare %.3f, signer %.3f, complete %.3f)%n", label,
                    median(total), p90(total), median(prepare), median(rsa), median(complete));
        }
    }

    private static void rsaAlone(TestPki pki, int n) throws Exception {
        long[] ns = new long[n];
        byte[] data = new byte[512];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                Signature s = Signature.getInstance("SHA256withRSA");
                s.initSign(pki.invoiceSeller().privateKey());
                s.update(data);
                s.sign();
                ns[i] = System.nanoTime() - t;
            }
        }
        System.out.printf("JCA SHA256withRSA alone (RSA-2048): median %.3f ms%n", median(ns));
    }

    private static void throughput(SignatureFormat format, Signer signer, Document doc, SignOptions options, int n,
            int threads, String label) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 2; round++) {
                long t = System.nanoTime();
                List<Future<?>> f = new ArrayList<>();
                for (int k = 0; k < threads; k++) {
                    f.add(pool.submit(() -> {
                        for (int i = 0; i < n; i++) {
                            format.sign(doc, signer, options, new ByteArrayOutputStream(16_384));
                        }
                        return null;
                    }));
                }
                for (Future<?> x : f) {
                    x.get();
                }
                double seconds = (System.nanoTime() - t) / 1e9;
                if (round == 1) {
                    System.out.printf("%-9s %d thread(s): %.0f documents/s%n", label, threads, threads * n / seconds);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void large(Signer signer, Path dir, int lines) throws Exception {
        Path input = dir.resolve("hd-large.xml");
        try (BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            w.write(SigningFixtures.invoiceStart());
            w.write(SigningFixtures.dlhdonStart("_593651"));
            for (int i = 1; i <= lines; i++) {
                w.write(SigningFixtures.goodsLine(i));
            }
            w.write(SigningFixtures.dlhdonEnd(lines));
            w.write(SigningFixtures.invoiceEnd());
        }
        long lineCount;
        try (var s = Files.lines(input)) {
            lineCount = s.count();
        }
        System.out.printf("invoice %,d bytes, %,d lines, max heap %d MB%n", Files.size(input), lineCount,
                Runtime.getRuntime().maxMemory() >> 20);
        XadesFormat format = new XadesFormat();
        SignOptions options = SigningFixtures.options(XmlOptions.Profile.INVOICE_SELLER);
        Path target = dir.resolve("hd-large.signed.xml");
        System.gc();
        resetPeaks();
        long t = System.nanoTime();
        format.sign(Document.of(input), signer, options, target);
        long first = System.nanoTime() - t;
        long firstPeak = peakHeap();
        long[] more = new long[5];
        for (int i = 0; i < more.length; i++) {
            t = System.nanoTime();
            format.sign(Document.of(input), signer, options, target);
            more[i] = System.nanoTime() - t;
        }
        Arrays.sort(more);
        System.out.printf("signed %,d bytes: first (cold JVM) %.0f ms; 5 more: median %.0f ms, best %.0f ms;"
                + " peak heap during the first %.1f MB (sum of pool peaks)%n", Files.size(target), first / 1e6,
                more[2] / 1e6, more[0] / 1e6, firstPeak / 1048576.0);
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static double median(long[] ns) {
        long[] c = ns.clone();
        Arrays.sort(c);
        return c[c.length / 2] / 1e6;
    }

    private static double p90(long[] ns) {
        long[] c = ns.clone();
        Arrays.sort(c);
        return c[c.length * 9 / 10] / 1e6;
    }
}
