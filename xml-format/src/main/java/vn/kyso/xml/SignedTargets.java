package vn.kyso.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.transforms.Transforms;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.kyso.Finding;
import vn.kyso.SubIndication;

/**
 * Resolves the references of one ds:Signature to elements of its document before any digest is
 * computed, and refuses what a signature wrapping attack relies on: a referenced Id value held by
 * more than one element (under any of the spellings Id, id, ID, xml:id), a signed element moved
 * into a signature's Object or away from its place, references outside the document and transforms other
 * than enveloped-signature and canonicalization (which could make a reference cover less than the
 * element it names). Elements that look like signed data elsewhere in the document are judged
 * once every signature is verified, by {@link DocumentData}.
 */
final class SignedTargets {
    static final int MAX_REFERENCES = 30;
    static final int MAX_TRANSFORMS = 5;

    private static final Set<String> ACCEPTED_TRANSFORMS = Set.of(
            Transforms.TRANSFORM_ENVELOPED_SIGNATURE,
            Canonicalizer.ALGO_ID_C14N_OMIT_COMMENTS, Canonicalizer.ALGO_ID_C14N_WITH_COMMENTS,
            Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS, Canonicalizer.ALGO_ID_C14N_EXCL_WITH_COMMENTS,
            Canonicalizer.ALGO_ID_C14N11_OMIT_COMMENTS, Canonicalizer.ALGO_ID_C14N11_WITH_COMMENTS);

    /** Elements inside a signature's ds:Object that a reference may cover (properties, not documents). */
    private static final Set<String> PROPERTY_NAMES = Set.of(
            "SignatureProperties", "SignatureProperty", "SigningTime", "SignedProperties", "Manifest");

    /**
     * One reference and the element it covers.
     *
     * @param idValue the referenced Id value, null for the whole document
     * @param idAttribute the attribute holding it, null for the whole document
     * @param element the covered element (the document element for the whole document)
     * @param inSignature whether the element sits inside this signature (an Object or property)
     * @param enveloped whether the reference carries the enveloped-signature transform
     * @param type the reference's Type attribute, empty when absent
     */
    record Target(Element reference, String idValue, Attr idAttribute, Element element,
            boolean inSignature, boolean enveloped, String type) {

        boolean wholeDocument() {
            return idValue == null;
        }

        /** What the report says this reference covers: the element's name, Id and path from the root. */
        String describe() {
            return wholeDocument() ? "whole document (" + element.getLocalName() + ")"
                    : element.getLocalName() + "#" + idValue + " (" + SignaturePlace.path(element) + ")";
        }
    }

    /** The targets in reference order, or why they cannot be used (with its findings already added). */
    record Resolution(List<Target> targets, SubIndication failure) {
        boolean ok() {
            return failure == null;
        }
    }

    private SignedTargets() {
    }

    /** @param findings receives what was refused or noticed */
    static Resolution resolve(Element signature, IdIndex ids, List<Finding> findings) {
        return resolve(signature, XmlVerifier.references(signature), ids, findings);
    }

    /**
     * Resolves {@code references} of {@code signature} (its SignedInfo's, or those of a Manifest it
     * covers) under the same rules.
     */
    static Resolution resolve(Element signature, List<Element> references, IdIndex ids, List<Finding> findings) {
        if (references.isEmpty()) {
            findings.add(Finding.error("NO_REFERENCE", "Chữ ký không có tham chiếu nào (ds:Reference)",
                    "The signature has no ds:Reference: it covers nothing"));
            return new Resolution(List.of(), SubIndication.FORMAT_FAILURE);
        }
        if (references.size() > MAX_REFERENCES) {
            findings.add(Finding.error("TOO_MANY_REFERENCES",
                    "Chữ ký có " + references.size() + " tham chiếu, vượt giới hạn " + MAX_REFERENCES,
                    "The signature has " + references.size() + " references, more than the limit of " + MAX_REFERENCES));
            return new Resolution(List.of(), SubIndication.FORMAT_FAILURE);
        }
        List<Target> targets = new ArrayList<>();
        SubIndication failure = null;
        for (Element ref : references) {
            Target t = resolveOne(signature, ref, ids, findings);
            if (t == null) {
                if (failure == null || failure == SubIndication.SIGNED_DATA_NOT_FOUND) {
                    failure = lastWasNotFound(findings) ? SubIndication.SIGNED_DATA_NOT_FOUND : SubIndication.FORMAT_FAILURE;
                }
            } else {
                targets.add(t);
            }
        }
        return new Resolution(List.copyOf(targets), failure);
    }

