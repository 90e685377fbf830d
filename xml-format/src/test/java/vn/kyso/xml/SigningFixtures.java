package vn.kyso.xml;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.xml.security.signature.XMLSignature;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import vn.kyso.Certificates;
import vn.kyso.CredentialCallback;
import vn.kyso.Document;
import vn.kyso.KeySource;
import vn.kyso.Kyso;
import vn.kyso.SignOptions;
import vn.kyso.Signer;
import vn.kyso.testkit.TestIdentity;

/** Unsigned XML in the shapes in circulation, signers, and the two independent verifiers (Santuario DOM, xmlsec1). */
final class SigningFixtures {
    static final char[] PASSWORD = "123456".toCharArray();
    static final String DSIG = "http://www.w3.org/2000/09/xmldsig#";
    static final String TAX_NS = "http://kekhaithue.gdt.gov.vn/TKhaiThue";

    static {
        org.apache.xml.security.Init.init();
    }

    private SigningFixtures() {
    }

    /** An e-invoice's data element with {@code lines} goods lines, seller tax code 0312345678. */
    static String dlhdon(String id, int lines) {
        StringBuilder sb = new StringBuilder(dlhdonStart(id));
        for (int i = 1; i <= lines; i++) {
            sb.append(goodsLine(i));
        }
        return sb.append(dlhdonEnd(lines)).toString();
    }

    static String dlhdonStart(String id) {
        return "<DLHDon Id=\"" + id + "\"><TTChung><PBan>2.1.0</PBan>"
                + "<THDon>Hóa đơn giá trị gia tăng</THDon><KHMSHDon>1</KHMSHDon><KHHDon>C25TKS</KHHDon>"
                + "<SHDon>123</SHDon><NLap>2025-03-14</NLap><DVTTe>VND</DVTTe><TGia>1</TGia>"
                + "<HTTToan>Tiền mặt/Chuyển khoản</HTTToan></TTChung>\n<NDHDon><NBan>"
                + "<Ten>Công ty Cổ phần Giải pháp Kỳ Số (test)</Ten><MST>0312345678</MST>"
                + "<DChi>12 Nguyễn Huệ, Quận 1, Thành phố Hồ Chí Minh</DChi></NBan>"
                + "<NMua><Ten>Sở Công Thương tỉnh Đồng Nai</Ten><MST>3600123456</MST>"
                + "<DChi>Biên Hòa, Đồng Nai</DChi></NMua>\n<DSHHDVu>\n";
    }

    /** One goods line (about 330 bytes), on its own text line. */
    static String goodsLine(int i) {
        return "<HHDVu><TChat>1</TChat><STT>" + i + "</STT><MHHDVu>KS-" + i
                + "</MHHDVu><THHDVu>Dịch vụ chứng thư số &amp; ký số &lt;gói " + i
                + "&gt;</THHDVu><DVTinh>Gói</DVTinh><SLuong>1</SLuong><DGia>1500000</DGia>"
                + "<TLCKhau>0</TLCKhau><STCKhau>0</STCKhau><ThTien>1500000</ThTien><TSuat>10%</TSuat><TTKhac/></HHDVu>\n";
    }

    static String dlhdonEnd(int lines) {
        return "</DSHHDVu><TToan><TgTCThue>" + 1_500_000L * lines + "</TgTCThue><TgTThue>" + 150_000L * lines
                + "</TgTThue><TgTTTBSo>" + 1_650_000L * lines
                + "</TgTTTBSo><TgTTTBChu>Một triệu sáu trăm năm mươi nghìn đồng</TgTTTBChu></TToan></NDHDon></DLHDon>";
    }

