package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

/** Placeholders taken out of content streams: the text after them must not move. */
class PlaceholderEraserTest {

    /** A page whose content is {@code content}, with Helvetica as /F1. */
    private static byte[] page(String content) throws Exception {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            PDResources resources = new PDResources();
            resources.put(COSName.getPDFName("F1"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
            page.setResources(resources);
            PDStream stream = new PDStream(doc);
            try (OutputStream out = stream.createOutputStream()) {
                out.write(content.getBytes(StandardCharsets.US_ASCII));
            }
            page.setContents(stream);
            doc.addPage(page);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** Erases {@code placeholder} and returns where {@code after} was drawn before and after. */
    private static float[] eraseAndLocate(byte[] pdf, String placeholder, String after) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            Anchor.Found before = Anchor.find(doc, after);
            assertNotNull(before, after + " is on the page");
            PlaceholderEraser.erase(doc, doc.getPage(0), 1, placeholder);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            try (PDDocument saved = Loader.loadPDF(out.toByteArray())) {
                assertNull(Anchor.find(saved, placeholder), "the placeholder is gone");
                Anchor.Found now = Anchor.find(saved, after);
                return new float[] {before.x(), now.x(), before.baseline(), now.baseline()};
            }
        }
    }

    @Test
    void aType0PlaceholderGoesAndTheTextAfterItStaysPut() throws Exception {
        float[] x = eraseAndLocate(TestPdfs.draftLetter(), "{so_vb}", "/SCT-VP");
        assertEquals(x[0], x[1], 0.01);
        assertEquals(x[2], x[3], 0.01);
    }

    @Test
    void kerningCharacterAndWordSpacingInsideATjArrayAreKeptInTheDisplacement() throws Exception {
        byte[] pdf = page("BT /F1 12 Tf 1.5 Tc 2 Tw 72 700 Td [(So: {so) -120 (_vb} /SCT-VP) 80 (end)] TJ ET");
        float[] x = eraseAndLocate(pdf, "{so_vb}", "/SCT-VP");
        assertEquals(x[0], x[1], 0.01);
        float[] end = eraseAndLocate(pdf, "{so_vb}", "end");
        assertEquals(end[0], end[1], 0.01);
    }

    @Test
    void quoteOperatorsKeepTheirLineMoveAndSpacing() throws Exception {
        byte[] pdf = page("BT /F1 12 Tf 14 TL 72 700 Td (Line one) Tj 3 0.5 (So {so_vb} /SCT-VP) \" ET");
        float[] x = eraseAndLocate(pdf, "{so_vb}", "/SCT-VP");
        assertEquals(x[0], x[1], 0.01);
        assertEquals(x[2], x[3], 0.01);
    }

    @Test
    void aPlaceholderDrawnInPiecesOrTwiceIsRefused() throws Exception {
        try (PDDocument doc = Loader.loadPDF(page("BT /F1 12 Tf 72 700 Td ({so_) Tj (vb}) Tj ET"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PlaceholderEraser.erase(doc, doc.getPage(0), 1, "{so_vb}"));
            assertTrue(e.getMessage().contains("in pieces"), e.getMessage());
        }
        try (PDDocument doc = Loader.loadPDF(page("BT /F1 12 Tf 72 700 Td ({so_vb}) Tj 0 -20 Td ({so_vb}) Tj ET"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PlaceholderEraser.erase(doc, doc.getPage(0), 1, "{so_vb}"));
            assertTrue(e.getMessage().contains("2 times"), e.getMessage());
        }
    }
}