    private static boolean lastWasNotFound(List<Finding> findings) {
        return !findings.isEmpty() && findings.get(findings.size() - 1).code().equals("SIGNED_DATA_NOT_FOUND");
    }

    private static Target resolveOne(Element signature, Element ref, IdIndex ids, List<Finding> findings) {
        Boolean enveloped = transforms(ref, findings);
        if (enveloped == null) {
            return null;
        }
        String type = ref.getAttribute("Type");
        if (!ref.hasAttribute("URI")) {
            findings.add(Finding.error("UNSUPPORTED_REFERENCE",
                    "Tham chiếu không có thuộc tính URI: không xác định được dữ liệu được ký",
                    "A reference without a URI attribute: the signed data cannot be determined"));
            return null;
        }
        String uri = ref.getAttribute("URI");
        if (uri.isEmpty()) {
            return new Target(ref, null, null, signature.getOwnerDocument().getDocumentElement(), false, enveloped, type);
        }
        if (!uri.startsWith("#")) {
            findings.add(Finding.error("EXTERNAL_REFERENCE", "Tham chiếu ra ngoài tài liệu bị từ chối: " + uri,
                    "Reference outside the document refused: " + uri + "; only same-document references are verified"));
            return null;
        }
        String value = uri.substring(1);
        if (value.isEmpty() || value.startsWith("xpointer(") || value.contains("(")) {
            findings.add(Finding.error("UNSUPPORTED_REFERENCE", "Dạng tham chiếu không được hỗ trợ: " + uri,
                    "Unsupported reference form: " + uri + "; only URI=\"\" and URI=\"#Id\" are verified"));
            return null;
        }
        List<Attr> holders = ids.holders(value);
        if (holders.isEmpty()) {
            findings.add(Finding.error("SIGNED_DATA_NOT_FOUND",
                    "Không tìm thấy phần tử được ký '" + value + "' trong tài liệu",
                    "The signed element '" + value + "' is not in the document"));
            return null;
        }
        Attr chosen = holders.size() == 1 ? holders.get(0) : onlyOwnAmongSignatures(holders, signature);
        if (chosen == null) {
            findings.add(XmlVerifier.wrapping(value, "xuất hiện " + holders.size() + " lần trong tài liệu",
                    "occurs " + holders.size() + " times in the document (Id, id, ID or xml:id)"));
            return null;
        }
        if (holders.size() > 1) {
            findings.add(Finding.warning("DUPLICATE_ID_IN_OTHER_SIGNATURE",
                    "Giá trị Id '" + value + "' lặp lại trong chữ ký khác; đã dùng phần tử trong chính chữ ký này",
                    "The Id value '" + value + "' also occurs in another signature; the element inside this"
                            + " signature was used"));
        }
        Element target = chosen.getOwnerElement();
        boolean inSignature = isAncestorOrSelf(signature, target);
        String misplaced = inSignature ? misplacedInSignature(target, signature) : misplacedOutside(target, signature);
        if (misplaced != null) {
            findings.add(XmlVerifier.wrapping(value, misplaced.substring(0, misplaced.indexOf('|')),
                    misplaced.substring(misplaced.indexOf('|') + 1)));
            return null;
        }
        return new Target(ref, value, chosen, target, inSignature, enveloped, type);
    }

    /** Checks the reference's transforms; returns whether enveloped-signature is among them, or null when refused. */
    private static Boolean transforms(Element ref, List<Finding> findings) {
        boolean enveloped = false;
        int count = 0;
        for (Node c = ref.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (!(c instanceof Element ts) || !XmlVerifier.isDsig(ts, "Transforms")) {
                continue;
            }
            for (Node t = ts.getFirstChild(); t != null; t = t.getNextSibling()) {
                if (!(t instanceof Element te) || !XmlVerifier.isDsig(te, "Transform")) {
                    continue;
                }
                count++;
                String algorithm = te.getAttribute("Algorithm");
                if (!ACCEPTED_TRANSFORMS.contains(algorithm)) {
                    findings.add(Finding.error("UNSUPPORTED_TRANSFORM",
                            "Phép biến đổi không được chấp nhận: " + algorithm
                                    + " (chỉ chấp nhận enveloped-signature và chuẩn hóa C14N)",
                            "Transform not accepted: " + algorithm
                                    + " (only enveloped-signature and C14N canonicalization are verified)"));
                    return null;
                }
                enveloped |= Transforms.TRANSFORM_ENVELOPED_SIGNATURE.equals(algorithm);
            }
        }
        if (count > MAX_TRANSFORMS) {
            findings.add(Finding.error("TOO_MANY_TRANSFORMS",
                    "Tham chiếu có " + count + " phép biến đổi, vượt giới hạn " + MAX_TRANSFORMS,
                    "A reference has " + count + " transforms, more than the limit of " + MAX_TRANSFORMS));
            return null;
        }
        return enveloped;
    }

