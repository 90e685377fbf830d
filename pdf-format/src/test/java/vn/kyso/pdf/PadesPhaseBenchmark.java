package vn.kyso.pdf;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import vn.kyso.Certificates;
import vn.kyso.DigestAlgorithm;
import vn.kyso.Document;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;
import vn.kyso.testkit.TestPki;

/**
 * Benchmark main (not a test): where the time of one B-B signature goes, phase by phase, for
 * an in-memory 1-page and 100-page PDF. It repeats the steps of PadesFormat.prepare and
 * PadesPending.complete for an invisible signature, so it must follow them when they change.
 */
public final class PadesPhaseBenchmark {
    private static final String[] PHASES = {"open + parse (PDFBox)", "signature dictionary + /M date",
        "addSignature (PDFBox)", "incremental update + digest", "close", "signed attributes", "signer call (RSA-2048)",
        "re-verify the value", "SignedData DER", "write signed PDF"};

    private PadesPhaseBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        try (TestPki pki = TestPki.start()) {
            Path dir = Files.createTempDirectory("kyso-bench-phases");
            Signer signer = TestPdfs.signer(pki.person(), dir);
            for (int pages : new int[] {1, 100}) {
                double[] medians = phases(Document.of(TestPdfs.letter(pages, "Benchmark"), "b.pdf"), signer, rounds);
                double own = 0;
                System.out.printf("%d page(s), medians of %d rounds:%n", pages, rounds);
                for (int i = 0; i < PHASES.length; i++) {
                    System.out.printf("  %-32s %.3f ms%n", PHASES[i], medians[i]);
                    own += PHASES[i].startsWith("signer") ? 0 : medians[i];
                }
                System.out.printf("  %-32s %.3f ms%n", "sum without the signer call", own);
            }
            signer.close();
        }
    }

    private static double[] phases(Document document, Signer signer, int rounds) throws Exception {
        List<X509Certificate> chain = signer.chain();
        SignatureAlgorithm algorithm = SignatureAlgorithm.RSA_SHA256;
        double[][] times = new double[PHASES.length][rounds];
        long warm = System.nanoTime() + 3_000_000_000L;
        for (int r = -rounds / 2; r < rounds; r++) {
            if (r == -1 && System.nanoTime() < warm) {
                r = -2;
            }
            long[] t = new long[PHASES.length + 1];
            int k = 0;
            t[k++] = System.nanoTime();
            PdfSource source = PdfSource.open(document);
            PDDocument doc = source.load();
            t[k++] = System.nanoTime();
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(COSName.getPDFName(PadesOptions.SubFilter.ETSI_CADES_DETACHED.pdfName()));
            signature.setName(Certificates.commonName(chain.get(0)));
            Calendar time = Calendar.getInstance(TimeZone.getTimeZone(PadesFormat.VIETNAM));
            signature.setSignDate(time);
            SignatureOptions reserve = new SignatureOptions();
            reserve.setPreferredSignatureSize(11_000);
            t[k++] = System.nanoTime();
            doc.addSignature(signature, reserve);
            t[k++] = System.nanoTime();
            PreparedPdf prepared = PreparedPdf.save(doc, signature, source, algorithm.digest());
            t[k++] = System.nanoTime();
            doc.close();
            reserve.close();
            source.close();
            t[k++] = System.nanoTime();
            byte[] signedAttributes = Cms.signedAttributes(prepared.contentDigest(), chain.get(0));
            SignRequest request = SignRequest.of(algorithm, DigestAlgorithm.SHA256.digest(signedAttributes), "")
                    .forDocument(PadesFormat.ID, "PDF");
            t[k++] = System.nanoTime();
            byte[] value = signer.sign(request).get(0);
            t[k++] = System.nanoTime();
            if (!Cms.verifies(algorithm, chain.get(0).getPublicKey(), signedAttributes, value)) {
                throw new IllegalStateException("the signer's value does not verify");
            }
            t[k++] = System.nanoTime();
            byte[] cms = SignedDataDer.encode(signedAttributes, value, algorithm, chain, null);
            t[k++] = System.nanoTime();
            prepared.writeSigned(cms, OutputStream.nullOutputStream());
            t[k++] = System.nanoTime();
            if (r >= 0) {
                for (int i = 0; i < PHASES.length; i++) {
                    times[i][r] = (t[i + 1] - t[i]) / 1e6;
                }
            }
        }
        double[] medians = new double[PHASES.length];
        for (int i = 0; i < PHASES.length; i++) {
            Arrays.sort(times[i]);
            medians[i] = times[i][rounds / 2];
        }
        return medians;
    }
}
