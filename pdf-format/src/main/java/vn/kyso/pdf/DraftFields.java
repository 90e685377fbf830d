package vn.kyso.pdf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;
import vn.kyso.Document;
import vn.kyso.KysoException;

/**
 * Adds empty text fields to a draft that lacks them, so the organization signature can later
 * fill the document number and issue date ({@link PadesOptions.Builder#fill}) without breaking
 * the signatures made before it. Stateless and thread-safe.
 *
 * <p><b>Only before the first signature.</b> The fields must be part of what every signer
 * signs: a field added after a signature is a new annotation on a signed page, which kyso's
 * verifier reports as ANNOTATION_CHANGED_AFTER_SIGNING (as Acrobat reports it too), so a draft
 * that already carries a signature is refused. A field placed at an anchor replaces the
 * anchor's text ("{so_vb}"): the placeholder's glyphs are taken out of the page content,
 * leaving its space, so that the value filled in later covers nothing that was signed (a fill
 * over signed text is reported as FORM_FIELD_COVERS_SIGNED_CONTENT).
 */
public final class DraftFields {

    /** How the filled value sits in its field. */
    public enum Alignment {
        LEFT(0), CENTER(1), RIGHT(2);

        private final int quadding;

        Alignment(int quadding) {
            this.quadding = quadding;
        }
    }

    /** One text field to add; immutable. */
    public static final class Field {
        private final String name;
        private final String anchorText;
        private final int page;
        private final float[] rectangle;
        private final Alignment alignment;

        private Field(String name, String anchorText, int page, float[] rectangle, Alignment alignment) {
            Objects.requireNonNull(name, "name must not be null");
            Objects.requireNonNull(alignment, "alignment must not be null");
            if (name.isBlank() || name.contains(".")) {
                throw new IllegalArgumentException("name must not be blank or contain '.': it is the field's full name");
            }
            this.name = name;
            this.anchorText = anchorText;
            this.page = page;
            this.rectangle = rectangle;
            this.alignment = alignment;
        }

        /**
         * A field named {@code name} in place of the first occurrence of {@code anchorText}: it
         * starts where the text starts, sits on its baseline at its font size, and is
         * {@code width} points wide (0: as wide as the anchor text).
         */
        public static Field atAnchor(String name, String anchorText, float width, Alignment alignment) {
            Objects.requireNonNull(anchorText, "anchorText must not be null");
            if (anchorText.isBlank() || width < 0) {
                throw new IllegalArgumentException("anchorText must not be blank and width must be >= 0");
            }
            return new Field(name, anchorText, 0, new float[] {0, 0, width, 0}, alignment);
        }

        /**
         * A field named {@code name} on a 1-based page at x, y (lower-left corner), width, height
         * in points; the place must be blank on the page, or a later fill covers content.
         */
        public static Field at(String name, int page, float x, float y, float width, float height, Alignment alignment) {
            if (page < 1 || width <= 0 || height <= 0) {
                throw new IllegalArgumentException("page must be >= 1 and width, height > 0");
            }
            return new Field(name, null, page, new float[] {x, y, width, height}, alignment);
        }

        /** The field's name, as {@link PadesOptions.Builder#fill} takes it. */
        public String name() {
            return name;
        }
    }

    private DraftFields() {
    }

