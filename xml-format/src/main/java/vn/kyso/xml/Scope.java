package vn.kyso.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.XMLConstants;

/**
 * The namespace declarations and {@code xml:*} attributes made on one element, chained to its
 * parent's: what inclusive C14N needs to render a document subset's apex (every binding in
 * scope, the nearest {@code xml:*} values). Elements that declare nothing share their parent's
 * scope, so a large document without namespaces allocates none. Immutable.
 */
final class Scope {
    private static final String[] NONE = new String[0];

    /** Above the root element: nothing bound. */
    static final Scope DOCUMENT = new Scope(null, NONE, NONE, NONE, NONE);

    final Scope parent;
    private final String[] prefixes;
    private final String[] uris;
    private final String[] xmlNames;
    private final String[] xmlValues;

    Scope(Scope parent, String[] prefixes, String[] uris, String[] xmlNames, String[] xmlValues) {
        this.parent = parent;
        this.prefixes = prefixes;
        this.uris = uris;
        this.xmlNames = xmlNames;
        this.xmlValues = xmlValues;
    }

    /** A child scope with these declarations ({@code ""} is the default namespace). */
    static Scope declare(Scope parent, List<String> prefixes, List<String> uris, List<String> xmlNames,
            List<String> xmlValues) {
        return new Scope(parent, prefixes.toArray(NONE), uris.toArray(NONE), xmlNames.toArray(NONE),
                xmlValues.toArray(NONE));
    }

    /** The namespace {@code prefix} is bound to here; {@code ""} for an unbound default, null for an unbound prefix. */
    String uri(String prefix) {
        for (Scope s = this; s != null; s = s.parent) {
            for (int i = s.prefixes.length - 1; i >= 0; i--) {
                if (s.prefixes[i].equals(prefix)) {
                    return s.uris[i];
                }
            }
        }
        return prefix.isEmpty() ? "" : null;
    }

    int declarationCount() {
        return prefixes.length;
    }

    String declaredPrefix(int i) {
        return prefixes[i];
    }

    String declaredUri(int i) {
        return uris[i];
    }

    /**
     * Every binding C14N renders on an apex element here: all prefixes in scope, sorted, without
     * an empty default namespace and without the {@code xml} prefix.
     */
    Map<String, String> renderedAtApex() {
        Map<String, String> out = new TreeMap<>();
        for (Scope s = this; s != null; s = s.parent) {
            for (int i = 0; i < s.prefixes.length; i++) {
                out.putIfAbsent(s.prefixes[i], s.uris[i]);
            }
        }
        out.remove(XMLConstants.XML_NS_PREFIX);
        if ("".equals(out.get(""))) {
            out.remove("");
        }
        return out;
    }

    /** The nearest value of every {@code xml:*} attribute set here or above (local name to value). */
    Map<String, String> xmlAttributes() {
        Map<String, String> out = new TreeMap<>();
        for (Scope s = this; s != null; s = s.parent) {
            for (int i = 0; i < s.xmlNames.length; i++) {
                out.putIfAbsent(s.xmlNames[i], s.xmlValues[i]);
            }
        }
        return out;
    }

    /**
     * {@code xml:*} attributes set with different values at several levels here or above. Verifiers
     * disagree on which one an apex inherits (Santuario's subtree canonicalizer takes the outermost,
     * the node-set one and libxml2 the nearest), so a signature over such an apex is not portable.
     */
    List<String> conflictingXmlAttributes() {
        Map<String, String> first = new TreeMap<>();
        List<String> conflicts = new ArrayList<>();
        for (Scope s = this; s != null; s = s.parent) {
            for (int i = 0; i < s.xmlNames.length; i++) {
                String seen = first.putIfAbsent(s.xmlNames[i], s.xmlValues[i]);
                if (seen != null && !seen.equals(s.xmlValues[i]) && !conflicts.contains(s.xmlNames[i])) {
                    conflicts.add(s.xmlNames[i]);
                }
            }
        }
        return conflicts;
    }
}
