package vn.kyso.xml;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Every attribute of a document that some tool may treat as an XML ID ({@code Id}, {@code id},
 * {@code ID}, {@code xml:id}), by value. Collisions are judged over all of these names at once, so
 * that registering one spelling as an ID never hides an element carrying the same value under
 * another spelling (a signature wrapping trick).
 */
final class IdIndex {
    private static final List<String> NAMES = List.of("Id", "id", "ID");

    private final Map<String, List<Attr>> byValue;

    private IdIndex(Map<String, List<Attr>> byValue) {
        this.byValue = byValue;
    }

    /** Walks the document once, iteratively (no recursion on deep documents). */
    static IdIndex of(org.w3c.dom.Document dom) {
        Map<String, List<Attr>> byValue = new HashMap<>();
        Deque<Node> todo = new ArrayDeque<>();
        todo.push(dom.getDocumentElement());
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (n instanceof Element e) {
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
        return new IdIndex(byValue);
    }

    private static boolean isIdName(Attr a) {
        String ns = a.getNamespaceURI();
        if (ns == null) {
            return NAMES.contains(a.getLocalName() != null ? a.getLocalName() : a.getName());
        }
        return XMLConstants.XML_NS_URI.equals(ns) && "id".equals(a.getLocalName());
    }

    /** Every Id-like attribute carrying {@code value}, in document order; empty when none. */
    List<Attr> holders(String value) {
        return byValue.getOrDefault(value, List.of());
    }
}
