package vn.kyso.xml;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.apache.xml.security.algorithms.JCEMapper;
import org.apache.xml.security.c14n.Canonicalizer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.kyso.Finding;
import vn.kyso.ValidationPolicy;
import vn.kyso.internal.validation.CertificateChecks;
import vn.kyso.internal.validation.NetworkBudget;
import vn.kyso.internal.validation.Timestamps;

/**
 * The XAdES qualifying properties of one signature (ETSI EN 319 132-1): the signed ones are used
 * only when a reference of Type {@value #SIGNED_PROPERTIES_TYPE} covers them (signing certificate
 * binding, SigningTime); the unsigned ones give signature timestamps over the canonicalized
 * ds:SignatureValue, and certificates, OCSP responses and CRLs embedded for validation.
 */
final class XadesProperties {
    static final String SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903#SignedProperties";
    private static final String XADES_NS_START = "http://uri.etsi.org/01903/v";
    private static final int MAX_VALUES = 20;
    private static final Set<String> C14N = Set.of(
            Canonicalizer.ALGO_ID_C14N_OMIT_COMMENTS, Canonicalizer.ALGO_ID_C14N_WITH_COMMENTS,
            Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS, Canonicalizer.ALGO_ID_C14N_EXCL_WITH_COMMENTS,
            Canonicalizer.ALGO_ID_C14N11_OMIT_COMMENTS, Canonicalizer.ALGO_ID_C14N11_WITH_COMMENTS);

    /** One xades:Cert of SigningCertificate(V2); issuer and serial null when not given or unreadable. */
    record CertRef(String digestMethod, byte[] digest, X500Principal issuer, BigInteger serial) {
    }

    /** One xades:SignatureTimeStamp: its canonicalization algorithm and its token (null when not base64). */
    record Stamp(String c14n, byte[] token) {
    }

    private final boolean signed;
    private final String signingTime;
    private final List<CertRef> certRefs;
    private final boolean hasSigningCertificate;
    private final List<Stamp> stamps;
    private final List<X509Certificate> certificateValues;
    private final List<byte[]> ocspValues;
    private final List<X509CRL> crlValues;

    private XadesProperties(boolean signed, String signingTime, List<CertRef> certRefs, boolean hasSigningCertificate,
            List<Stamp> stamps, List<X509Certificate> certificateValues, List<byte[]> ocspValues, List<X509CRL> crlValues) {
        this.signed = signed;
        this.signingTime = signingTime;
        this.certRefs = certRefs;
        this.hasSigningCertificate = hasSigningCertificate;
        this.stamps = stamps;
        this.certificateValues = certificateValues;
        this.ocspValues = ocspValues;
        this.crlValues = crlValues;
    }

    static boolean isXades(Element e, String local) {
        return e.getNamespaceURI() != null && e.getNamespaceURI().startsWith(XADES_NS_START) && local.equals(e.getLocalName());
    }

