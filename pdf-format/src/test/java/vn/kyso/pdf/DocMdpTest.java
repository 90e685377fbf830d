package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.BaselineLevel;
import vn.kyso.Document;
import vn.kyso.Indication;
import vn.kyso.SignOptions;
import vn.kyso.SignatureReport;
import vn.kyso.Signer;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;

/** Certification signatures kyso makes: their structure, what they permit, and when they are refused. */
class DocMdpTest {
    private static TestPki pki;
    private static ValidationPolicy policy;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        pki = TestPki.start();
        policy = ValidationPolicy.builder().trustAnchors(pki.roots()).revocation(ValidationPolicy.Revocation.NONE).build();
    }

    @AfterAll
    static void stop() {
        pki.close();
    }

    private byte[] sign(byte[] pdf, TestIdentity who, SignOptions options) throws Exception {
        return TestPdfs.sign(pdf, who, options, dir);
    }

    private byte[] sign(byte[] pdf, TestIdentity who, PadesOptions options) throws Exception {
        return TestPdfs.sign(pdf, who, options, dir);
    }

    private static VerificationReport verify(byte[] pdf) throws Exception {
        return new PadesFormat().verify(Document.of(pdf, "certified.pdf"), policy);
    }

    @Test
    void aCertificationCarriesTheDocMdpTransformAndThePermsEntry() throws Exception {
        byte[] certified = sign(TestPdfs.letter(1, "Ban sao"), pki.organization(), PadesOptions.builder()
                .certify(PadesOptions.Certification.FORM_FILL_SIGNATURES_AND_ANNOTATIONS).build());
        try (PDDocument doc = Loader.loadPDF(certified)) {
            PDSignature signature = doc.getLastSignatureDictionary();
            COSArray references = (COSArray) signature.getCOSObject().getDictionaryObject(COSName.getPDFName("Reference"));
            COSDictionary reference = (COSDictionary) references.getObject(0);
            assertEquals(COSName.DOCMDP, reference.getCOSName(COSName.getPDFName("TransformMethod")));
            COSDictionary params = (COSDictionary) reference.getDictionaryObject(COSName.getPDFName("TransformParams"));
            assertEquals(3, params.getInt(COSName.P));
            COSDictionary perms = doc.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.PERMS);
            assertTrue(perms.getDictionaryObject(COSName.DOCMDP) == signature.getCOSObject(), "/Perms points at the signature");
        }
        assertTrue(verify(certified).allPassed());
        assertEquals(List.of(true), Pdfsig.integrity(Files.write(dir.resolve("certified.pdf"), certified)));
    }

    @Test
    void aNoChangesCertificationIsRespectedAndBrokenByALaterSignatureThatKysoRefusesToMake() throws Exception {
        SignOptions lt = SignOptions.builder().level(BaselineLevel.LT).timestampUrl(pki.services().tsaUri())
                .formatOptions(PadesOptions.builder().role(PadesOptions.Role.ATTACHMENT).text("Số: 12/QĐ-UBND")
                        .certify(PadesOptions.Certification.NO_CHANGES).build()).build();
        byte[] certified = sign(TestPdfs.letter(1, "Phu luc"), pki.organization(), lt);
        VerificationReport report = verify(certified);
        assertTrue(report.allPassed(), "its own DSS is a permitted change: " + report.toText());
        assertEquals(List.of(true), Pdfsig.integrity(Files.write(dir.resolve("p1.pdf"), certified)));

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> sign(certified, pki.person(), PadesOptions.builder().build()));
        assertTrue(refused.getMessage().contains("P=1"), refused.getMessage());
        byte[] signedAnyway = PdfVerifierTest.pdfboxSign(certified, pki.person(), "ETSI.CAdES.detached", 0);
        SignatureReport first = verify(signedAnyway).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, first.indication(), first.toString());
        assertTrue(first.has("DOCMDP_VIOLATED"), first.toString());
        assertEquals(List.of(true, true), Pdfsig.integrity(Files.write(dir.resolve("p1-broken.pdf"), signedAnyway)),
                "pdfsig checks integrity only: both signatures are intact");
    }

    @Test
    void aFormFillAfterANoChangesCertificationViolatesIt() throws Exception {
        byte[] certified = sign(TestPdfs.draftWithFields(), pki.person(), PadesOptions.builder()
                .certify(PadesOptions.Certification.NO_CHANGES).build());
        SignatureReport s = verify(FieldChangesTest.fillLater(certified, "so_vb", "2806",
                "BT /Helv 13 Tf 0 g 2 4 Td (2806) Tj ET")).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, s.indication(), s.toString());
        assertTrue(s.has("DOCMDP_VIOLATED"), s.toString());
    }

    @Test
    void certifyingTheApprovalLetsTheOfficialAndOrganizationSignAndFill() throws Exception {
        byte[] approved = sign(TestPdfs.draftWithFields(), pki.ecPerson(), PadesOptions.builder()
                .role(PadesOptions.Role.APPROVAL).certify(PadesOptions.Certification.FORM_FILL_AND_SIGNATURES).build());
        byte[] official = sign(approved, pki.person(), PadesOptions.builder().anchor("{ky_so}", 120, 50).build());
        byte[] issued = sign(official, pki.organization(), PadesOptions.builder().role(PadesOptions.Role.ORGANIZATION)
                .fill("so_vb", "2806").fill("ngay", "ngày 02 tháng 12 năm 2026").build());
        VerificationReport report = verify(issued);
        assertTrue(report.allPassed(), report.toText());
        assertFalse(report.signatures().get(0).has("DOCMDP_VIOLATED"));
        assertEquals(List.of(true, true, true), Pdfsig.integrity(Files.write(dir.resolve("p2.pdf"), issued)));

        byte[] annotated = appendNote(issued);
        SignatureReport first = verify(annotated).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, first.indication(), "P=2 does not permit annotations: " + first);
    }

    @Test
    void onlyTheFirstSignatureOfADocumentMayCertify() throws Exception {
        byte[] approved = sign(TestPdfs.draftWithFields(), pki.ecPerson(), PadesOptions.builder()
                .role(PadesOptions.Role.APPROVAL).build());
        Path target = dir.resolve("never.pdf");
        try (Signer signer = TestPdfs.signer(pki.organization(), dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PadesFormat().sign(
                    Document.of(approved, "approved.pdf"), signer, SignOptions.builder().formatOptions(PadesOptions.builder()
                            .role(PadesOptions.Role.ORGANIZATION).fill("so_vb", "2806")
                            .certify(PadesOptions.Certification.FORM_FILL_AND_SIGNATURES).build()).build(), target));
            assertTrue(e.getMessage().contains("first signature") && e.getMessage().contains("12.8.2.2"), e.getMessage());
        }
        assertFalse(Files.exists(target));
    }

    private static byte[] appendNote(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationText note =
                    new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationText();
            note.setRectangle(new org.apache.pdfbox.pdmodel.common.PDRectangle(40, 40, 20, 20));
            note.setContents("ghi chú");
            doc.getPage(0).getAnnotations().add(note);
            doc.getPage(0).getCOSObject().setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.saveIncremental(out);
            return out.toByteArray();
        }
    }
}
