package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;
import vn.kyso.Indication;
import vn.kyso.ValidationPolicy;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

@ExtendWith(TestPkiExtension.class)
class ValueCapsTest {

    /** The signed invoice with the content of its first {@code element} replaced by {@code base64}. */
    private static String[] around(String signed, String element) {
        int open = signed.indexOf("<" + element + ">") + element.length() + 2;
        int close = signed.indexOf("</" + element + ">", open);
        return new String[] {signed.substring(0, open), signed.substring(close)};
    }

    private static String utf16(String xml) {
        return xml.replaceFirst("^<\\?xml[^>]*\\?>", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>");
    }

    private static DocumentMalformedException refused(String xml, Charset charset, TestPki pki) {
        return assertThrows(DocumentMalformedException.class, () -> XmlVerifier.verify(
                Document.of(xml.getBytes(charset), "hd.xml"), XmlVerifierTest.offline(pki)));
    }

    @Test
    void aSignatureValueOrCertificateFarBeyondAnyRealOneIsATypedErrorInAnyEncoding(TestPki pki) throws Exception {
        String signed = TestXml.seller(pki.invoiceSeller(), TestXml.Seller.common());
        // a reader would never see these: they only make the verifier hold tens of MB per copy
        for (String element : List.of("SignatureValue", "X509Certificate", "DigestValue")) {
            String[] parts = around(signed, element);
            String big = parts[0] + "QUJD".repeat(ValueCaps.CERTIFICATE / 4 + 1) + parts[1];
            DocumentMalformedException e = refused(big, StandardCharsets.UTF_8, pki);
            assertTrue(e.getMessage().contains(element), e.getMessage());
            String utf16 = utf16(big);
            assertTrue(refused(utf16, StandardCharsets.UTF_16, pki).getMessage().contains(element));
        }
        // comments, CDATA and child elements inside count too
        String[] parts = around(signed, "SignatureValue");
        String split = parts[0] + "<![CDATA[" + "A".repeat(ValueCaps.SMALL / 2) + "]]><!---->" + "<x>"
                + "A".repeat(ValueCaps.SMALL / 2) + "</x>" + parts[1];
        assertTrue(refused(split, StandardCharsets.UTF_8, pki).getMessage().contains("SignatureValue"));
    }

    @Test
    void realSignaturesAndLargeDataOutsideSignatureValuesPass(TestPki pki) throws Exception {
        String signed = TestXml.seller(pki.invoiceSeller(), TestXml.Seller.common());
        var policy = XmlVerifierTest.offline(pki);
        assertEquals(Indication.TOTAL_PASSED, XmlVerifierTest.first(signed, policy).indication());
        String utf16 = utf16(signed);
        assertEquals(Indication.TOTAL_PASSED, XmlVerifier.verify(Document.of(utf16.getBytes(StandardCharsets.UTF_16),
                "hd.xml"), policy).signatures().get(0).indication());
        String note = signed.replace("<DSCKS>", "<Ghi>" + "x".repeat(ValueCaps.CERTIFICATE * 2)
                + "<SigningTime>not a cap on other names' parents</SigningTime></Ghi><DSCKS>");
        assertEquals(1, XmlVerifierTest.verify(note, policy).signatures().size());
    }

    /** Reads {@code xml} through the guard in chunks of 1 to 13 bytes, as a parser's reads may split any marker. */
    private static boolean exceedsInChunks(String xml) throws Exception {
        java.io.InputStream in = ValueCaps.guard(new java.io.ByteArrayInputStream(TestXml.utf8(xml)), null);
        byte[] buf = new byte[13];
        int size = 1;
        try {
            while (in.read(buf, 0, size) > 0) {
                size = size % 13 + 1;
            }
            return false;
        } catch (ValueCaps.Exceeded e) {
            return true;
        }
    }

    @Test
    void theScanFollowsMarkupSplitAcrossReadsAndCountsOnlyInsideCappedElements(TestPki pki) throws Exception {
        String signed = TestXml.seller(pki.invoiceSeller(), TestXml.Seller.common());
        assertTrue(!exceedsInChunks(signed));
        String value = "A".repeat(ValueCaps.SMALL + 1);
        assertTrue(exceedsInChunks("<a><ds:SignatureValue xmlns:ds=\"x\">" + value + "</ds:SignatureValue></a>"));
        // the same bytes in a comment, an attribute, a CDATA section or a processing instruction outside it count for nothing
        for (String around : List.of("<!--%s--><SignatureValue>A</SignatureValue>",
                "<x a='%s'><SignatureValue b=\"/>\">A</SignatureValue></x>", "<x><![CDATA[<SignatureValue>%s]]></x>",
                "<?pi <SignatureValue>%s?><SignatureValue/>")) {
            assertTrue(!exceedsInChunks("<a>" + around.replace("%s", value) + "</a>"), around);
        }
        assertTrue(exceedsInChunks("<a><SignatureValue><!--x-->" + value + "</SignatureValue></a>"));
    }

    /** Run in a forked JVM: verifies each file given and prints one line per file. */
    static final class Main {
        public static void main(String[] args) throws Exception {
            for (String file : args) {
                try {
                    XmlVerifier.verify(Document.of(Path.of(file)), ValidationPolicy.builder()
                            .revocation(ValidationPolicy.Revocation.NONE).build());
                    System.out.println("REPORT " + file);
                } catch (DocumentMalformedException e) {
                    System.out.println("REFUSED " + e.getMessage());
                }
            }
        }
    }

    @Test
    void fiftyMegabyteValuesAreRefusedWithinASmallHeap(TestPki pki, @TempDir Path dir) throws Exception {
        String signed = TestXml.seller(pki.invoiceSeller(), TestXml.Seller.common());
        List<String> files = new java.util.ArrayList<>();
        for (String element : List.of("SignatureValue", "X509Certificate")) {
            String[] parts = around(signed, element);
            Path file = dir.resolve(element + ".xml");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                out.write(parts[0].getBytes(StandardCharsets.UTF_8));
                byte[] line = ("QUJD".repeat(19) + "\n").getBytes(StandardCharsets.US_ASCII);
                for (long written = 0; written < 50L << 20; written += line.length) {
                    out.write(line);
                }
                out.write(parts[1].getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(Files.size(file) < XmlVerifier.MAX_BYTES);
            files.add(file.toString());
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx128m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(files);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // a hang guard only: the run takes seconds
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), log);
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("REFUSED") && log.contains("SignatureValue element holding more than 64 KB"), log);
        assertTrue(log.contains("X509Certificate element holding more than 256 KB"), log);
        assertTrue(!log.contains("REPORT") && !log.contains("OutOfMemoryError"), log);
    }
}
