package vn.kyso.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import vn.kyso.Document;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.pdf.PadesFormat;
import vn.kyso.testkit.TestPki;

/** Letters to sign and the checks of a signed PDF: kyso's verifier, poppler's pdfsig and pdftotext. */
final class SignedPdfs {
    private SignedPdfs() {
    }

    /** A one-page A4 letter with a line of text (Helvetica, ASCII). */
    static byte[] letter(String line) throws Exception {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                cs.newLineAtOffset(72, 760);
                cs.showText(line);
                cs.endText();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    /**
     * kyso's report on {@code pdf} with the test PKI's roots trusted, its issuing CAs known (the
     * clerk's token holds no CA certificate, so its signatures carry none) and no revocation checks.
     */
    static VerificationReport verify(byte[] pdf, TestPki pki) throws Exception {
        return new PadesFormat().verify(Document.of(pdf, "signed.pdf"), ValidationPolicy.builder()
                .trustAnchors(pki.roots()).intermediates(java.util.List.of(pki.person().issuer(),
                        pki.organization().issuer())).revocation(ValidationPolicy.Revocation.NONE).build());
    }

    /** Asserts poppler's pdfsig finds {@code count} signatures, each valid. */
    static void assertPdfsigValid(byte[] pdf, Path dir, int count) throws Exception {
        String out = run(dir, pdf, "pdfsig");
        Matcher valid = Pattern.compile("Signature Validation: Signature is Valid\\.").matcher(out);
        int n = 0;
        while (valid.find()) {
            n++;
        }
        assertEquals(count, n, out);
        assertTrue(out.contains("Signature #" + count + ":") && !out.contains("Signature #" + (count + 1) + ":"), out);
    }

    /** The text poppler's pdftotext reads (page content and annotation appearances). */
    static String text(byte[] pdf, Path dir) throws Exception {
        return run(dir, pdf, "pdftotext", "-enc", "UTF-8");
    }

    private static String run(Path dir, byte[] pdf, String... command) throws Exception {
        Path file = Files.createTempFile(dir, "signed", ".pdf");
        Files.write(file, pdf);
        String[] full = new String[command.length + 2];
        System.arraycopy(command, 0, full, 0, command.length);
        full[command.length] = file.toString();
        full[command.length + 1] = command[0].equals("pdftotext") ? "-" : file.toString();
        if (command[0].equals("pdfsig")) {
            full = new String[] {"pdfsig", file.toString()};
        }
        Process p;
        try {
            p = new ProcessBuilder(full).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError(command[0] + " is missing: install the Debian package poppler-utils", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command[0] + " hangs");
        return out;
    }
}
