package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;

class AppearanceTest {
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

    private static byte[] png(Color color) throws Exception {
        BufferedImage image = new BufferedImage(120, 60, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillOval(10, 10, 100, 40);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private byte[] sign(byte[] pdf, TestIdentity who, PadesOptions options) throws Exception {
        return TestPdfs.sign(pdf, who, options, dir);
    }

    private static String visibleText(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            doc.getDocumentCatalog().getAcroForm().flatten();
            return new PDFTextStripper().getText(doc);
        }
    }

    @Test
    void approvalOfficialAndOrganizationAppearancesKeepEarlierSignaturesValid() throws Exception {
        byte[] letter = TestPdfs.letter(2, "Cong van so 12/UBND");
        byte[] approved = sign(letter, pki.person(), PadesOptions.builder().role(PadesOptions.Role.APPROVAL)
                .place(2, 400, 90, 40, 14).text("NVA").build());
        byte[] official = sign(approved, pki.person(), PadesOptions.builder().role(PadesOptions.Role.OFFICIAL)
                .place(2, 330, 120, 180, 90).image(png(Color.BLUE)).text("Giám đốc\nNguyễn Văn Ánh").build());
        byte[] issued = sign(official, pki.organization(), PadesOptions.builder()
                .role(PadesOptions.Role.ORGANIZATION).place(2, 270, 110, 120, 100).image(png(Color.RED))
                .text("Sở Công Thương tỉnh Đồng Nai").build());

        assertArrayEquals(official, java.util.Arrays.copyOf(issued, official.length), "an incremental update");
        assertEquals(List.of(true, true, true), Pdfsig.integrity(Files.write(dir.resolve("roles.pdf"), issued)));
        String text = visibleText(issued);
        assertTrue(text.contains("Nguyễn Văn Ánh"), text);
        assertTrue(text.contains("Sở Công Thương tỉnh Đồng Nai"), text);
        assertTrue(text.matches("(?s).*\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+07:00.*"), text);
        try (PDDocument doc = Loader.loadPDF(issued)) {
            List<PDSignatureField> fields = doc.getSignatureFields();
            assertEquals(3, fields.size());
            PDAnnotationWidget seal = fields.get(2).getWidgets().get(0);
            assertEquals(doc.getPage(1).getCOSObject(), seal.getPage().getCOSObject());
            assertNotNull(seal.getNormalAppearanceStream().getResources().getXObjectNames().iterator().next());
        }
    }

    @Test
    void attachmentRoleShowsNumberAndTimeAtTheTopRightOfPageOneWithoutImage() throws Exception {
        byte[] signed = sign(TestPdfs.letter(1, "Phu luc"), pki.organization(), PadesOptions.builder()
                .role(PadesOptions.Role.ATTACHMENT).image(png(Color.RED)).text("Số: 12/QĐ-UBND").build());
        assertEquals(List.of(true), Pdfsig.integrity(Files.write(dir.resolve("attachment.pdf"), signed)));
        assertTrue(visibleText(signed).contains("Số: 12/QĐ-UBND"));
        try (PDDocument doc = Loader.loadPDF(signed)) {
            PDAnnotationWidget widget = doc.getSignatureFields().get(0).getWidgets().get(0);
            PDRectangle page = doc.getPage(0).getMediaBox();
            assertTrue(widget.getRectangle().getUpperRightX() > page.getWidth() / 2);
            assertTrue(widget.getRectangle().getLowerLeftY() > page.getHeight() / 2);
            assertFalse(widget.getNormalAppearanceStream().getResources().getXObjectNames().iterator().hasNext(),
                    "no image for an attachment");
        }
    }

    @Test
    void incomingStampKeepsTheSendersSignatureValidAndShowsDen() throws Exception {
        byte[] sent = sign(TestPdfs.letter(1, "Cong van den"), pki.organization(), PadesOptions.builder().build());
        byte[] received = sign(sent, pki.person(), PadesOptions.builder().role(PadesOptions.Role.INCOMING)
                .place(1, 40, 700, 160, 60).text("Số: 345").build());
        assertEquals(List.of(true, true), Pdfsig.integrity(Files.write(dir.resolve("incoming.pdf"), received)));
        String text = visibleText(received);
        assertTrue(text.contains("ĐẾN") && text.contains("Số: 345"), text);
    }

    @Test
    void aCopyShowsFormNumberOrganizationAndTimeInTheTopMarginOfPageOneWithoutImage() throws Exception {
        byte[] copy = sign(TestPdfs.letter(2, "Ban chinh"), pki.organization(), PadesOptions.builder()
                .role(PadesOptions.Role.COPY).copy(PadesOptions.CopyForm.SAO_Y, "05/SY-SCT").image(png(Color.RED)).build());
        assertEquals(List.of(true), Pdfsig.integrity(Files.write(dir.resolve("copy.pdf"), copy)));
        String text = visibleText(copy);
        assertTrue(text.contains("SAO Y – Số: 05/SY-SCT"), text);
        assertTrue(text.contains("Sở Công Thương tỉnh Đồng Nai"), "the certificate's name when no text is given: " + text);
        assertTrue(text.matches("(?s).*\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+07:00.*"), text);
        try (PDDocument doc = Loader.loadPDF(copy)) {
            PDAnnotationWidget widget = doc.getSignatureFields().get(0).getWidgets().get(0);
            PDRectangle page = doc.getPage(0).getMediaBox();
            assertEquals(doc.getPage(0).getCOSObject(), widget.getPage().getCOSObject());
            assertTrue(widget.getRectangle().getLowerLeftY() > page.getHeight() - 56.7f, "inside a 2 cm top margin: "
                    + widget.getRectangle());
            assertTrue(widget.getRectangle().getUpperRightX() < page.getWidth() - 40);
            assertFalse(widget.getNormalAppearanceStream().getResources().getXObjectNames().iterator().hasNext(),
                    "no image for a copy");
        }
        assertThrows(IllegalArgumentException.class, () -> PadesOptions.builder().role(PadesOptions.Role.COPY).build(),
                "a copy needs its form and number");
    }

    @Test
    void theSealSitsAtTheRightOfTheOrganizationBoxWithTheTextFittedToItsLeft() throws Exception {
        byte[] issued = sign(TestPdfs.letter(1, "Cong van"), pki.organization(), PadesOptions.builder()
                .role(PadesOptions.Role.ORGANIZATION).place(1, 150, 400, 300, 100).image(png(Color.RED)).build());
        try (PDDocument doc = Loader.loadPDF(issued)) {
            org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream look = doc.getSignatureFields().get(0)
                    .getWidgets().get(0).getNormalAppearanceStream();
            List<Object> tokens = new org.apache.pdfbox.pdfparser.PDFStreamParser(look).parse();
            float imageX = -1;
            float textStart = 0;
            org.apache.pdfbox.pdmodel.font.PDFont font = null;
            float size = 0;
            for (int i = 0; i < tokens.size(); i++) {
                if (tokens.get(i) instanceof org.apache.pdfbox.contentstream.operator.Operator op) {
                    switch (op.getName()) {
                        case "cm" -> imageX = ((org.apache.pdfbox.cos.COSNumber) tokens.get(i - 2)).floatValue();
                        case "Tf" -> {
                            font = look.getResources().getFont((org.apache.pdfbox.cos.COSName) tokens.get(i - 2));
                            size = ((org.apache.pdfbox.cos.COSNumber) tokens.get(i - 1)).floatValue();
                        }
                        case "Td" -> textStart = Math.max(textStart, ((org.apache.pdfbox.cos.COSNumber) tokens.get(i - 2))
                                .floatValue());
                        default -> { }
                    }
                }
            }
            assertEquals(300 - 100 * 120f / 60f, imageX, 0.5f, "the 2:1 image fills the height at the right");
            assertTrue(size >= Appearance.MIN_TEXT_SIZE && size <= Appearance.TEXT_SIZE, "size " + size);
            assertTrue(textStart < imageX, "every line starts left of the seal");
            float nameWidth = font.getStringWidth("Sở Công Thương tỉnh Đồng Nai") / 1000 * size;
            assertTrue(nameWidth <= imageX, "the name fits left of the seal: " + nameWidth + " <= " + imageX);
        }
        String text = visibleText(issued);
        assertTrue(text.contains("Sở Công Thương tỉnh Đồng Nai"), text);
    }

    /**
     * Every kind of appearance kyso draws, read by poppler: a text in a font that is not embedded
     * would be drawn by each viewer with whatever font the machine has (garbage glyphs in poppler
     * and MuPDF without it, wrong glyph ids with another LiberationSerif), so each must list its
     * fonts as embedded and give back its Vietnamese text.
     */
    @Test
    void everyAppearanceKindEmbedsItsFontSoEveryViewerReadsItsVietnameseText() throws Exception {
        byte[] approved = sign(TestPdfs.draftLetter(), pki.ecPerson(), PadesOptions.builder()
                .role(PadesOptions.Role.APPROVAL).place(1, 470, 470, 60, 14).text("Nguyễn Văn An").build());
        byte[] official = sign(approved, pki.person(), PadesOptions.builder().role(PadesOptions.Role.OFFICIAL)
                .place(1, 360, 330, 180, 90).image(png(Color.BLUE)).text("Giám đốc\nNguyễn Văn Ánh").build());
        byte[] issued = sign(official, pki.organization(), PadesOptions.builder().role(PadesOptions.Role.ORGANIZATION)
                .place(1, 150, 330, 200, 90).image(png(Color.RED)).text("Sở Công Thương tỉnh Đồng Nai").build());
        byte[] received = sign(issued, pki.person(), PadesOptions.builder().role(PadesOptions.Role.INCOMING)
                .place(1, 60, 200, 170, 60).text("Số: 345\nNgày: 03/12/2026").build());
        byte[] copy = sign(received, pki.organization(), PadesOptions.builder().role(PadesOptions.Role.COPY)
                .copy(PadesOptions.CopyForm.SAO_Y, "05/SY-SCT").build());
        byte[] attachment = sign(TestPdfs.draftLetter(), pki.organization(), PadesOptions.builder()
                .role(PadesOptions.Role.ATTACHMENT).text("Phụ lục kèm Công văn số 2806/SCT-VP").build());

        Path all = Files.write(dir.resolve("every-role.pdf"), copy);
        Path annex = Files.write(dir.resolve("attachment.pdf"), attachment);
        for (Path file : List.of(all, annex)) {
            List<Poppler.Font> fonts = Poppler.fonts(file);
            assertFalse(fonts.isEmpty());
            assertTrue(fonts.stream().allMatch(Poppler.Font::embedded), file.getFileName() + ": " + fonts);
            Files.copy(Poppler.render(file, 1), TestPdfs.renderedDir().resolve(file.getFileName().toString()
                    .replace(".pdf", ".png")), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertEquals(List.of(true, true, true, true, true), Pdfsig.integrity(all));
        String text = Poppler.text(all);
        for (String shown : List.of("Nguyễn Văn An", "Giám đốc", "Nguyễn Văn Ánh", "Sở Công Thương tỉnh Đồng Nai",
                "ĐẾN", "Số: 345", "Ngày: 03/12/2026", "SAO Y – Số: 05/SY-SCT")) {
            assertTrue(text.contains(shown), shown + " in:\n" + text);
        }
        assertTrue(text.matches("(?s).*\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+07:00.*"), text);
        assertTrue(Poppler.text(annex).contains("Phụ lục kèm Công văn số 2806/SCT-VP"), Poppler.text(annex));
    }

    @Test
    void textShrinksToFitItsBoxInsteadOfOverflowing() throws Exception {
        try (PDDocument doc = new PDDocument()) {
            org.apache.pdfbox.pdmodel.font.PDType0Font font = org.apache.pdfbox.pdmodel.font.PDType0Font.load(doc,
                    Appearance.fontStream(null), true);
            List<String> lines = List.of("Ủy ban nhân dân tỉnh Đồng Nai – Sở Công Thương", "2026-12-02T11:34:56+07:00");
            float size = Appearance.fitSize(font, lines, 120, 40, 10);
            assertTrue(size < 10, "shrunk: " + size);
            for (String line : lines) {
                assertTrue(font.getStringWidth(line) / 1000 * size <= 120.01f, line);
            }
            assertTrue(lines.size() * size * Appearance.LEADING <= 40.01f);
            assertEquals(10f, Appearance.fitSize(font, List.of("TTBN"), 120, 40, 10), "short text keeps its size");
        }
    }
}
