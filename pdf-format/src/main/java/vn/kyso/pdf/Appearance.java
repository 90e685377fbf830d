package vn.kyso.pdf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;

/**
 * The visible appearance of a signature, built as a one-page template PDF that PDFBox merges
 * into the incremental update: the image (signature or seal) and the text lines in an embedded
 * subset of a font with Vietnamese glyphs (bundled: Liberation Serif, metric-compatible with
 * Times New Roman, which Decree 30 uses). Text is fitted to its box: it shrinks rather than
 * overflows.
 *
 * <p>Layouts by role, after Decree 30/2020 Appendix I: the organization's seal at the right of
 * its box with the organization and time to its left (so the seal can overlap the left third of
 * the leader's image while the text stays clear of it); attachments and copies at the top right
 * of page 1, inside the top margin, without image, right-aligned 10 pt black; the incoming stamp
 * framed under its "ĐẾN" heading.
 */
final class Appearance {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");
    /** The heading of the arrival stamp. */
    static final String INCOMING = "ĐẾN";
    /** Decree 30's size for the text of attachment and copy signatures. */
    static final float TEXT_SIZE = 10;
    static final float LEADING = 1.15f;
    static final float MIN_TEXT_SIZE = 4;
    /** Distance of the top-right boxes from the page's top and right edges: inside a 2 cm top margin. */
    private static final float TOP_OFFSET = 8;
    private static final float RIGHT_MARGIN = 42;
    private static final float PAD = 2;

    private enum Align { LEFT, CENTER, RIGHT }

    private Appearance() {
    }

