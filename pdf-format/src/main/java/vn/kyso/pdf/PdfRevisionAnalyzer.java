package vn.kyso.pdf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import vn.kyso.Finding;

/**
 * Revision-level checks of one signature: where its signed bytes end (a revision must end with
 * %%EOF, or the signature covers half a revision), the order signatures were made in, and
 * whether a certification signature's DocMDP permissions are respected by later revisions.
 */
final class PdfRevisionAnalyzer {
    private static final COSName REFERENCE = COSName.getPDFName("Reference");
    private static final COSName TRANSFORM_METHOD = COSName.getPDFName("TransformMethod");
    private static final COSName TRANSFORM_PARAMS = COSName.getPDFName("TransformParams");
    private static final String DOC_TIMESTAMP = "ETSI.RFC3161";
    private static final java.util.Set<COSName> CATALOG_ALLOWED = java.util.Set.of(COSName.TYPE, COSName.PAGES,
            COSName.ACRO_FORM, Dss.DSS, COSName.getPDFName("Extensions"), COSName.METADATA, COSName.PERMS,
            COSName.VERSION);

    private PdfRevisionAnalyzer() {
    }

    /** Indices of {@code signatures} in the order they were made (by where their signed bytes end). */
    static List<Integer> revisionOrder(List<PDSignature> signatures) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < signatures.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong(i -> signedEnd(signatures.get(i))));
        return order;
    }

    /** Where the signed bytes of {@code signature} end; Long.MAX_VALUE when its ByteRange is unusable. */
    static long signedEnd(PDSignature signature) {
        int[] r = PdfVerifier.byteRange(signature);
        return r == null ? Long.MAX_VALUE : (long) r[2] + r[3];
    }

    /** Adds an error when the signed bytes do not end at a revision boundary (%%EOF and an optional end of line). */
    static void revisionBoundary(RandomAccessRead file, int[] range, List<Finding> findings) throws IOException {
        long end = (long) range[2] + range[3];
        int tail = (int) Math.min(16, range[3]);
        byte[] last = new byte[tail];
        file.seek(end - tail);
        int read = 0;
        while (read < tail) {
            int n = file.read(last, read, tail - read);
            if (n <= 0) {
                break;
            }
            read += n;
        }
        String text = new String(last, 0, read, StandardCharsets.ISO_8859_1).stripTrailing();
        if (!text.endsWith("%%EOF")) {
            findings.add(Finding.error("BYTE_RANGE_NOT_AT_REVISION_END",
                    "Vùng dữ liệu được ký không kết thúc tại cuối một phiên bản tài liệu (%%EOF)",
                    "The signed bytes do not end at the end of a document revision (%%EOF)"));
        }
    }

    /**
     * Adds an error when what follows the signed bytes (which end at {@code signedEnd}) is not a
     * sequence of well-formed incremental updates: objects appended without a cross-reference
     * section and trailer (the "ISA without xref" of Mladenov et al., 2019), or left out of their
     * update's section, are not in what PDFBox reads but lenient viewers show them.
     */
    static void updatesAfter(PDDocument now, RandomAccessRead file, long signedEnd, List<Finding> findings)
            throws IOException {
        String problem = IncrementalUpdates.problem(file, signedEnd, now.getDocument().getXrefTable());
        if (problem != null) {
            findings.add(Finding.error("UNDECLARED_CHANGE_AFTER_SIGNING",
                    "Phần thêm vào sau phiên bản đã ký không phải một bản cập nhật hợp lệ (" + problem
                            + "); một số trình xem vẫn đọc và hiển thị nó",
                    "What follows the signed revision is not a well-formed incremental update (" + problem
                            + "); lenient viewers still read and show it"));
        }
    }

    /**
     * Adds an error when {@code signature} certifies the document (DocMDP) and a later revision does
     * what its permission level forbids: level 1 allows no change but DSS and document timestamps,
     * levels 2 and 3 allow signatures and form fill (a fill under level 1 is reported by
     * {@link FieldChanges}; page and annotation changes are flagged by {@link Revisions} for every
     * signature anyway, so kyso is stricter than level 3 about annotations).
     */
    static void docMdp(PDDocument doc, PDSignature signature, int[] range, List<Finding> findings) {
        int level = certificationLevel(signature.getCOSObject());
        if (level == 0) {
            return;
        }
        long end = (long) range[2] + range[3];
        int laterSignatures = 0;
        for (PDSignature other : doc.getSignatureDictionaries()) {
            if (other.getCOSObject() != signature.getCOSObject() && signedEnd(other) > end
                    && !DOC_TIMESTAMP.equals(other.getSubFilter())) {
                laterSignatures++;
            }
        }
        if (level == 1 && laterSignatures > 0) {
            findings.add(Finding.error("DOCMDP_VIOLATED",
                    "Tài liệu đã được chứng thực không cho phép thay đổi (DocMDP mức 1) nhưng có " + laterSignatures
                            + " chữ ký được thêm sau",
                    "The document is certified with no changes allowed (DocMDP level 1) but " + laterSignatures
                            + " signature(s) were added later"));
        }
        COSBase perms = doc.getDocumentCatalog().getCOSObject().getDictionaryObject(COSName.PERMS);
        if (perms instanceof COSDictionary p && p.getDictionaryObject(COSName.DOCMDP) instanceof COSDictionary certifying
                && certifying != signature.getCOSObject() && certificationLevel(certifying) > 0
                && signedEnd(new PDSignature(certifying)) > end) {
            findings.add(Finding.error("DOCMDP_CERTIFICATION_NOT_FIRST",
                    "Chữ ký chứng thực (DocMDP) được thêm sau chữ ký này",
                    "A certification (DocMDP) signature was added after this signature"));
        }
    }

    /**
     * Adds an error when a later revision changed document-level entries of the catalog that decide
     * what is shown or run (optional content visibility, open actions, scripts, names, outlines):
     * shadow attacks hide or reveal signed content this way without touching a page. Pages are
     * compared by {@link Revisions} and /Perms by {@link #signatureChanges}; AcroForm, DSS,
     * extensions and metadata may change.
     */
    static void catalogChanges(Revisions.Fingerprints signedSide, Revisions.Fingerprints nowSide, List<Finding> findings)
            throws IOException {
        COSDictionary before = signedSide.doc().getDocumentCatalog().getCOSObject();
        COSDictionary after = nowSide.doc().getDocumentCatalog().getCOSObject();
        java.util.Set<COSName> keys = new java.util.TreeSet<>(Comparator.comparing(COSName::getName));
        keys.addAll(before.keySet());
        keys.addAll(after.keySet());
        List<String> changed = new ArrayList<>();
        for (COSName key : keys) {
            if (CATALOG_ALLOWED.contains(key)) {
                continue;
            }
            COSBase a = before.getDictionaryObject(key);
            COSBase b = after.getDictionaryObject(key);
            if (a == null || b == null ? a != b : !signedSide.of(a).equals(nowSide.of(b))) {
                changed.add(key.getName());
            }
        }
        if (!changed.isEmpty()) {
            findings.add(Finding.error("CATALOG_CHANGED_AFTER_SIGNING",
                    "Thiết lập chung của tài liệu bị thay đổi sau khi ký (" + String.join(", ", changed)
                            + "), có thể ẩn hoặc thay nội dung đã ký",
                    "Document-level settings changed after signing (" + String.join(", ", changed)
                            + "); they can hide or replace signed content"));
        }
    }

    /**
     * Adds an error when a later revision changed the signature dictionary this signature's
     * revision holds, or the catalog's /Perms: /Contents and /ByteRange stay, but /M (the
     * claimed signing time), /SubFilter, /Reference (its DocMDP certification) and the other
     * entries the verdict reads lie inside the signed bytes only in the signed revision, and an
     * update that redefines the object (or points the field at a copy) would change them unseen:
     * backdating someone else's signature, or dropping a certification to allow later changes.
     */
    static void signatureChanges(Revisions.Fingerprints signedSide, Revisions.Fingerprints nowSide, int[] range,
            List<Finding> findings) throws IOException {
        COSDictionary signedDict = null;
        for (PDSignature s : signedSide.doc().getSignatureDictionaries()) {
            if (Revisions.sameRange(s.getCOSObject().getDictionaryObject(COSName.BYTERANGE), range)) {
                signedDict = s.getCOSObject();
                break;
            }
        }
        for (PDSignature s : nowSide.doc().getSignatureDictionaries()) {
            COSDictionary now = s.getCOSObject();
            if (!Revisions.sameRange(now.getDictionaryObject(COSName.BYTERANGE), range)) {
                continue;
            }
            List<String> changed = new ArrayList<>();
            if (signedDict == null) {
                changed.add("(the signed revision has no signature with this ByteRange)");
            } else {
                java.util.Set<COSName> keys = new java.util.TreeSet<>(Comparator.comparing(COSName::getName));
                keys.addAll(signedDict.keySet());
                keys.addAll(now.keySet());
                for (COSName key : keys) {
                    if (!signedSide.of(signedDict.getItem(key)).equals(nowSide.of(now.getItem(key)))) {
                        changed.add("/" + key.getName());
                    }
                }
            }
            if (!changed.isEmpty()) {
                findings.add(Finding.error("SIGNATURE_DICTIONARY_CHANGED_AFTER_SIGNING",
                        "Thông tin của chữ ký bị sửa sau khi ký (" + String.join(", ", changed)
                                + "), ví dụ thời điểm ký hoặc chứng thực",
                        "The signature's dictionary was changed after signing (" + String.join(", ", changed)
                                + "), e.g. its signing time or certification"));
                break;
            }
        }
        COSBase permsBefore = signedSide.doc().getDocumentCatalog().getCOSObject().getItem(COSName.PERMS);
        COSBase permsNow = nowSide.doc().getDocumentCatalog().getCOSObject().getItem(COSName.PERMS);
        if (!signedSide.of(permsBefore).equals(nowSide.of(permsNow))) {
            findings.add(Finding.error("PERMISSIONS_CHANGED_AFTER_SIGNING",
                    "Quyền của tài liệu (/Perms, chứng thực DocMDP) bị thay đổi sau khi ký",
                    "The document's permissions (/Perms, the DocMDP certification) were changed after signing"));
        }
    }

    /**
     * Adds an error when a later revision put an unsigned signature field with a visible appearance
     * on a page: new signature widgets are allowed so later signers can sign, but an empty one that
     * paints over the page is an overlay (shadow) attack in disguise.
     */
    static void unsignedOverlays(Revisions.Fingerprints signedSide, Revisions.Fingerprints nowSide, List<Finding> findings)
            throws IOException {
        int pages = Math.min(signedSide.pages().size(), nowSide.pages().size());
        for (int i = 0; i < pages; i++) {
            java.util.Set<String> before = new java.util.HashSet<>();
            for (COSDictionary d : signatureWidgets(signedSide.pages().get(i))) {
                before.add(signedSide.of(d));
            }
            for (COSDictionary d : signatureWidgets(nowSide.pages().get(i))) {
                if (d.getDictionaryObject(COSName.V) == null && d.getDictionaryObject(COSName.AP) != null
                        && visible(d) && !before.contains(nowSide.of(d))) {
                    findings.add(Finding.error("UNSIGNED_FIELD_OVERLAY_AFTER_SIGNING", "Trang " + (i + 1)
                            + " có ô chữ ký trống hiển thị được thêm sau khi ký (có thể che nội dung)", "Page " + (i + 1)
                            + " has an empty, visible signature field added after signing (it can cover content)"));
                    break;
                }
            }
        }
    }

    private static List<COSDictionary> signatureWidgets(org.apache.pdfbox.pdmodel.PDPage page) throws IOException {
        List<COSDictionary> out = new ArrayList<>();
        for (org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation a : page.getAnnotations()) {
            COSDictionary d = a.getCOSObject();
            if (COSName.WIDGET.equals(d.getCOSName(COSName.SUBTYPE)) && COSName.SIG.equals(d.getCOSName(COSName.FT))) {
                out.add(d);
            }
        }
        return out;
    }

    private static boolean visible(COSDictionary widget) {
        if (!(widget.getDictionaryObject(COSName.RECT) instanceof COSArray rect) || rect.size() != 4) {
            return false;
        }
        float[] r = rect.toFloatArray();
        return Math.abs(r[2] - r[0]) > 1 && Math.abs(r[3] - r[1]) > 1 && (widget.getInt(COSName.F, 0) & 2) == 0;
    }

    /** The DocMDP permission level P (1..3) the signature dictionary declares, 0 when it certifies nothing. */
    static int certificationLevel(COSDictionary signature) {
        if (!(signature.getDictionaryObject(REFERENCE) instanceof COSArray references)) {
            return 0;
        }
        for (int i = 0; i < references.size() && i < 16; i++) {
            if (references.getObject(i) instanceof COSDictionary ref
                    && COSName.DOCMDP.equals(ref.getCOSName(TRANSFORM_METHOD))) {
                int p = ref.getDictionaryObject(TRANSFORM_PARAMS) instanceof COSDictionary params
                        ? params.getInt(COSName.P, 2) : 2;
                return p < 1 || p > 3 ? 2 : p;
            }
        }
        return 0;
    }
}
