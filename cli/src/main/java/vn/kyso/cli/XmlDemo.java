package vn.kyso.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import vn.kyso.Certificates;
import vn.kyso.Document;
import vn.kyso.KeySource;
import vn.kyso.Kyso;
import vn.kyso.SignOptions;
import vn.kyso.SignatureFormat;
import vn.kyso.SignatureReport;
import vn.kyso.Signer;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;
import vn.kyso.xml.XmlOptions;

/**
 * The XML half of the demo: a VAT declaration signed for eTax, and an e-invoice signed by the
 * seller, then the buyer, then (after the tax authority's system adds its code) a tax-authority
 * style signature; each file is verified by kyso and, when {@code xmlsec1} is installed, by
 * xmlsec1 as an independent check.
 */
final class XmlDemo {
    private static final String TAX_NS = "http://kekhaithue.gdt.gov.vn/TKhaiThue";

    private XmlDemo() {
    }

    static boolean run(Kyso kyso, DemoCommand.DemoKeys keys, ValidationPolicy policy, Path outDir, PrintStream out)
            throws Exception {
        SignatureFormat xades = kyso.format("xades");
        TestPki pki = keys.pki;
        Path unsigned = outDir.resolve("unsigned");
        Files.writeString(unsigned.resolve("to-khai-01GTGT.xml"), taxDeclaration(), StandardCharsets.UTF_8);
        Files.writeString(unsigned.resolve("hoa-don-C25TKS-0000123.xml"), invoice(), StandardCharsets.UTF_8);

        boolean ok = true;
        Path declaration = sign(xades, keys, pki.organization(), unsigned.resolve("to-khai-01GTGT.xml"),
                outDir.resolve("4-to-khai-thue.xml"), XmlOptions.Profile.TAX_DECLARATION, "Tờ khai thuế", out);
        ok &= check(xades, declaration, policy, pki, outDir, out, "--id-attr:id", TAX_NS + ":HSoKhaiThue");

        Path seller = sign(xades, keys, pki.invoiceSeller(), unsigned.resolve("hoa-don-C25TKS-0000123.xml"),
                outDir.resolve("5-hoa-don-nguoi-ban.xml"), XmlOptions.Profile.INVOICE_SELLER, "Hóa đơn", out);
        Path buyer = sign(xades, keys, pki.organization(), seller, outDir.resolve("6-hoa-don-nguoi-mua.xml"),
                XmlOptions.Profile.INVOICE_BUYER, "Hóa đơn", out);
        // the tax authority's system gives the invoice its code (MCCQT) before it signs
        String withCode = Files.readString(buyer, StandardCharsets.UTF_8).replace("</DLHDon>",
                "</DLHDon><MCCQT Id=\"Id-MCCQT-0001\">00A1B2C3D4E5F60718293A4B5C6D7E8F90</MCCQT>");
        Path coded = Files.writeString(unsigned.resolve("hoa-don-co-ma-cqt.xml"), withCode, StandardCharsets.UTF_8);
        Path authority = sign(xades, keys, pki.taxAuthority(), coded, outDir.resolve("7-hoa-don-cqt.xml"),
                XmlOptions.Profile.INVOICE_TAX_AUTHORITY, "Hóa đơn", out);
        ok &= check(xades, authority, policy, pki, outDir, out, "--id-attr:Id", "DLHDon", "--id-attr:Id", "MCCQT");
        return ok;
    }

    private static Path sign(SignatureFormat xades, DemoCommand.DemoKeys keys, TestIdentity who, Path in, Path target,
            XmlOptions.Profile profile, String documentType, PrintStream out) throws Exception {
        try (KeySource source = keys.connect(who); Signer signer = source.open(DemoCommand.firstSigningKey(source))) {
            xades.sign(Document.of(in), signer, SignOptions.builder().formatOptions(XmlOptions.of(profile))
                    .documentType(documentType).displayText("Ký " + target.getFileName()).build(), target);
            out.println("  " + profile + ": " + Certificates.commonName(signer.certificate()) + " → "
                    + target.getFileName() + "  [key file keys/" + who.alias() + ".p12]");
        }
        return target;
    }

    /** kyso's verdict on every signature, and xmlsec1's on each when it is installed. */
    private static boolean check(SignatureFormat xades, Path file, ValidationPolicy policy, TestPki pki, Path outDir,
            PrintStream out, String... idAttrs) throws Exception {
        VerificationReport report = xades.verify(Document.of(file), policy);
        Path text = outDir.resolve(file.getFileName() + ".report.txt");
        Files.writeString(text, report.toText(), StandardCharsets.UTF_8);
        boolean ok = report.allPassed();
        out.println("  " + file.getFileName() + " (xades): " + report.signatures().size() + " chữ ký / signature(s), "
                + (ok ? "tất cả hợp lệ / all valid" : "KHÔNG hợp lệ / NOT all valid") + " (" + text.getFileName() + ")");
        for (SignatureReport s : report.signatures()) {
            out.println("    " + s.id() + ": " + s.indication() + s.subIndication().map(x -> ", " + x).orElse("") + " — "
                    + s.signerCertificate().map(Certificates::commonName).orElse("?") + "; xmlsec1: "
                    + xmlsec1(file, s.id(), pki, outDir, idAttrs));
        }
        return ok;
    }

