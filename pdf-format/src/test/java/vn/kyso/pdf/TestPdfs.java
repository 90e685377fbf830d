package vn.kyso.pdf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import vn.kyso.CredentialCallback;
import vn.kyso.Document;
import vn.kyso.KeySource;
import vn.kyso.Kyso;
import vn.kyso.SignOptions;
import vn.kyso.Signer;
import vn.kyso.testkit.TestIdentity;

/** Unsigned PDFs and signers for the tests. */
final class TestPdfs {
    static final char[] PASSWORD = "123456".toCharArray();

    private TestPdfs() {
    }

    static byte[] letter(int pages, String text) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int p = 0; p < pages; p++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
                    s.beginText();
                    s.setFont(font, 12);
                    s.newLineAtOffset(72, 760);
                    s.showText(text + " - page " + (p + 1));
                    s.endText();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    /**
     * A one-page Vietnamese letter drawn in the bundled Liberation Serif (a Type 0 font, as word
     * processors embed them) with the placeholders "{so_vb}" in "Số: {so_vb}/SCT-VP" and
     * "{ngay_ban_hanh}" in the date line, and "{ky_so}" under the signer's title.
     */
    static byte[] draftLetter() throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            org.apache.pdfbox.pdmodel.font.PDType0Font font = org.apache.pdfbox.pdmodel.font.PDType0Font.load(doc,
                    Appearance.fontStream(null), true);
            try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
                line(s, font, 13, 110, 760, "SỞ CÔNG THƯƠNG");
                line(s, font, 13, 100, 735, "Số: " + NUMBER + "/SCT-VP");
                line(s, font, 13, 330, 735, "Đồng Nai, " + DATE);
                line(s, font, 13, 85, 690, "Chi trả 1.000.000 đồng cho các đơn vị thực hiện ký số.");
                line(s, font, 13, 400, 600, "GIÁM ĐỐC");
                line(s, font, 11, 410, 560, "{ky_so}");
                line(s, font, 13, 390, 500, "Nguyễn Văn An");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    static final String NUMBER = "{so_vb}";
    static final String DATE = "{ngay_ban_hanh}";

    private static void line(PDPageContentStream s, org.apache.pdfbox.pdmodel.font.PDFont font, float size, float x,
            float y, String text) throws IOException {
        s.beginText();
        s.setFont(font, size);
        s.newLineAtOffset(x, y);
        s.showText(text);
        s.endText();
    }

    /** {@link #draftLetter()} with the number and date placeholders turned into empty fields "so_vb" and "ngay". */
    static byte[] draftWithFields() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DraftFields.addTextFields(vn.kyso.Document.of(draftLetter(), "draft.pdf"), java.util.List.of(
                DraftFields.Field.atAnchor("so_vb", NUMBER, 0, DraftFields.Alignment.RIGHT),
                DraftFields.Field.atAnchor("ngay", DATE, 170, DraftFields.Alignment.LEFT)), out);
        return out.toByteArray();
    }

    /** A signer for {@code identity} through the pkcs12 provider, the way an application gets one. */
    static Signer signer(TestIdentity identity, Path dir) throws Exception {
        Path file = dir.resolve(identity.alias() + ".p12");
        if (!Files.exists(file)) {
            Files.write(file, identity.toPkcs12(PASSWORD));
        }
        KeySource source = Kyso.discover().connect("pkcs12", Map.of("file", file.toString()), CredentialCallback.of(PASSWORD));
        return source.open(source.keys().get(0).id());
    }

    /** {@code pdf} signed in memory by {@code who} (key file kept in {@code dir}) with {@code options}. */
    static byte[] sign(byte[] pdf, TestIdentity who, SignOptions options, Path dir) throws Exception {
        try (Signer signer = signer(who, dir)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new PadesFormat().sign(Document.of(pdf, "in.pdf"), signer, options, out);
            return out.toByteArray();
        }
    }

    /** Where tests leave the pages they render (target/rendered), for a person to look at. */
    static Path renderedDir() throws IOException {
        return Files.createDirectories(Path.of("target", "rendered"));
    }

    /** {@code pdf} signed at level B with {@code options} as its PDF options. */
    static byte[] sign(byte[] pdf, TestIdentity who, PadesOptions options, Path dir) throws Exception {
        return sign(pdf, who, SignOptions.builder().formatOptions(options).build(), dir);
    }
}
