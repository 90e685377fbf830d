package vn.kyso.xml;

import java.util.ArrayList;
import java.util.List;
import org.apache.xml.security.signature.Manifest;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.kyso.Finding;

/**
 * The ds:Manifest elements inside what a signature covers: their references are part of what
 * the signer vouched for (an invoice total can sit under a Manifest, EU DSS checks it), so each is
 * resolved under the rules of {@link SignedTargets} and its digest checked. A Manifest that cannot
 * be checked (a refused or missing reference, a Manifest inside a Manifest's target, too many)
 * fails the signature instead of being skipped.
 */
final class ManifestCheck {
    static final int MAX_MANIFESTS = 5;

    private ManifestCheck() {
    }

    /**
     * The ds:Manifest elements at or below the covered elements, other than the whole document, in
     * document order; one found inside another Manifest is not taken (its outer Manifest is).
     * Picked from the document's Manifests, found in the one walk of {@link IdIndex}.
     */
    static List<Element> manifests(List<SignedTargets.Target> targets, IdIndex ids) {
        List<Element> out = new ArrayList<>();
        for (SignedTargets.Target t : targets) {
            if (!t.wholeDocument()) {
                for (Element m : ids.manifests()) {
                    if (firstManifestBelow(t.element(), m) && !out.contains(m)) {
                        out.add(m);
                    }
                }
            }
        }
        return out;
    }

    /** Whether {@code m} is {@code root} or below it with no other Manifest (root included) in between. */
    private static boolean firstManifestBelow(Element root, Element m) {
        if (m == root) {
            return true;
        }
        for (Node n = m.getParentNode(); n instanceof Element e; n = n.getParentNode()) {
            if (XmlVerifier.isDsig(e, "Manifest")) {
                return false;
            }
            if (e == root) {
                return true;
            }
        }
        return false;
    }

    /**
     * The targets of the Manifests' references, or null (with a finding) when one cannot be checked.
     */
    static List<SignedTargets.Target> resolve(Element signature, List<Element> manifests, IdIndex ids,
            List<Finding> findings) {
        if (manifests.size() > MAX_MANIFESTS) {
            findings.add(notChecked("có " + manifests.size() + " Manifest, vượt giới hạn " + MAX_MANIFESTS,
                    "it covers " + manifests.size() + " Manifests, more than the limit of " + MAX_MANIFESTS));
            return null;
        }
        List<Element> references = new ArrayList<>();
        for (Element m : manifests) {
            for (Node c = m.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element ce && XmlVerifier.isDsig(ce, "Reference")) {
                    references.add(ce);
                }
            }
        }
        SignedTargets.Resolution r = SignedTargets.resolve(signature, references, ids, findings);
        if (!r.ok()) {
            findings.add(notChecked("một tham chiếu trong Manifest không dùng được", "a reference of its Manifest cannot be used"));
            return null;
        }
        for (SignedTargets.Target t : r.targets()) {
            if (t.wholeDocument() || !manifests(List.of(t), ids).isEmpty()) {
                findings.add(notChecked("một Manifest trỏ tới cả tài liệu hoặc tới Manifest khác",
                        "a Manifest points at the whole document or at another Manifest"));
                return null;
            }
        }
        return r.targets();
    }

    /**
     * Whether every Manifest reference's digest matches, its targets registered as IDs beforehand;
     * null (with a finding) when Santuario cannot process one.
     */
    static Boolean digestsMatch(List<Element> manifests, List<Finding> findings) {
        boolean all = true;
        for (Element element : manifests) {
            try {
                Manifest m = new Manifest(element, "", true);
                if (!m.verifyReferences(false)) {
                    all = false;
                    for (int i = 0; i < m.getLength(); i++) {
                        if (!m.getVerificationResult(i)) {
                            String uri = m.item(i).getURI();
                            findings.add(Finding.error("MANIFEST_REFERENCE_ALTERED",
                                    "Phần tử '" + uri + "' được ký qua Manifest đã bị thay đổi",
                                    "The element '" + uri + "' signed through a Manifest was altered"));
                        }
                    }
                }
            } catch (Exception e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                findings.add(notChecked("không xử lý được Manifest: " + why, "its Manifest cannot be processed: " + why));
                return null;
            }
        }
        return all;
    }

    private static Finding notChecked(String vi, String en) {
        return Finding.error("MANIFEST_NOT_CHECKED", "Chữ ký phủ một Manifest không kiểm tra được: " + vi,
                "The signature covers a Manifest that cannot be checked: " + en);
    }
}