    private static String xmlsec1(Path file, String signatureId, TestPki pki, Path outDir, String... idAttrs)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("xmlsec1", "--verify", "--enabled-reference-uris", "empty,same-doc",
                "--node-xpath", "//*[local-name()='Signature' and @Id='" + signatureId + "']"));
        cmd.addAll(List.of(idAttrs));
        for (X509Certificate root : pki.roots()) {
            cmd.addAll(List.of("--trusted-pem", pem(outDir, root).toString()));
        }
        for (X509Certificate ca : List.of(pki.cipherCa().certificate(), pki.vnptCa().certificate())) {
            cmd.addAll(List.of("--untrusted-pem", pem(outDir, ca).toString()));
        }
        cmd.add(file.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return "not installed (apt-get install xmlsec1 to cross-check)";
        }
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "did not answer";
        }
        return p.exitValue() == 0 ? "OK" : "FAIL";
    }

    private static Path pem(Path outDir, X509Certificate certificate) throws IOException {
        Path dir = Files.createDirectories(outDir.resolve("certs/ca"));
        Path file = dir.resolve(Certificates.fingerprint(certificate).replace(":", "").substring(0, 16) + ".pem");
        if (!Files.exists(file)) {
            Files.writeString(file, Certificates.toPem(certificate));
        }
        return file;
    }

    /** A VAT declaration as HTKK exports it, with the empty {@code CKyDTu} eTax expects. */
    static String taxDeclaration() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HSoThueDTu xmlns=\"" + TAX_NS + "\">\n"
                + "  <HSoKhaiThue id=\"_NODE_TO_SIGN\">\n"
                + "    <TTinChung><TTinTKhaiThue><TKhaiThue><maTKhai>842</maTKhai>"
                + "<tenTKhai>TỜ KHAI THUẾ GIÁ TRỊ GIA TĂNG (Mẫu số 01/GTGT)</tenTKhai><kyKKhai>11/2026</kyKKhai>"
                + "</TKhaiThue><NNT><mst>3600123456</mst><tenNNT>Sở Công Thương tỉnh Đồng Nai</tenNNT></NNT>"
                + "</TTinTKhaiThue></TTinChung>\n"
                + "    <CTieuTKhaiChinh><ct21>0</ct21><ct22>1500000</ct22><ct23>150000</ct23><ct40>150000</ct40>"
                + "</CTieuTKhaiChinh>\n  </HSoKhaiThue>\n  <CKyDTu></CKyDTu>\n</HSoThueDTu>\n";
    }

    /** An e-invoice (Circular 78/2021 shape) with empty seller and buyer signature slots. */
    static String invoice() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HDon>\n  <DLHDon Id=\"_593651\">\n"
                + "    <TTChung><PBan>2.1.0</PBan><THDon>Hóa đơn giá trị gia tăng</THDon><KHMSHDon>1</KHMSHDon>"
                + "<KHHDon>C25TKS</KHHDon><SHDon>123</SHDon><NLap>2026-11-30</NLap><DVTTe>VND</DVTTe></TTChung>\n"
                + "    <NDHDon>\n      <NBan><Ten>Công ty Cổ phần Giải pháp Kỳ Số (test)</Ten><MST>0312345678</MST>"
                + "<DChi>Thành phố Hồ Chí Minh</DChi></NBan>\n"
                + "      <NMua><Ten>Sở Công Thương tỉnh Đồng Nai</Ten><MST>3600123456</MST><DChi>Biên Hòa, Đồng Nai</DChi>"
                + "</NMua>\n      <DSHHDVu><HHDVu><STT>1</STT><THHDVu>Dịch vụ chứng thư số 12 tháng</THHDVu>"
                + "<DVTinh>Gói</DVTinh><SLuong>1</SLuong><DGia>1500000</DGia><ThTien>1500000</ThTien><TSuat>10%</TSuat>"
                + "</HHDVu></DSHHDVu>\n      <TToan><TgTCThue>1500000</TgTCThue><TgTThue>150000</TgTThue>"
                + "<TgTTTBSo>1650000</TgTTTBSo><TgTTTBChu>Một triệu sáu trăm năm mươi nghìn đồng</TgTTTBChu></TToan>\n"
                + "    </NDHDon>\n  </DLHDon>\n  <DSCKS><NBan></NBan><NMua></NMua><CQT></CQT></DSCKS>\n</HDon>\n";
    }
}
