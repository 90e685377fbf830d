package vn.kyso.xml;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import vn.kyso.Document;
import vn.kyso.ValidationPolicy;

/** Not a test: median ms per small seller invoice verified, single thread, after warm-up. */
public final class XmlVerifyBenchmark {
    private XmlVerifyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        XmlVerifierTest.pki();
        byte[] xml = XmlVerifierTest.signSeller("<HDon><DLHDon Id=\"_593651\"><NBan><MST>0101234567</MST></NBan>"
                + "<Tien>1000</Tien></DLHDon><DSCKS><NBan></NBan></DSCKS></HDon>").getBytes(StandardCharsets.UTF_8);
        Document doc = Document.of(xml, "hd.xml");
        ValidationPolicy policy = ValidationPolicy.builder().build();
        for (int i = 0; i < 3000; i++) {
            XmlVerifier.verify(doc, policy);
        }
        long[] ns = new long[2000];
        for (int i = 0; i < ns.length; i++) {
            long t = System.nanoTime();
            XmlVerifier.verify(doc, policy);
            ns[i] = System.nanoTime() - t;
        }
        Arrays.sort(ns);
        System.out.printf("verify median %.3f ms, p90 %.3f ms (%d bytes)%n", ns[1000] / 1e6, ns[1800] / 1e6, xml.length);
    }
}
