package vn.kyso.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small element tree for the parts of a signature kyso writes itself (SignedInfo, KeyInfo,
 * Objects, XAdES properties). It renders two ways from the same content: as it goes into the
 * document, and in its canonical form (inclusive C14N 1.0) as the apex of a document subset
 * under a given {@link Scope}, which is what the digests and the signature value are computed over.
 * Attributes are always written in canonical order and elements never self-close, so both forms
 * differ only in the apex's inherited namespaces and xml:* attributes.
 */
final class XmlNode {
    private final String qname;
    private final List<String> prefixes = new ArrayList<>(1);
    private final List<String> uris = new ArrayList<>(1);
    private final List<String[]> attributes = new ArrayList<>(2);
    private final List<Object> children = new ArrayList<>(4);

    private XmlNode(String qname) {
        this.qname = qname;
    }

    static XmlNode element(String qname) {
        return new XmlNode(qname);
    }

    /** Declares a namespace on this element ({@code ""} for the default one). */
    XmlNode declare(String prefix, String uri) {
        prefixes.add(prefix);
        uris.add(uri);
        return this;
    }

    /** An attribute in no namespace; kept sorted by name as C14N orders them. */
    XmlNode attribute(String name, String value) {
        int i = 0;
        while (i < attributes.size() && attributes.get(i)[0].compareTo(name) < 0) {
            i++;
        }
        attributes.add(i, new String[] {name, value});
        return this;
    }

    XmlNode add(XmlNode child) {
        children.add(child);
        return this;
    }

    XmlNode text(String text) {
        children.add(text);
        return this;
    }

    /** A child element holding only text. */
    XmlNode add(String childQname, String text) {
        return add(element(childQname).text(text));
    }

    /** Levels of elements from this one down to its deepest descendant: 1 for an element without child elements. */
    int depth() {
        int below = 0;
        for (Object c : children) {
            if (c instanceof XmlNode n) {
                below = Math.max(below, n.depth());
            }
        }
        return 1 + below;
    }

    /** The scope inside this element, given its parent's. */
    Scope scopeIn(Scope parent) {
        return prefixes.isEmpty() ? parent : Scope.declare(parent, prefixes, uris, List.of(), List.of());
    }

    /** The form written into the document. */
    void write(Utf8Sink out) {
        render(out, null, false);
    }

    /** The canonical form of this element as the apex of a document subset whose parent has {@code parentScope}. */
    void canonical(Utf8Sink out, Scope parentScope) {
        render(out, parentScope, true);
    }

    byte[] canonical(Scope parentScope) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(1024);
        Utf8Sink sink = new Utf8Sink(bytes::write);
        canonical(sink, parentScope);
        sink.flush();
        return bytes.toByteArray();
    }

    byte[] bytes() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(4096);
        Utf8Sink sink = new Utf8Sink(bytes::write);
        write(sink);
        sink.flush();
        return bytes.toByteArray();
    }

    private void render(Utf8Sink out, Scope parentScope, boolean apex) {
        out.raw('<');
        out.raw(qname);
        Scope scope = parentScope == null ? null : scopeIn(parentScope);
        if (apex) {
            for (Map.Entry<String, String> ns : scope.renderedAtApex().entrySet()) {
                namespace(out, ns.getKey(), ns.getValue());
            }
        } else {
            for (int i : sortedDeclarations()) {
                if (parentScope == null || !uris.get(i).equals(parentScope.uri(prefixes.get(i)))) {
                    namespace(out, prefixes.get(i), uris.get(i));
                }
            }
        }
        for (String[] a : attributes) {
            attribute(out, a[0], a[1]);
        }
        if (apex) {
            for (Map.Entry<String, String> a : parentScope.xmlAttributes().entrySet()) {
                attribute(out, "xml:" + a.getKey(), a.getValue());
            }
        }
        out.raw('>');
        for (Object c : children) {
            if (c instanceof XmlNode n) {
                n.render(out, scope, false);
            } else {
                out.text((String) c);
            }
        }
        out.raw("</");
        out.raw(qname);
        out.raw('>');
    }

    private List<Integer> sortedDeclarations() {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < prefixes.size(); i++) {
            idx.add(i);
        }
        idx.sort((a, b) -> prefixes.get(a).compareTo(prefixes.get(b)));
        return idx;
    }

    private static void namespace(Utf8Sink out, String prefix, String uri) {
        out.raw(prefix.isEmpty() ? " xmlns" : " xmlns:");
        out.raw(prefix);
        out.raw("=\"");
        out.attribute(uri);
        out.raw('"');
    }

    private static void attribute(Utf8Sink out, String name, String value) {
        out.raw(' ');
        out.raw(name);
        out.raw("=\"");
        out.attribute(value);
        out.raw('"');
    }
}
