package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Document;
import vn.kyso.Indication;
import vn.kyso.SignatureReport;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;

/**
 * Form fields changed after a signature: a fill of an empty field over blank space is allowed;
 * fills over signed content (shadow hide / replace), changed values and redrawn appearances are not.
 */
class FieldChangesTest {
    private static TestPki pki;
    private static ValidationPolicy policy;
    /** Over the signed line "Chi trả 1.000.000 đồng ..." of the draft letter. */
    private static final DraftFields.Field OVER_TEXT = DraftFields.Field.at("ghi_chu", 1, 80, 684, 330, 20,
            DraftFields.Alignment.LEFT);
    private static final String WHITE_BOX_AND_TEXT = "1 1 1 rg 0 0 330 20 re f BT /Helv 13 Tf 0 g 5 5 Td (Chi tra 9.000.000 dong) Tj ET";
    private static final String TEXT_ONLY = "BT /Helv 13 Tf 0 g 5 5 Td (9.000.000) Tj ET";

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

    private static VerificationReport verify(byte[] pdf) throws Exception {
        return new PadesFormat().verify(Document.of(pdf, "changed.pdf"), policy);
    }

    private static byte[] withFields(byte[] pdf, DraftFields.Field... fields) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DraftFields.addTextFields(Document.of(pdf, "draft.pdf"), List.of(fields), out);
        return out.toByteArray();
    }

    /** Another tool's incremental update that sets a text field's value and appearance (null: leave it). */
    static byte[] fillLater(byte[] signed, String field, String value, String appearance) throws Exception {
        try (PDDocument doc = Loader.loadPDF(signed)) {
            PDAcroForm form = doc.getDocumentCatalog().getAcroForm();
            PDTextField text = (PDTextField) form.getField(field);
            if (value != null) {
                text.getCOSObject().setString(COSName.V, value);
                text.getCOSObject().setNeedToBeUpdated(true);
            }
            if (appearance != null) {
                PDAnnotationWidget widget = text.getWidgets().get(0);
                PDAppearanceStream look = new PDAppearanceStream(doc);
                look.setBBox(new PDRectangle(widget.getRectangle().getWidth(), widget.getRectangle().getHeight()));
                PDResources resources = new PDResources();
                resources.put(COSName.getPDFName("Helv"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
                look.setResources(resources);
                try (OutputStream out = look.getCOSObject().createOutputStream()) {
                    out.write(appearance.getBytes(StandardCharsets.US_ASCII));
                }
                PDAppearanceDictionary ap = new PDAppearanceDictionary();
                ap.setNormalAppearance(look);
                widget.setAppearance(ap);
                widget.getCOSObject().setNeedToBeUpdated(true);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.saveIncremental(out);
            return out.toByteArray();
        }
    }

    @Test
    void anotherToolsFillOfAnEmptyFieldOverBlankSpaceIsAllowedFormFill() throws Exception {
        byte[] signed = sign(TestPdfs.draftWithFields(), pki.person(), PadesOptions.builder().build());
        byte[] filled = fillLater(signed, "so_vb", "2806", TEXT_ONLY);
        SignatureReport s = verify(filled).signatures().get(0);
        assertEquals(Indication.TOTAL_PASSED, s.indication(), s.toString());
        assertTrue(s.laterChanges().stream().anyMatch(c -> c.contains("form field \"so_vb\" filled: \"2806\"")), s.toString());
        assertEquals(List.of(true), Pdfsig.integrity(Files.write(dir.resolve("filled.pdf"), filled)));
    }

    @Test
    void aFillWhoseOpaqueAppearanceHidesAndReplacesSignedTextIsAShadowAttack() throws Exception {
        byte[] signed = sign(withFields(TestPdfs.draftLetter(), OVER_TEXT), pki.person(), PadesOptions.builder().build());
        assertTrue(verify(signed).allPassed(), "an empty field over the text hides nothing yet");
        SignatureReport s = verify(fillLater(signed, "ghi_chu", "Chi tra 9.000.000 dong", WHITE_BOX_AND_TEXT))
                .signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, s.indication(), s.toString());
        assertTrue(s.has("FORM_FIELD_COVERS_SIGNED_CONTENT"), s.toString());
        SignatureReport hide = verify(fillLater(signed, "ghi_chu", " ", "1 1 1 rg 0 0 330 20 re f")).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, hide.indication(), "hiding with a white box and a blank value: " + hide);
    }

    @Test
    void textFilledOverSignedTextIsFlaggedEvenWithoutAnOpaqueBackground() throws Exception {
        byte[] signed = sign(withFields(TestPdfs.draftLetter(), OVER_TEXT), pki.person(), PadesOptions.builder().build());
        SignatureReport s = verify(fillLater(signed, "ghi_chu", "9.000.000", TEXT_ONLY)).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, s.indication(), s.toString());
        assertTrue(s.has("FORM_FIELD_COVERS_SIGNED_CONTENT"), s.toString());
    }

    @Test
    void kysosOwnFillOverSignedTextBreaksTheEarlierSignatureNotItsOwn() throws Exception {
        byte[] signed = sign(withFields(TestPdfs.draftLetter(), OVER_TEXT), pki.person(), PadesOptions.builder().build());
        byte[] issued = sign(signed, pki.organization(), PadesOptions.builder().role(PadesOptions.Role.ORGANIZATION)
                .fill("ghi_chu", "Chi trả 9.000.000 đồng").build());
        VerificationReport report = verify(issued);
        assertEquals(Indication.TOTAL_FAILED, report.signatures().get(0).indication(), report.toText());
        assertTrue(report.signatures().get(0).has("FORM_FIELD_COVERS_SIGNED_CONTENT"), report.toText());
        assertEquals(Indication.TOTAL_PASSED, report.signatures().get(1).indication(), report.toText());
    }

    @Test
    void overAScannedImageATextOnlyFillIsAllowedAndAnOpaqueOneIsNot() throws Exception {
        byte[] scan;
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            java.awt.image.BufferedImage grey = new java.awt.image.BufferedImage(60, 80,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int x = 0; x < 60; x++) {
                for (int y = 0; y < 80; y++) {
                    grey.setRGB(x, y, 0xF0F0F0);
                }
            }
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.drawImage(LosslessFactory.createFromImage(doc, grey), 0, 0, 595, 842);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            scan = out.toByteArray();
        }
        byte[] signed = sign(withFields(scan, DraftFields.Field.at("so_den", 1, 60, 760, 120, 20,
                DraftFields.Alignment.LEFT)), pki.person(), PadesOptions.builder().build());
        assertTrue(verify(fillLater(signed, "so_den", "345", TEXT_ONLY)).allPassed(), "text written on the scan");
        SignatureReport opaque = verify(fillLater(signed, "so_den", "345", WHITE_BOX_AND_TEXT)).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, opaque.indication(), opaque.toString());
        assertTrue(opaque.has("FORM_FIELD_COVERS_SIGNED_CONTENT"), opaque.toString());
    }

    @Test
    void changingTheValueTheOrganizationFilledFailsItsSignature() throws Exception {
        byte[] official = sign(TestPdfs.draftWithFields(), pki.person(), PadesOptions.builder().build());
        byte[] issued = sign(official, pki.organization(), PadesOptions.builder().role(PadesOptions.Role.ORGANIZATION)
                .fill("so_vb", "2806").build());
        VerificationReport report = verify(fillLater(issued, "so_vb", "2807", TEXT_ONLY));
        SignatureReport organization = report.signatures().get(1);
        assertEquals(Indication.TOTAL_FAILED, organization.indication(), report.toText());
        assertTrue(organization.has("FORM_FIELD_CHANGED_AFTER_SIGNING"), report.toText());
        assertFalse(report.allPassed());
        // the leader signed the field empty: for that signature, 2807 is a fill like 2806 was
        assertTrue(report.signatures().get(0).laterChanges().stream().anyMatch(c -> c.contains("\"2807\"")),
                report.toText());
    }

    @Test
    void redrawingAFieldWithoutFillingItIsFlagged() throws Exception {
        byte[] signed = sign(TestPdfs.draftWithFields(), pki.person(), PadesOptions.builder().build());
        SignatureReport s = verify(fillLater(signed, "so_vb", null, TEXT_ONLY)).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, s.indication(), s.toString());
        assertTrue(s.has("FORM_FIELD_APPEARANCE_REPLACED"), s.toString());
    }

    @Test
    void aFieldAddedAfterSigningIsFlaggedAndTheHelperRefusesToAddIt() throws Exception {
        byte[] signed = sign(TestPdfs.draftLetter(), pki.person(), PadesOptions.builder().build());
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> withFields(signed, DraftFields.Field.at("moi", 1, 300, 300, 100, 20, DraftFields.Alignment.LEFT)));
        assertTrue(refused.getMessage().contains("before its first signature"), refused.getMessage());
        byte[] added;
        try (PDDocument doc = Loader.loadPDF(signed)) {
            PDAcroForm form = doc.getDocumentCatalog().getAcroForm();
            PDTextField field = new PDTextField(form);
            field.setPartialName("moi");
            PDAnnotationWidget widget = field.getWidgets().get(0);
            widget.setRectangle(new PDRectangle(300, 300, 100, 20));
            PDPage page = doc.getPage(0);
            widget.setPage(page);
            page.getAnnotations().add(widget);
            form.getFields().add(field);
            page.getCOSObject().setNeedToBeUpdated(true);
            form.getCOSObject().setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.saveIncremental(out);
            added = out.toByteArray();
        }
        SignatureReport s = verify(added).signatures().get(0);
        assertFalse(s.indication() == Indication.TOTAL_PASSED, s.toString());
        assertTrue(s.has("ANNOTATION_CHANGED_AFTER_SIGNING"), s.toString());
    }

    @Test
    void aWidgetThatNoFieldListsCannotHaveItsAppearanceSwapped() throws Exception {
        byte[] draft;
        try (PDDocument doc = Loader.loadPDF(TestPdfs.letter(1, "Cong van"))) {
            PDAnnotationWidget orphan = new PDAnnotationWidget();
            orphan.setRectangle(new PDRectangle(72, 600, 200, 20));
            orphan.setPrinted(true);
            doc.getPage(0).getAnnotations().add(orphan);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            draft = out.toByteArray();
        }
        byte[] signed = sign(draft, pki.person(), PadesOptions.builder().build());
        byte[] swapped;
        try (PDDocument doc = Loader.loadPDF(signed)) {
            PDAnnotationWidget orphan = (PDAnnotationWidget) doc.getPage(0).getAnnotations().stream()
                    .filter(a -> a instanceof PDAnnotationWidget w && w.getCOSObject().getDictionaryObject(COSName.FT) == null)
                    .findFirst().orElseThrow();
            PDAppearanceStream look = new PDAppearanceStream(doc);
            look.setBBox(new PDRectangle(200, 20));
            try (OutputStream out = look.getCOSObject().createOutputStream()) {
                out.write(TEXT_ONLY.getBytes(StandardCharsets.US_ASCII));
            }
            PDAppearanceDictionary ap = new PDAppearanceDictionary();
            ap.setNormalAppearance(look);
            orphan.setAppearance(ap);
            orphan.getCOSObject().setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.saveIncremental(out);
            swapped = out.toByteArray();
        }
        SignatureReport s = verify(swapped).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, s.indication(), s.toString());
        assertTrue(s.has("FORM_FIELD_APPEARANCE_REPLACED"), s.toString());
    }
}
