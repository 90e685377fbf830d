package vn.kyso.xml;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.apache.xml.security.signature.XMLSignature;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import vn.kyso.Certificates;
import vn.kyso.Finding;
import vn.kyso.Indication;
import vn.kyso.SignatureReport;
import vn.kyso.SubIndication;
import vn.kyso.ValidationPolicy;
import vn.kyso.internal.validation.NetworkBudget;
import vn.kyso.internal.validation.SignerValidation;

/** Checks one ds:Signature element and builds its report. */
final class XmlVerifierSignature {
    private static final ZoneOffset VIETNAM = ZoneOffset.ofHours(7);

    /**
     * One signature's report and, when its digests and value verified, the elements its references
     * covered; with the twins of those elements and the builder, so the document-wide twin check
     * can still turn the verdict into a wrapping failure.
     */
    record Result(SignatureReport report, List<Element> covered, List<Element> twins, SignatureReport.Builder builder) {

        /** This result failed as signature wrapping because of {@code twin}, which no passing signature covers. */
        Result wrapped(Element twin) {
            String where = twin.getParentNode() instanceof Element p ? p.getLocalName() : "document";
            String name = twin.getLocalName();
            builder.finding(XmlVerifier.wrapping(name,
                    "có một phần tử cùng tên trong '" + where + "' mà không chữ ký hợp lệ nào bao phủ; ứng dụng có thể đọc nhầm nó",
                    "has a twin of the same name under '" + where + "' that no valid signature covers; an application"
                            + " may read it instead"));
            builder.indication(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
            return new Result(builder.build(), List.of(), List.of(), builder);
        }
    }

    private XmlVerifierSignature() {
    }

