package vn.kyso.pdf;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import vn.kyso.Document;
import vn.kyso.SignOptions;
import vn.kyso.Signer;
import vn.kyso.testkit.TestPki;

/**
 * Benchmark main (not a test): B-B signing of a ~50 MB PDF of scanned (noisy JPEG) pages from a
 * file, reporting time and the peak heap used; meant to run with -Xmx64m. The 1- and 100-page
 * throughput is measured by {@link PadesBenchmark}.
 */
public final class PadesSignBenchmark {
    private PadesSignBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int targetMb = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Path dir = Files.createTempDirectory("kyso-bench-scan");
        Path scans = dir.resolve("scans.pdf");
        writeScans(scans, targetMb);
        System.out.printf("input: %.1f MB, max heap %d MB%n", Files.size(scans) / 1e6,
                Runtime.getRuntime().maxMemory() >> 20);
        try (TestPki pki = TestPki.start(); Signer signer = TestPdfs.signer(pki.person(), dir)) {
            PadesFormat pades = new PadesFormat();
            Path out = dir.resolve("signed.pdf");
            pades.sign(Document.of(scans), signer, SignOptions.defaults(), out);
            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                pades.sign(Document.of(scans), signer, SignOptions.defaults(), out);
                best = Math.min(best, System.nanoTime() - t0);
            }
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf("sign B-B %.1f MB file to file: best of 5 %.0f ms; peak heap (sum of pool peaks) %.1f MB%n",
                    Files.size(scans) / 1e6, best / 1e6, peak / 1e6);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Pages of incompressible JPEG "scans", written through a temp-file cache. */
    private static void writeScans(Path file, int targetMb) throws Exception {
        Random random = new Random(42);
        BufferedImage image = new BufferedImage(1240, 1754, BufferedImage.TYPE_BYTE_GRAY);
        byte[] row = new byte[image.getWidth()];
        for (int y = 0; y < image.getHeight(); y++) {
            random.nextBytes(row);
            image.getRaster().setDataElements(0, y, image.getWidth(), 1, row);
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", jpeg);
        byte[] bytes = jpeg.toByteArray();
        int pages = Math.max(1, (int) ((long) targetMb * 1_000_000 / bytes.length));
        try (PDDocument doc = new PDDocument(IOUtils.createTempFileOnlyStreamCache())) {
            for (int p = 0; p < pages; p++) {
                bytes[bytes.length / 2] = (byte) p; // distinct streams
                PDImageXObject scan = JPEGFactory.createFromByteArray(doc, bytes);
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
                    s.drawImage(scan, 0, 0, PDRectangle.A4.getWidth(), PDRectangle.A4.getHeight());
                }
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                doc.save(out);
            }
        }
    }
}
