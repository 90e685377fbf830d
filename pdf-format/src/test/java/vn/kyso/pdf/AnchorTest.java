package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Document;
import vn.kyso.SignOptions;
import vn.kyso.Signer;
import vn.kyso.testkit.TestPki;

class AnchorTest {
    private static TestPki pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        pki = TestPki.start();
    }

    @AfterAll
    static void stop() {
        pki.close();
    }

    @Test
    void locateCentresTheBoxOnThePlaceholderAndReportsMissingText() throws Exception {
        try (PDDocument doc = Loader.loadPDF(TestPdfs.letter(2, "GIAM DOC {ky_so}"))) {
            float[] box = Anchor.locate(doc, "{ky_so}", 100, 40);
            assertEquals(1, (int) box[0]);
            float centreX = box[1] + 50;
            float centreY = box[2] + 20;
            assertTrue(centreX > 72 && centreX < 300, "x " + centreX);
            assertTrue(Math.abs(centreY - 764) < 8, "y " + centreY);
            assertNull(Anchor.locate(doc, "{khong_co}", 100, 40));
        }
    }

    @Test
    void signingAtAnAnchorPutsTheWidgetThereAndStaysValid() throws Exception {
        byte[] letter = TestPdfs.letter(1, "GIAM DOC {ky_so}");
        byte[] signed;
        try (Signer signer = TestPdfs.signer(pki.person(), dir)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new PadesFormat().sign(Document.of(letter, "in.pdf"), signer, SignOptions.builder()
                    .formatOptions(PadesOptions.builder().anchor("{ky_so}", 120, 50).text("Nguyễn Văn Ánh").build())
                    .build(), out);
            signed = out.toByteArray();
            PadesOptions missing = PadesOptions.builder().anchor("{khong_co}", 120, 50).build();
            assertThrows(IllegalArgumentException.class, () -> new PadesFormat().sign(Document.of(letter, "in.pdf"),
                    signer, SignOptions.builder().formatOptions(missing).build(), new ByteArrayOutputStream()));
        }
        assertEquals(List.of(true), Pdfsig.integrity(Files.write(dir.resolve("anchor.pdf"), signed)));
        try (PDDocument doc = Loader.loadPDF(signed)) {
            PDRectangle r = doc.getSignatureFields().get(0).getWidgets().get(0).getRectangle();
            assertEquals(120, r.getWidth(), 0.01);
            assertTrue(r.getLowerLeftY() < 764 && r.getUpperRightY() > 764, "rectangle " + r);
        }
    }
}
