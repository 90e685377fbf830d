package vn.kyso.xml;

import java.security.PublicKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.xml.security.signature.XMLSignature;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Tells whether a failed signature would verify if only whitespace were undone, the way
 * pretty-printers change a file after signing: whitespace-only text between elements removed,
 * then text values trimmed, in the signed elements and then in SignedInfo. A success proves the
 * signed content differs from the current one by whitespace alone. The DOM is restored after.
 */
final class WhitespaceCheck {
    private WhitespaceCheck() {
    }

    /** One undoable change: a removed or inserted text node, or a replaced text value. */
    private record Change(Node parent, Node node, Node before, String oldValue, boolean inserted) {
    }

    static boolean onlyWhitespaceChanged(Element signature, List<SignedTargets.Target> targets, PublicKey key) {
        List<Change> changes = new ArrayList<>();
        try {
            Element signedInfo = XmlVerifier.dsigChild(signature, "SignedInfo");
            for (SignedTargets.Target t : targets) {
                strip(t.element(), signature, changes);
            }
            if (!changes.isEmpty() && verifies(signature, targets, key)) {
                return true;
            }
            int stripped = changes.size();
            for (SignedTargets.Target t : targets) {
                trim(t.element(), signature, changes);
            }
            if (changes.size() > stripped && verifies(signature, targets, key)) {
                return true;
            }
            if (signedInfo == null) {
                return false;
            }
            int before = changes.size();
            strip(signedInfo, null, changes);
            trim(signedInfo, null, changes);
            if (changes.size() > before && verifies(signature, targets, key)) {
                return true;
            }
            // Santuario and .NET write one newline between SignedInfo's elements
            before = changes.size();
            newlines(signedInfo, changes);
            return changes.size() > before && verifies(signature, targets, key);
        } catch (RuntimeException e) {
            return false;
        } finally {
            for (int i = changes.size() - 1; i >= 0; i--) {
                Change c = changes.get(i);
                if (c.inserted()) {
                    c.parent().removeChild(c.node());
                } else if (c.oldValue() != null) {
                    c.node().setNodeValue(c.oldValue());
                } else {
                    c.parent().insertBefore(c.node(), c.before());
                }
            }
        }
    }

    private static boolean verifies(Element signature, List<SignedTargets.Target> targets, PublicKey key) {
        try {
            XMLSignature sig = new XMLSignature(signature, "", true);
            return XmlVerifierSignature.verifies(sig, key, targets);
        } catch (Exception e) {
            return false;
        }
    }

    private static void strip(Element root, Element skip, List<Change> changes) {
        Deque<Node> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            Node c = n.getFirstChild();
            while (c != null) {
                Node next = c.getNextSibling();
                if (isText(c) && c.getNodeValue().isBlank()) {
                    changes.add(new Change(n, c, next, null, false));
                    n.removeChild(c);
                } else if (c.getNodeType() == Node.ELEMENT_NODE && c != skip) {
                    todo.push(c);
                }
                c = next;
            }
        }
    }

    private static void trim(Element root, Element skip, List<Change> changes) {
        Deque<Node> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (isText(c)) {
                    String v = c.getNodeValue();
                    String s = v.strip();
                    if (!s.equals(v)) {
                        changes.add(new Change(n, c, null, v, false));
                        c.setNodeValue(s);
                    }
                } else if (c.getNodeType() == Node.ELEMENT_NODE && c != skip) {
                    todo.push(c);
                }
            }
        }
    }

    /** Puts one newline after every start tag and every element inside SignedInfo, as its writers did. */
    private static void newlines(Element signedInfo, List<Change> changes) {
        Deque<Element> todo = new ArrayDeque<>();
        todo.push(signedInfo);
        while (!todo.isEmpty()) {
            Element e = todo.pop();
            List<Node> elements = new ArrayList<>();
            for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c.getNodeType() == Node.ELEMENT_NODE) {
                    elements.add(c);
                    todo.push((Element) c);
                }
            }
            if (elements.isEmpty()) {
                continue;
            }
            for (Node c : elements) {
                Node text = e.getOwnerDocument().createTextNode("\n");
                e.insertBefore(text, c);
                changes.add(new Change(e, text, null, null, true));
            }
            Node last = e.getOwnerDocument().createTextNode("\n");
            e.appendChild(last);
            changes.add(new Change(e, last, null, null, true));
        }
    }

    private static boolean isText(Node n) {
        return n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE;
    }
}
