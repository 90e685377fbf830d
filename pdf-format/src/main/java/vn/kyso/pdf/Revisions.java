package vn.kyso.pdf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSBoolean;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import vn.kyso.Finding;
import vn.kyso.SignatureReport;

/**
 * What changed between the revision a signature covers and the document as it is now. New
 * signatures, their widgets and the DSS are allowed; anything that changes what a page shows
 * (content, resources and what pages inherit from the page tree, annotations other than new
 * signature widgets) is not: it is how shadow and incremental-saving attacks hide or replace
 * signed content.
 */
final class Revisions {
    /** Page attributes a page takes from its /Pages ancestors when it does not set them (ISO 32000-1, 7.7.3.4). */
    static final List<COSName> INHERITED = List.of(COSName.RESOURCES, COSName.MEDIA_BOX, COSName.CROP_BOX, COSName.ROTATE);

    private Revisions() {
    }

    /**
     * The structure of one document, fingerprinted faithfully: a digest of a canonical
     * serialization in which every value is framed by its type and length, dictionary entries
     * are sorted, and an object reached a second time is written as a reference to the ordinal
     * it got when first reached, so two documents share a fingerprint only when they are the
     * same graph. References to pages are written as the page's index, to the catalog as a
     * marker, and page tree nodes without their /Kids, /Parent and /Count (those are compared on
     * their own), so a link or an annotation's /P does not pull the whole document into every
     * fingerprint. The traversal is
     * iterative (no recursion depth) and shares a {@link Budget} with the other side.
     */
    static final class Fingerprints {
        private final PDDocument doc;
        private final Budget budget;
        private final Map<COSBase, Integer> pageIndex = new IdentityHashMap<>();
        private final List<PDPage> pageList = new ArrayList<>();
        private final Set<COSBase> treeNodes = Collections.newSetFromMap(new IdentityHashMap<>());
        private final COSDictionary catalog;
        private final Map<COSStream, byte[]> streamDigests = new IdentityHashMap<>();
        private final Map<COSName, byte[]> keyFrames = new HashMap<>();
        private final Map<COSBase, byte[]> leaves = new IdentityHashMap<>();
        private final MessageDigest leafMd;
        private final MessageDigest md;
        private final MessageDigest streamMd;
        private final ByteBuffer scalar = ByteBuffer.allocate(9);
        /** The entries that make a /Pages node part of the tree: another page added or moved changes them. */
        private static final Set<COSName> TREE_KEYS = Set.of(COSName.KIDS, COSName.PARENT, COSName.COUNT);
        private static final byte[] NOT_A_LEAF = new byte[0];
        /** Stands for a missing value on the work stack, which holds no nulls. */
        private static final Object MISSING = new Object();

