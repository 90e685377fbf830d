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
import vn.kyso.KeySource;
import vn.kyso.Kyso;
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

    /** A signer for {@code identity} through the pkcs12 provider, the way an application gets one. */
    static Signer signer(TestIdentity identity, Path dir) throws Exception {
        Path file = dir.resolve(identity.alias() + ".p12");
        if (!Files.exists(file)) {
            Files.write(file, identity.toPkcs12(PASSWORD));
        }
        KeySource source = Kyso.discover().connect("pkcs12", Map.of("file", file.toString()), CredentialCallback.of(PASSWORD));
        return source.open(source.keys().get(0).id());
    }
}
