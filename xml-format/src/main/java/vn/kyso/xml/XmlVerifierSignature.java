package vn.kyso.xml;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.xml.security.keys.KeyInfo;
import org.apache.xml.security.signature.Reference;
import org.apache.xml.security.signature.SignedInfo;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.utils.Constants;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import vn.kyso.Certificates;
import vn.kyso.Finding;
import vn.kyso.Indication;
import vn.kyso.SignatureReport;
import vn.kyso.SubIndication;
import vn.kyso.ValidationPolicy;

/** Checks one ds:Signature element and builds its report. */
final class XmlVerifierSignature {
    private XmlVerifierSignature() {
    }

    static SignatureReport check(org.w3c.dom.Document dom, Element signature, int n, ValidationPolicy policy) {
        String id = signature.getAttribute("Id").isEmpty() ? "signature-" + n : signature.getAttribute("Id");
        SignatureReport.Builder b = SignatureReport.builder(id);
        List<Finding> findings = new ArrayList<>();
        boolean formatOk = true;
        List<Element> targets = new ArrayList<>();
        boolean quirk = false;
        // Register only referenced Id values, refusing duplicates and misplaced targets.
        for (Element ref : dsigChildren(signature, "Reference")) {
            String uri = ref.getAttribute("URI");
            if (uri.isEmpty()) {
                b.covers("whole document");
                b.coversWholeDocument(true);
                continue;
            }
            if (!uri.startsWith("#")) {
                findings.add(Finding.error("EXTERNAL_REFERENCE", "Tham chiếu ngoài tài liệu bị từ chối: " + uri,
                        "Reference outside the document refused: " + uri));
                formatOk = false;
                continue;
            }
            String value = uri.substring(1);
            List<Attr> holders = new ArrayList<>();
            collect(dom.getDocumentElement(), value, holders);
            if (holders.size() != 1) {
                findings.add(XmlVerifier.wrapping(value, holders.isEmpty() ? "không tồn tại / does not exist"
                        : "xuất hiện " + holders.size() + " lần / occurs " + holders.size() + " times"));
                formatOk = false;
                continue;
            }
            Element target = holders.get(0).getOwnerElement();
            if (!placedWell(target, signature)) {
                findings.add(XmlVerifier.wrapping(value, "nằm sai vị trí / is not where it belongs"));
                formatOk = false;
                continue;
            }
            target.setIdAttributeNode(holders.get(0), true);
            if (target != signature && isAncestor(signature, target) && enveloped(ref)) {
                quirk = true;
            }
            targets.add(target);
            b.covers(target.getLocalName() + "#" + value);
        }
        X509Certificate cert = null;
        boolean valueOk = false;
        boolean refsOk = false;
        if (formatOk) {
            try {
                XMLSignature sig = new XMLSignature(signature, "", true);
                KeyInfo ki = sig.getKeyInfo();
                cert = ki == null ? null : ki.getX509Certificate();
                if (cert == null) {
                    findings.add(Finding.error("NO_SIGNING_CERTIFICATE", "Chữ ký không kèm chứng thư số",
                            "The signature carries no X509 certificate"));
                } else {
                    b.signerCertificate(cert);
                    boolean all = sig.checkSignatureValue(cert);
                    SignedInfo si = sig.getSignedInfo();
                    for (int i = 0; i < si.getLength(); i++) {
                        weak(si.item(i).getMessageDigestAlgorithm().getAlgorithmURI(), findings, policy);
                    }
                    weak(si.getSignatureMethodURI(), findings, policy);
                    if (cert.getPublicKey() instanceof java.security.interfaces.RSAPublicKey rsa
                            && rsa.getModulus().bitLength() < 2048) {
                        findings.add(policy.strictAlgorithms()
                                ? Finding.error("WEAK_ALGORITHM", "Khóa RSA dưới 2048 bit", "RSA key below 2048 bits")
                                : Finding.warning("WEAK_ALGORITHM", "Khóa RSA dưới 2048 bit", "RSA key below 2048 bits"));
                    }
                    if (all) {
                        valueOk = true;
                        refsOk = true;
                    } else {
                        try {
                            refsOk = true;
                            for (int i = 0; i < si.getLength(); i++) {
                                refsOk &= si.getVerificationResult(i);
                            }
                            // all references good but the whole check failed: the value is bad;
                            // a reference failure is reported as such (HASH_FAILURE)
                            valueOk = !refsOk;
                            if (!refsOk && XmlVerifierQuirk.sameSignatureObjectOnly(sig, signature)) {
                                refsOk = true;
                                valueOk = XmlVerifierQuirk.valueVerifies(sig, cert);
                            }
                        } catch (Exception notReached) {
                            valueOk = false;
                            refsOk = false;
                        }
                    }
                }
            } catch (Exception e) {
                findings.add(Finding.error("SIGNATURE_UNREADABLE", "Không đọc được chữ ký: " + e.getMessage(),
                        "Cannot process the signature: " + e.getMessage()));
                formatOk = false;
            }
        }
        if (formatOk && cert != null && !refsOk && WhitespaceCheck.onlyWhitespaceChanged(signature, targets)) {
            findings.add(Finding.error("REFORMATTED_AFTER_SIGNING",
                    "Tài liệu bị định dạng lại sau khi ký: chỉ khoảng trắng thay đổi, nội dung không đổi",
                    "The document was reformatted after signing: only whitespace differs, the content is unchanged"));
        }
        if (quirk) {
            findings.add(Finding.warning("NONSTANDARD_TRANSFORM_SAME_SIGNATURE_OBJECT",
                    "Phép biến đổi enveloped-signature không chuẩn trên Object trong cùng chữ ký,"
                            + " được diễn giải như phần mềm tạo ra nó",
                    "Non-standard enveloped-signature transform on a same-signature Object,"
                            + " interpreted as its producer does"));
        }
        signingTime(signature, b);
        taxCode(signature, cert, findings);
        boolean trusted = cert != null && chainsTo(cert, policy, b);
        if (!trusted) {
            b.chainStatus(SignatureReport.ChainStatus.NO_TRUSTED_ANCHOR, null);
        }
        b.revocation(SignatureReport.RevocationStatus.NOT_CHECKED, SignatureReport.RevocationSource.NONE);
        findings.forEach(b::finding);
        b.intact(formatOk && refsOk);
        if (!formatOk) {
            b.indication(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
        } else if (cert == null) {
            b.indication(Indication.INDETERMINATE, SubIndication.NO_SIGNING_CERTIFICATE_FOUND);
        } else if (!valueOk) {
            b.indication(Indication.TOTAL_FAILED, SubIndication.SIG_CRYPTO_FAILURE);
        } else if (!refsOk) {
            b.indication(Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE);
        } else if (findings.stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR)) {
            b.indication(Indication.TOTAL_FAILED, SubIndication.SIG_CONSTRAINTS_FAILURE);
        } else if (!trusted) {
            b.indication(Indication.INDETERMINATE, SubIndication.NO_CERTIFICATE_CHAIN_FOUND);
        } else {
            b.indication(Indication.TOTAL_PASSED, null);
        }
        return b.build();
    }

