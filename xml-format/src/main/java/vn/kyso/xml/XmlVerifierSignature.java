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
     * One signature's report and what the document-wide wrapping check needs: the elements its
     * references covered when its digests and value verified, the elements outside the signature
     * its references point at (whatever their digests), where it sits and who signed, with the
     * builder so that check can still turn the verdict into a wrapping failure.
     *
     * @param referenced the targets outside this signature, not the whole document, in reference order
     * @param signer the signer's certificate, or null when there is none
     */
    record Result(SignatureReport report, List<Element> covered, List<Element> referenced, boolean wholeDocument,
            SignaturePlace place, X509Certificate signer, SignatureReport.Builder builder) {

        /** Whether its references and value verified and nothing refused it: only then may it vouch for an element. */
        boolean vouches() {
            return report.intact() && report.subIndication().orElse(null) != SubIndication.FORMAT_FAILURE;
        }

        /** This result failed as signature wrapping, for the reason {@code finding} gives. */
        Result wrapped(Finding finding) {
            builder.finding(finding);
            builder.indication(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
            return new Result(builder.build(), List.of(), referenced, wholeDocument, place, signer, builder);
        }
    }

    private XmlVerifierSignature() {
    }

    static Result check(Element signature, String id, XmlVerifier.Scope scope) {
        ValidationPolicy policy = scope.policy();
        SignatureReport.Builder b = SignatureReport.builder(id);
        List<Finding> findings = new ArrayList<>();
        SignaturePlace place = SignaturePlace.of(signature);
        SignedTargets.Resolution resolution = SignedTargets.resolve(signature, scope.ids(), findings);
        for (SignedTargets.Target t : resolution.targets()) {
            b.covers(t.describe());
            if (t.wholeDocument()) {
                b.coversWholeDocument(true);
            }
        }
        findings.add(0, placeFinding(place, resolution.targets()));
        Shell shell = new Shell(b, place, resolution.targets());
        if (!resolution.ok()) {
            return shell.failed(findings, resolution.failure() == SubIndication.SIGNED_DATA_NOT_FOUND
                    ? Indication.INDETERMINATE : Indication.TOTAL_FAILED, resolution.failure());
        }
        List<SignedTargets.Target> targets = resolution.targets();
        List<Element> manifests = ManifestCheck.manifests(targets, scope.ids());
        List<SignedTargets.Target> all = targets;
        if (!manifests.isEmpty()) {
            List<SignedTargets.Target> viaManifests = ManifestCheck.resolve(signature, manifests, scope.ids(), findings);
            if (viaManifests == null) {
                return shell.failed(findings, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
            }
            viaManifests.forEach(t -> b.covers(t.describe() + " via Manifest"));
            List<SignedTargets.Target> joined = new ArrayList<>(targets);
            joined.addAll(viaManifests);
            all = List.copyOf(joined);
            findings.set(0, placeFinding(place, all));
            shell = new Shell(b, place, all);
        }
        if (!coverage(place, all, findings)) {
            return shell.failed(findings, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
        }
        String method = signatureMethod(signature);
        if (method.toLowerCase(Locale.ROOT).contains("hmac")) {
            findings.add(Finding.error("UNSUPPORTED_SIGNATURE_METHOD",
                    "Phương thức ký " + method + " không phải chữ ký số bằng khóa công khai",
                    "Signature method " + method + " is not a public-key digital signature"));
            return shell.failed(findings, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
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
            return shell.failed(findings, Indication.INDETERMINATE, SubIndication.NO_SIGNING_CERTIFICATE_FOUND);
        }
        b.signerCertificate(cert);
        shell = new Shell(b, place, all, cert);
        XMLSignature sig;
        try {
            sig = new XMLSignature(signature, "", true);
        } catch (Exception e) {
            findings.add(unreadable(e));
            return shell.failed(findings, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
        }
        if (!SignedTargets.register(all, scope.ids())) {
            findings.add(XmlVerifier.wrapping(id, "không xác định duy nhất được", "cannot be resolved unambiguously"));
            return shell.failed(findings, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
        }
        PublicKey key = cert.getPublicKey();
        boolean valueOk = XmlVerifierQuirk.valueVerifies(sig, key);
        Boolean digests = digestsMatch(sig, targets, findings);
        if (digests == null) {
            return shell.failed(findings, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
        }
        Boolean manifestDigests = manifests.isEmpty() ? Boolean.TRUE : ManifestCheck.digestsMatch(manifests, findings);
        if (manifestDigests == null) {
            return shell.failed(findings, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
        }
        boolean refsOk = digests && manifestDigests;
        weakAlgorithms(signature, method, key, policy, findings);
        if ((!digests || !valueOk) && WhitespaceCheck.onlyWhitespaceChanged(signature, targets, key)) {
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
        taxCode(place, cert, all, findings);
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
            all.forEach(t -> covered.add(t.element()));
        }
        return shell.result(b.build(), covered);
    }

    /** What a result is made of besides the report, as far as the checks got. */
    private record Shell(SignatureReport.Builder builder, SignaturePlace place, List<SignedTargets.Target> targets,
            X509Certificate signer) {
        Shell(SignatureReport.Builder builder, SignaturePlace place, List<SignedTargets.Target> targets) {
            this(builder, place, targets, null);
        }

        Result result(SignatureReport report, List<Element> covered) {
            List<Element> referenced = new ArrayList<>();
            boolean whole = false;
            for (SignedTargets.Target t : targets) {
                whole |= t.wholeDocument();
                if (!t.wholeDocument() && !t.inSignature()) {
                    referenced.add(t.element());
                }
            }
            return new Result(report, List.copyOf(covered), List.copyOf(referenced), whole, place, signer, builder);
        }

        Result failed(List<Finding> findings, Indication indication, SubIndication sub) {
            findings.forEach(builder::finding);
            builder.intact(false).indication(indication, sub);
            return result(builder.build(), List.of());
        }
    }

    /** Names the signature by its place and says what it covers, with paths: an Id is the signer's (or an attacker's) choice. */
    private static Finding placeFinding(SignaturePlace place, List<SignedTargets.Target> targets) {
        StringBuilder covers = new StringBuilder();
        for (SignedTargets.Target t : targets) {
            covers.append(covers.length() == 0 ? "" : ", ").append(t.describe());
        }
        String what = covers.length() == 0 ? "-" : covers.toString();
        return Finding.info("SIGNATURE_PLACE", "Chữ ký ở " + place.describeVi() + "; phủ: " + what,
                "Signature at " + place.describeEn() + "; covers: " + what);
    }

    /**
     * A signature in a profile slot must cover its profile's data where the profile puts it (the
     * seller's DLHDon beside its DSCKS), and any signature must cover something outside itself: a
     * signature over its own Object only is not a signature on the document. A data element
     * covered away from its place is wrapping (false is returned); covering no data is an error.
     */
    private static boolean coverage(SignaturePlace place, List<SignedTargets.Target> targets, List<Finding> findings) {
        boolean data = false;
        for (SignedTargets.Target t : targets) {
            if (t.wholeDocument()) {
                data = true;
            } else if (!t.inSignature()) {
                Element e = t.element();
                if (!place.inProfile() || place.signsAsData(e)) {
                    data = true;
                } else if (SignaturePlace.dataName(e.getLocalName())) {
                    findings.add(XmlVerifier.wrapping(e.getLocalName(),
                            "nằm ở " + SignaturePlace.path(e) + ", không phải nơi hồ sơ của chữ ký ở " + place.path()
                                    + " đặt dữ liệu được ký (phần tử con của "
                                    + (place.container() == null ? "-" : place.container().getLocalName()) + ")",
                            "sits at " + SignaturePlace.path(e) + ", not where the profile of the signature at "
                                    + place.path() + " puts its signed data (a child of "
                                    + (place.container() == null ? "-" : place.container().getLocalName()) + ")"));
                    return false;
                }
            }
        }
        if (!data) {
            findings.add(Finding.error("NO_DOCUMENT_DATA_COVERED",
                    "Chữ ký ở " + place.path() + " không phủ dữ liệu nào của tài liệu"
                            + (place.inProfile() ? " mà hồ sơ của vị trí " + place.slot() + " ký" : "")
                            + ": đây không phải chữ ký trên tài liệu",
                    "The signature at " + place.path() + " covers none of the document's data"
                            + (place.inProfile() ? " that the profile of slot " + place.slot() + " signs" : "")
                            + ": it is not a signature on the document"));
        }
        return true;
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
     * the seller's MST at the profile's exact path, {@code NDHDon/NBan/MST} of the data element the
     * signature covers, never any other NBan/MST of the file; two of them are an error. A signature
     * in {@code CCKSKhac} is said not to be the seller's, with the seller's code beside its own.
     */
    private static void taxCode(SignaturePlace place, X509Certificate cert, List<SignedTargets.Target> targets,
            List<Finding> findings) {
        String certMst = Certificates.taxCode(cert).orElse(null);
        if (SignaturePlace.OTHER.equals(place.slot())) {
            String seller = null;
            for (Node c = place.container().getFirstChild(); c != null && seller == null; c = c.getNextSibling()) {
                if (c instanceof Element ce && SignaturePlace.dataName(ce.getLocalName())) {
                    List<Element> msts = sellerTaxCodes(ce);
                    seller = msts.size() == 1 ? VerifiedXml.text(msts.get(0)).strip() : null;
                }
            }
            String codes = (certMst == null ? "" : "; MST trong chứng thư " + certMst)
                    + (seller == null ? "" : ", MST người bán " + seller);
            String codesEn = (certMst == null ? "" : "; the certificate's tax code is " + certMst)
                    + (seller == null ? "" : ", the seller's " + seller);
            findings.add(Finding.warning("SIGNATURE_OUTSIDE_PROFILE_SLOTS",
                    "Chữ ký ở " + place.path() + " nằm ngoài các vị trí của hồ sơ (NBan, NMua, CQT): không phải chữ ký"
                            + " của người bán, người mua hay cơ quan thuế" + codes,
                    "The signature at " + place.path() + " is outside the profile's slots (NBan, NMua, CQT): it is not"
                            + " the seller's, the buyer's or the tax authority's signature" + codesEn));
            return;
        }
        if (!place.seller()) {
            return;
        }
        Element data = null;
        for (SignedTargets.Target t : targets) {
            if (data == null && !t.wholeDocument() && !t.inSignature() && place.signsAsData(t.element())) {
                data = t.element();
            }
        }
        List<Element> msts = data == null ? List.of() : sellerTaxCodes(data);
        if (msts.size() > 1) {
            findings.add(Finding.error("SELLER_TAX_CODE_AMBIGUOUS",
                    "Hóa đơn có " + msts.size() + " MST người bán (NDHDon/NBan/MST); ứng dụng có thể đọc nhầm MST khác",
                    "The invoice has " + msts.size() + " seller tax codes (NDHDon/NBan/MST); an application may read"
                            + " the wrong one"));
            return;
        }
        if (msts.isEmpty() || certMst == null) {
            return;
        }
        String mst = VerifiedXml.text(msts.get(0)).strip();
        if (mst.equals(certMst)) {
            findings.add(Finding.info("TAX_CODE_MATCHES", "MST trong chứng thư số khớp MST người bán " + mst,
                    "The certificate's tax code matches the seller's " + mst));
        } else {
            findings.add(Finding.error("TAX_CODE_MISMATCH",
                    "MST trong chứng thư số " + certMst + " khác MST người bán " + mst + " trên hóa đơn",
                    "The certificate's tax code " + certMst + " differs from the seller's " + mst + " on the invoice"));
        }
    }

    /** Every element at {@code data}/NDHDon/NBan/MST, each step a direct child. */
    private static List<Element> sellerTaxCodes(Element data) {
        List<Element> level = List.of(data);
        for (String step : List.of("NDHDon", "NBan", "MST")) {
            List<Element> next = new ArrayList<>();
            for (Element e : level) {
                for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
                    if (c instanceof Element ce && step.equals(ce.getLocalName())) {
                        next.add(ce);
                    }
                }
            }
            level = next;
        }
        return level;
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
