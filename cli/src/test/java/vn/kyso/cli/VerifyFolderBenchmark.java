package vn.kyso.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import vn.kyso.Certificates;
import vn.kyso.Document;
import vn.kyso.Kyso;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;

/**
 * Benchmark main (not a test): files per second of {@code Kyso.verifyAll} on a folder of small
 * signed documents, half PDF (the demo's approval signature, one PAdES B-LT signature) and half
 * XML (the demo's tax declaration, one enveloped signature), with 1 and 2 threads, and the peak
 * heap (sum of the heap pools' peaks) of each run. Revocation from embedded data only, so no
 * network time is counted. Usage: {@code VerifyFolderBenchmark [files=1000]}.
 */
public final class VerifyFolderBenchmark {
    private VerifyFolderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path work = Files.createTempDirectory("kyso-verify-folder-bench");
        Path demo = work.resolve("demo");
        if (KysoCommand.run("demo", demo.toString()) != 0) {
            throw new IllegalStateException("the demo failed");
        }
        byte[] pdf = Files.readAllBytes(demo.resolve("1-ky-nhay.pdf"));
        byte[] xml = Files.readAllBytes(demo.resolve("4-to-khai-thue.xml"));
        Path folder = Files.createDirectories(work.resolve("incoming"));
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            Path f = folder.resolve(i % 2 == 0 ? "van-ban-" + i + ".pdf" : "to-khai-" + i + ".xml");
            Files.write(f, i % 2 == 0 ? pdf : xml);
            documents.add(Document.of(f));
        }
        List<X509Certificate> anchors = new ArrayList<>();
        List<X509Certificate> cas = new ArrayList<>();
        for (String pem : new String[] {"trust/cipher-root.pem", "trust/national-root.pem"}) {
            anchors.addAll(Certificates.parse(Files.readAllBytes(demo.resolve(pem))));
        }
        for (String pem : new String[] {"ca/cipher-ca.pem", "ca/vnpt-ca.pem"}) {
            cas.addAll(Certificates.parse(Files.readAllBytes(demo.resolve(pem))));
        }
        ValidationPolicy policy = ValidationPolicy.builder().trustAnchors(anchors).intermediates(cas)
                .revocation(ValidationPolicy.Revocation.EMBEDDED_ONLY).build();
        Kyso kyso = Kyso.discover();
        System.out.printf("%d files (%d KB PDF, %d KB XML) in %s%n", files, pdf.length / 1024, xml.length / 1024, folder);
        run(kyso, documents.subList(0, Math.min(200, files)), policy, 2, "warm-up");
        for (int threads : new int[] {1, 2}) {
            run(kyso, documents, policy, threads, threads + " thread(s)");
        }
    }

    private static void run(Kyso kyso, List<Document> documents, ValidationPolicy policy, int threads, String label)
            throws InterruptedException {
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        Map<VerificationReport.Outcome, Integer> outcomes = new EnumMap<>(VerificationReport.Outcome.class);
        long start = System.nanoTime();
        kyso.verifyAll(documents, policy, threads, (d, r) -> outcomes.merge(r.outcome(), 1, Integer::sum));
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf("%s: %d files in %.2f s = %.0f files/s; peak heap %.1f MB; %s%n", label, documents.size(),
                seconds, documents.size() / seconds, peak / 1048576.0, outcomes);
        if (outcomes.getOrDefault(VerificationReport.Outcome.UNREADABLE, 0) > 0) {
            throw new IllegalStateException("benchmark input unreadable: " + outcomes);
        }
    }
}
