package vn.kyso.pdf;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
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
 * Benchmark main (not a test): the organization's issuing signature, which fills the number and
 * the date (B-B, RSA-2048, in memory), and verification of the resulting three-signature letter,
 * whose first two signatures are each compared with later revisions holding the fill. Medians;
 * command in BENCHMARKS.md.
 */
public final class PadesIssueBenchmark {
    private PadesIssueBenchmark() {
    }

    interface Task {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        try (TestPki pki = TestPki.start()) {
            Path dir = Files.createTempDirectory("kyso-issue-bench");
            PadesFormat pades = new PadesFormat();
            byte[] official;
            try (Signer approval = TestPdfs.signer(pki.ecPerson(), dir); Signer leader = TestPdfs.signer(pki.person(), dir)) {
                ByteArrayOutputStream a = new ByteArrayOutputStream();
                pades.sign(Document.of(TestPdfs.draftWithFields(), "d.pdf"), approval, SignOptions.defaults(), a);
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                pades.sign(Document.of(a.toByteArray(), "a.pdf"), leader, SignOptions.defaults(), o);
                official = o.toByteArray();
            }
            SignOptions plain = SignOptions.builder().formatOptions(PadesOptions.builder()
                    .role(PadesOptions.Role.ORGANIZATION).build()).build();
            SignOptions issuing = SignOptions.builder().formatOptions(PadesOptions.builder()
                    .role(PadesOptions.Role.ORGANIZATION).fill("so_vb", "2806").fill("ngay", "ngày 02 tháng 12 năm 2026")
                    .build()).build();
            Document doc = Document.of(official, "o.pdf");
            try (Signer clerk = TestPdfs.signer(pki.organization(), dir)) {
                System.out.printf("organization signature on the 2-signature letter, no fill: median %.2f ms%n",
                        median(rounds, () -> pades.sign(doc, clerk, plain, OutputStream.nullOutputStream())));
                System.out.printf("organization signature filling number and date: median %.2f ms%n",
                        median(rounds, () -> pades.sign(doc, clerk, issuing, OutputStream.nullOutputStream())));
                ByteArrayOutputStream issued = new ByteArrayOutputStream();
                pades.sign(doc, clerk, issuing, issued);
                ValidationPolicy policy = ValidationPolicy.builder().trustAnchors(pki.roots())
                        .revocation(ValidationPolicy.Revocation.NONE).build();
                Document three = Document.of(issued.toByteArray(), "issued.pdf");
                VerificationReport check = pades.verify(three, policy);
                if (!check.allPassed()) {
                    throw new IllegalStateException("benchmark input does not verify: " + check.toText());
                }
                System.out.printf("verify the issued letter (3 signatures, 2 fills): median %.2f ms per document%n",
                        median(rounds, () -> pades.verify(three, policy)));
            }
        }
    }

    private static double median(int rounds, Task task) throws Exception {
        for (int i = 0; i < rounds / 2 + 20; i++) {
            task.run();
        }
        double[] ms = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            task.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[rounds / 2];
    }
}