    private static void weak(String uri, List<Finding> findings, ValidationPolicy policy) {
        if (uri != null && uri.toLowerCase().contains("sha1")) {
            String vi = "Thuật toán yếu (SHA-1): " + uri;
            String en = "Weak algorithm (SHA-1): " + uri;
            findings.add(policy.strictAlgorithms() ? Finding.error("WEAK_ALGORITHM", vi, en)
                    : Finding.warning("WEAK_ALGORITHM", vi, en));
        }
    }

    private static boolean chainsTo(X509Certificate cert, ValidationPolicy policy, SignatureReport.Builder b) {
        for (X509Certificate anchor : policy.trustAnchors()) {
            PublicKey key = anchor.getPublicKey();
            try {
                if (anchor.equals(cert) || anchor.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                    cert.verify(key);
                    b.chainStatus(SignatureReport.ChainStatus.TRUSTED, anchor);
                    b.chain(anchor.equals(cert) ? List.of(cert) : List.of(cert, anchor));
                    return true;
                }
            } catch (Exception e) {
                // not this anchor
            }
        }
        return false;
    }

    private static void signingTime(Element signature, SignatureReport.Builder b) {
        NodeList times = signature.getElementsByTagNameNS("*", "SigningTime");
        if (times.getLength() == 0) {
            return;
        }
        String text = times.item(0).getTextContent().strip().replaceAll("\\s", "");
        try {
            b.claimedSigningTime(OffsetDateTime.parse(text));
        } catch (RuntimeException e) {
            try {
                b.claimedSigningTime(LocalDateTime.parse(text).atOffset(ZoneOffset.ofHours(7)));
            } catch (RuntimeException ignored) {
                // unreadable claimed time: not a verdict matter
            }
        }
    }

