package vn.kyso.pdf;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import vn.kyso.Finding;
import vn.kyso.SignatureReport;

/**
 * What changed between the revision a signature covers and the document as it is now. New
 * signatures, their widgets and the DSS are allowed; anything that changes what a page shows
 * (content, resources, annotations other than signature widgets) is not: it is how shadow and
 * incremental-saving attacks hide or replace signed content.
 */
final class Revisions {
    private static final int MAX_DEPTH = 48;
    private static final Set<COSName> SKIPPED = Set.of(COSName.PARENT, COSName.ANNOTS, COSName.P);

    private Revisions() {
    }

    /**
     * Compares the pages of the two revisions; returns whether either has a form field widget
     * (other than a signature's), which {@link FieldChanges} must then judge.
     */
    static boolean compare(PDDocument signed, PDDocument now, SignatureReport.Builder report, List<Finding> findings)
            throws IOException {
        int laterSignatures = now.getSignatureDictionaries().size() - signed.getSignatureDictionaries().size();
        if (laterSignatures > 0) {
            report.laterChange(laterSignatures + " chữ ký được thêm sau / signature(s) added later");
        }
        boolean dssBefore = signed.getDocumentCatalog().getCOSObject().containsKey(Dss.DSS);
        boolean dssNow = now.getDocumentCatalog().getCOSObject().containsKey(Dss.DSS);
        if (dssNow && (!dssBefore || !hash(signed.getDocumentCatalog().getCOSObject().getDictionaryObject(Dss.DSS))
                .equals(hash(now.getDocumentCatalog().getCOSObject().getDictionaryObject(Dss.DSS))))) {
            report.laterChange("dữ liệu kiểm tra hiệu lực (DSS) được bổ sung / validation data (DSS) added");
        }
        if (signed.getNumberOfPages() != now.getNumberOfPages()) {
            findings.add(Finding.error("PAGES_CHANGED_AFTER_SIGNING", "Số trang đã thay đổi sau khi ký ("
                    + signed.getNumberOfPages() + " → " + now.getNumberOfPages() + ")", "The number of pages changed after signing ("
                    + signed.getNumberOfPages() + " → " + now.getNumberOfPages() + ")"));
            return true;
        }
        boolean[] formWidgets = {false};
        for (int i = 0; i < signed.getNumberOfPages(); i++) {
            PDPage before = signed.getPage(i);
            PDPage after = now.getPage(i);
            if (!hash(before.getCOSObject()).equals(hash(after.getCOSObject()))) {
                findings.add(Finding.error("PAGE_CONTENT_CHANGED_AFTER_SIGNING", "Nội dung trang " + (i + 1)
                        + " đã bị thay đổi sau khi ký", "The content of page " + (i + 1) + " was changed after signing"));
            }
            Set<String> annotsBefore = new HashSet<>(annotations(before, formWidgets));
            for (String a : annotations(after, formWidgets)) {
                if (!annotsBefore.remove(a)) {
                    findings.add(Finding.error("ANNOTATION_CHANGED_AFTER_SIGNING", "Trang " + (i + 1)
                            + " có chú thích mới hoặc bị sửa sau khi ký (có thể che hoặc thay nội dung)", "Page " + (i + 1)
                            + " has an annotation added or changed after signing (it can hide or replace content)"));
                    formWidgets[0] = true; // the rest of the page was not looked at: let the field check run
                    break;
                }
            }
            if (!annotsBefore.isEmpty()) {
                report.laterChange("chú thích bị xóa ở trang " + (i + 1) + " / annotation removed on page " + (i + 1));
            }
        }
        return formWidgets[0];
    }

    /**
     * Fingerprints of a page's annotations, signature widgets left out (adding signatures is
     * allowed) and form field widgets without what form fill changes (value, appearance, state,
     * flags), which {@link FieldChanges} judges instead.
     */
    private static List<String> annotations(PDPage page, boolean[] formWidgets) throws IOException {
        List<String> out = new ArrayList<>();
        for (PDAnnotation a : page.getAnnotations()) {
            COSDictionary d = a.getCOSObject();
            boolean widget = COSName.WIDGET.equals(d.getCOSName(COSName.SUBTYPE));
            if (!widget) {
                out.add(hash(d));
            } else if (!COSName.SIG.equals(fieldType(d))) {
                formWidgets[0] = true;
                out.add(hashWithout(d, FieldChanges.FILL_KEYS));
            }
        }
        return out;
    }

    /** The field type of a widget, inherited from its parent field when the widget is a kid. */
    private static COSName fieldType(COSDictionary widget) {
        COSDictionary d = widget;
        for (int depth = 0; d != null && depth < 16; depth++) {
            COSName ft = d.getCOSName(COSName.FT);
            if (ft != null) {
                return ft;
            }
            d = d.getCOSDictionary(COSName.PARENT);
        }
        return null;
    }

    /** {@link #hash} of a dictionary with some of its own entries left out. */
    static String hashWithout(COSDictionary dict, Set<COSName> left) throws IOException {
        COSDictionary view = new COSDictionary();
        for (Map.Entry<COSName, COSBase> e : dict.entrySet()) {
            if (!left.contains(e.getKey())) {
                view.setItem(e.getKey(), e.getValue());
            }
        }
        return hash(view);
    }

    /** A digest of everything reachable from {@code base} (parents and annotations excluded), cycle-safe. */
    static String hash(COSBase base) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            feed(md, base, new IdentityHashMap<>(), 0);
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void feed(MessageDigest md, COSBase base, Map<COSBase, Boolean> seen, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            md.update((byte) '~');
            return;
        }
        if (base instanceof COSObject indirect) {
            base = indirect.getObject();
        }
        if (base == null) {
            md.update((byte) 'n');
            return;
        }
        if (base instanceof COSDictionary || base instanceof COSArray) {
            if (seen.put(base, Boolean.TRUE) != null) {
                md.update((byte) '@');
                return;
            }
        }
        if (base instanceof COSStream stream) {
            md.update((byte) 's');
            try (InputStream in = stream.createRawInputStream()) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    md.update(buffer, 0, n);
                }
            }
        }
        if (base instanceof COSDictionary dict) {
            md.update((byte) 'd');
            Map<String, COSBase> sorted = new TreeMap<>();
            for (Map.Entry<COSName, COSBase> e : dict.entrySet()) {
                if (!SKIPPED.contains(e.getKey()) && !COSName.LENGTH.equals(e.getKey())) {
                    sorted.put(e.getKey().getName(), e.getValue());
                }
            }
            for (Map.Entry<String, COSBase> e : sorted.entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                feed(md, e.getValue(), seen, depth + 1);
            }
        } else if (base instanceof COSArray array) {
            md.update((byte) 'a');
            for (int i = 0; i < array.size(); i++) {
                feed(md, array.get(i), seen, depth + 1);
            }
        } else if (!(base instanceof COSStream)) {
            md.update(base.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
