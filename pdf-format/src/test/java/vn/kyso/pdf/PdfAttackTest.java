package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationSquare;
import org.apache.pdfbox.pdmodel.graphics.color.PDColor;
import org.apache.pdfbox.pdmodel.graphics.color.PDDeviceRGB;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;
import vn.kyso.Indication;
import vn.kyso.SignOptions;
import vn.kyso.SignatureReport;
import vn.kyso.Signer;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestPki;

/**
 * The PDF signature attack classes (Universal Signature Forgery, Incremental Saving Attack,
 * Signature Wrapping, shadow hide/replace) crafted against a signed letter: none may pass.
 */
class PdfAttackTest {
    private static TestPki pki;
    private static byte[] signed;
    private static ValidationPolicy policy;

    @BeforeContainer
    static void signOnce() throws Exception {
        pki = TestPki.start();
        policy = ValidationPolicy.builder().trustAnchors(pki.roots())
                .revocation(ValidationPolicy.Revocation.NONE).build();
        Path dir = Files.createTempDirectory("kyso-attack");
        try (Signer signer = TestPdfs.signer(pki.person(), dir)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new PadesFormat().sign(Document.of(TestPdfs.letter(1, "Chi tra 1.000.000 dong"), "in.pdf"), signer,
                    SignOptions.defaults(), out);
            signed = out.toByteArray();
        }
    }

    @AfterContainer
    static void stop() {
        pki.close();
    }

    private static VerificationReport verify(byte[] pdf) throws Exception {
        return new PadesFormat().verify(Document.of(pdf, "attacked.pdf"), policy);
    }

    private static void assertNotPassed(byte[] pdf) throws Exception {
        try {
            VerificationReport report = verify(pdf);
            assertFalse(report.allPassed(), report.toText());
        } catch (DocumentMalformedException rejected) {
            assertTrue(rejected.getMessage().contains("PDF"));
        }
    }

    @net.jqwik.api.Example
    void theUntouchedLetterPasses() throws Exception {
        assertTrue(verify(signed).allPassed(), verify(signed).toText());
    }

    @net.jqwik.api.Example
    void appendedPageContentIsAnIncrementalSavingAttack() throws Exception {
        try (PDDocument doc = Loader.loadPDF(signed)) {
            PDPage page = doc.getPage(0);
            try (PDPageContentStream s = new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.APPEND, false)) {
                s.beginText();
                s.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD), 12);
                s.newLineAtOffset(72, 700);
                s.showText("Chi tra 9.000.000 dong");
                s.endText();
            }
            page.getCOSObject().setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.saveIncremental(out);
            VerificationReport report = verify(out.toByteArray());
            SignatureReport s = report.signatures().get(0);
            assertEquals(Indication.TOTAL_FAILED, s.indication(), report.toText());
            assertTrue(s.has("PAGE_CONTENT_CHANGED_AFTER_SIGNING"), report.toText());
            assertTrue(s.intact(), "the signed revision itself is intact; the later change is what fails it");
        }
    }

    @net.jqwik.api.Example
    void anOverlayAnnotationAddedLaterIsAShadowAttack() throws Exception {
        try (PDDocument doc = Loader.loadPDF(signed)) {
            PDPage page = doc.getPage(0);
            PDAnnotationSquare box = new PDAnnotationSquare();
            box.setRectangle(new PDRectangle(60, 740, 300, 40));
            box.setInteriorColor(new PDColor(new float[] {1, 1, 1}, PDDeviceRGB.INSTANCE));
            box.constructAppearances(doc);
            page.getAnnotations().add(box);
            page.getCOSObject().setNeedToBeUpdated(true);
            box.getCOSObject().setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.saveIncremental(out);
            VerificationReport report = verify(out.toByteArray());
            assertTrue(report.signatures().get(0).has("ANNOTATION_CHANGED_AFTER_SIGNING"), report.toText());
            assertEquals(Indication.TOTAL_FAILED, report.signatures().get(0).indication());
        }
    }

    @net.jqwik.api.Example
    void aByteRangeThatSkipsBytesIsRejected() throws Exception {
        String text = new String(signed, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("/ByteRange [");
        int end = text.indexOf(']', at);
        String original = text.substring(at, end + 1);
        String[] n = original.substring("/ByteRange [".length(), original.length() - 1).trim().split("\\s+");
        long shortened = Long.parseLong(n[3]) - 10;
        String forged = "/ByteRange [" + n[0] + " " + n[1] + " " + n[2] + " " + shortened + "]";
        forged = forged + " ".repeat(original.length() - forged.length());
        assertEquals(original.length(), forged.length());
        byte[] attacked = (text.substring(0, at) + forged + text.substring(end + 1)).getBytes(StandardCharsets.ISO_8859_1);
        assertNotPassed(attacked);
    }

    @net.jqwik.api.Example
    void aZeroByteRangeIsAUniversalSignatureForgery() throws Exception {
        String text = new String(signed, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("/ByteRange [");
        int end = text.indexOf(']', at);
        String original = text.substring(at, end + 1);
        String forged = "/ByteRange [0 0 0 0]";
        forged = forged + " ".repeat(original.length() - forged.length());
        byte[] attacked = (text.substring(0, at) + forged + text.substring(end + 1)).getBytes(StandardCharsets.ISO_8859_1);
        VerificationReport report = verify(attacked);
        assertEquals(Indication.TOTAL_FAILED, report.signatures().get(0).indication(), report.toText());
        assertTrue(report.signatures().get(0).has("BYTE_RANGE_INVALID"));
    }

    @net.jqwik.api.Example
    void emptiedContentsIsRejected() throws Exception {
        String text = new String(signed, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("/Contents <") + "/Contents <".length();
        int end = text.indexOf('>', at);
        byte[] attacked = signed.clone();
        for (int i = at; i < end; i++) {
            attacked[i] = '0';
        }
        assertNotPassed(attacked);
    }

    @net.jqwik.api.Example
    void truncationAndGarbageAreTypedErrorsOrFailures() throws Exception {
        for (int cut : List.of(10, 200, signed.length / 2, signed.length - 5)) {
            assertNotPassed(java.util.Arrays.copyOf(signed, cut));
        }
    }

    /** Any byte flipped inside the signed ranges (outside the /Contents hole) is detected. */
    @Property(tries = 60)
    void anyFlippedSignedByteIsDetected(@ForAll @IntRange(min = 0, max = 1_000_000) int position,
            @ForAll @IntRange(min = 1, max = 255) int mask) throws Exception {
        String text = new String(signed, StandardCharsets.ISO_8859_1);
        int holeStart = text.indexOf("/Contents <") + "/Contents ".length();
        int holeEnd = text.indexOf('>', holeStart) + 1;
        int signedLength = signed.length - (holeEnd - holeStart);
        int p = position % signedLength;
        int index = p < holeStart ? p : p + (holeEnd - holeStart);
        byte[] attacked = signed.clone();
        attacked[index] ^= (byte) mask;
        assertNotEquals(signed[index], attacked[index]);
        assertNotPassed(attacked);
    }
}