    /**
     * Reads the QualifyingProperties of {@code signature}; adds an ERROR finding when they are
     * malformed, target another signature, or their SignedProperties are not signed.
     */
    static XadesProperties read(Element signature, List<SignedTargets.Target> targets, List<Finding> findings) {
        Element qualifying = null;
        int count = 0;
        for (Node c = signature.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element o && XmlVerifier.isDsig(o, "Object")) {
                for (Node q = o.getFirstChild(); q != null; q = q.getNextSibling()) {
                    if (q instanceof Element qe && isXades(qe, "QualifyingProperties")) {
                        qualifying = qe;
                        count++;
                    }
                }
            }
        }
        for (SignedTargets.Target t : targets) {
            if (SIGNED_PROPERTIES_TYPE.equals(t.type()) && !(isXades(t.element(), "SignedProperties")
                    && qualifying != null && t.element().getParentNode() == qualifying)) {
                findings.add(xadesError("tham chiếu kiểu SignedProperties không trỏ tới SignedProperties của chữ ký này",
                        "a reference of Type SignedProperties does not point at this signature's SignedProperties"));
            }
        }
        if (qualifying == null) {
            return new XadesProperties(false, null, List.of(), false, List.of(), List.of(), List.of(), List.of());
        }
        if (count > 1) {
            findings.add(xadesError("có " + count + " QualifyingProperties", "there are " + count + " QualifyingProperties"));
        }
        String target = qualifying.getAttribute("Target");
        String id = signature.getAttribute("Id");
        if (id.isEmpty() || !target.equals("#" + id)) {
            findings.add(xadesError("QualifyingProperties Target='" + target + "' không trỏ tới chữ ký này",
                    "QualifyingProperties Target='" + target + "' does not point at this signature"));
        }
        Element signedProperties = child(qualifying, "SignedProperties");
        boolean signed = false;
        if (signedProperties != null) {
            for (SignedTargets.Target t : targets) {
                signed |= t.element() == signedProperties;
            }
            if (!signed) {
                findings.add(xadesError("SignedProperties không được tham chiếu nào bao phủ (không được ký)",
                        "SignedProperties are covered by no reference (they are not signed)"));
            }
        }
        String signingTime = null;
        List<CertRef> refs = new ArrayList<>();
        boolean hasSigningCertificate = false;
        Element ssp = signed ? child(signedProperties, "SignedSignatureProperties") : null;
        if (ssp != null) {
            Element time = child(ssp, "SigningTime");
            signingTime = time == null ? null : time.getTextContent();
            Element v2 = child(ssp, "SigningCertificateV2");
            Element v1 = child(ssp, "SigningCertificate");
            hasSigningCertificate = v2 != null || v1 != null;
            for (Element sc : new Element[] {v2, v1}) {
                if (sc != null) {
                    for (Node c = sc.getFirstChild(); c != null && refs.size() < MAX_VALUES; c = c.getNextSibling()) {
                        if (c instanceof Element ce && isXades(ce, "Cert")) {
                            refs.add(certRef(ce));
                        }
                    }
                }
            }
        }
        List<Stamp> stamps = new ArrayList<>();
        List<X509Certificate> certs = new ArrayList<>();
        List<byte[]> ocsp = new ArrayList<>();
        List<X509CRL> crls = new ArrayList<>();
        Element usp = child(child(qualifying, "UnsignedProperties"), "UnsignedSignatureProperties");
        if (usp != null) {
            for (Node c = usp.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (!(c instanceof Element ce)) {
                    continue;
                }
                if (isXades(ce, "SignatureTimeStamp") && stamps.size() < MAX_VALUES) {
                    Element method = XmlVerifier.dsigChild(ce, "CanonicalizationMethod");
                    Element token = child(ce, "EncapsulatedTimeStamp");
                    stamps.add(new Stamp(method == null ? Canonicalizer.ALGO_ID_C14N_OMIT_COMMENTS
                            : method.getAttribute("Algorithm"), token == null ? null : decode(token)));
                } else if (isXades(ce, "CertificateValues")) {
                    for (Element e : children(ce, "EncapsulatedX509Certificate")) {
                        X509Certificate cert = XmlKeyInfo.certificate(e.getTextContent());
                        if (cert != null) {
                            certs.add(cert);
                        }
                    }
                } else if (isXades(ce, "RevocationValues")) {
                    for (Element e : children(child(ce, "OCSPValues"), "EncapsulatedOCSPValue")) {
                        byte[] der = decode(e);
                        if (der != null) {
                            ocsp.add(der);
                        }
                    }
                    for (Element e : children(child(ce, "CRLValues"), "EncapsulatedCRLValue")) {
                        byte[] der = decode(e);
                        if (der != null) {
                            CertificateChecks.parseCrl(der).ifPresent(crls::add);
                        }
                    }
                }
            }
        }
        return new XadesProperties(signed, signingTime, List.copyOf(refs), hasSigningCertificate, List.copyOf(stamps),
                List.copyOf(certs), List.copyOf(ocsp), List.copyOf(crls));
    }

    /** Whether signed qualifying properties are present and covered by the signature. */
    boolean signed() {
        return signed;
    }

    /** The signed SigningTime text, or null. */
    String signingTime() {
        return signingTime;
    }

    List<X509Certificate> certificateValues() {
        return certificateValues;
    }

    List<byte[]> ocspValues() {
        return ocspValues;
    }

    List<X509CRL> crlValues() {
        return crlValues;
    }

    boolean hasTimestamps() {
        return !stamps.isEmpty();
    }

    /** The candidate whose digest a SigningCertificate(V2) names, when there are such references. */
    X509Certificate named(List<X509Certificate> candidates) {
        for (X509Certificate c : candidates) {
            for (CertRef r : certRefs) {
                if (digestMatches(r, c)) {
                    return c;
                }
            }
        }
        return null;
    }

    /** Adds SIGNING_CERTIFICATE_MISMATCH when the signed properties name another certificate than the signer's. */
    void checkSigningCertificate(X509Certificate cert, ValidationPolicy policy, List<Finding> findings) {
        if (!signed) {
            return;
        }
        if (!hasSigningCertificate) {
            findings.add(Finding.warning("XADES_NO_SIGNING_CERTIFICATE",
                    "Thuộc tính XAdES không có SigningCertificateV2: chứng thư ký không được gắn với chữ ký",
                    "The XAdES properties carry no SigningCertificateV2: the signing certificate is not bound to the signature"));
            return;
        }
        for (CertRef r : certRefs) {
            XmlVerifierSignature.weak(r.digestMethod(), findings, policy);
        }
        for (CertRef r : certRefs) {
            if (digestMatches(r, cert)) {
                boolean serialOk = r.serial() == null || r.serial().equals(cert.getSerialNumber());
                boolean issuerOk = r.issuer() == null || r.issuer().equals(cert.getIssuerX500Principal());
                if (serialOk && issuerOk) {
                    return;
                }
            }
        }
        findings.add(Finding.error("SIGNING_CERTIFICATE_MISMATCH",
                "Thuộc tính SigningCertificate của XAdES không khớp chứng thư số người ký",
                "The XAdES SigningCertificate property does not match the signer's certificate"));
    }

    /**
     * Validates every SignatureTimeStamp against the canonicalized ds:SignatureValue; returns the
     * earliest time a valid token from a trusted TSA proves, or null. An unreadable or non-covering
     * token is TIMESTAMP_INVALID (an ERROR); an untrusted TSA gives TIMESTAMP_UNTRUSTED and no proof.
     */
    Instant timestamp(Element signatureValue, List<X509Certificate> pool, ValidationPolicy policy, NetworkBudget network,
            List<Finding> findings) {
        Instant earliest = null;
        for (Stamp s : stamps) {
            try {
                if (s.token() == null) {
                    throw new IOException("EncapsulatedTimeStamp is missing or not base64");
                }
                if (!C14N.contains(s.c14n())) {
                    throw new IOException("canonicalization " + s.c14n() + " is not accepted");
                }
                Timestamps.Token token = Timestamps.read(s.token());
                ByteArrayOutputStream c14n = new ByteArrayOutputStream();
                Canonicalizer.getInstance(s.c14n()).canonicalizeSubtree(signatureValue, c14n);
                if (!token.covers(c14n.toByteArray())) {
                    throw new IOException("the token does not cover this signature's SignatureValue");
                }
                Optional<Instant> proven = Timestamps.proofOfExistence(token, pool, policy, network, findings);
                if (proven.isPresent() && (earliest == null || proven.get().isBefore(earliest))) {
                    earliest = proven.get();
                }
            } catch (Exception e) {
                findings.add(Finding.error("TIMESTAMP_INVALID", "Dấu thời gian của chữ ký không hợp lệ: " + e.getMessage(),
                        "The signature timestamp is invalid: " + e.getMessage()));
            }
        }
        return earliest;
    }

    private static boolean digestMatches(CertRef r, X509Certificate cert) {
        if (r.digestMethod() == null || r.digest() == null) {
            return false;
        }
        try {
            String jce = JCEMapper.translateURItoJCEID(r.digestMethod());
            return jce != null && r.digest() != null
                    && MessageDigest.isEqual(MessageDigest.getInstance(jce).digest(cert.getEncoded()), r.digest());
        } catch (java.security.NoSuchAlgorithmException | CertificateEncodingException e) {
            return false;
        }
    }

    private static CertRef certRef(Element cert) {
        Element digest = child(cert, "CertDigest");
        Element method = digest == null ? null : XmlVerifier.dsigChild(digest, "DigestMethod");
        Element value = digest == null ? null : XmlVerifier.dsigChild(digest, "DigestValue");
        X500Principal issuer = null;
        BigInteger serial = null;
        Element v1 = child(cert, "IssuerSerial");
        Element v2 = child(cert, "IssuerSerialV2");
        try {
            if (v1 != null) {
                Element name = XmlVerifier.dsigChild(v1, "X509IssuerName");
                Element number = XmlVerifier.dsigChild(v1, "X509SerialNumber");
                serial = number == null ? null : new BigInteger(number.getTextContent().strip());
                issuer = name == null ? null : new X500Principal(name.getTextContent().strip());
            } else if (v2 != null) {
                IssuerSerial is = IssuerSerial.getInstance(ASN1Primitive.fromByteArray(decode(v2)));
                serial = is.getSerial().getValue();
                for (GeneralName n : is.getIssuer().getNames()) {
                    if (n.getTagNo() == GeneralName.directoryName) {
                        issuer = new X500Principal(n.getName().toASN1Primitive().getEncoded());
                    }
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // a name or serial that cannot be read binds nothing; the digest still must match
            issuer = null;
            serial = null;
        }
        return new CertRef(method == null ? null : method.getAttribute("Algorithm"),
                value == null ? null : decode(value), issuer, serial);
    }

    private static Finding xadesError(String vi, String en) {
        return Finding.error("XADES_MALFORMED", "Thuộc tính XAdES không hợp lệ: " + vi, "Invalid XAdES properties: " + en);
    }

    private static byte[] decode(Element e) {
        try {
            return Base64.getMimeDecoder().decode(e.getTextContent().strip());
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    private static Element child(Element parent, String local) {
        if (parent == null) {
            return null;
        }
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e && isXades(e, local)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String local) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        for (Node c = parent.getFirstChild(); c != null && out.size() < MAX_VALUES; c = c.getNextSibling()) {
            if (c instanceof Element e && isXades(e, local)) {
                out.add(e);
            }
        }
        return out;
    }
}
