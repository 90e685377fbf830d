package vn.kyso.pdf;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import vn.kyso.Document;
import vn.kyso.SignOptions;
import vn.kyso.Signer;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestPki;

/**
 * Benchmark main (not a test): time to verify one PAdES signature (RSA-2048, chain to the test
 * root, no revocation lookup) in a warm JVM, median over many runs. Command in BENCHMARKS-verify.md.
 */
public final class PdfVerifyBenchmark {
    private PdfVerifyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        try (TestPki pki = TestPki.start()) {
            Path dir = Files.createTempDirectory("kyso-verify-bench");
            ValidationPolicy policy = ValidationPolicy.builder().trustAnchors(pki.roots())
                    .revocation(ValidationPolicy.Revocation.NONE).build();
            try (Signer signer = TestPdfs.signer(pki.person(), dir)) {
                for (int pages : new int[] {1, 100}) {
                    byte[] pdf = TestPdfs.letter(pages, "Benchmark");
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    new PadesFormat().sign(Document.of(pdf, "b.pdf"), signer, SignOptions.defaults(), out);
                    Document one = Document.of(out.toByteArray(), "one.pdf");
                    report(pages + " page(s), 1 signature", one, policy, rounds);
                    byte[] twice = PdfVerifierTest.pdfboxSign(out.toByteArray(), pki.organization(),
                            "ETSI.CAdES.detached", 0);
                    report(pages + " page(s), 2 signatures (1 incremental update to compare)",
                            Document.of(twice, "two.pdf"), policy, rounds);
                }
            }
        }
    }

    private static void report(String label, Document doc, ValidationPolicy policy, int rounds) throws Exception {
        VerificationReport check = PdfVerifier.verify(doc, policy);
        if (!check.allPassed()) {
            throw new IllegalStateException("benchmark input does not verify: " + check.toText());
        }
        int signatures = check.signatures().size();
        for (int i = 0; i < rounds / 2; i++) {
            PdfVerifier.verify(doc, policy);
        }
        double[] ms = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            PdfVerifier.verify(doc, policy);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("verify %s: median %.2f ms per document, %.2f ms per signature, p90 %.2f ms%n", label,
                ms[rounds / 2], ms[rounds / 2] / signatures, ms[rounds * 9 / 10]);
    }
}