        Fingerprints(PDDocument doc, Budget budget) throws IOException {
            this.doc = doc;
            this.budget = budget;
            this.catalog = doc.getDocumentCatalog().getCOSObject();
            try {
                md = MessageDigest.getInstance("SHA-256");
                streamMd = MessageDigest.getInstance("SHA-256");
                leafMd = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            int index = 0;
            for (PDPage page : doc.getPages()) {
                budget.spend(1);
                COSDictionary dict = page.getCOSObject();
                pageIndex.putIfAbsent(dict, index++);
                pageList.add(page);
                COSBase parent = dict.getDictionaryObject(COSName.PARENT);
                while (parent instanceof COSDictionary node && treeNodes.add(node)) {
                    budget.spend(1);
                    parent = node.getDictionaryObject(COSName.PARENT);
                }
            }
            if (catalog.getDictionaryObject(COSName.PAGES) instanceof COSDictionary root) {
                treeNodes.add(root);
            }
        }

        PDDocument doc() {
            return doc;
        }

        /** The pages in order, listed once (PDDocument.getPage walks the tree again for every index). */
        List<PDPage> pages() {
            return pageList;
        }

        /** The fingerprint of {@code base}; null gives the fingerprint of a missing value. */
        String of(COSBase base) throws IOException {
            md.reset();
            Map<COSBase, Integer> ordinals = new IdentityHashMap<>();
            Deque<Object> work = new ArrayDeque<>();
            work.push(base == null ? MISSING : base);
            COSBase root = base instanceof COSObject indirect ? indirect.getObject() : base;
            while (!work.isEmpty()) {
                Object next = work.pop();
                if (next instanceof byte[] bytes) {
                    md.update(bytes);
                } else if (next == MISSING) {
                    tag('n');
                } else {
                    emit((COSBase) next, root, ordinals, work);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        }

        /** {@link #of} a dictionary with some of its own entries left out. */
        String without(COSDictionary dict, Set<COSName> left) throws IOException {
            COSDictionary view = new COSDictionary();
            for (Map.Entry<COSName, COSBase> e : dict.entrySet()) {
                if (!left.contains(e.getKey())) {
                    view.setItem(e.getKey(), e.getValue());
                }
            }
            return of(view);
        }

        /** {@link #of} the page as it is shown: its own entries and the attributes it inherits; /Annots apart. */
        String page(COSDictionary page) throws IOException {
            COSDictionary view = new COSDictionary();
            for (Map.Entry<COSName, COSBase> e : page.entrySet()) {
                if (!COSName.PARENT.equals(e.getKey()) && !COSName.ANNOTS.equals(e.getKey())) {
                    view.setItem(e.getKey(), e.getValue());
                }
            }
            for (COSName key : INHERITED) {
                if (!view.containsKey(key)) {
                    COSBase value = inherited(page, key);
                    if (value != null) {
                        view.setItem(key, value);
                    }
                }
            }
            return of(view);
        }

        /** The value of {@code key} on the nearest ancestor that sets it, however deep the tree (viewers go all the way). */
        private COSBase inherited(COSDictionary page, COSName key) throws TooComplexException {
            Set<COSBase> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            COSBase node = page.getDictionaryObject(COSName.PARENT);
            while (node instanceof COSDictionary d && seen.add(d)) {
                budget.spend(1);
                COSBase value = d.getItem(key);
                if (value != null) {
                    return value;
                }
                node = d.getDictionaryObject(COSName.PARENT);
            }
            return null;
        }

        private void emit(COSBase value, COSBase root, Map<COSBase, Integer> ordinals, Deque<Object> work)
                throws IOException {
            budget.spend(1);
            COSBase base = value instanceof COSObject indirect ? indirect.getObject() : value;
            if (scalar(md, base)) {
                return;
            } else if (base instanceof COSDictionary || base instanceof COSArray) {
                if (base != root && pageIndex.containsKey(base)) {
                    number('P', pageIndex.get(base));
                    return;
                }
                if (base != root && base == catalog) {
                    tag('C');
                    return;
                }
                byte[] leaf = leafDigest(base);
                if (leaf != null) {
                    tag('L');
                    md.update(leaf);
                    return;
                }
                Integer ordinal = ordinals.get(base);
                if (ordinal != null) {
                    number('R', ordinal);
                    return;
                }
                ordinals.put(base, ordinals.size());
                if (base instanceof COSDictionary dict) {
                    dictionary(dict, work, base != root && treeNodes.contains(base));
                } else {
                    COSArray array = (COSArray) base;
                    number('A', array.size());
                    for (int i = array.size() - 1; i >= 0; i--) {
                        work.push(array.get(i) == null ? MISSING : array.get(i));
                    }
                }
            } else {
                framed(md, '?', base.getClass().getSimpleName().getBytes(StandardCharsets.US_ASCII));
            }
        }

        /** Writes a dictionary; of a page tree node only what is not the tree (its attributes are compared on the pages). */
        private void dictionary(COSDictionary dict, Deque<Object> work, boolean treeNode) throws IOException {
            boolean stream = dict instanceof COSStream;
            if (treeNode) {
                tag('T');
            }
            if (stream) {
                tag('S');
                md.update(streamDigest((COSStream) dict));
            }
            // an annotation's /Parent is its field (judged by FieldChanges) or, for a pop-up, its markup annotation
            boolean annotation = dict.containsKey(COSName.RECT) && dict.containsKey(COSName.SUBTYPE);
            List<Map.Entry<COSName, COSBase>> entries = new ArrayList<>(dict.size());
            for (Map.Entry<COSName, COSBase> e : dict.entrySet()) {
                COSName key = e.getKey();
                if (!(stream && COSName.LENGTH.equals(key)) && !(annotation && COSName.PARENT.equals(key))
                        && !(treeNode && TREE_KEYS.contains(key))) {
                    entries.add(e);
                }
            }
            entries.sort((a, b) -> a.getKey().compareTo(b.getKey()));
            number('D', entries.size());
            for (int i = entries.size() - 1; i >= 0; i--) {
                Map.Entry<COSName, COSBase> e = entries.get(i);
                work.push(e.getValue() == null ? MISSING : e.getValue());
                work.push(keyFrames.computeIfAbsent(e.getKey(), k -> frame('N', k.getName().getBytes(StandardCharsets.UTF_8))));
            }
        }

        /** The digest of a stream's raw bytes, read once per document whatever the number of references. */
        private byte[] streamDigest(COSStream stream) throws IOException {
            byte[] digest = streamDigests.get(stream);
            if (digest != null) {
                return digest;
            }
            streamMd.reset();
            long length = 0;
            try (InputStream in = stream.createRawInputStream()) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    streamMd.update(buffer, 0, n);
                    length += n;
                    budget.spendBytes(n);
                }
            }
            ByteBuffer framed = ByteBuffer.allocate(8 + 32).putLong(length).put(streamMd.digest());
            digest = framed.array();
            streamDigests.put(stream, digest);
            return digest;
        }

        private void tag(char tag) {
            md.update((byte) tag);
        }

        private void number(char tag, long value) {
            number(md, tag, value);
        }

        private void number(MessageDigest target, char tag, long value) {
            scalar.clear();
            scalar.put((byte) tag).putLong(value);
            target.update(scalar.array(), 0, 9);
        }

        private void framed(MessageDigest target, char tag, byte[] bytes) {
            number(target, tag, bytes.length);
            target.update(bytes);
        }

        /** Writes {@code base} to {@code target} when it is a scalar (or missing); false for containers. */
        private boolean scalar(MessageDigest target, COSBase base) {
            if (base == null || base instanceof org.apache.pdfbox.cos.COSNull) {
                target.update((byte) 'n');
            } else if (base instanceof COSName name) {
                framed(target, 'N', name.getName().getBytes(StandardCharsets.UTF_8));
            } else if (base instanceof COSString string) {
                framed(target, 's', string.getBytes());
            } else if (base instanceof COSInteger integer) {
                number(target, 'I', integer.longValue());
            } else if (base instanceof COSFloat real) {
                number(target, 'F', Float.floatToIntBits(real.floatValue()));
            } else if (base instanceof COSBoolean bool) {
                number(target, 'B', bool.getValue() ? 1 : 0);
            } else {
                return false;
            }
            return true;
        }

        /**
         * The digest of an array or dictionary that holds only scalars (font widths, boxes,
         * encodings: most of a document's objects by count), computed once per document; null for
         * any other object. Such an object references nothing, so its content is all there is to
         * compare, and pages sharing a font do not walk its widths again.
         */
        private byte[] leafDigest(COSBase base) {
            if (base instanceof COSStream || !(base instanceof COSDictionary || base instanceof COSArray)) {
                return null;
            }
            byte[] known = leaves.get(base);
            if (known != null) {
                return known == NOT_A_LEAF ? null : known;
            }
            leafMd.reset();
            boolean leaf = true;
            if (base instanceof COSArray array) {
                number(leafMd, 'A', array.size());
                for (int i = 0; i < array.size() && leaf; i++) {
                    leaf = scalar(leafMd, array.get(i));
                }
            } else {
                COSDictionary dict = (COSDictionary) base;
                List<COSName> keys = new ArrayList<>(dict.keySet());
                keys.sort(COSName::compareTo);
                number(leafMd, 'D', keys.size());
                for (int i = 0; i < keys.size() && leaf; i++) {
                    framed(leafMd, 'N', keys.get(i).getName().getBytes(StandardCharsets.UTF_8));
                    leaf = scalar(leafMd, dict.getItem(keys.get(i)));
                }
            }
            byte[] digest = leaf ? leafMd.digest() : NOT_A_LEAF;
            leaves.put(base, digest);
            return leaf ? digest : null;
        }

        private static byte[] frame(char tag, byte[] bytes) {
            return ByteBuffer.allocate(9 + bytes.length).put((byte) tag).putLong(bytes.length).put(bytes).array();
        }
    }

