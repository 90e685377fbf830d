package vn.kyso.pdf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import vn.kyso.Finding;
import vn.kyso.SignatureReport;

/**
 * What later revisions did to the form fields that existed when a signature was made. Filling a
 * field that was empty is form fill, a change PDF permits after a signature (and DocMDP levels 2
 * and 3 permit), reported as a later change; it is still an error when the filled field lies
 * over content the signer saw: visible text under it, or painted areas under an appearance that
 * paints opaquely (the shadow attack's hide and replace). Changing a value the signer saw, or
 * redrawing a field's appearance without filling it, is an error too. Fields added later show
 * up as new annotations in {@link Revisions}.
 */
final class FieldChanges {
    /** Entries of a field widget that form fill changes; {@link Revisions} leaves them out of annotation fingerprints. */
    static final Set<COSName> FILL_KEYS = Set.of(COSName.V, COSName.AP, COSName.AS, COSName.FF);
    private static final Set<String> PAINTING = Set.of("f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI", "EI");
    private static final int MAX_FIELDS = 2_000;
    private static final int MAX_TOKENS = 200_000;

    private FieldChanges() {
    }

    private record Field(String name, COSDictionary dict, List<COSDictionary> widgets, List<Integer> pages) {
    }

    /**
     * Compares the fields of {@code signed} (the revision a signature covers) with {@code now};
     * {@code certificationLevel} is the signature's DocMDP level (0 when it certifies nothing).
     */
    static void compare(Revisions.Fingerprints signedSide, Revisions.Fingerprints nowSide, int certificationLevel,
            SignatureReport.Builder report, List<Finding> findings) throws IOException {
        Map<String, Field> before = fields(signedSide.pages());
        if (before.isEmpty()) {
            return;
        }
        Map<String, Field> after = fields(nowSide.pages());
        Map<Integer, List<PDRectangle>> coverChecks = new LinkedHashMap<>();
        Map<Integer, List<String>> coverNames = new HashMap<>();
        Map<Integer, List<Boolean>> coverOpaque = new HashMap<>();
        int filled = 0;
        for (Map.Entry<String, Field> e : after.entrySet()) {
            Field was = before.get(e.getKey());
            if (was == null) {
                continue;
            }
            Field is = e.getValue();
            COSBase oldValue = value(was.dict());
            COSBase newValue = value(is.dict());
            boolean valueChanged = !fingerprint(signedSide, oldValue).equals(fingerprint(nowSide, newValue));
            List<Integer> changedWidgets = new ArrayList<>();
            for (int i = 0; i < is.widgets().size(); i++) {
                COSDictionary widget = is.widgets().get(i);
                COSDictionary old = match(widget, was.widgets(), i);
                if (old == null || !fingerprint(signedSide, old.getItem(COSName.AP))
                        .equals(fingerprint(nowSide, widget.getItem(COSName.AP)))
                        || !fingerprint(signedSide, old.getItem(COSName.AS))
                        .equals(fingerprint(nowSide, widget.getItem(COSName.AS)))) {
                    changedWidgets.add(i);
                }
            }
            if (!valueChanged && changedWidgets.isEmpty()) {
                continue;
            }
            String name = is.name();
            if (!valueChanged) {
                findings.add(Finding.error("FORM_FIELD_APPEARANCE_REPLACED", "Hình hiển thị của trường biểu mẫu \"" + name
                        + "\" bị vẽ lại sau khi ký mà giá trị không đổi (có thể che hoặc thay nội dung)",
                        "The appearance of form field \"" + name + "\" was redrawn after signing without a change of value "
                                + "(it can hide or replace content)"));
            } else if (!isEmpty(oldValue)) {
                findings.add(Finding.error("FORM_FIELD_CHANGED_AFTER_SIGNING", "Giá trị trường biểu mẫu \"" + name
                        + "\" mà người ký đã thấy bị thay đổi sau khi ký (\"" + shown(oldValue) + "\" → \"" + shown(newValue)
                        + "\")", "The value of form field \"" + name + "\" that the signer saw was changed after signing (\""
                        + shown(oldValue) + "\" → \"" + shown(newValue) + "\")"));
            } else {
                filled++;
                report.laterChange("trường biểu mẫu \"" + name + "\" được điền: \"" + shown(newValue) + "\" / form field \""
                        + name + "\" filled: \"" + shown(newValue) + "\"");
            }
            for (int w : changedWidgets) {
                COSDictionary widget = is.widgets().get(w);
                int page = is.pages().get(w);
                if (page >= signedSide.pages().size() || !(widget.getDictionaryObject(COSName.RECT) instanceof COSArray)) {
                    continue;
                }
                PDRectangle rect = new PDAnnotationWidget(widget).getRectangle();
                if (rect == null) {
                    continue;
                }
                coverChecks.computeIfAbsent(page, p -> new ArrayList<>()).add(rect);
                coverNames.computeIfAbsent(page, p -> new ArrayList<>()).add(name);
                coverOpaque.computeIfAbsent(page, p -> new ArrayList<>()).add(paintsOpaquely(widget.getDictionaryObject(COSName.AP)));
            }
        }
        for (Map.Entry<Integer, List<PDRectangle>> c : coverChecks.entrySet()) {
            int page = c.getKey();
            boolean[][] under = PageMarks.inside(signedSide.pages().get(page), c.getValue());
            for (int i = 0; i < c.getValue().size(); i++) {
                boolean opaque = coverOpaque.get(page).get(i);
                if (under[0][i] || (opaque && under[1][i])) {
                    String name = coverNames.get(page).get(i);
                    findings.add(Finding.error("FORM_FIELD_COVERS_SIGNED_CONTENT", "Trường biểu mẫu \"" + name + "\" ở trang "
                            + (page + 1) + " được điền sau khi ký nằm đè lên nội dung đã ký (" + (under[0][i] ? "chữ" : "hình")
                            + "), có thể che hoặc thay nội dung đó", "Form field \"" + name + "\" on page " + (page + 1)
                            + ", filled after signing, lies over signed content (" + (under[0][i] ? "text" : "graphics")
                            + "); it can hide or replace that content"));
                }
            }
        }
        if (certificationLevel == 1 && filled > 0) {
            findings.add(Finding.error("DOCMDP_VIOLATED", "Tài liệu đã được chứng thực không cho phép thay đổi (DocMDP mức 1) "
                    + "nhưng có " + filled + " trường biểu mẫu được điền sau", "The document is certified with no changes "
                    + "allowed (DocMDP level 1) but " + filled + " form field(s) were filled later"));
        }
    }

