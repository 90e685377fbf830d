package vn.kyso.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.CredentialCallback;
import vn.kyso.Document;
import vn.kyso.Indication;
import vn.kyso.InMemoryUsageReporter;
import vn.kyso.KeySource;
import vn.kyso.Kyso;
import vn.kyso.SignOptions;
import vn.kyso.Signer;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;
import vn.kyso.xml.XmlOptions;

@ExtendWith(TestPkiExtension.class)
class SignTaxDeclarationTest {
    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<HSoThueDTu xmlns=\"http://kekhaithue.gdt.gov.vn/TKhaiThue\">\n"
            + "<HSoKhaiThue id=\"_NODE_TO_SIGN\"><TTinChung><TTinTKhaiThue><TKhaiThue><maTKhai>842</maTKhai>"
            + "<tenTKhai>TỜ KHAI THUẾ GIÁ TRỊ GIA TĂNG (Mẫu số 01/GTGT)</tenTKhai><kyKKhai>02/2025</kyKKhai>"
            + "</TKhaiThue><NNT><mst>3600123456</mst></NNT></TTinTKhaiThue></TTinChung>\n<!-- HTKK -->\n"
            + "<CTieuTKhaiChinh><ct22>1500000</ct22><ct23>150000</ct23></CTieuTKhaiChinh></HSoKhaiThue>\n"
            + "<CKyDTu></CKyDTu>\n</HSoThueDTu>\n";
    private static final String INVOICE = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HDon><DLHDon Id=\"_hd1\">"
            + "<TTChung><KHHDon>C25TKS</KHHDon><SHDon>1</SHDon></TTChung><NDHDon><NBan><Ten>Sở Công Thương tỉnh Đồng Nai"
            + "</Ten><MST>3600123456</MST></NBan><NMua><Ten>Công ty B</Ten></NMua></NDHDon></DLHDon>"
            + "<DSCKS><NBan/><NMua/></DSCKS></HDon>\n";

    @TempDir
    Path dir;

    @Test
    void theDeclarationIsSignedInCKyDTuAndVerifiesAndTheInputIsUntouched(TestPki pki) throws Exception {
        char[] password = "123456".toCharArray();
        Path keyFile = Files.write(dir.resolve("dn.p12"), pki.organization().toPkcs12(password));
        Path xml = Files.writeString(dir.resolve("01GTGT-022025.xml"), DECLARATION);
        Path signed = dir.resolve("01GTGT-022025.signed.xml");
        InMemoryUsageReporter usage = new InMemoryUsageReporter();
        Kyso kyso = Kyso.builder().usageReporter(usage).build();
        try (KeySource keys = kyso.connect("pkcs12", Map.of("file", keyFile.toString()), CredentialCallback.of(password));
                Signer signer = keys.open(keys.keys().get(0).id())) {
            SignTaxDeclaration.sign(kyso, signer, xml, signed);
        }
        assertEquals(DECLARATION, Files.readString(xml), "the input is never modified");
        String out = Files.readString(signed, StandardCharsets.UTF_8);
        assertTrue(out.contains("<CKyDTu><Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\""), out);
        assertTrue(out.contains("REC-xml-c14n-20010315#WithComments"), out);
        assertTrue(out.contains("<RSAKeyValue>"), out);
        VerificationReport report = kyso.format("xades").verify(Document.of(signed),
                vn.kyso.ValidationPolicy.builder().trustAnchors(pki.roots()).build());
        assertEquals(Indication.TOTAL_PASSED, report.signatures().get(0).indication(), report.toText());
        assertEquals("Tờ khai thuế", usage.events().get(0).documentType());
    }

    @Test
    void aReceivedInvoiceWhoseSellerCertificateCarriesAnotherTaxCodeIsNotPassed(TestPki pki) throws Exception {
        Kyso kyso = Kyso.discover();
        Path invoice = Files.writeString(dir.resolve("hd.xml"), INVOICE);
        Path ours = dir.resolve("hd-ours.xml");
        Path foreign = dir.resolve("hd-foreign.xml");
        char[] password = "123456".toCharArray();
        SignOptions seller = SignOptions.builder()
                .formatOptions(XmlOptions.of(XmlOptions.Profile.INVOICE_SELLER)).build();
        for (var who : new Object[][] {{pki.organization(), ours}, {pki.invoiceSeller(), foreign}}) {
            vn.kyso.testkit.TestIdentity id = (vn.kyso.testkit.TestIdentity) who[0];
            Path keyFile = Files.write(dir.resolve(id.alias() + ".p12"), id.toPkcs12(password));
            try (KeySource keys = kyso.connect("pkcs12", Map.of("file", keyFile.toString()),
                    CredentialCallback.of(password)); Signer signer = keys.open(keys.keys().get(0).id())) {
                kyso.format("xades").sign(Document.of(invoice), signer, seller, (Path) who[1]);
            }
        }
        VerificationReport good = SignTaxDeclaration.verifyInvoice(kyso, ours, pki.roots());
        assertTrue(good.allPassed(), good.toText());
        VerificationReport spoofed = SignTaxDeclaration.verifyInvoice(kyso, foreign, pki.roots());
        assertFalse(spoofed.allPassed(), spoofed.toText());
        assertTrue(spoofed.signatures().get(0).findings().stream().anyMatch(f -> f.code().equals("TAX_CODE_MISMATCH")),
                spoofed.toText());
    }
}