    /**
     * The work one signature's revision comparison may do, shared by both documents: objects
     * visited and stream bytes read. No real document comes near it; a crafted one (a resource
     * graph shared by thousands of pages, object graphs of millions of nodes) stops with
     * {@link TooComplexException} instead of running for minutes.
     */
    static final class Budget {
        static final long MAX_NODES = 8_000_000;
        static final long MAX_STREAM_BYTES = 2L << 30;
        private long nodes;
        private long bytes;

        void spend(long n) throws TooComplexException {
            nodes += n;
            if (nodes > MAX_NODES) {
                throw new TooComplexException("more than " + MAX_NODES + " objects to compare");
            }
        }

        void spendBytes(long n) throws TooComplexException {
            bytes += n;
            if (bytes > MAX_STREAM_BYTES) {
                throw new TooComplexException("more than " + (MAX_STREAM_BYTES >> 20) + " MB of streams to compare");
            }
        }
    }

    /** The revision comparison went over its {@link Budget}. */
    static final class TooComplexException extends IOException {
        TooComplexException(String message) {
            super(message);
        }
    }

    /**
     * Compares the pages of the two revisions; returns whether either has a form field widget
     * (other than a signature's), which {@link FieldChanges} must then judge.
     */
    static boolean compare(Fingerprints signedSide, Fingerprints nowSide, SignatureReport.Builder report,
            List<Finding> findings) throws IOException {
        PDDocument signed = signedSide.doc();
        PDDocument now = nowSide.doc();
        int laterSignatures = now.getSignatureDictionaries().size() - signed.getSignatureDictionaries().size();
        if (laterSignatures > 0) {
            report.laterChange(laterSignatures + " chữ ký được thêm sau / signature(s) added later");
        }
        COSBase dssBefore = signed.getDocumentCatalog().getCOSObject().getDictionaryObject(Dss.DSS);
        COSBase dssNow = now.getDocumentCatalog().getCOSObject().getDictionaryObject(Dss.DSS);
        if (dssNow != null && (dssBefore == null || !signedSide.of(dssBefore).equals(nowSide.of(dssNow)))) {
            report.laterChange("dữ liệu kiểm tra hiệu lực (DSS) được bổ sung / validation data (DSS) added");
        }
        int pages = signedSide.pages().size();
        if (pages != nowSide.pages().size()) {
            findings.add(Finding.error("PAGES_CHANGED_AFTER_SIGNING", "Số trang đã thay đổi sau khi ký ("
                    + pages + " → " + nowSide.pages().size() + ")", "The number of pages changed after signing ("
                    + pages + " → " + nowSide.pages().size() + ")"));
            return true;
        }
        boolean[] formWidgets = {false};
        for (int i = 0; i < pages; i++) {
            PDPage before = signedSide.pages().get(i);
            PDPage after = nowSide.pages().get(i);
            if (!signedSide.page(before.getCOSObject()).equals(nowSide.page(after.getCOSObject()))) {
                findings.add(Finding.error("PAGE_CONTENT_CHANGED_AFTER_SIGNING", "Nội dung trang " + (i + 1)
                        + " đã bị thay đổi sau khi ký", "The content of page " + (i + 1) + " was changed after signing"));
            }
            Map<String, Integer> annotsBefore = new HashMap<>();
            for (String a : annotations(signedSide, before, formWidgets)) {
                annotsBefore.merge(a, 1, Integer::sum);
            }
            for (String a : annotations(nowSide, after, formWidgets)) {
                if (annotsBefore.merge(a, -1, Integer::sum) < 0) {
                    findings.add(Finding.error("ANNOTATION_CHANGED_AFTER_SIGNING", "Trang " + (i + 1)
                            + " có chú thích mới hoặc bị sửa sau khi ký (có thể che hoặc thay nội dung)", "Page " + (i + 1)
                            + " has an annotation added or changed after signing (it can hide or replace content)"));
                    formWidgets[0] = true; // the rest of the page was not looked at: let the field check run
                    break;
                }
            }
            if (annotsBefore.values().stream().anyMatch(n -> n > 0)) {
                report.laterChange("chú thích bị xóa ở trang " + (i + 1) + " / annotation removed on page " + (i + 1));
            }
            signedWidgets(signedSide, before, nowSide, after, i, findings);
        }
        return formWidgets[0];
    }

