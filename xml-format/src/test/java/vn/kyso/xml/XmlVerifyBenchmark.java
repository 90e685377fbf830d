package vn.kyso.xml;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import vn.kyso.Document;
import vn.kyso.Indication;
import vn.kyso.ValidationPolicy;
import vn.kyso.internal.validation.Net;
import vn.kyso.testkit.TestPki;

/**
 * Not a test: median time to verify a small seller e-invoice (RSA-2048, two references, leaf-only
 * KeyInfo), single thread after warm-up, with the chain built to the test anchors, under each
 * revocation setting; then throughput with two threads. Argument: measured runs (default 2000).
 */
public final class XmlVerifyBenchmark {
    private XmlVerifyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        try (TestPki pki = TestPki.start()) {
            byte[] invoice = TestXml.utf8(TestXml.seller(pki.invoiceSeller(), TestXml.Seller.common()));
            List<java.security.cert.X509Certificate> anchors = XmlVerifierTest.offline(pki).trustAnchors();
            ValidationPolicy none = ValidationPolicy.builder().trustAnchors(anchors)
                    .revocation(ValidationPolicy.Revocation.NONE).build();
            ValidationPolicy embedded = ValidationPolicy.builder().trustAnchors(anchors)
                    .revocation(ValidationPolicy.Revocation.EMBEDDED_ONLY).build();
            ValidationPolicy online = ValidationPolicy.builder().trustAnchors(anchors).build();

            org.w3c.dom.Document lt = TestXml.xades(pki.invoiceSeller(), List.of(pki.invoiceSeller().certificate()),
                    TestXml.Xades.of(pki.invoiceSeller()));
            TestXml.addOcspValue(lt, Net.ocsp(pki.invoiceSeller().certificate(), pki.vnptCa().certificate(),
                    java.time.Duration.ofSeconds(5)).orElseThrow());
            // the intermediate's status too, as every certificate below the anchor is checked
            TestXml.addOcspValue(lt, Net.ocsp(pki.vnptCa().certificate(), pki.nationalRoot().certificate(),
                    java.time.Duration.ofSeconds(5)).orElseThrow());
            byte[] xadesLt = TestXml.utf8(TestXml.serialize(lt));

            org.w3c.dom.Document large = TestXml.parse(TestXml.invoice("0312345678", 5000));
            TestXml.signSeller(large, "HDon/DSCKS/NBan", pki.invoiceSeller(), List.of(pki.invoiceSeller().certificate()),
                    TestXml.Seller.common());
            byte[] largeInvoice = TestXml.utf8(TestXml.serialize(large));

            measure("seller invoice, revocation NONE", invoice, none, runs);
            measure("5,000-line seller invoice, revocation NONE", largeInvoice, none, Math.max(20, runs / 50));
            measure("XAdES invoice with embedded OCSP, EMBEDDED_ONLY", xadesLt, embedded, runs);
            measure("seller invoice, OCSP online (loopback)", invoice, online, Math.max(50, runs / 10));
            throughput("seller invoice, revocation NONE", invoice, none, runs, 1);
            throughput("seller invoice, revocation NONE", invoice, none, runs, 2);
        }
    }

    private static void measure(String what, byte[] xml, ValidationPolicy policy, int runs) throws Exception {
        Document doc = Document.of(xml, "hd.xml");
        if (XmlVerifier.verify(doc, policy).signatures().get(0).indication() != Indication.TOTAL_PASSED) {
            throw new IllegalStateException(what + ": " + XmlVerifier.verify(doc, policy).toText());
        }
        for (int i = 0; i < runs; i++) {
            XmlVerifier.verify(doc, policy);
        }
        long[] ns = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            XmlVerifier.verify(doc, policy);
            ns[i] = System.nanoTime() - t;
        }
        Arrays.sort(ns);
        System.out.printf("%-50s median %.3f ms, p90 %.3f ms (%d bytes, %d runs)%n", what, ns[runs / 2] / 1e6,
                ns[runs * 9 / 10] / 1e6, xml.length, runs);
    }

    private static void throughput(String what, byte[] xml, ValidationPolicy policy, int runs, int threads)
            throws Exception {
        Document doc = Document.of(xml, "hd.xml");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            int each = runs;
            long t = System.nanoTime();
            Future<?>[] done = new Future<?>[threads];
            for (int i = 0; i < threads; i++) {
                done[i] = pool.submit(() -> {
                    for (int k = 0; k < each; k++) {
                        XmlVerifier.verify(doc, policy);
                    }
                    return null;
                });
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - t) / 1e9;
            System.out.printf("%-50s %d threads: %.0f verifications/s%n", what, threads, threads * each / seconds);
        } finally {
            pool.shutdown();
        }
    }
}
