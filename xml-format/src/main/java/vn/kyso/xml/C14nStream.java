package vn.kyso.xml;

import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLStreamReader;

/**
 * Inclusive Canonical XML 1.0 (with or without comments) of one element and its descendants, or
 * of a whole document, written while a StAX reader walks the input: the canonical form goes
 * straight into a {@link Utf8Sink} and is never held in memory.
 *
 * <p>The caller (the signing pass) keeps the {@link Scope} of every element and feeds the events
 * of the subtree in order. An apex element renders every namespace binding in scope and inherits
 * the nearest {@code xml:*} attributes of its ancestors (C14N 1.0, section 2.4); descendants render
 * only the declarations that change a binding. Line endings and attribute values arrive already
 * normalized by the parser. Not thread-safe; one instance per subtree.
 */
final class C14nStream {
    private static final String XML_NS = XMLConstants.XML_NS_URI;

    private final Utf8Sink out;
    private final boolean comments;
    private final boolean wholeDocument;
    private int depth;
    private boolean rootSeen;
    private boolean finished;

    private String[] attrNs = new String[8];
    private String[] attrLocal = new String[8];
    private String[] attrQName = new String[8];
    private String[] attrValue = new String[8];
    private int[] order = new int[8];

    /**
     * @param wholeDocument canonicalize the document (document-level comments and PIs with their
     *     line feeds), not one element
     */
    C14nStream(Utf8Sink out, boolean comments, boolean wholeDocument) {
        this.out = out;
        this.comments = comments;
        this.wholeDocument = wholeDocument;
    }

    /** Whether the apex (or the root element) has been closed. */
    boolean finished() {
        return finished;
    }

    /**
     * A start tag. {@code scope} is the element's own (with its declarations), {@code parentScope}
     * its parent's; they are the same object when the element declares nothing.
     */
    void startElement(XMLStreamReader r, Scope scope, Scope parentScope) {
        boolean apex = depth == 0 && !wholeDocument;
        depth++;
        rootSeen = true;
        String qname = qname(r.getPrefix(), r.getLocalName());
        out.raw('<');
        out.raw(qname);
        if (apex) {
            for (Map.Entry<String, String> ns : scope.renderedAtApex().entrySet()) {
                namespace(ns.getKey(), ns.getValue());
            }
        } else if (scope != parentScope) {
            declarations(scope, parentScope);
        }
        attributes(r, apex ? parentScope : null);
        out.raw('>');
    }

    /** An end tag; returns true when it closes the apex or the root element. */
    boolean endElement(XMLStreamReader r) {
        out.raw("</");
        out.raw(qname(r.getPrefix(), r.getLocalName()));
        out.raw('>');
        depth--;
        if (depth == 0) {
            finished = !wholeDocument;
            if (!wholeDocument) {
                out.flush();
            }
            return true;
        }
        return false;
    }

    /** Character data or CDATA inside the subtree; outside the root element it is dropped. */
    void characters(XMLStreamReader r) {
        if (depth > 0) {
            out.text(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
        }
    }

    void comment(XMLStreamReader r) {
        if (!comments) {
            return;
        }
        before();
        out.raw("<!--");
        out.verbatim(r.getText());
        out.raw("-->");
        after();
    }

    void processingInstruction(XMLStreamReader r) {
        before();
        out.raw("<?");
        out.raw(r.getPITarget());
        String data = r.getPIData();
        if (data != null && !data.isEmpty()) {
            out.raw(' ');
            out.verbatim(data);
        }
        out.raw("?>");
        after();
    }

    /** The end of the document (whole-document mode). */
    void endDocument() {
        finished = true;
        out.flush();
    }

    private void before() {
        if (wholeDocument && depth == 0 && rootSeen) {
            out.raw('\n');
        }
    }

    private void after() {
        if (wholeDocument && depth == 0 && !rootSeen) {
            out.raw('\n');
        }
    }

    private void declarations(Scope scope, Scope parentScope) {
        int n = scope.declarationCount();
        if (n == 0) {
            return;
        }
        int[] idx = sortedDeclarations(scope);
        for (int k = 0; k < n; k++) {
            int i = idx[k];
            String prefix = scope.declaredPrefix(i);
            String uri = scope.declaredUri(i);
            if (prefix.equals(XMLConstants.XML_NS_PREFIX)) {
                continue;
            }
            if (!uri.equals(parentScope.uri(prefix))) {
                namespace(prefix, uri);
            }
        }
    }

    private static int[] sortedDeclarations(Scope scope) {
        int n = scope.declarationCount();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
            for (int j = i; j > 0 && scope.declaredPrefix(idx[j - 1]).compareTo(scope.declaredPrefix(idx[j])) > 0; j--) {
                int t = idx[j];
                idx[j] = idx[j - 1];
                idx[j - 1] = t;
            }
        }
        return idx;
    }

    private void namespace(String prefix, String uri) {
        out.raw(prefix.isEmpty() ? " xmlns=\"" : " xmlns:");
        if (!prefix.isEmpty()) {
            out.raw(prefix);
            out.raw("=\"");
        }
        out.attribute(uri);
        out.raw('"');
    }

    /** The element's attributes, plus (for an apex) the nearest xml:* ones of its ancestors, sorted. */
    private void attributes(XMLStreamReader r, Scope inheritFrom) {
        int count = r.getAttributeCount();
        int n = 0;
        for (int i = 0; i < count; i++) {
            String ns = r.getAttributeNamespace(i);
            ns = ns == null ? "" : ns;
            String local = r.getAttributeLocalName(i);
            n = add(n, ns, local, qname(r.getAttributePrefix(i), local), r.getAttributeValue(i));
        }
        if (inheritFrom != null) {
            for (Map.Entry<String, String> a : inheritFrom.xmlAttributes().entrySet()) {
                if (!hasXmlAttribute(n, a.getKey())) {
                    n = add(n, XML_NS, a.getKey(), "xml:" + a.getKey(), a.getValue());
                }
            }
        }
        for (int i = 0; i < n; i++) {
            order[i] = i;
            for (int j = i; j > 0 && compare(order[j - 1], order[j]) > 0; j--) {
                int t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
            }
        }
        for (int k = 0; k < n; k++) {
            int i = order[k];
            out.raw(' ');
            out.raw(attrQName[i]);
            out.raw("=\"");
            out.attribute(attrValue[i]);
            out.raw('"');
        }
    }

    private boolean hasXmlAttribute(int n, String local) {
        for (int i = 0; i < n; i++) {
            if (attrNs[i].equals(XML_NS) && attrLocal[i].equals(local)) {
                return true;
            }
        }
        return false;
    }

    private int add(int n, String ns, String local, String qname, String value) {
        if (n == attrNs.length) {
            attrNs = java.util.Arrays.copyOf(attrNs, n * 2);
            attrLocal = java.util.Arrays.copyOf(attrLocal, n * 2);
            attrQName = java.util.Arrays.copyOf(attrQName, n * 2);
            attrValue = java.util.Arrays.copyOf(attrValue, n * 2);
            order = java.util.Arrays.copyOf(order, n * 2);
        }
        attrNs[n] = ns;
        attrLocal[n] = local;
        attrQName[n] = qname;
        attrValue[n] = value;
        return n + 1;
    }

    private int compare(int a, int b) {
        int c = attrNs[a].compareTo(attrNs[b]);
        return c != 0 ? c : attrLocal[a].compareTo(attrLocal[b]);
    }

    static String qname(String prefix, String local) {
        return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
    }
}
