package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;

class DraftFieldsTest {
    @TempDir
    Path dir;

    @Test
    void aFieldAtAnAnchorTakesItsPlaceBaselineAndSizeAndThePlaceholderIsGone() throws Exception {
        byte[] draft = TestPdfs.draftLetter();
        Anchor.Found anchor;
        try (PDDocument doc = Loader.loadPDF(draft)) {
            anchor = Anchor.find(doc, TestPdfs.NUMBER);
        }
        byte[] withFields = TestPdfs.draftWithFields();
        try (PDDocument doc = Loader.loadPDF(withFields)) {
            PDTextField number = (PDTextField) doc.getDocumentCatalog().getAcroForm().getField("so_vb");
            PDRectangle r = number.getWidgets().get(0).getRectangle();
            assertEquals(anchor.x(), r.getLowerLeftX(), 0.01);
            assertEquals(anchor.width(), r.getWidth(), 0.01);
            assertTrue(r.getLowerLeftY() < anchor.baseline() && r.getUpperRightY() > anchor.baseline() + 8, "on the baseline");
            assertEquals(13f, FormFill.fontSize(number.getDefaultAppearance()), 0.01);
            assertEquals(2, number.getQ(), "right-aligned");
            assertEquals("", number.getValueAsString());
            assertEquals(170, ((PDTextField) doc.getDocumentCatalog().getAcroForm().getField("ngay")).getWidgets().get(0)
                    .getRectangle().getWidth(), 0.01);
            String text = new PDFTextStripper().getText(doc);
            assertFalse(text.contains(TestPdfs.NUMBER) || text.contains(TestPdfs.DATE), text);
            assertTrue(text.contains("/SCT-VP") && text.contains("{ky_so}"), "the rest is untouched: " + text);
        }
    }

    @Test
    void aFieldAtARectangleIsWrittenToAFileWholeAndTheDraftIsUntouched() throws Exception {
        Path draft = Files.write(dir.resolve("draft.pdf"), TestPdfs.draftLetter());
        byte[] before = Files.readAllBytes(draft);
        Path target = dir.resolve("with-field.pdf");
        DraftFields.addTextFields(Document.of(draft), List.of(DraftFields.Field.at("so_den", 1, 60, 780, 120, 18,
                DraftFields.Alignment.CENTER)), target);
        assertArrayEquals(before, Files.readAllBytes(draft));
        try (PDDocument doc = Loader.loadPDF(target.toFile())) {
            PDTextField field = (PDTextField) doc.getDocumentCatalog().getAcroForm().getField("so_den");
            assertEquals(new PDRectangle(60, 780, 120, 18).toString(), field.getWidgets().get(0).getRectangle().toString());
            assertEquals(doc.getPage(0).getCOSObject(), field.getWidgets().get(0).getPage().getCOSObject());
            assertEquals(1, field.getQ());
        }
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file left");
        }
    }

    @Test
    void badRequestsAreRefusedAndNothingIsWritten() throws Exception {
        byte[] draft = TestPdfs.draftLetter();
        List<List<DraftFields.Field>> bad = List.of(
                List.of(DraftFields.Field.atAnchor("x", "{khong_co}", 0, DraftFields.Alignment.LEFT)),
                List.of(DraftFields.Field.at("x", 3, 10, 10, 10, 10, DraftFields.Alignment.LEFT)),
                List.of(DraftFields.Field.at("x", 1, 10, 10, 10, 10, DraftFields.Alignment.LEFT),
                        DraftFields.Field.at("x", 1, 50, 10, 10, 10, DraftFields.Alignment.LEFT)));
        for (List<DraftFields.Field> fields : bad) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThrows(IllegalArgumentException.class, () -> DraftFields.addTextFields(Document.of(draft, "d.pdf"), fields,
                    out));
            assertEquals(0, out.size());
        }
        byte[] withFields = TestPdfs.draftWithFields();
        assertThrows(IllegalArgumentException.class, () -> DraftFields.addTextFields(Document.of(withFields, "d.pdf"),
                List.of(DraftFields.Field.at("so_vb", 1, 10, 10, 10, 10, DraftFields.Alignment.LEFT)),
                new ByteArrayOutputStream()), "the name is taken");
        assertThrows(IllegalArgumentException.class, () -> DraftFields.Field.at("a.b", 1, 0, 0, 1, 1,
                DraftFields.Alignment.LEFT));
        assertThrows(DocumentMalformedException.class, () -> DraftFields.addTextFields(Document.of(
                "not a pdf".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "x.txt"), List.of(),
                new ByteArrayOutputStream()));
    }
}