    /**
     * The non-signature fields whose widgets are on the pages, keyed by object number (by name
     * for direct objects). Collected from the pages, not the AcroForm tree, so a widget that no
     * field lists is judged too.
     */
    private static Map<String, Field> fields(List<PDPage> pages) throws IOException {
        Map<String, Field> out = new LinkedHashMap<>();
        int widgets = 0;
        for (int p = 0; p < pages.size() && widgets < MAX_FIELDS; p++) {
            for (PDAnnotation a : pages.get(p).getAnnotations()) {
                COSDictionary widget = a.getCOSObject();
                if (!COSName.WIDGET.equals(widget.getCOSName(COSName.SUBTYPE)) || ++widgets > MAX_FIELDS) {
                    continue;
                }
                COSDictionary field = widget.containsKey(COSName.T) || !(widget.getDictionaryObject(COSName.PARENT)
                        instanceof COSDictionary parent) ? widget : parent;
                if (COSName.SIG.equals(inherited(field, COSName.FT))) {
                    continue;
                }
                String name = qualifiedName(field);
                String key = field.getKey() != null ? field.getKey().toString() : "name:" + name;
                Field f = out.computeIfAbsent(key, k -> new Field(name, field, new ArrayList<>(), new ArrayList<>()));
                f.widgets().add(widget);
                f.pages().add(p);
            }
        }
        return out;
    }

    private static COSBase inherited(COSDictionary field, COSName key) {
        COSDictionary d = field;
        for (int depth = 0; d != null && depth < 16; depth++) {
            COSBase v = d.getDictionaryObject(key);
            if (v != null) {
                return v;
            }
            d = d.getCOSDictionary(COSName.PARENT);
        }
        return null;
    }

    private static String qualifiedName(COSDictionary field) {
        List<String> parts = new ArrayList<>();
        COSDictionary d = field;
        for (int depth = 0; d != null && depth < 16; depth++) {
            String t = d.getString(COSName.T);
            if (t != null) {
                parts.add(0, t);
            }
            d = d.getCOSDictionary(COSName.PARENT);
        }
        return parts.isEmpty() ? "(widget without a field name)" : String.join(".", parts);
    }

    private static COSDictionary match(COSDictionary widget, List<COSDictionary> candidates, int index) {
        if (widget.getKey() != null) {
            for (COSDictionary c : candidates) {
                if (widget.getKey().equals(c.getKey())) {
                    return c;
                }
            }
        }
        return index < candidates.size() ? candidates.get(index) : null;
    }

    /** The field's /V, inherited from its parents as PDF allows. */
    private static COSBase value(COSDictionary field) {
        return inherited(field, COSName.V);
    }

    private static boolean isEmpty(COSBase value) {
        return value == null || value instanceof COSString s && s.getString().isEmpty() || COSName.Off.equals(value)
                || value instanceof COSArray a && a.size() == 0;
    }

    private static String shown(COSBase value) {
        String text = value == null ? "" : value instanceof COSString s ? s.getString()
                : value instanceof COSName n ? n.getName() : value.toString();
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }

    private static String fingerprint(Revisions.Fingerprints side, COSBase base) throws IOException {
        return base == null ? "" : side.of(base);
    }

    /** Whether an appearance dictionary's streams paint areas (fills, images, forms), not only text and lines. */
    static boolean paintsOpaquely(COSBase appearance) throws IOException {
        if (!(appearance instanceof COSDictionary ap)) {
            return false;
        }
        List<COSStream> streams = new ArrayList<>();
        COSBase normal = ap.getDictionaryObject(COSName.N);
        if (normal instanceof COSStream s) {
            streams.add(s);
        } else if (normal instanceof COSDictionary states) {
            for (COSName key : states.keySet()) {
                if (states.getDictionaryObject(key) instanceof COSStream s && streams.size() < 8) {
                    streams.add(s);
                }
            }
        }
        for (COSStream s : streams) {
            if (s.getFilters() instanceof COSArray filters && filters.size() > 1) {
                return true; // a chain of filters is decoded whole, stage by stage: assume the worst, read nothing
            }
            PDFStreamParser parser = new PDFStreamParser(new org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject(s));
            int tokens = 0;
            for (Object token = parser.parseNextToken(); token != null; token = parser.parseNextToken()) {
                if (token instanceof Operator op && PAINTING.contains(op.getName()) || ++tokens > MAX_TOKENS) {
                    return true;
                }
            }
        }
        return false;
    }
}