    private static void taxCode(Element signature, X509Certificate cert, List<Finding> findings) {
        Node slot = signature.getParentNode();
        if (cert == null || !(slot instanceof Element e) || !"NBan".equals(e.getLocalName())) {
            return;
        }
        Node hdon = slot;
        while (hdon != null && !(hdon instanceof Element h && "HDon".equals(h.getLocalName()))) {
            hdon = hdon.getParentNode();
        }
        if (hdon == null) {
            return;
        }
        NodeList nban = ((Element) hdon).getElementsByTagNameNS("*", "NBan");
        String mst = null;
        for (int i = 0; i < nban.getLength() && mst == null; i++) {
            for (Node c = nban.item(i).getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element ce && "MST".equals(ce.getLocalName())) {
                    mst = ce.getTextContent().strip();
                }
            }
        }
        String certMst = Certificates.taxCode(cert).orElse(null);
        if (mst == null || certMst == null) {
            return;
        }
        if (mst.equals(certMst)) {
            findings.add(Finding.info("TAX_CODE_MATCHES", "MST chứng thư khớp MST người bán " + mst,
                    "Certificate tax code matches the seller's " + mst));
        } else {
            findings.add(Finding.error("TAX_CODE_MISMATCH", "MST chứng thư " + certMst + " khác MST người bán " + mst,
                    "Certificate tax code " + certMst + " differs from the seller's " + mst));
        }
    }

    private static void collect(Element e, String value, List<Attr> out) {
        Attr a = XmlVerifier.idAttribute(e);
        if (a != null && value.equals(a.getValue())) {
            out.add(a);
        }
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element ce) {
                collect(ce, value, out);
            }
        }
    }

    /** The target is inside this signature, or its parent is an ancestor of the signature, and not in another signature's Object. */
    private static boolean placedWell(Element target, Element signature) {
        for (Node p = target; p != null; p = p.getParentNode()) {
            if (p == signature) {
                return true;
            }
        }
        for (Node p = target; p != null; p = p.getParentNode()) {
            if (p instanceof Element pe && XmlVerifier.isDsig(pe, "Object")) {
                return false;
            }
        }
        Node parent = target.getParentNode();
        for (Node a = signature; a != null; a = a.getParentNode()) {
            if (a == parent || a == target) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAncestor(Element ancestor, Node n) {
        for (Node p = n; p != null; p = p.getParentNode()) {
            if (p == ancestor) {
                return true;
            }
        }
        return false;
    }

    private static boolean enveloped(Element ref) {
        NodeList ts = ref.getElementsByTagNameNS(Constants.SignatureSpecNS, "Transform");
        for (int i = 0; i < ts.getLength(); i++) {
            if ("http://www.w3.org/2000/09/xmldsig#enveloped-signature".equals(((Element) ts.item(i)).getAttribute("Algorithm"))) {
                return true;
            }
        }
        return false;
    }

    private static List<Element> dsigChildren(Element signature, String local) {
        List<Element> out = new ArrayList<>();
        for (Node c = signature.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element ce && XmlVerifier.isDsig(ce, "SignedInfo")) {
                for (Node r = ce.getFirstChild(); r != null; r = r.getNextSibling()) {
                    if (r instanceof Element re && XmlVerifier.isDsig(re, local)) {
                        out.add(re);
                    }
                }
            }
        }
        return out;
    }
}