    /**
     * The template for {@code options} on a page of size {@code mediaBox}, signed at {@code time}
     * by {@code signerName} (the certificate's common name, shown when an organization gives no text).
     */
    static InputStream template(PDRectangle mediaBox, PadesOptions options, OffsetDateTime time, String signerName)
            throws IOException {
        PadesOptions.Role role = options.role();
        List<String> lines = lines(options, time, signerName);
        byte[] png = role == PadesOptions.Role.ATTACHMENT || role == PadesOptions.Role.COPY ? null : options.image();
        try (PDDocument doc = new PDDocument()) {
            PDFont font = lines.isEmpty() ? null : PDType0Font.load(doc, fontStream(options.font()), true);
            float[] r = options.rectangle();
            if (r == null) {
                r = topRight(mediaBox, font, lines);
            }
            PDPage page = new PDPage(mediaBox);
            doc.addPage(page);
            PDAcroForm form = new PDAcroForm(doc);
            doc.getDocumentCatalog().setAcroForm(form);
            PDSignatureField field = new PDSignatureField(form);
            PDAnnotationWidget widget = field.getWidgets().get(0);
            form.setSignaturesExist(true);
            form.setAppendOnly(true);
            form.getCOSObject().setDirect(true);
            form.getFields().add(field);
            widget.setRectangle(new PDRectangle(r[0], r[1], r[2], r[3]));
            widget.setPage(page);
            page.getAnnotations().add(widget);

            PDFormXObject xobject = new PDFormXObject(new PDStream(doc));
            xobject.setResources(new PDResources());
            xobject.setFormType(1);
            xobject.setBBox(new PDRectangle(r[2], r[3]));
            PDAppearanceDictionary appearance = new PDAppearanceDictionary();
            appearance.getCOSObject().setDirect(true);
            PDAppearanceStream stream = new PDAppearanceStream(xobject.getCOSObject());
            appearance.setNormalAppearance(stream);
            widget.setAppearance(appearance);
            try (PDPageContentStream cs = new PDPageContentStream(doc, stream)) {
                PDImageXObject image = png == null ? null : PDImageXObject.createFromByteArray(doc, png, "image");
                draw(cs, role, image, font, lines, r[2], r[3]);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return new ByteArrayInputStream(out.toByteArray());
        }
    }

    /** The text lines a role shows: the caller's text, and what Decree 30 adds (time, copy form and number, ĐẾN). */
    static List<String> lines(PadesOptions options, OffsetDateTime time, String signerName) {
        List<String> text = options.text().isEmpty() ? new ArrayList<>()
                : new ArrayList<>(Arrays.asList(options.text().split("\n", -1)));
        String when = TIME.format(time);
        switch (options.role()) {
            case ORGANIZATION -> {
                if (text.isEmpty()) {
                    text.add(signerName);
                }
                text.add(when);
            }
            case COPY -> {
                if (text.isEmpty()) {
                    text.add(signerName);
                }
                text.add(0, options.copyForm().orElseThrow().label() + " – Số: " + options.copyNumber());
                text.add(when);
            }
            case ATTACHMENT -> text.add(when);
            case INCOMING -> {
                if (text.isEmpty() || !text.get(0).startsWith(INCOMING)) {
                    text.add(0, INCOMING);
                }
                text.add(when);
            }
            default -> {
                // approval and official show only what the caller wrote
            }
        }
        return text;
    }

    private static void draw(PDPageContentStream cs, PadesOptions.Role role, PDImageXObject image, PDFont font,
            List<String> lines, float w, float h) throws IOException {
        switch (role) {
            case ORGANIZATION -> {
                if (image == null || font == null) {
                    drawImage(cs, image, 0, 0, w, h, Align.CENTER);
                    drawText(cs, font, lines, PAD, 0, w - 2 * PAD, h, TEXT_SIZE, Align.CENTER);
                    return;
                }
                float iw = Math.min(w, h * image.getWidth() / (float) image.getHeight());
                if (w - iw >= 40) {
                    drawImage(cs, image, w - iw, 0, iw, h, Align.RIGHT);
                    drawText(cs, font, lines, 0, 0, w - iw - PAD, h, TEXT_SIZE, Align.RIGHT);
                } else {
                    float th = lines.size() * TEXT_SIZE * LEADING + PAD;
                    drawImage(cs, image, 0, th, w, h - th, Align.CENTER);
                    drawText(cs, font, lines, PAD, 0, w - 2 * PAD, th, TEXT_SIZE, Align.CENTER);
                }
            }
            case ATTACHMENT, COPY -> drawText(cs, font, lines, PAD, 0, w - 2 * PAD, h, TEXT_SIZE, Align.RIGHT);
            case INCOMING -> {
                cs.setStrokingColor(0f, 0f, 0f);
                cs.setLineWidth(0.8f);
                cs.addRect(0.4f, 0.4f, w - 0.8f, h - 0.8f);
                cs.stroke();
                float size = fitSize(font, lines, w - 4 * PAD, h - 2 * PAD, 11);
                float headH = size * 1.25f * LEADING;
                drawText(cs, font, lines.subList(0, 1), 2 * PAD, h - PAD - headH, w - 4 * PAD, headH, size * 1.25f,
                        Align.CENTER);
                drawText(cs, font, lines.subList(1, lines.size()), 2 * PAD, PAD, w - 4 * PAD, h - 2 * PAD - headH,
                        size, Align.LEFT);
            }
            default -> {
                if (image != null && font != null) {
                    float th = Math.min(h / 2, lines.size() * TEXT_SIZE * LEADING + PAD);
                    drawImage(cs, image, 0, th, w, h - th, Align.CENTER);
                    drawText(cs, font, lines, PAD, 0, w - 2 * PAD, th, TEXT_SIZE, Align.CENTER);
                } else {
                    drawImage(cs, image, 0, 0, w, h, Align.CENTER);
                    drawText(cs, font, lines, PAD, 0, w - 2 * PAD, h, TEXT_SIZE, Align.CENTER);
                }
            }
        }
    }

    /** The top-right box of attachments and copies: 10 pt lines, right-aligned, inside the top margin. */
    private static float[] topRight(PDRectangle mediaBox, PDFont font, List<String> lines) throws IOException {
        float width = 120;
        for (String line : lines) {
            width = Math.max(width, font.getStringWidth(line) / 1000f * TEXT_SIZE + 2 * PAD + 2);
        }
        float height = lines.size() * TEXT_SIZE * LEADING + 2 * PAD;
        return new float[] {mediaBox.getUpperRightX() - RIGHT_MARGIN - width,
            mediaBox.getUpperRightY() - TOP_OFFSET - height, width, height};
    }

    private static void drawImage(PDPageContentStream cs, PDImageXObject image, float x, float y, float w, float h,
            Align align) throws IOException {
        if (image == null || w <= 0 || h <= 0) {
            return;
        }
        float scale = Math.min(w / image.getWidth(), h / image.getHeight());
        float iw = image.getWidth() * scale;
        float ih = image.getHeight() * scale;
        float ix = switch (align) {
            case LEFT -> x;
            case CENTER -> x + (w - iw) / 2;
            case RIGHT -> x + w - iw;
        };
        cs.drawImage(image, ix, y + (h - ih) / 2, iw, ih);
    }

    /** The largest size up to {@code preferred} at which every line fits {@code w} and all fit {@code h}. */
    static float fitSize(PDFont font, List<String> lines, float w, float h, float preferred) throws IOException {
        float size = preferred;
        if (font == null || lines.isEmpty()) {
            return size;
        }
        size = Math.min(size, h / (lines.size() * LEADING));
        for (String line : lines) {
            float lineWidth = font.getStringWidth(line) / 1000f;
            if (lineWidth > 0) {
                size = Math.min(size, w / lineWidth);
            }
        }
        return Math.max(size, MIN_TEXT_SIZE);
    }

    /** Lines of black text fitted into the box, centred vertically, aligned as asked, clipped to the box. */
    private static void drawText(PDPageContentStream cs, PDFont font, List<String> lines, float x, float y, float w,
            float h, float preferred, Align align) throws IOException {
        if (font == null || lines.isEmpty() || w <= 0 || h <= 0) {
            return;
        }
        float size = fitSize(font, lines, w, h, preferred);
        float leading = size * LEADING;
        float ascent = font.getFontDescriptor().getAscent() / 1000f * size;
        float top = y + (h + lines.size() * leading) / 2;
        cs.saveGraphicsState();
        cs.addRect(x, y, w, h);
        cs.clip();
        cs.setNonStrokingColor(0f, 0f, 0f);
        float baseline = top - ascent - (leading - size) / 2;
        for (String line : lines) {
            float lineWidth = font.getStringWidth(line) / 1000f * size;
            float lx = switch (align) {
                case LEFT -> x;
                case CENTER -> x + (w - lineWidth) / 2;
                case RIGHT -> x + w - lineWidth;
            };
            cs.beginText();
            cs.setFont(font, size);
            cs.newLineAtOffset(lx, baseline);
            cs.showText(line);
            cs.endText();
            baseline -= leading;
        }
        cs.restoreGraphicsState();
    }

    /** The caller's TrueType font, or the bundled Liberation Serif. */
    static InputStream fontStream(byte[] custom) throws IOException {
        if (custom != null) {
            return new ByteArrayInputStream(custom);
        }
        InputStream bundled = Appearance.class.getResourceAsStream("LiberationSerif-Regular.ttf");
        if (bundled == null) {
            throw new IOException("the bundled font LiberationSerif-Regular.ttf is missing from the kyso-pdf-format jar");
        }
        return bundled;
    }
}
