package vn.kyso.pdf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDField;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;

/**
 * Fills existing text fields in the incremental update of a signature (the organization's
 * number and issue date): sets /V, draws the appearance itself in an embedded font with
 * Vietnamese glyphs (the field's default appearance names a font that usually has none), and
 * makes the field read-only. Only values change, no page content: PDF permits form fill after
 * a signature, so the earlier signatures stay valid.
 */
final class FormFill {
    /** Smallest size a value is shrunk to before it is refused as too long for its field. */
    static final float MIN_FONT_SIZE = 6;
    /** Size used when the field does not say (DA size 0 or missing): the 13 pt of Decree 30's number line. */
    static final float DEFAULT_FONT_SIZE = 13;
    /** Fields made for a number or date have no border, so the value may come close to the text around it. */
    private static final float PADDING = 0.5f;
    private static final Pattern DA_SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s+Tf");

    private FormFill() {
    }

    /**
     * Fills {@code values} (field name → value) into {@code doc}.
     *
     * @throws IllegalArgumentException when a field is missing, not a text field, already holds
     *     another value, or the value cannot fit it; nothing is changed then
     */
    static void apply(PDDocument doc, Map<String, String> values, byte[] ttf, String documentName) throws IOException {
        if (values.isEmpty()) {
            return;
        }
        PDAcroForm form = doc.getDocumentCatalog().getAcroForm(null);
        if (form == null) {
            throw new IllegalArgumentException(documentName + " has no form fields, so " + values.keySet()
                    + " cannot be filled: add the fields to the draft before its first signature (DraftFields)");
        }
        List<Map.Entry<PDTextField, String>> fields = new ArrayList<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            PDField field = form.getField(e.getKey());
            if (!(field instanceof PDTextField text)) {
                throw new IllegalArgumentException(documentName + (field == null ? " has no field named \"" : " has \"")
                        + e.getKey() + (field == null ? "\"" : "\" but it is not a text field") + "; its text fields are "
                        + textFieldNames(form) + ". Add the field to the draft before its first signature (DraftFields)");
            }
            String current = text.getValueAsString();
            if (!current.isEmpty() && !current.equals(e.getValue())) {
                throw new IllegalArgumentException("the field \"" + e.getKey() + "\" of " + documentName + " already holds \""
                        + current + "\"; changing a value earlier signers saw is flagged by verifiers, so it is refused");
            }
            if (text.getWidgets().isEmpty()) {
                throw new IllegalArgumentException("the field \"" + e.getKey() + "\" of " + documentName
                        + " has no place on a page (no widget) to show its value");
            }
            if (!current.equals(e.getValue())) {
                fields.add(Map.entry(text, e.getValue()));
            }
        }
        if (fields.isEmpty()) {
            return;
        }
        PDType0Font font = PDType0Font.load(doc, Appearance.fontStream(ttf), true);
        List<Runnable> commits = new ArrayList<>();
        for (Map.Entry<PDTextField, String> e : fields) {
            PDTextField field = e.getKey();
            String value = e.getValue();
            float size = fontSize(field.getDefaultAppearance());
            List<PDAppearanceDictionary> looks = new ArrayList<>();
            for (PDAnnotationWidget widget : field.getWidgets()) {
                looks.add(appearance(doc, widget, field, font, size, value, documentName));
            }
            commits.add(() -> commit(field, value, looks));
        }
        // the font's file is written only by subset(): PDFBox calls it on a full save, never on the
        // incremental one a signature needs, and a font left without its file shows garbage in viewers
        font.subset();
        // every appearance is drawn before anything changes, so a refused value leaves the document as it was
        commits.forEach(Runnable::run);
        if (form.getNeedAppearances()) {
            // a viewer regenerating appearances would redraw the values in the field's (non-Vietnamese) font
            form.setNeedAppearances(false);
        }
        form.getCOSObject().setNeedToBeUpdated(true);
        doc.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
    }

    private static void commit(PDTextField field, String value, List<PDAppearanceDictionary> looks) {
        field.getCOSObject().setString(COSName.V, value);
        field.setReadOnly(true);
        field.getCOSObject().setNeedToBeUpdated(true);
        List<PDAnnotationWidget> widgets = field.getWidgets();
        for (int i = 0; i < widgets.size(); i++) {
            widgets.get(i).setAppearance(looks.get(i));
            widgets.get(i).getCOSObject().setNeedToBeUpdated(true);
        }
        if (field.getCOSObject().getDictionaryObject(COSName.KIDS) instanceof COSArray kids) {
            kids.setNeedToBeUpdated(true);
        }
    }

    private static PDAppearanceDictionary appearance(PDDocument doc, PDAnnotationWidget widget, PDTextField field,
            PDFont font, float preferred, String value, String documentName) throws IOException {
        PDRectangle rect = widget.getRectangle();
        if (rect == null || rect.getWidth() <= 2 * PADDING || rect.getHeight() <= 2) {
            throw new IllegalArgumentException("the field \"" + field.getFullyQualifiedName() + "\" of " + documentName
                    + " is too small to show a value");
        }
        float w = rect.getWidth();
        float h = rect.getHeight();
        float ascent = font.getFontDescriptor().getAscent() / 1000f;
        float descent = font.getFontDescriptor().getDescent() / 1000f;
        float textWidth;
        try {
            textWidth = font.getStringWidth(value) / 1000f;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the font has no glyph for a character of \"" + value + "\" ("
                    + e.getMessage() + "): give a TrueType font that has it (PadesOptions.Builder.font)", e);
        }
        float size = preferred > 0 ? preferred : Math.min(DEFAULT_FONT_SIZE, (h - 2) / (ascent - descent));
        size = Math.min(size, (w - 2 * PADDING) / textWidth);
        size = Math.min(size, h / (ascent - descent));
        if (size < MIN_FONT_SIZE) {
            throw new IllegalArgumentException("\"" + value + "\" does not fit the field \"" + field.getFullyQualifiedName()
                    + "\" of " + documentName + " (" + Math.round(w) + " x " + Math.round(h) + " pt) even at "
                    + MIN_FONT_SIZE + " pt: shorten the value or widen the field in the draft");
        }
        float x = switch (field.getQ()) {
            case 1 -> (w - textWidth * size) / 2;
            case 2 -> w - PADDING - textWidth * size;
            default -> PADDING;
        };
        float baseline = (h - (ascent - descent) * size) / 2 - descent * size;
        PDAppearanceStream stream = new PDAppearanceStream(doc);
        stream.setBBox(new PDRectangle(w, h));
        stream.setResources(new PDResources());
        try (PDPageContentStream cs = new PDPageContentStream(doc, stream)) {
            cs.beginMarkedContent(COSName.TX);
            cs.saveGraphicsState();
            cs.addRect(0, 0, w, h);
            cs.clip();
            cs.beginText();
            cs.setNonStrokingColor(0f, 0f, 0f);
            cs.setFont(font, size);
            cs.newLineAtOffset(x, baseline);
            cs.showText(value);
            cs.endText();
            cs.restoreGraphicsState();
            cs.endMarkedContent();
        }
        PDAppearanceDictionary look = new PDAppearanceDictionary();
        look.setNormalAppearance(stream);
        return look;
    }

    /** The font size a default appearance string (DA) asks for; 0 means fit to the field. */
    static float fontSize(String da) {
        if (da == null) {
            return 0;
        }
        Matcher m = DA_SIZE.matcher(da);
        float size = 0;
        while (m.find()) {
            size = Float.parseFloat(m.group(1));
        }
        return size;
    }

    private static List<String> textFieldNames(PDAcroForm form) {
        List<String> names = new ArrayList<>();
        for (PDField f : form.getFieldTree()) {
            if (f instanceof PDTextField) {
                names.add(f.getFullyQualifiedName());
                if (names.size() == 20) {
                    break;
                }
            }
        }
        return names;
    }
}