    static String invoiceStart() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HDon>";
    }

    static String invoiceEnd() {
        return "\n<DSCKS><NBan></NBan><NMua/><CCKSKhac/><CQT></CQT></DSCKS></HDon>";
    }

    /** A standalone invoice, unsigned, with empty NBan, NMua and CQT slots. */
    static String invoice(int lines) {
        return invoiceStart() + dlhdon("_593651", lines) + invoiceEnd();
    }

    /** The invoice inside a TDiep message envelope (type 200, invoice sent for a code). */
    static String tdiep() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><TDiep><TTChung><PBan>2.1.0</PBan><MNGui>K0312345678</MNGui>"
                + "<MNNhan>TCT</MNNhan><MLTDiep>200</MLTDiep><MTDiep>K0312345678ABCDEF0123456789</MTDiep>"
                + "<MST>0312345678</MST><SLuong>1</SLuong></TTChung><DLieu><HDon>" + dlhdon("Id-017be399-a2c1", 3)
                + "<DSCKS><NBan/><NMua/><CCKSKhac/></DSCKS></HDon></DLieu></TDiep>";
    }

    /** A taxpayer's notice of invoices with errors (04/SS-HĐĐT) in the tax authority's schema namespace. */
    static String notice() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TBao xmlns=\"http://hoadondientu.gdt.gov.vn/schema\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n  <DLTBao Id=\"TB_04SS_0312345678\">\n"
                + "    <PBan>2.1.0</PBan><MSo>04/SS-HĐĐT</MSo><Ten>Thông báo hóa đơn điện tử có sai sót</Ten>\n"
                + "    <Loai>1</Loai><MST>0312345678</MST><DSHDon><HDon><STT>1</STT><KHMSHDon>1</KHMSHDon>"
                + "<SHDon>123</SHDon><LDo>Sai địa chỉ người mua</LDo></HDon></DSHDon>\n  </DLTBao>\n"
                + "  <DSCKS><NNT></NNT><CQT/></DSCKS>\n</TBao>\n";
    }

    /** Adjustment minutes signed by both parties. */
    static String minutes() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><BBan><DLBBan Id=\"BB-2025-0001\"><Ten>Biên bản điều chỉnh"
                + " hóa đơn</Ten><SHDon>123</SHDon><LDo>Điều chỉnh đơn giá</LDo></DLBBan>"
                + "<DSCKS><NBan></NBan><NMua></NMua></DSCKS></BBan>";
    }

    /** A tax declaration as HTKK exports it; {@code slot} is {@code <CKyDTu></CKyDTu>} or {@code <CKyDTu/>}. */
    static String taxDeclaration(String slot) {
        return taxDeclaration(slot, 0);
    }

    /** A tax declaration with {@code indicators} more indicator elements (about 30 bytes each). */
    static String taxDeclaration(String slot, int indicators) {
        StringBuilder more = new StringBuilder();
        for (int i = 0; i < indicators; i++) {
            more.append("<ct").append(100 + i).append('>').append(1000L * i).append("</ct").append(100 + i).append(">\n");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HSoThueDTu xmlns=\"" + TAX_NS + "\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
                + "<HSoKhaiThue id=\"_NODE_TO_SIGN\">\n  <TTinChung><TTinDVu><maDVu>HTKK</maDVu><tenDVu>HTKK</tenDVu>"
                + "<pbanDVu>5.2.8</pbanDVu></TTinDVu>\n  <TTinTKhaiThue><TKhaiThue><maTKhai>842</maTKhai>"
                + "<tenTKhai>TỜ KHAI THUẾ GIÁ TRỊ GIA TĂNG (Mẫu số 01/GTGT)</tenTKhai><kyKKhai>02/2025</kyKKhai>"
                + "</TKhaiThue><NNT><mst>0312345678</mst><tenNNT>Công ty Cổ phần Giải pháp Kỳ Số (test)</tenNNT>"
                + "</NNT></TTinTKhaiThue></TTinChung>\n  <!-- HTKK 5.2.8 -->\n  <CTieuTKhaiChinh><ct21>0</ct21>"
                + "<ct22>1500000</ct22><ct23>150000</ct23><ct40>150000</ct40>" + more + "</CTieuTKhaiChinh>\n</HSoKhaiThue>\n"
                + slot + "\n</HSoThueDTu>";
    }

    /** A Treasury payment voucher with its own signature slot, for the generic profile. */
    static String voucher() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ChungTu xmlns=\"urn:kbnn:test:ctu\">\n"
                + "  <NoiDung Id=\"CT-0001\"><SoCT>UNC-0001</SoCT><NgayCT>2025-03-14</NgayCT>"
                + "<DonVi>Sở Công Thương tỉnh Đồng Nai</DonVi><SoTien>1650000</SoTien>"
                + "<NoiDungCT>Thanh toán dịch vụ ký số</NoiDungCT></NoiDung>\n  <ChuKy><KeToanTruong/><ThuTruong/></ChuKy>\n"
                + "</ChungTu>\n";
    }

    /** A signer for {@code identity} through the pkcs12 provider, the way an application gets one. */
    static Signer signer(TestIdentity identity, Path dir) throws Exception {
        Path file = dir.resolve(identity.alias() + ".p12");
        if (!Files.exists(file)) {
            Files.write(file, identity.toPkcs12(PASSWORD));
        }
        KeySource source = Kyso.discover().connect("pkcs12", Map.of("file", file.toString()),
                CredentialCallback.of(PASSWORD));
        return source.open(source.keys().get(0).id());
    }

    static SignOptions options(XmlOptions.Profile profile) {
        return SignOptions.builder().formatOptions(XmlOptions.of(profile)).build();
    }

    static byte[] sign(String xml, Signer signer, SignOptions options) throws Exception {
        return sign(xml.getBytes(StandardCharsets.UTF_8), signer, options);
    }

    static byte[] sign(byte[] xml, Signer signer, SignOptions options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new XadesFormat().sign(Document.of(xml, "test.xml"), signer, options, out);
        return out.toByteArray();
    }

    /** The Id of every ds:Signature, in document order. */
    static List<String> signatureIds(byte[] xml) throws Exception {
        NodeList found = dom(xml).getElementsByTagNameNS(DSIG, "Signature");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < found.getLength(); i++) {
            ids.add(((Element) found.item(i)).getAttribute("Id"));
        }
        return ids;
    }

    static org.w3c.dom.Document dom(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    /**
     * Plain Santuario, secure validation on: the signature with {@code signatureId} verifies with the
     * certificate in its KeyInfo, which must be {@code expected}. Every {@code Id}/{@code id}
     * attribute of the named elements is registered as an ID, as a verifier of these files must.
     */
    static boolean santuario(byte[] xml, String signatureId, X509Certificate expected, String... idElements)
            throws Exception {
        org.w3c.dom.Document dom = dom(xml);
        register(dom.getDocumentElement(), List.of(idElements));
        Element signature = null;
        NodeList found = dom.getElementsByTagNameNS(DSIG, "Signature");
        for (int i = 0; i < found.getLength(); i++) {
            if (((Element) found.item(i)).getAttribute("Id").equals(signatureId)) {
                signature = (Element) found.item(i);
            }
        }
        if (signature == null) {
            throw new AssertionError("no signature " + signatureId);
        }
        XMLSignature sig = new XMLSignature(signature, "", true);
        X509Certificate cert = sig.getKeyInfo().getX509Certificate();
        if (!cert.equals(expected)) {
            throw new AssertionError("KeyInfo carries " + cert.getSubjectX500Principal());
        }
        return sig.checkSignatureValue(cert);
    }

    private static void register(Element e, List<String> names) {
        if (names.contains(e.getLocalName())) {
            for (String a : new String[] {"Id", "id"}) {
                if (e.hasAttributeNS(null, a)) {
                    e.setIdAttributeNS(null, a, true);
                }
            }
        }
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element ce) {
                register(ce, names);
            }
        }
    }

    /** xmlsec1's result on one signature: its exit code and what it printed. */
    record Xmlsec(int exit, String output) {
        boolean ok() {
            return exit == 0 && output.contains("OK");
        }
    }

    /**
     * Runs {@code xmlsec1 --verify} on the signature with {@code signatureId}, trusting {@code roots}
     * (and given the intermediate CAs as untrusted), with {@code idAttrs} as {@code --id-attr} pairs
     * such as {@code "Id", "DLHDon"}.
     */
    static Xmlsec xmlsec1(byte[] xml, String signatureId, List<X509Certificate> roots, List<X509Certificate> intermediates,
            Path dir, String... idAttrs) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "signed", ".xml");
        Files.write(file, xml);
        List<String> cmd = new ArrayList<>(List.of("xmlsec1", "--verify", "--enabled-reference-uris", "empty,same-doc",
                "--node-xpath", "//*[local-name()='Signature' and @Id='" + signatureId + "']"));
        for (int i = 0; i < idAttrs.length; i += 2) {
            cmd.add("--id-attr:" + idAttrs[i]);
            cmd.add(idAttrs[i + 1]);
        }
        for (X509Certificate c : roots) {
            cmd.add("--trusted-pem");
            cmd.add(pem(c, dir).toString());
        }
        for (X509Certificate c : intermediates) {
            cmd.add("--untrusted-pem");
            cmd.add(pem(c, dir).toString());
        }
        cmd.add(file.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("xmlsec1 did not finish");
        }
        return new Xmlsec(p.exitValue(), String.join(" ", cmd) + "\n" + out);
    }

    private static Path pem(X509Certificate c, Path dir) throws IOException {
        Path f = dir.resolve(Certificates.fingerprint(c).replace(":", "") + ".pem");
        if (!Files.exists(f)) {
            Files.writeString(f, Certificates.toPem(c));
        }
        return f;
    }
}
