package vn.kyso.xml;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import org.apache.xml.security.utils.Constants;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Every attribute of a document that some tool may treat as an XML ID ({@code Id}, {@code id},
 * {@code ID}, {@code xml:id}), by value. Collisions are judged over all of these names at once, so
 * that registering one spelling as an ID never hides an element carrying the same value under
 * another spelling (a signature wrapping trick).
 *
 * <p>The same single walk also gathers what the other document-wide checks look up (the
 * ds:Signature and ds:Manifest elements, every element by local name), so that a large document
 * is walked once per verification rather than once per check: on a 1.3 MB invoice each extra
 * walk of the DOM costs as much as a tenth of the verification.
 */
final class IdIndex {
    private static final List<String> NAMES = List.of("Id", "id", "ID");

    private final Map<String, List<Attr>> byValue;
    private final List<Element> signatures;
    private final List<Element> manifests;
    private final Map<String, List<Element>> byLocalName;

    private IdIndex(Map<String, List<Attr>> byValue, List<Element> signatures, List<Element> manifests,
            Map<String, List<Element>> byLocalName) {
        this.byValue = byValue;
        this.signatures = signatures;
        this.manifests = manifests;
        this.byLocalName = byLocalName;
    }

    /** Walks the document once, iteratively (no recursion on deep documents), in document order. */
    static IdIndex of(org.w3c.dom.Document dom) {
        Map<String, List<Attr>> byValue = new HashMap<>();
        List<Element> signatures = new ArrayList<>();
        List<Element> manifests = new ArrayList<>();
        Map<String, List<Element>> byLocalName = new HashMap<>();
        Deque<Node> todo = new ArrayDeque<>();
        todo.push(dom.getDocumentElement());
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (n instanceof Element e) {
                String local = e.getLocalName();
                byLocalName.computeIfAbsent(local, k -> new ArrayList<>(2)).add(e);
                if (Constants.SignatureSpecNS.equals(e.getNamespaceURI())) {
                    if ("Signature".equals(local)) {
                        signatures.add(e);
                    } else if ("Manifest".equals(local)) {
                        manifests.add(e);
                    }
                }
                NamedNodeMap attributes = e.getAttributes();
                for (int i = 0; i < attributes.getLength(); i++) {
                    Attr a = (Attr) attributes.item(i);
                    if (isIdName(a)) {
                        byValue.computeIfAbsent(a.getValue(), k -> new ArrayList<>(1)).add(a);
                    }
                }
                for (Node c = e.getLastChild(); c != null; c = c.getPreviousSibling()) {
                    if (c.getNodeType() == Node.ELEMENT_NODE) {
                        todo.push(c);
                    }
                }
            }
        }
        return new IdIndex(byValue, signatures, manifests, byLocalName);
    }

    private static boolean isIdName(Attr a) {
        String ns = a.getNamespaceURI();
        if (ns == null) {
            return NAMES.contains(a.getLocalName() != null ? a.getLocalName() : a.getName());
        }
        return XMLConstants.XML_NS_URI.equals(ns) && "id".equals(a.getLocalName());
    }

    /** The ds:Signature elements, at any depth, in document order. */
    List<Element> signatures() {
        return signatures;
    }

    /** The ds:Manifest elements, at any depth, in document order. */
    List<Element> manifests() {
        return manifests;
    }

    /** The elements whose local name is {@code local}, whatever their namespace, in document order. */
    List<Element> named(String local) {
        return byLocalName.getOrDefault(local, List.of());
    }

    /** Every Id-like attribute carrying {@code value}, in document order; empty when none. */
    List<Attr> holders(String value) {
        return byValue.getOrDefault(value, List.of());
    }
}
