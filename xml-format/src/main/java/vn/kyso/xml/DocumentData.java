package vn.kyso.xml;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.xml.security.utils.Constants;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.kyso.Finding;
import vn.kyso.Indication;
import vn.kyso.SubIndication;

/**
 * The document-wide wrapping check, once every signature has been verified on its own. An
 * application reads a document by name and place, not by Id; so, across the whole tree
 * (ancestors and cousins, not only siblings):
 * <ul>
 * <li>every element named like one a signature covers is vouched for by a verifying signature of
 * the party that owns it — at a profile's place (beside a DSCKS, CKyDTu or CKSNNT) the signature in
 * the owner's slot of that very document, passing or by the same signer, and only when it is the
 * one element of its name there; elsewhere a signature of the same signer; a data element of a
 * profile ({@code DLHDon}, {@code MCCQT}, …) away from any profile place is vouched for by nobody;
 * <li>every data element a reader of the profiles takes for the document's ({@link
 * SignaturePlace#READER_DATA} and what signatures cover as profile data) is referenced by a
 * signature of its owner, or, away from a profile place, covered by a verifying signature.
 * </ul>
 * Otherwise each signature that would still pass fails as SIGNATURE_WRAPPING, and a signature that
 * fails stops vouching, until nothing changes. Multi-invoice envelopes stay valid when each
 * invoice is covered by its own seller's signature.
 */
final class DocumentData {
    private DocumentData() {
    }

    static void judge(IdIndex index, List<XmlVerifierSignature.Result> results) {
        Set<String> dataNames = new HashSet<>(SignaturePlace.READER_DATA);
        Set<String> names = new HashSet<>(dataNames);
        for (XmlVerifierSignature.Result r : results) {
            for (Element e : r.referenced()) {
                if (!Constants.SignatureSpecNS.equals(e.getNamespaceURI())) {
                    names.add(e.getLocalName());
                    if (r.place().signsAsData(e)) {
                        dataNames.add(e.getLocalName());
                    }
                }
            }
        }
        Map<String, List<Element>> byName = new HashMap<>();
        for (String name : names) {
            byName.put(name, index.named(name));
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < results.size(); i++) {
                XmlVerifierSignature.Result r = results.get(i);
                if (r.vouches()) {
                    Finding wrapping = check(r, results, byName, dataNames);
                    if (wrapping != null) {
                        results.set(i, r.wrapped(wrapping));
                        changed = true;
                    }
                }
            }
        }
    }

    private static Finding check(XmlVerifierSignature.Result r, List<XmlVerifierSignature.Result> results,
            Map<String, List<Element>> byName, Set<String> dataNames) {
        for (Element signed : r.referenced()) {
            if (Constants.SignatureSpecNS.equals(signed.getNamespaceURI())) {
                continue;
            }
            for (Element twin : byName.getOrDefault(signed.getLocalName(), List.of())) {
                if (twin != signed && !vouched(twin, r, results)) {
                    String path = SignaturePlace.path(twin);
                    return Finding.error("SIGNATURE_WRAPPING",
                            "Nghi tấn công bọc chữ ký: phần tử được ký '" + signed.getLocalName() + "' có một phần tử"
                                    + " cùng tên ở " + path + " mà không chữ ký hợp lệ nào của bên sở hữu nó bao phủ;"
                                    + " ứng dụng có thể đọc nhầm nó",
                            "Suspected signature wrapping: signed element '" + signed.getLocalName() + "' has a twin"
                                    + " of the same name at " + path + " that no valid signature of its owner covers;"
                                    + " an application may read it instead");
                }
            }
        }
        for (String name : dataNames) {
            for (Element data : byName.getOrDefault(name, List.of())) {
                if (!accounted(data, results)) {
                    String path = SignaturePlace.path(data);
                    return Finding.error("SIGNATURE_WRAPPING",
                            "Nghi tấn công bọc chữ ký: tài liệu có '" + name + "' ở " + path + ", dữ liệu mà người đọc"
                                    + " coi là của tài liệu, nhưng không chữ ký nào của bên sở hữu nó phủ phần tử này",
                            "Suspected signature wrapping: the document holds '" + name + "' at " + path + ", data a"
                                    + " reader takes for the document's, but no signature of its owner covers it");
                }
            }
        }
        return null;
    }

    /**
     * Whether {@code e}, named like an element {@code signature} covers, is vouched for: by its
     * owner's verifying signature, which passes or is by the same signer (an untrusted forger's
     * key vouches for nothing beside a trusted signature), and only when it is the one element of
     * its name at its place; away from a profile place, by a signature of the same signer.
     */
    private static boolean vouched(Element e, XmlVerifierSignature.Result signature,
            List<XmlVerifierSignature.Result> results) {
        boolean profilePlace = SignaturePlace.atProfilePlace(e);
        if (profilePlace && !onlyOneOfItsName(e)) {
            return false;
        }
        for (XmlVerifierSignature.Result v : results) {
            if (!v.vouches() || !v.referenced().contains(e)) {
                continue;
            }
            boolean sameSigner = v.signer() != null && v.signer().equals(signature.signer());
            if (profilePlace ? v.place().owns(e) && (sameSigner || v.report().indication() == Indication.TOTAL_PASSED)
                    : !SignaturePlace.dataName(e.getLocalName()) && sameSigner) {
                return true;
            }
        }
        return false;
    }

    /** A document has one data element of a name at its place: of two, a reader takes the first, whichever is signed. */
    private static boolean onlyOneOfItsName(Element e) {
        for (Node c = e.getParentNode().getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c != e && c instanceof Element ce && e.getLocalName().equals(ce.getLocalName())) {
                return false;
            }
        }
        return true;
    }

    /** Whether a data element is referenced by its owner's signature, or away from a profile place covered at all. */
    private static boolean accounted(Element data, List<XmlVerifierSignature.Result> results) {
        boolean profilePlace = SignaturePlace.atProfilePlace(data);
        if (profilePlace && !onlyOneOfItsName(data)) {
            return false;
        }
        for (XmlVerifierSignature.Result v : results) {
            if (profilePlace) {
                if (v.report().subIndication().orElse(null) != SubIndication.FORMAT_FAILURE
                        && v.referenced().contains(data) && v.place().owns(data)) {
                    return true;
                }
            } else if (v.vouches() && (v.wholeDocument() || v.referenced().contains(data))) {
                return true;
            }
        }
        return false;
    }

}
