package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.signature.XMLSignatureNodeInput;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import vn.kyso.DigestAlgorithm;
import vn.kyso.Document;

/**
 * The streaming canonicalizer against Santuario's, byte for byte: fixed cases for each rule of
 * C14N 1.0 and a property over generated documents (namespaces and their undeclaration,
 * attributes with special characters, comments, PIs, CDATA, entities, line endings, Vietnamese
 * and supplementary characters, xml:* inheritance).
 */
class C14nStreamTest {
    static {
        org.apache.xml.security.Init.init();
    }

    @Test
    void apexRendersEveryNamespaceInScopeAndTheNearestXmlAttributes() throws Exception {
        String xml = "<r xml:lang=\"vi\" xml:space=\"preserve\" xmlns:a=\"urn:a\" xmlns=\"urn:d\"><m xml:lang=\"en\">"
                + "<t Id=\"x\"><!--c--><u xmlns=\"\" b=\"1\"/></t></m></r>";
        assertEquals("<t xmlns=\"urn:d\" xmlns:a=\"urn:a\" Id=\"x\" xml:lang=\"en\" xml:space=\"preserve\">"
                + "<u xmlns=\"\" b=\"1\"></u></t>", ours(xml, 3, false));
        assertEquals("<t xmlns=\"urn:d\" xmlns:a=\"urn:a\" Id=\"x\" xml:lang=\"en\" xml:space=\"preserve\"><!--c-->"
                + "<u xmlns=\"\" b=\"1\"></u></t>", ours(xml, 3, true));
        assertMatchesSantuario(xml, 3, false);
        String agreeing = xml.replace("<m xml:lang=\"en\">", "<m>");
        assertMatchesSantuario(agreeing, 3, false);
        assertMatchesSantuario(agreeing, 3, true);
    }

    @Test
    void redundantDeclarationsAreDroppedAndUndeclarationKeptWhereItMatters() throws Exception {
        String xml = "<a xmlns=\"urn:1\" xmlns:p=\"urn:p\"><b xmlns=\"urn:1\" xmlns:p=\"urn:p\"><c xmlns=\"\">"
                + "<d xmlns=\"\"/></c></b></a>";
        assertEquals("<a xmlns=\"urn:1\" xmlns:p=\"urn:p\"><b><c xmlns=\"\"><d></d></c></b></a>", ours(xml, 1, false));
        for (int k = 0; k <= 4; k++) {
            assertMatchesSantuario(xml, k, false);
        }
    }

    @Test
    void attributesAreSortedByNamespaceThenLocalNameAndEscaped() throws Exception {
        String xml = "<e xmlns:z=\"urn:a\" xmlns:a=\"urn:z\" z:b=\"1\" a:a=\"2\" c=\"&lt;&amp;&gt;&quot;'&#9;&#10;&#13;\""
                + " b=\"tab\there\nnewline\"/>";
        assertEquals("<e xmlns:a=\"urn:z\" xmlns:z=\"urn:a\" b=\"tab here newline\" c=\"&lt;&amp;>&quot;'&#x9;&#xA;&#xD;\""
                + " z:b=\"1\" a:a=\"2\"></e>", ours(xml, 1, false));
        assertMatchesSantuario(xml, 1, false);
    }

    @Test
    void textIsEscapedAndCdataReplacedAndLineEndingsNormalized() throws Exception {
        String xml = "<e>a &amp; b &lt; c &gt; d &#13; e\r\nf\rg<![CDATA[<x> & ]]]]><![CDATA[>]]>&#x1F600;😀 Hóa đơn</e>";
        assertEquals("<e>a &amp; b &lt; c &gt; d &#xD; e\nf\ng&lt;x&gt; &amp; ]]&gt;😀😀 Hóa đơn</e>", ours(xml, 1, false));
        assertMatchesSantuario(xml, 1, false);
    }

