package vn.kyso.pdf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
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
 * Times New Roman, which Decree 30 uses).
 */
final class Appearance {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");
    private static final float MARGIN = 36;
    /** The heading of the arrival stamp. */
    static final String INCOMING = "ĐẾN";

    private Appearance() {
    }

    /** The template for {@code options} on a page of size {@code mediaBox}, signed at {@code time}. */
    static InputStream template(PDRectangle mediaBox, PadesOptions options, OffsetDateTime time) throws IOException {
        float[] r = options.rectangle();
        String text = options.text();
        float fontSize = 10;
        if (options.role() == PadesOptions.Role.ATTACHMENT || options.role() == PadesOptions.Role.ORGANIZATION
                || options.role() == PadesOptions.Role.INCOMING || options.role() == PadesOptions.Role.COPY) {
            text = text.isEmpty() ? TIME.format(time) : text + "\n" + TIME.format(time);
        }
        if (options.role() == PadesOptions.Role.INCOMING && !text.startsWith(INCOMING)) {
            text = INCOMING + "\n" + text;
        }
        if (r == null) {
            r = new float[] {mediaBox.getUpperRightX() - MARGIN - 200, mediaBox.getUpperRightY() - MARGIN - 36, 200, 36};
        }
        try (PDDocument doc = new PDDocument()) {
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
                byte[] png = options.role() == PadesOptions.Role.ATTACHMENT ? null : options.image();
                if (png != null) {
                    PDImageXObject image = PDImageXObject.createFromByteArray(doc, png, "image");
                    float scale = Math.min(r[2] / image.getWidth(), r[3] / image.getHeight());
                    cs.drawImage(image, 0, 0, image.getWidth() * scale, image.getHeight() * scale);
                }
                if (!text.isEmpty()) {
                    PDType0Font font = PDType0Font.load(doc, fontBytes(options), true);
                    String[] lines = text.split("\n");
                    float leading = fontSize * 1.2f;
                    cs.beginText();
                    cs.setNonStrokingColor(0f, 0f, 0f);
                    cs.setFont(font, fontSize);
                    cs.newLineAtOffset(2, r[3] - fontSize - 1);
                    for (String line : lines) {
                        cs.showText(line);
                        cs.newLineAtOffset(0, -leading);
                    }
                    cs.endText();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return new ByteArrayInputStream(out.toByteArray());
        }
    }

    private static InputStream fontBytes(PadesOptions options) throws IOException {
        byte[] custom = options.font();
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