    static Result check(Element signature, String id, XmlVerifier.Scope scope) {
        ValidationPolicy policy = scope.policy();
        SignatureReport.Builder b = SignatureReport.builder(id);
        List<Finding> findings = new ArrayList<>();
        SignedTargets.Resolution resolution = SignedTargets.resolve(signature, scope.ids(), findings);
        for (SignedTargets.Target t : resolution.targets()) {
            b.covers(t.describe());
            if (t.wholeDocument()) {
                b.coversWholeDocument(true);
            }
        }
        if (!resolution.ok()) {
            return failed(b, findings, resolution.failure() == SubIndication.SIGNED_DATA_NOT_FOUND
                    ? Indication.INDETERMINATE : Indication.TOTAL_FAILED, resolution.failure());
        }
        List<SignedTargets.Target> targets = resolution.targets();
        String method = signatureMethod(signature);
        if (method.toLowerCase(Locale.ROOT).contains("hmac")) {
            findings.add(Finding.error("UNSUPPORTED_SIGNATURE_METHOD",
                    "Phương thức ký " + method + " không phải chữ ký số bằng khóa công khai",
                    "Signature method " + method + " is not a public-key digital signature"));
            return failed(b, findings, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
        }
        XmlKeyInfo keyInfo = XmlKeyInfo.read(signature);
        XadesProperties xades = XadesProperties.read(signature, targets, findings);
        X509Certificate cert = xades.named(keyInfo.certificates());
        if (cert == null) {
            cert = keyInfo.leaf();
        }
        if (keyInfo.unreadable() > 0) {
            findings.add(Finding.warning("CERTIFICATE_UNREADABLE", "Có chứng thư số trong KeyInfo không đọc được",
                    "A certificate in KeyInfo cannot be read"));
        }
        if (cert == null) {
            findings.add(Finding.error("NO_SIGNING_CERTIFICATE", "Chữ ký không kèm chứng thư số (X509Certificate)",
                    "The signature carries no X509 certificate"));
            return failed(b, findings, Indication.INDETERMINATE, SubIndication.NO_SIGNING_CERTIFICATE_FOUND);
        }
        b.signerCertificate(cert);
        XMLSignature sig;
        try {
            sig = new XMLSignature(signature, "", true);
        } catch (Exception e) {
            findings.add(unreadable(e));
            return failed(b, findings, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
        }
        if (!SignedTargets.register(targets, scope.ids())) {
            findings.add(XmlVerifier.wrapping(id, "không xác định duy nhất được", "cannot be resolved unambiguously"));
            return failed(b, findings, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
        }
        PublicKey key = cert.getPublicKey();
        boolean valueOk = XmlVerifierQuirk.valueVerifies(sig, key);
        Boolean digests = digestsMatch(sig, targets, findings);
        if (digests == null) {
            return failed(b, findings, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
        }
        boolean refsOk = digests;
        weakAlgorithms(signature, method, key, policy, findings);
        if ((!refsOk || !valueOk) && WhitespaceCheck.onlyWhitespaceChanged(signature, targets, key)) {
            findings.add(Finding.error("REFORMATTED_AFTER_SIGNING",
                    "Tài liệu bị định dạng lại sau khi ký: chỉ khoảng trắng khác với bản đã ký, chữ và số liệu không đổi;"
                            + " hãy dùng tệp gốc đã ký",
                    "The document was reformatted after signing: only whitespace differs from what was signed, the"
                            + " words and figures are unchanged; use the original signed file"));
        }
        if (targets.stream().anyMatch(XmlVerifierQuirk::isQuirkShape)) {
            findings.add(Finding.warning("NONSTANDARD_TRANSFORM_SAME_SIGNATURE_OBJECT",
                    "Phép biến đổi enveloped-signature không chuẩn trên Object trong cùng chữ ký,"
                            + " được diễn giải như phần mềm tạo ra nó",
                    "Non-standard enveloped-signature transform on a same-signature Object,"
                            + " interpreted as its producer does"));
        }
        if (!keyInfo.keyValueMatches(cert)) {
            findings.add(Finding.error("KEY_VALUE_MISMATCH", "KeyValue trong chữ ký không phải khóa của chứng thư số",
                    "The KeyValue in the signature is not the certificate's key"));
        }
        taxCode(signature, cert, targets, findings);
        xades.checkSigningCertificate(cert, policy, findings);
        OffsetDateTime claimed = claimedTime(signature, xades, targets, findings);
        if (claimed != null) {
            b.claimedSigningTime(claimed);
        }
        List<X509Certificate> pool = new ArrayList<>(keyInfo.certificates());
        pool.remove(cert);
        pool.addAll(xades.certificateValues());
        NetworkBudget network = scope.network();
        Instant stamped = xades.hasTimestamps()
                ? xades.timestamp(XmlVerifier.dsigChild(signature, "SignatureValue"), pool, policy, network, findings)
                : null;
        if (stamped != null) {
            b.timestampTime(stamped);
        }
        Instant signingTime = stamped != null ? stamped
                : claimed != null ? claimed.toInstant() : policy.validationTime().orElseGet(Instant::now);
        b.intact(refsOk && valueOk);
        SignerValidation.finish(b, refsOk, valueOk, cert,
                new SignerValidation.Evidence(pool, xades.ocspValues(), xades.crlValues()),
                signingTime, stamped != null, policy, findings, network);
        List<Element> covered = new ArrayList<>();
        if (refsOk && valueOk) {
            targets.forEach(t -> covered.add(t.element()));
        }
        return new Result(b.build(), List.copyOf(covered), SignedTargets.twins(targets), b);
    }

    /** Digests of every reference, with the producer quirk read as meant; null when Santuario cannot process them. */
    private static Boolean digestsMatch(XMLSignature sig, List<SignedTargets.Target> targets, List<Finding> findings) {
        try {
            if (sig.getSignedInfo().verify(false)) {
                return true;
            }
            return XmlVerifierQuirk.sameSignatureObjectOnly(sig, targets);
        } catch (Exception e) {
            findings.add(unreadable(e));
            return null;
        }
    }

    /** Value and digests, as {@link WhitespaceCheck} re-checks them. */
    static boolean verifies(XMLSignature sig, PublicKey key, List<SignedTargets.Target> targets) {
        if (!XmlVerifierQuirk.valueVerifies(sig, key)) {
            return false;
        }
        try {
            return sig.getSignedInfo().verify(false) || XmlVerifierQuirk.sameSignatureObjectOnly(sig, targets);
        } catch (Exception e) {
            return false;
        }
    }

    private static Result failed(SignatureReport.Builder b, List<Finding> findings, Indication indication, SubIndication sub) {
        findings.forEach(b::finding);
        b.intact(false).indication(indication, sub);
        return new Result(b.build(), List.of(), List.of(), b);
    }

    private static Finding unreadable(Exception e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return Finding.error("SIGNATURE_UNREADABLE", "Không xử lý được chữ ký: " + why,
                "Cannot process the signature: " + why);
    }

    private static String signatureMethod(Element signature) {
        Element method = XmlVerifier.dsigChild(XmlVerifier.dsigChild(signature, "SignedInfo"), "SignatureMethod");
        return method == null ? "" : method.getAttribute("Algorithm");
    }

    private static void weakAlgorithms(Element signature, String method, PublicKey key, ValidationPolicy policy,
            List<Finding> findings) {
        for (Element ref : XmlVerifier.references(signature)) {
            Element digest = XmlVerifier.dsigChild(ref, "DigestMethod");
            weak(digest == null ? null : digest.getAttribute("Algorithm"), findings, policy);
        }
        weak(method, findings, policy);
        int bits = key instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength()
                : key instanceof ECPublicKey ec ? ec.getParams().getOrder().bitLength() : Integer.MAX_VALUE;
        int minimum = key instanceof RSAPublicKey ? 2048 : 256;
        if (bits < minimum) {
            String vi = "Khóa " + key.getAlgorithm() + " " + bits + " bit, dưới mức " + minimum + " bit";
            String en = key.getAlgorithm() + " key of " + bits + " bits, below " + minimum + " bits";
            findings.add(policy.strictAlgorithms() ? Finding.error("WEAK_ALGORITHM", vi, en)
                    : Finding.warning("WEAK_ALGORITHM", vi, en));
        }
    }

    /** Flags SHA-1 (and anything older) as weak: a warning by default, an error under a strict policy. */
    static void weak(String uri, List<Finding> findings, ValidationPolicy policy) {
        if (uri == null) {
            return;
        }
        String u = uri.toLowerCase(Locale.ROOT);
        if (u.contains("sha1") || u.contains("md5")) {
            String vi = "Thuật toán yếu (SHA-1): " + uri + "; vẫn được dùng trong các tệp đang lưu hành";
            String en = "Weak algorithm (SHA-1): " + uri + "; still found in files in circulation";
            findings.add(policy.strictAlgorithms() ? Finding.error("WEAK_ALGORITHM", vi, en)
                    : Finding.warning("WEAK_ALGORITHM", vi, en));
        }
    }

    /**
     * The claimed signing time: XAdES SigningTime when signed, else a SigningTime inside an element
     * of this signature that a reference covers. An uncovered SigningTime is ignored with a warning.
     */
    private static OffsetDateTime claimedTime(Element signature, XadesProperties xades, List<SignedTargets.Target> targets,
            List<Finding> findings) {
        String text = xades.signed() ? xades.signingTime() : null;
        if (text == null) {
            for (SignedTargets.Target t : targets) {
                if (t.inSignature() && text == null) {
                    Element time = "SigningTime".equals(t.element().getLocalName()) ? t.element()
                            : firstDescendant(t.element(), "SigningTime");
                    text = time == null ? null : time.getTextContent();
                }
            }
        }
        if (text == null) {
            NodeList any = signature.getElementsByTagNameNS("*", "SigningTime");
            if (any.getLength() > 0) {
                findings.add(Finding.warning("SIGNING_TIME_NOT_SIGNED",
                        "Thời điểm ký trong chữ ký không được ký kèm nên không được dùng",
                        "The SigningTime in the signature is not covered by it, so it is not used"));
            }
            return null;
        }
        OffsetDateTime parsed = parseTime(text);
        if (parsed == null) {
            findings.add(Finding.warning("SIGNING_TIME_UNREADABLE", "Không đọc được thời điểm ký: " + text.strip(),
                    "Cannot read the signing time: " + text.strip()));
        }
        return parsed;
    }

    /** ISO date-time with or without offset; without one it is Vietnam local time (+07:00), as in circulation. */
    static OffsetDateTime parseTime(String text) {
        String t = text.replaceAll("\\s", "");
        try {
            return OffsetDateTime.parse(t);
        } catch (RuntimeException e) {
            try {
                return LocalDateTime.parse(t).atOffset(VIETNAM);
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }

    /**
     * For a seller's signature (slot {@code NBan}): the certificate's tax code (MST in UID) against
     * the seller's MST read from the signed elements only, never from unsigned parts of the file.
     */
    private static void taxCode(Element signature, X509Certificate cert, List<SignedTargets.Target> targets,
            List<Finding> findings) {
        if (!(signature.getParentNode() instanceof Element slot) || !"NBan".equals(slot.getLocalName())) {
            return;
        }
        String mst = null;
        for (SignedTargets.Target t : targets) {
            if (!t.inSignature() && mst == null) {
                mst = sellerTaxCode(t.element());
            }
        }
        String certMst = Certificates.taxCode(cert).orElse(null);
        if (mst == null || certMst == null) {
            return;
        }
        if (mst.equals(certMst)) {
            findings.add(Finding.info("TAX_CODE_MATCHES", "MST trong chứng thư số khớp MST người bán " + mst,
                    "The certificate's tax code matches the seller's " + mst));
        } else {
            findings.add(Finding.error("TAX_CODE_MISMATCH",
                    "MST trong chứng thư số " + certMst + " khác MST người bán " + mst + " trên hóa đơn",
                    "The certificate's tax code " + certMst + " differs from the seller's " + mst + " on the invoice"));
        }
    }

    private static String sellerTaxCode(Element root) {
        Deque<Element> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Element e = todo.pop();
            if (XmlVerifier.isDsig(e, "Signature")) {
                continue;
            }
            if ("NBan".equals(e.getLocalName())) {
                for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
                    if (c instanceof Element ce && "MST".equals(ce.getLocalName())) {
                        return ce.getTextContent().strip();
                    }
                }
            }
            for (Node c = e.getLastChild(); c != null; c = c.getPreviousSibling()) {
                if (c instanceof Element ce) {
                    todo.push(ce);
                }
            }
        }
        return null;
    }

    private static Element firstDescendant(Element root, String local) {
        Deque<Element> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Element e = todo.pop();
            if (e != root && local.equals(e.getLocalName())) {
                return e;
            }
            for (Node c = e.getLastChild(); c != null; c = c.getPreviousSibling()) {
                if (c instanceof Element ce) {
                    todo.push(ce);
                }
            }
        }
        return null;
    }
}