    /**
     * Two signatures may both carry an Object with the same Id (seen in circulation): a reference
     * may then use its own signature's one, when every other holder sits in another signature.
     */
    private static Attr onlyOwnAmongSignatures(List<Attr> holders, Element signature) {
        Attr own = null;
        for (Attr a : holders) {
            Element e = a.getOwnerElement();
            if (isAncestorOrSelf(signature, e)) {
                if (own != null) {
                    return null;
                }
                own = a;
            } else if (enclosingSignature(e) == null) {
                return null;
            }
        }
        return own;
    }

    /** Why a target inside the signature is refused ("vi|en"), or null when it is a property the signer meant. */
    private static String misplacedInSignature(Element target, Element signature) {
        if (target == signature) {
            return "là chính chữ ký|is the signature itself";
        }
        Node parent = target.getParentNode();
        if (parent == signature && (XmlVerifier.isDsig(target, "Object") || XmlVerifier.isDsig(target, "KeyInfo"))) {
            return null;
        }
        Element object = null;
        for (Node p = parent; p != null && p != signature; p = p.getParentNode()) {
            if (p instanceof Element pe && XmlVerifier.isDsig(pe, "Object") && pe.getParentNode() == signature) {
                object = pe;
            }
        }
        if (object != null && PROPERTY_NAMES.contains(target.getLocalName())) {
            return null;
        }
        return "nằm trong chữ ký nhưng không phải Object hay thuộc tính chữ ký (có thể đã bị di chuyển vào đó)"
                + "|sits inside the signature but is not an Object or signature property (it may have been moved there)";
    }

    /** Why a target outside the signature is refused ("vi|en"), or null when it is where signed data belongs. */
    private static String misplacedOutside(Element target, Element signature) {
        Element other = enclosingSignature(target);
        if (other != null) {
            if (XmlVerifier.isDsig(target, "SignatureValue") && target.getParentNode() == other) {
                return null;
            }
            return "nằm trong một chữ ký khác|sits inside another signature";
        }
        if (isAncestorOrSelf(target, signature)) {
            return null;
        }
        Node parent = target.getParentNode();
        if (parent instanceof Element pe && isAncestorOrSelf(pe, signature)) {
            return null;
        }
        return "nằm sai vị trí (đã bị di chuyển hoặc đổi phần tử cha)|is not where it belongs (moved or re-parented)";
    }

    static Element enclosingSignature(Node n) {
        for (Node p = n.getParentNode(); p != null; p = p.getParentNode()) {
            if (p instanceof Element pe && XmlVerifier.isDsig(pe, "Signature")) {
                return pe;
            }
        }
        return null;
    }

    static boolean isAncestorOrSelf(Node ancestor, Node n) {
        for (Node p = n; p != null; p = p.getParentNode()) {
            if (p == ancestor) {
                return true;
            }
        }
        return false;
    }

    /**
     * Makes exactly the chosen attributes resolvable as IDs, right before Santuario dereferences
     * them: other holders of the same values lose any ID status an earlier signature gave them.
     *
     * @return false when the document still resolves a value to another element (never expected)
     */
    static boolean register(List<Target> targets, IdIndex ids) {
        for (Target t : targets) {
            if (t.wholeDocument()) {
                continue;
            }
            for (Attr other : ids.holders(t.idValue())) {
                if (other != t.idAttribute() && other.isId()) {
                    other.getOwnerElement().setIdAttributeNode(other, false);
                }
            }
            t.element().setIdAttributeNode(t.idAttribute(), true);
        }
        for (Target t : targets) {
            if (!t.wholeDocument() && t.element().getOwnerDocument().getElementById(t.idValue()) != t.element()) {
                return false;
            }
        }
        return true;
    }
}