    /**
     * Fingerprints of a page's annotations, signature widgets left out (adding signatures is
     * allowed; {@link #signedWidgets} judges the ones already signed) and form field widgets
     * without what form fill changes (value, appearance, state, flags), which
     * {@link FieldChanges} judges instead.
     */
    private static List<String> annotations(Fingerprints side, PDPage page, boolean[] formWidgets) throws IOException {
        List<String> out = new ArrayList<>();
        for (PDAnnotation a : page.getAnnotations()) {
            COSDictionary d = a.getCOSObject();
            boolean widget = COSName.WIDGET.equals(d.getCOSName(COSName.SUBTYPE));
            if (!widget) {
                out.add(side.of(d));
            } else if (!COSName.SIG.equals(inheritedField(d, COSName.FT))) {
                formWidgets[0] = true;
                out.add(side.without(d, FieldChanges.FILL_KEYS));
            }
        }
        return out;
    }

    /**
     * Adds an error when the widget of a signature already made in the signed revision (its
     * visible appearance, its place) was changed later: signing a field is allowed once, not
     * redrawing a signed one to show another signer or date.
     */
    private static void signedWidgets(Fingerprints signedSide, PDPage before, Fingerprints nowSide, PDPage after,
            int index, List<Finding> findings) throws IOException {
        Map<COSObjectKey, COSDictionary> signedBefore = new HashMap<>();
        for (PDAnnotation a : before.getAnnotations()) {
            COSDictionary d = a.getCOSObject();
            if (d.getKey() != null && COSName.SIG.equals(inheritedField(d, COSName.FT))
                    && inheritedField(d, COSName.V) != null) {
                signedBefore.put(d.getKey(), d);
            }
        }
        if (signedBefore.isEmpty()) {
            return;
        }
        for (PDAnnotation a : after.getAnnotations()) {
            COSDictionary d = a.getCOSObject();
            COSDictionary was = d.getKey() == null ? null : signedBefore.get(d.getKey());
            if (was != null && !signedSide.of(was).equals(nowSide.of(d))) {
                findings.add(Finding.error("SIGNATURE_WIDGET_CHANGED_AFTER_SIGNING", "Hình hiển thị của một chữ ký ở trang "
                        + (index + 1) + " bị thay đổi sau khi ký", "The visible appearance of a signature on page "
                        + (index + 1) + " was changed after signing"));
                return;
            }
        }
    }

    /** A field entry of a widget, inherited from its parent fields when the widget is a kid. */
    static COSBase inheritedField(COSDictionary widget, COSName key) {
        COSDictionary d = widget;
        for (int depth = 0; d != null && depth < 16; depth++) {
            COSBase value = d.getDictionaryObject(key);
            if (value != null) {
                return value;
            }
            d = d.getCOSDictionary(COSName.PARENT);
        }
        return null;
    }

    /** Whether two ByteRange arrays name the same four numbers. */
    static boolean sameRange(COSBase a, int[] range) {
        if (!(a instanceof COSArray array) || array.size() != 4) {
            return false;
        }
        int[] other = new int[4];
        for (int i = 0; i < 4; i++) {
            if (!(array.getObject(i) instanceof COSInteger n)) {
                return false;
            }
            other[i] = (int) n.longValue();
        }
        return Arrays.equals(other, range);
    }
}