    /**
     * Writes {@code draft} with the empty text {@code fields} added to {@code out}; on failure
     * nothing is written and the draft is never modified.
     *
     * @throws IllegalArgumentException when the draft is already signed, a field name is taken,
     *     an anchor is missing or cannot be taken out of the page safely, or a page does not exist
     * @throws vn.kyso.DocumentMalformedException when the draft is not a readable PDF
     */
    public static void addTextFields(Document draft, List<Field> fields, OutputStream out)
            throws KysoException, IOException {
        Objects.requireNonNull(draft, "draft must not be null");
        Objects.requireNonNull(fields, "fields must not be null");
        Objects.requireNonNull(out, "out must not be null");
        if (!new PadesFormat().accepts(draft)) {
            throw new vn.kyso.DocumentMalformedException(PadesFormat.ID, draft.name() + " is not a PDF (no %PDF- header)");
        }
        Path result = Files.createTempFile("kyso-draft-", ".pdf");
        try (PDDocument doc = PadesFormat.load(draft)) {
            int signatures = doc.getSignatureDictionaries().size();
            if (signatures > 0) {
                throw new IllegalArgumentException(draft.name() + " already carries " + signatures + " signature(s): a form "
                        + "field added now is a change after signing that verifiers flag; add the fields to the draft "
                        + "before its first signature");
            }
            PDAcroForm form = doc.getDocumentCatalog().getAcroForm(null);
            if (form == null) {
                form = new PDAcroForm(doc);
                doc.getDocumentCatalog().setAcroForm(form);
            }
            PDResources defaults = form.getDefaultResources();
            if (defaults == null) {
                defaults = new PDResources();
                form.setDefaultResources(defaults);
            }
            COSName helv = COSName.getPDFName("Helv");
            COSDictionary fonts = defaults.getCOSObject().getCOSDictionary(COSName.FONT);
            if (fonts == null) {
                fonts = new COSDictionary();
                defaults.getCOSObject().setItem(COSName.FONT, fonts);
            }
            if (!fonts.containsKey(helv)) {
                // the field's default appearance font, for other tools; kyso fills in its own Vietnamese font
                COSDictionary helvetica = new COSDictionary();
                helvetica.setItem(COSName.TYPE, COSName.FONT);
                helvetica.setItem(COSName.SUBTYPE, COSName.TYPE1);
                helvetica.setName(COSName.BASE_FONT, "Helvetica");
                helvetica.setItem(COSName.ENCODING, COSName.WIN_ANSI_ENCODING);
                fonts.setItem(helv, helvetica);
            }
            Set<String> names = new HashSet<>();
            for (Field f : fields) {
                if (!names.add(f.name) || form.getField(f.name) != null) {
                    throw new IllegalArgumentException("a field named \"" + f.name + "\" is already in " + draft.name()
                            + " or asked for twice");
                }
            }
            for (Field f : fields) {
                add(doc, form, f, draft.name());
            }
            doc.save(result.toFile());
            Files.copy(result, out);
        } finally {
            Files.deleteIfExists(result);
        }
    }

    /** As {@link #addTextFields(Document, List, OutputStream)}, into {@code target}, written whole or not at all. */
    public static void addTextFields(Document draft, List<Field> fields, Path target) throws KysoException, IOException {
        Objects.requireNonNull(target, "target must not be null");
        Path absolute = target.toAbsolutePath();
        Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".part");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                addTextFields(draft, fields, out);
            }
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void add(PDDocument doc, PDAcroForm form, Field f, String documentName) throws IOException {
        int pageNumber = f.page;
        float[] r = f.rectangle.clone();
        float fontSize = 0;
        if (f.anchorText != null) {
            Anchor.Found found = Anchor.find(doc, f.anchorText);
            if (found == null) {
                throw new IllegalArgumentException("the anchor text \"" + f.anchorText + "\" is not on any page of "
                        + documentName + ": place the field \"" + f.name + "\" by page and rectangle instead");
            }
            pageNumber = found.page();
            fontSize = found.fontSize();
            float height = fontSize * 1.35f;
            r = new float[] {found.x(), found.baseline() - 0.3375f * fontSize, r[2] > 0 ? r[2] : found.width(), height};
            PlaceholderEraser.erase(doc, doc.getPage(pageNumber - 1), pageNumber, f.anchorText);
        } else if (pageNumber > doc.getNumberOfPages()) {
            throw new IllegalArgumentException("page " + pageNumber + " asked for the field \"" + f.name + "\", but "
                    + documentName + " has " + doc.getNumberOfPages() + " pages");
        }
        PDPage page = doc.getPage(pageNumber - 1);
        PDTextField field = new PDTextField(form);
        field.setPartialName(f.name);
        field.setDefaultAppearance("/Helv " + String.format(Locale.ROOT, "%.2f", fontSize) + " Tf 0 g");
        field.setQ(f.alignment.quadding);
        PDAnnotationWidget widget = field.getWidgets().get(0);
        widget.setRectangle(new PDRectangle(r[0], r[1], r[2], r[3]));
        widget.setPage(page);
        widget.setPrinted(true);
        page.getAnnotations().add(widget);
        form.getFields().add(field);
    }
}
