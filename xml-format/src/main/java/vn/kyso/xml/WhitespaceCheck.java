package vn.kyso.xml;

import java.util.ArrayList;
import java.util.List;
import org.apache.xml.security.signature.XMLSignature;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Tells whether a failed signature would verify with whitespace-only text removed from its signed elements. */
final class WhitespaceCheck {
    private WhitespaceCheck() {
    }

    static boolean onlyWhitespaceChanged(Element signature, List<Element> targets) {
        List<Node[]> removed = new ArrayList<>();
        try {
            for (Element t : targets) {
                strip(t, signature, removed);
            }
            if (removed.isEmpty()) {
                return false;
            }
            XMLSignature sig = new XMLSignature(signature, "", true);
            return sig.checkSignatureValue(sig.getKeyInfo().getX509Certificate());
        } catch (Exception e) {
            return false;
        } finally {
            for (int i = removed.size() - 1; i >= 0; i--) {
                Node[] r = removed.get(i);
                r[0].insertBefore(r[1], r[2]);
            }
        }
    }

    private static void strip(Node n, Element signature, List<Node[]> removed) {
        if (n == signature) {
            return;
        }
        Node c = n.getFirstChild();
        while (c != null) {
            Node next = c.getNextSibling();
            if (c.getNodeType() == Node.TEXT_NODE && c.getNodeValue().isBlank()) {
                removed.add(new Node[] {n, c, next});
                n.removeChild(c);
            } else if (c.getNodeType() == Node.ELEMENT_NODE) {
                strip(c, signature, removed);
            }
            c = next;
        }
    }
}
