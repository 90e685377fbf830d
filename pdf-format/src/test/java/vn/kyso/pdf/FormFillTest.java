package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Document;
import vn.kyso.SignOptions;
import vn.kyso.SignatureReport;
import vn.kyso.Signer;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;

class FormFillTest {
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

    private byte[] sign(byte[] pdf, TestIdentity who, PadesOptions options) throws Exception {
        return TestPdfs.sign(pdf, who, options, dir);
    }

    static String visibleText(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            doc.getDocumentCatalog().getAcroForm().flatten();
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            return stripper.getText(doc);
        }
    }

    @Test
    void theOrganizationFillsNumberAndDateAndTheEarlierSignaturesStayValid() throws Exception {
        byte[] draft = TestPdfs.draftWithFields();
        byte[] approved = sign(draft, pki.ecPerson(), PadesOptions.builder().role(PadesOptions.Role.APPROVAL).build());
        byte[] official = sign(approved, pki.person(), PadesOptions.builder().anchor("{ky_so}", 120, 50).build());
        byte[] issued = sign(official, pki.organization(), PadesOptions.builder().role(PadesOptions.Role.ORGANIZATION)
                .fill("so_vb", "2806").fill("ngay", "ngày 02 tháng 12 năm 2026").build());

        VerificationReport report = new PadesFormat().verify(Document.of(issued, "issued.pdf"), policy);
        assertEquals(3, report.signatures().size(), report.toText());
        assertTrue(report.allPassed(), report.toText());
        for (SignatureReport s : report.signatures().subList(0, 2)) {
            assertTrue(s.laterChanges().stream().anyMatch(c -> c.contains("form field \"so_vb\" filled: \"2806\"")),
                    report.toText());
            assertTrue(s.laterChanges().stream().anyMatch(c -> c.contains("form field \"ngay\" filled")), report.toText());
        }
        assertEquals(List.of(true, true, true), Pdfsig.integrity(Files.write(dir.resolve("issued.pdf"), issued)));
        String text = visibleText(issued);
        assertTrue(text.matches("(?s).*Số:\\s+2806\\s?/SCT-VP.*"), text);
        assertTrue(text.matches("(?s).*Đồng Nai,\\s+ngày 02 tháng 12 năm 2026.*"), text);
        assertFalse(text.contains("{so_vb}") || text.contains("{ngay_ban_hanh}"), text);
        try (PDDocument doc = Loader.loadPDF(issued)) {
            PDTextField number = (PDTextField) doc.getDocumentCatalog().getAcroForm().getField("so_vb");
            assertEquals("2806", number.getValueAsString());
            assertTrue(number.isReadOnly());
        }
    }

    /**
     * Before the fix the fill's font went into the update without its font file (pdffonts: emb no):
     * poppler and MuPDF then drew the number "2806" as "4:28" and the date as symbols, or, on a
     * machine with fonts-liberation installed, with the system font's different glyph ids
     * ("ngây 02 thãng 12 nąm 2026"). With the subset embedded every reader shows the same text.
     */
    @Test
    void theIssuedNumberAndDateReadTheSameInEveryViewerBecauseTheirFontIsEmbedded() throws Exception {
        byte[] draft = TestPdfs.draftWithFields();
        byte[] official = sign(draft, pki.person(), PadesOptions.builder().anchor("{ky_so}", 120, 50).build());
        byte[] issued = sign(official, pki.organization(), PadesOptions.builder().role(PadesOptions.Role.ORGANIZATION)
                .fill("so_vb", "2806").fill("ngay", "ngày 02 tháng 12 năm 2026").build());
        Path file = Files.write(dir.resolve("issued.pdf"), issued);
        // the subset of the glyphs used (a few KB; the whole update with its CMS is about 20 KB), not the 390 KB font
        assertTrue(issued.length - official.length < 64 * 1024, "update of " + (issued.length - official.length) + " bytes");

        List<Poppler.Font> fonts = Poppler.fonts(file);
        assertFalse(fonts.isEmpty());
        assertTrue(fonts.stream().allMatch(Poppler.Font::embedded), "every font embedded: " + fonts);
        String text = Poppler.text(file);
        assertTrue(text.matches("(?s).*Số:\\s*2806\\s*/SCT-VP.*"), text);
        assertTrue(text.matches("(?s).*Đồng Nai,\\s+ngày 02 tháng 12 năm 2026.*"), text);
        assertEquals(List.of(true, true), Pdfsig.integrity(file));
        Path png = Poppler.render(file, 1);
        Files.copy(png, TestPdfs.renderedDir().resolve("issued-letter.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aMissingFieldOrAnotherValueInAFilledFieldIsRefusedBeforeAnythingIsWritten() throws Exception {
        byte[] draft = TestPdfs.draftWithFields();
        Path target = dir.resolve("never.pdf");
        try (Signer signer = TestPdfs.signer(pki.organization(), dir)) {
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new PadesFormat().sign(
                    Document.of(draft, "draft.pdf"), signer, SignOptions.builder().formatOptions(PadesOptions.builder()
                            .fill("so_khac", "1").build()).build(), target));
            assertTrue(missing.getMessage().contains("so_vb"), missing.getMessage());
            assertFalse(Files.exists(target));
        }
        byte[] issued = sign(draft, pki.organization(), PadesOptions.builder().fill("so_vb", "2806").build());
        byte[] again = sign(issued, pki.organization(), PadesOptions.builder().fill("so_vb", "2806").build());
        assertTrue(new PadesFormat().verify(Document.of(again, "again.pdf"), policy).allPassed(), "the same value is no change");
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> sign(issued, pki.organization(), PadesOptions.builder().fill("so_vb", "2807").build()));
        assertTrue(other.getMessage().contains("already holds \"2806\""), other.getMessage());
    }

    @Test
    void aValueThatCannotFitItsFieldIsRefused() throws Exception {
        byte[] draft = TestPdfs.draftWithFields();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sign(draft, pki.organization(),
                PadesOptions.builder().fill("so_vb", "2806/2026/QĐ-UBND và các văn bản kèm theo").build()));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
    }

    @Test
    void theFontSizeComesFromTheFieldsDefaultAppearance() {
        assertEquals(13f, FormFill.fontSize("/Helv 13.00 Tf 0 g"));
        assertEquals(0f, FormFill.fontSize("/Helv 0 Tf 0 g"));
        assertEquals(0f, FormFill.fontSize(null));
    }
}