    @Test
    void documentLevelCommentsAndPisGetLineFeedsAndTheDeclarationIsDropped() throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?pi  data ?><!-- before -->\n<r><?inner?><!--in--></r>"
                + "\n<!-- after --><?end?>\n";
        assertEquals("<?pi data ?>\n<r><?inner?></r>\n<?end?>", ours(xml, 0, false));
        assertMatchesSantuario(xml, 0, false);
        assertMatchesSantuario(xml, 1, true);
        assertEquals("<?pi data ?>\n<!-- before -->\n<r><?inner?><!--in--></r>\n<!-- after -->\n<?end?>",
                ours(xml, 0, true));
    }

    @Test
    void textLongerThanTheSinkBufferIsEncodedAcrossFlushes() throws Exception {
        StringBuilder text = new StringBuilder();
        String[] pieces = {"abc", "&amp;", "Hóa đơn", "&#13;", "😀", "x", "&lt;&gt;", "\n"};
        for (int i = 0; text.length() < 60_000; i++) {
            text.append(pieces[i % pieces.length]).append("0123456789".substring(i % 10));
        }
        String xml = "<r><t a=\"" + "v&amp;".repeat(3000) + "\">" + text + "</t></r>";
        assertMatchesSantuario(xml, 2, false);
        assertMatchesSantuario(xml, 0, false);
    }

    @Property(tries = 400)
    void matchesSantuarioOnGeneratedDocuments(@ForAll("documents") Generated g) throws Exception {
        Statistics.collect(g.apex == 0 ? "whole document" : g.comments ? "element, with comments" : "element");
        assertMatchesSantuario(g.xml, g.apex, g.comments);
    }

    @Provide
    Arbitrary<Generated> documents() {
        return Arbitraries.randomValue(DocumentGenerator::generate);
    }

    /** A generated document, the element to canonicalize (0 = the whole document) and the comments choice. */
    record Generated(String xml, int apex, boolean comments) {
        @Override
        public String toString() {
            return "apex " + apex + (comments ? " with comments: " : ": ") + xml;
        }
    }

    /**
     * Our digest equals the digest of Santuario's canonical form. Where ancestors set an xml:*
     * attribute differently, Santuario's two canonicalizers (and libxml2) disagree; there the pass
     * must flag the element, which makes signing refuse it.
     */
    static void assertMatchesSantuario(String xml, int apex, boolean comments) throws Exception {
        SigningScan.Capture ours = capture(xml, apex, comments);
        if (apex > 0 && xmlAttributesDifferAmongAncestors(xml, apex)) {
            assertFalse(ours.xmlConflicts.isEmpty(), () -> "conflicting xml:* inheritance not flagged: " + xml);
            return;
        }
        assertTrue(ours.xmlConflicts.isEmpty(), () -> "flagged without a conflict: " + xml);
        byte[] expected = santuario(xml, apex, comments);
        assertArrayEquals(DigestAlgorithm.SHA256.digest(expected), ours.digest, () -> "apex " + apex + ", comments "
                + comments + "\ninput:    " + xml + "\nexpected: " + new String(expected, StandardCharsets.UTF_8)
                + "\nours:     " + safeOurs(xml, apex, comments));
    }

    private static String safeOurs(String xml, int apex, boolean comments) {
        try {
            return ours(xml, apex, comments);
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** What the signing pass computes for element {@code apex} (or the document). */
    private static SigningScan.Capture capture(String xml, int apex, boolean comments) throws Exception {
        SigningScan scan = SigningScan.run(Document.of(xml.getBytes(StandardCharsets.UTF_8), "t.xml"), criteria(apex),
                DigestAlgorithm.SHA256, comments);
        assertEquals(1, scan.captures.size());
        return scan.captures.get(0);
    }

    private static SigningScan.Criteria criteria(int apex) {
        return new SigningScan.Criteria() {
            @Override
            public String capture(SigningScan.Frames f) {
                return apex > 0 && f.ordinalAt(f.depth()) == apex ? "x" : null;
            }

            @Override
            public boolean slot(SigningScan.Frames f) {
                return false;
            }

            @Override
            public boolean wholeDocument() {
                return apex == 0;
            }
        };
    }

    /** Our canonical form as text, through a stream reader driven the way the pass drives it. */
    static String ours(String xml, int apex, boolean comments) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Utf8Sink sink = new Utf8Sink(out::write);
        javax.xml.stream.XMLStreamReader r = javax.xml.stream.XMLInputFactory.newDefaultFactory()
                .createXMLStreamReader(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        C14nStream c = new C14nStream(sink, comments, apex == 0);
        List<Scope> scopes = new ArrayList<>();
        scopes.add(Scope.DOCUMENT);
        int ordinal = 0;
        boolean on = apex == 0;
        while (r.hasNext()) {
            int e = r.next();
            switch (e) {
                case javax.xml.stream.XMLStreamConstants.START_ELEMENT -> {
                    ordinal++;
                    Scope parent = scopes.get(scopes.size() - 1);
                    Scope scope = scope(r, parent);
                    scopes.add(scope);
                    on |= ordinal == apex;
                    if (on && !c.finished()) {
                        c.startElement(r, scope, parent);
                    }
                }
                case javax.xml.stream.XMLStreamConstants.END_ELEMENT -> {
                    scopes.remove(scopes.size() - 1);
                    if (on && !c.finished()) {
                        c.endElement(r);
                    }
                }
                case javax.xml.stream.XMLStreamConstants.CHARACTERS, javax.xml.stream.XMLStreamConstants.CDATA,
                        javax.xml.stream.XMLStreamConstants.SPACE -> {
                    if (on && !c.finished()) {
                        c.characters(r);
                    }
                }
                case javax.xml.stream.XMLStreamConstants.COMMENT -> {
                    if (on && !c.finished()) {
                        c.comment(r);
                    }
                }
                case javax.xml.stream.XMLStreamConstants.PROCESSING_INSTRUCTION -> {
                    if (on && !c.finished()) {
                        c.processingInstruction(r);
                    }
                }
                case javax.xml.stream.XMLStreamConstants.END_DOCUMENT -> {
                    if (apex == 0) {
                        c.endDocument();
                    }
                }
                default -> {
                }
            }
        }
        sink.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Scope scope(javax.xml.stream.XMLStreamReader r, Scope parent) {
        List<String> p = new ArrayList<>();
        List<String> u = new ArrayList<>();
        List<String> xn = new ArrayList<>();
        List<String> xv = new ArrayList<>();
        for (int i = 0; i < r.getNamespaceCount(); i++) {
            p.add(r.getNamespacePrefix(i) == null ? "" : r.getNamespacePrefix(i));
            u.add(r.getNamespaceURI(i) == null ? "" : r.getNamespaceURI(i));
        }
        for (int i = 0; i < r.getAttributeCount(); i++) {
            if (javax.xml.XMLConstants.XML_NS_URI.equals(r.getAttributeNamespace(i))) {
                xn.add(r.getAttributeLocalName(i));
                xv.add(r.getAttributeValue(i));
            }
        }
        return p.isEmpty() && xn.isEmpty() ? parent : Scope.declare(parent, p, u, xn, xv);
    }

    /**
     * Santuario's canonical form of element {@code apex} or of the whole document, as its signature
     * verification computes it: a same-document reference's node set turned into octets
     * ({@code XMLSignatureNodeInput}, no comments). With comments, for an element, its subtree
     * canonicalizer. (Santuario's subtree canonicalizer of a whole Document drops comments and PIs
     * after the root element, which its verification does not do, so it is not the reference there.)
     */
    static byte[] santuario(String xml, int apex, boolean comments) throws Exception {
        org.w3c.dom.Document dom = dom(xml);
        Node node = apex == 0 ? dom : nth(dom.getDocumentElement(), new int[] {apex});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (comments) {
            Canonicalizer.getInstance(Canonicalizer.ALGO_ID_C14N_WITH_COMMENTS).canonicalizeSubtree(node, out);
            return out.toByteArray();
        }
        new XMLSignatureNodeInput(node).write(out);
        byte[] dereferenced = out.toByteArray();
        if (apex > 0) {
            out.reset();
            Canonicalizer.getInstance(Canonicalizer.ALGO_ID_C14N_OMIT_COMMENTS).canonicalizeSubtree(node, out);
            assertArrayEquals(out.toByteArray(), dereferenced, "Santuario's subtree and reference paths disagree");
        }
        return dereferenced;
    }

    private static org.w3c.dom.Document dom(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static boolean xmlAttributesDifferAmongAncestors(String xml, int apex) throws Exception {
        Element e = nth(dom(xml).getDocumentElement(), new int[] {apex});
        java.util.Map<String, String> seen = new java.util.HashMap<>();
        for (Node p = e.getParentNode(); p instanceof Element pe; p = p.getParentNode()) {
            NamedNodeMap m = pe.getAttributes();
            for (int i = 0; i < m.getLength(); i++) {
                Attr a = (Attr) m.item(i);
                if (javax.xml.XMLConstants.XML_NS_URI.equals(a.getNamespaceURI())
                        && !e.hasAttributeNS(javax.xml.XMLConstants.XML_NS_URI, a.getLocalName())) {
                    String v = seen.putIfAbsent(a.getLocalName(), a.getValue());
                    if (v != null && !v.equals(a.getValue())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Element nth(Element e, int[] left) {
        if (--left[0] == 0) {
            return e;
        }
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element ce) {
                Element found = nth(ce, left);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Random well-formed documents exercising what C14N 1.0 treats specially. */
    static final class DocumentGenerator {
        private static final String[] NAMES = {"a", "b", "HDon", "DLHDon", "Tên", "đơn", "x-y", "n.1", "_u"};
        private static final String[] URIS = {"urn:a", "urn:b", "http://www.w3.org/2000/09/xmldsig#",
            "http://kekhaithue.gdt.gov.vn/TKhaiThue", "urn:x?q=1&amp;r=2"};
        private static final String[] PREFIXES = {"p", "q", "ds", "xsi"};
        private static final String[] TEXT = {"Hóa đơn", " ", "\n", "\r\n", "\r", "\t", "&amp;", "&lt;", "&gt;",
            "&quot;", "&apos;", "&#13;", "&#x9;", "&#xD;&#xA;", ">", "]]&gt;", "'\"", "😀", "&#x1F600;", "Đồng Nai",
            "<![CDATA[ <tag> & ]]>", "<![CDATA[]]>", "123", "MST:0312345678"};
        private static final String[] ATTR_VALUES = {"", "1", "Hóa đơn", "a b", " lead", "trail ", "&lt;&amp;&gt;",
            "&quot;", "'", "&#9;&#10;&#13;", "tab\there", "line\nfeed", "cr\r\nlf", "😀", ">", "#_593651"};

        private final Random random;
        private final StringBuilder sb = new StringBuilder();
        private int elements;

        private DocumentGenerator(Random random) {
            this.random = random;
        }

        static Generated generate(Random random) {
            DocumentGenerator g = new DocumentGenerator(random);
            String xml = g.document();
            int apex = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(g.elements);
            // a whole-document reference (URI="") never includes comments
            return new Generated(xml, apex, apex > 0 && random.nextBoolean());
        }

        private String document() {
            if (random.nextBoolean()) {
                sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
            }
            misc();
            element(0, new java.util.HashMap<>(java.util.Map.of("", "")));
            misc();
            return sb.toString();
        }

        private void misc() {
            for (int i = random.nextInt(3); i > 0; i--) {
                switch (random.nextInt(3)) {
                    case 0 -> sb.append("\n");
                    case 1 -> sb.append("<!--").append(pick(new String[] {"", " c ", "Hóa đơn", "a-b"})).append("-->");
                    default -> sb.append("<?pi").append(pick(new String[] {"", " data", "  spaced  ", " x=\"1\""})).append("?>");
                }
            }
        }

        private void element(int depth, java.util.Map<String, String> inScope) {
            elements++;
            java.util.Map<String, String> scope = new java.util.HashMap<>(inScope);
            StringBuilder decls = new StringBuilder();
            if (random.nextInt(3) == 0) {
                String uri = random.nextInt(4) == 0 ? "" : pick(URIS);
                if (!(uri.isEmpty() && depth == 0 && random.nextBoolean())) {
                    decls.append(" xmlns=\"").append(uri).append('"');
                    scope.put("", uri.replace("&amp;", "&"));
                }
            }
            for (String p : PREFIXES) {
                if (random.nextInt(5) == 0) {
                    String uri = random.nextInt(4) == 0 && scope.containsKey(p) ? rawUri(scope.get(p)) : pick(URIS);
                    decls.append(" xmlns:").append(p).append("=\"").append(uri).append('"');
                    scope.put(p, uri.replace("&amp;", "&"));
                }
            }
            String prefix = "";
            List<String> bound = new ArrayList<>();
            for (String p : PREFIXES) {
                if (scope.containsKey(p)) {
                    bound.add(p);
                }
            }
            if (!bound.isEmpty() && random.nextInt(3) == 0) {
                prefix = bound.get(random.nextInt(bound.size())) + ":";
            }
            String name = prefix + pick(NAMES);
            sb.append('<').append(name).append(decls);
            Set<String> used = new java.util.HashSet<>();
            Set<String> expanded = new java.util.HashSet<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                String local = pick(NAMES);
                String ap = "";
                if (!bound.isEmpty() && random.nextInt(3) == 0) {
                    ap = bound.get(random.nextInt(bound.size()));
                }
                String key = (ap.isEmpty() ? "" : scope.get(ap)) + "|" + local;
                if (!used.add((ap.isEmpty() ? "" : ap + ":") + local) || !expanded.add(key)) {
                    continue;
                }
                sb.append(' ').append(ap.isEmpty() ? "" : ap + ":").append(local).append("=\"")
                        .append(pick(ATTR_VALUES)).append('"');
            }
            if (random.nextInt(5) == 0) {
                sb.append(" xml:lang=\"").append(pick(new String[] {"vi", "en", ""})).append('"');
            }
            if (random.nextInt(8) == 0) {
                sb.append(" xml:space=\"preserve\"");
            }
            // the root always has content: a document signed whole holds its signature there, and
            // Santuario's traversal drops the comments and PIs after an empty root element
            if (depth > 0 && (depth >= 4 || random.nextInt(4) == 0)) {
                sb.append(random.nextBoolean() ? "/>" : "></" + name + ">");
                return;
            }
            sb.append('>');
            if (depth == 0) {
                element(1, scope);
            }
            for (int i = random.nextInt(5); i > 0; i--) {
                switch (random.nextInt(6)) {
                    case 0, 1 -> element(depth + 1, scope);
                    case 2 -> sb.append("<!--").append(pick(new String[] {"", " note ", "Hóa-đơn", "\r\n"})).append("-->");
                    case 3 -> sb.append("<?t").append(pick(new String[] {"", " d", " d ?", " Hóa"})).append("?>");
                    default -> sb.append(pick(TEXT));
                }
            }
            sb.append("</").append(name).append('>');
        }

        private static String rawUri(String uri) {
            return uri.replace("&", "&amp;");
        }

        private String pick(String[] values) {
            return values[random.nextInt(values.length)];
        }
    }
}
