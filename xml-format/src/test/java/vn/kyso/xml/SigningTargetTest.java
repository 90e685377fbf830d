package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.DocumentMalformedException;
import vn.kyso.SignOptions;
import vn.kyso.Signer;
import vn.kyso.testkit.TestPki;
import vn.kyso.xml.XmlOptions.Profile;

/** Each profile's choice of what to sign and where, and every refusal that keeps signatures unambiguous. */
class SigningTargetTest {
    private static TestPki pki;
    private static Signer signer;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.start(Clock.systemUTC());
        signer = SigningFixtures.signer(pki.invoiceSeller(), dir);
    }

    @AfterAll
    static void stop() {
        signer.close();
        pki.close();
    }

    @Test
    void aSlotThatAlreadyHoldsASignatureIsRefused() throws Exception {
        byte[] once = SigningFixtures.sign(SigningFixtures.invoice(1), signer, SigningFixtures.options(Profile.INVOICE_SELLER));
        String m = refused(once, SigningFixtures.options(Profile.INVOICE_SELLER));
        assertTrue(m.contains("already has a signature in NBan"), m);
    }

    @Test
    void theGenericProfileAddsASecondSignatureToASlotAndBothVerify() throws Exception {
        SignOptions o = SignOptions.builder().formatOptions(XmlOptions.builder(Profile.GENERIC).signedElementId("CT-0001")
                .signatureParentPath("/ChungTu/ChuKy").build()).build();
        byte[] twice = SigningFixtures.sign(SigningFixtures.sign(SigningFixtures.voucher(), signer, o), signer, o);
        List<String> ids = SigningFixtures.signatureIds(twice);
        assertEquals(2, ids.size());
        for (String id : ids) {
            assertTrue(SigningFixtures.santuario(twice, id, pki.invoiceSeller().certificate(), "NoiDung", "Object"));
        }
    }

    @Test
    void anIdThatOccursTwiceIsRefusedAsAmbiguous() throws Exception {
        String twin = SigningFixtures.invoice(1).replace("<DSCKS>", "<Extra Id=\"_593651\">copy</Extra><DSCKS>");
        assertTrue(refused(twin, Profile.INVOICE_SELLER).contains("'_593651' on more than one element"));
        String generic = SigningFixtures.voucher().replace("<ChuKy>", "<Ban id=\"CT-0001\"/><ChuKy>");
        SignOptions o = SignOptions.builder().formatOptions(XmlOptions.builder(Profile.GENERIC).signedElementId("CT-0001")
                .signatureParentPath("/ChungTu/ChuKy").build()).build();
        assertTrue(refused(generic, o).contains("more than one element"));
    }

    @Test
    void missingDataElementOrSlotIsRefusedSayingWhatToAdd() throws Exception {
        String noSlot = SigningFixtures.invoice(1).replace("<NBan></NBan>", "");
        assertTrue(refused(noSlot, Profile.INVOICE_SELLER).contains("add an empty <NBan></NBan> under DSCKS"));
        String noData = "<HDon><Ten>x</Ten><DSCKS><NBan/></DSCKS></HDon>";
        assertTrue(refused(noData, Profile.INVOICE_SELLER).contains("no invoice, notice or minutes data element"));
        String taxNoSlot = SigningFixtures.taxDeclaration("");
        assertTrue(refused(taxNoSlot, Profile.TAX_DECLARATION).contains("add <CKyDTu></CKyDTu>"));
        String taxNoId = SigningFixtures.taxDeclaration("<CKyDTu/>").replace(" id=\"_NODE_TO_SIGN\"", "");
        assertTrue(refused(taxNoId, Profile.TAX_DECLARATION).contains("without an id attribute"));
        assertTrue(refused(SigningFixtures.invoice(1), Profile.TAX_DECLARATION).contains("not a tax declaration"));
        assertTrue(refused(SigningFixtures.taxDeclaration("<CKyDTu/>"), Profile.INVOICE_SELLER)
                .contains("TAX_DECLARATION"));
        SignOptions missingElement = SignOptions.builder().formatOptions(XmlOptions.builder(Profile.GENERIC)
                .signedElementId("CT-9999").signatureParentPath("/ChungTu/ChuKy").build()).build();
        assertTrue(refused(SigningFixtures.voucher(), missingElement).contains("no element with Id (or id) 'CT-9999'"));
        SignOptions missingPlace = SignOptions.builder().formatOptions(XmlOptions.builder(Profile.GENERIC)
                .signedElementId("CT-0001").signatureParentPath("/ChungTu/KyTen").build()).build();
        assertTrue(refused(SigningFixtures.voucher(), missingPlace).contains("no element /ChungTu/KyTen"));
    }

    @Test
    void ambiguousChoicesAreRefused() throws Exception {
        String two = "<TDiep><DLieu><HDon><DLHDon Id=\"a\"/><DSCKS><NBan/></DSCKS></HDon><HDon><DLHDon Id=\"b\"/>"
                + "<DSCKS><NBan/></DSCKS></HDon></DLieu></TDiep>";
        assertTrue(refused(two, Profile.INVOICE_SELLER).contains("holds 2 signable documents"));
        SignOptions path = SignOptions.builder().formatOptions(XmlOptions.builder(Profile.GENERIC).signedElementId("CT-0001")
                .signatureParentPath("/ChungTu/ChuKy").build()).build();
        String twoPlaces = SigningFixtures.voucher().replace("</ChungTu>", "<ChuKy/></ChungTu>");
        assertTrue(refused(twoPlaces, path).contains("must be unique"));
    }

    @Test
    void aSignatureThatWouldBreakAnEarlierOneIsRefused() throws Exception {
        SignOptions whole = SignOptions.builder().formatOptions(XmlOptions.builder(Profile.GENERIC).wholeDocument()
                .signatureParentPath("/ChungTu/ChuKy/KeToanTruong").build()).build();
        byte[] signedWhole = SigningFixtures.sign(SigningFixtures.voucher(), signer, whole);
        SignOptions next = SignOptions.builder().formatOptions(XmlOptions.builder(Profile.GENERIC).signedElementId("CT-0001")
                .signatureParentPath("/ChungTu/ChuKy/ThuTruong").build()).build();
        assertTrue(refused(signedWhole, next).contains("over the whole document"));

        String nested = "<Goc><Phan Id=\"p1\"><ND>x</ND><Ky1/><Ky2/></Phan></Goc>";
        SignOptions first = SignOptions.builder().formatOptions(XmlOptions.builder(Profile.GENERIC).signedElementId("p1")
                .signatureParentPath("/Goc/Phan/Ky1").build()).build();
        byte[] one = SigningFixtures.sign(nested, signer, first);
        SignOptions second = SignOptions.builder().formatOptions(XmlOptions.builder(Profile.GENERIC).signedElementId("p1")
                .signatureParentPath("/Goc/Phan/Ky2").build()).build();
        assertTrue(refused(one, second).contains("covering the element with Id 'p1'"));
    }

    @Test
    void aSignatureIdThatIsAlreadyInTheDocumentIsRefused() throws Exception {
        SignOptions o = SignOptions.builder().formatOptions(XmlOptions.builder(Profile.INVOICE_SELLER)
                .signatureId("_593651").build()).build();
        assertTrue(refused(SigningFixtures.invoice(1), o).contains("choose another signatureId"));
    }

    @Test
    void anIdValueThatCannotBeReferencedSafelyIsRefused() throws Exception {
        String spaced = SigningFixtures.invoice(1).replace("Id=\"_593651\"", "Id=\"hd 1\"");
        assertTrue(refused(spaced, Profile.INVOICE_SELLER).contains("cannot be referenced unambiguously"));
    }

    @Test
    void ambiguousXmlAttributeInheritanceIsRefused() throws Exception {
        String xml = "<HDon xml:lang=\"vi\"><Khoi xml:lang=\"en\"><DLHDon Id=\"a\"/><DSCKS><NBan/></DSCKS></Khoi></HDon>";
        assertTrue(refused(xml, Profile.INVOICE_SELLER).contains("sets xml:lang differently"));
    }

    private static String refused(String xml, Profile profile) {
        return refused(xml.getBytes(StandardCharsets.UTF_8), SigningFixtures.options(profile));
    }

    private static String refused(String xml, SignOptions options) {
        return refused(xml.getBytes(StandardCharsets.UTF_8), options);
    }

    private static String refused(byte[] xml, SignOptions options) {
        return assertThrows(DocumentMalformedException.class, () -> SigningFixtures.sign(xml, signer, options)).getMessage();
    }
}
