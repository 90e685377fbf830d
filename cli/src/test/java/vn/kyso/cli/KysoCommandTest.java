package vn.kyso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KysoCommandTest {

    @TempDir
    Path dir;

    @Test
    void demoSignsVerifiesAndLeavesItsFiles() throws Exception {
        Path out = dir.resolve("demo");
        assertEquals(0, KysoCommand.run("demo", out.toString()));
        assertTrue(Files.exists(out.resolve("trust/cipher-root.pem")));
        assertTrue(Files.exists(out.resolve("trust/national-root.pem")));
        assertTrue(Files.size(out.resolve("usage.csv")) > 0);
        assertTrue(Files.readString(out.resolve("usage.csv")).contains("SIGNED"));
        assertTrue(Files.readString(out.resolve("report.txt")).contains("TOTAL_PASSED"));
        // the leader signed on the (simulated) phone, and the signature was completed from its saved state
        assertTrue(Files.readString(out.resolve("usage.csv")).contains(",remote-sim,PKI_SIM,SIGNED,"),
                Files.readString(out.resolve("usage.csv")));
        assertTrue(Files.size(out.resolve("pending/2-ky-chinh-thuc.state")) > 0);
        Path issued = out.resolve("3-van-thu-dong-dau.pdf");
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(issued.toFile())) {
            org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm form = doc.getDocumentCatalog().getAcroForm();
            assertEquals("2806", form.getField("so_vb").getValueAsString(), "the clerk's signature filled the number");
            assertTrue(form.getField("ngay_ban_hanh").getValueAsString().matches("ngày \\d\\d tháng \\d\\d? năm \\d{4}"));
            assertTrue(form.getField("so_vb").isReadOnly());
            String text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
            assertTrue(!text.contains("{so_vb}") && !text.contains("{ngay_ban_hanh}"), "no placeholder left: " + text);
        }
        String[] trust = {"--trust", out.resolve("trust/cipher-root.pem").toString(),
            out.resolve("trust/national-root.pem").toString()};

        assertEquals(VerifyCommand.ALL_VALID, KysoCommand.run(concat(new String[] {"verify", issued.toString(),
            out.resolve("1-ky-nhay.pdf").toString(), "--offline"}, trust)), "the demo's files verify offline");

        byte[] tampered = Files.readAllBytes(issued);
        String text = new String(tampered, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("/MediaBox");
        tampered[at + 2] = 'X';
        Path copy = Files.write(dir.resolve("tampered.pdf"), tampered);
        assertEquals(VerifyCommand.NOT_ALL_VALID, KysoCommand.run(concat(new String[] {"verify", copy.toString()}, trust)));
        assertEquals(VerifyCommand.NOT_ALL_VALID, KysoCommand.run("verify", issued.toString()),
                "without trust anchors nothing is TOTAL_PASSED");
    }

    @Test
    void demoSignsATaxDeclarationAndAnInvoiceBySellerBuyerAndTaxAuthorityThatAllPassed() throws Exception {
        Path out = dir.resolve("demo-xml");
        assertEquals(0, KysoCommand.run("demo", out.toString()));
        String declaration = Files.readString(out.resolve("4-to-khai-thue.xml.report.txt"));
        assertEquals(1, count(declaration, "(TOTAL_PASSED)"), declaration);
        String invoice = Files.readString(out.resolve("7-hoa-don-cqt.xml.report.txt"));
        assertEquals(3, count(invoice, "(TOTAL_PASSED)"), invoice);
        String signed = Files.readString(out.resolve("7-hoa-don-cqt.xml"));
        for (String slot : new String[] {"<NBan><Signature", "<NMua><Signature", "<CQT><Signature", "<MCCQT Id="}) {
            assertTrue(signed.contains(slot), slot);
        }
        String xml = out.resolve("7-hoa-don-cqt.xml").toString();
        String[] trust = {"--trust", out.resolve("trust/cipher-root.pem").toString(),
            out.resolve("trust/national-root.pem").toString()};
        String[] cas = {"--ca", out.resolve("ca/cipher-ca.pem").toString(), out.resolve("ca/vnpt-ca.pem").toString()};
        assertEquals(VerifyCommand.NOT_ALL_VALID, KysoCommand.run(concat(concat(new String[] {"verify", xml,
            "--offline"}, trust), cas)), "XML carries no revocation data: offline its status stays unknown, never a pass");
        Files.writeString(dir.resolve("changed.xml"), signed.replace("<SHDon>123</SHDon>", "<SHDon>124</SHDon>"));
        assertEquals(VerifyCommand.NOT_ALL_VALID, KysoCommand.run(concat(concat(new String[] {"verify",
            dir.resolve("changed.xml").toString(), "--offline"}, trust), cas)));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void verifyExitsTwoOnUnreadableInput() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.bin"), "not a signed document");
        assertEquals(VerifyCommand.UNREADABLE, KysoCommand.run("verify", garbage.toString()));
        assertEquals(VerifyCommand.UNREADABLE, KysoCommand.run("verify", dir.resolve("missing.pdf").toString()));
    }

    @Test
    void verifyExitsTwoOnAnUnreadableTrustAnchor() throws Exception {
        Path file = Files.writeString(dir.resolve("a.pdf"), "%PDF-1.7");
        Path pem = Files.writeString(dir.resolve("bad.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertEquals(VerifyCommand.UNREADABLE, KysoCommand.run("verify", file.toString(), "--trust", pem.toString()));
    }
}
