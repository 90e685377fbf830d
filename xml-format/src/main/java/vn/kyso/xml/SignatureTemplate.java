package vn.kyso.xml;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import vn.kyso.DigestAlgorithm;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.xml.XmlOptions.Profile;

/**
 * The Signature element a profile writes, built before signing: SignedInfo in its canonical form
 * (computed under the namespace scope of the slot, so its digest is what any verifier computes),
 * KeyInfo, the SigningTime Object and, on request, the XAdES qualifying properties. The
 * SignatureValue and an optional XAdES SignatureTimeStamp are filled in when the signer answers.
 */
final class SignatureTemplate {
    static final String XADES = "http://uri.etsi.org/01903/v1.3.2#";
    static final String SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903#SignedProperties";
    static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter OFFSET_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    final String signatureId;
    final List<String> newIds;
    private final XmlNode signature;
    private final XmlNode signatureValue;
    private XmlNode qualifyingProperties;
    private Scope signatureScope;
    private byte[] signedInfo;

    private final XmlOptions options;
    private final SignatureAlgorithm algorithm;
    private final List<X509Certificate> chain;
    private final Instant signingTime;
    private final boolean xades;
    private final String objectId;
    /** The random part of the Ids, kept so that a resumed signature writes the same Ids. */
    final String uuid;

    private SignatureTemplate(XmlOptions options, SignatureAlgorithm algorithm, List<X509Certificate> chain,
            Instant signingTime, boolean xades, String uuid) {
        this.options = options;
        this.algorithm = algorithm;
        this.chain = List.copyOf(chain);
        this.signingTime = signingTime;
        this.xades = xades;
        this.uuid = uuid;
        this.signatureId = options.signatureId().orElse(idPrefix(options.profile()) + "-" + uuid);
        this.objectId = options.profile() == Profile.INVOICE_TAX_AUTHORITY ? "SigningTime-" + uuid : "Obj-" + signatureId;
        List<String> ids = new ArrayList<>(List.of(signatureId, objectId));
        if (xades) {
            ids.add(signedPropertiesId());
        }
        this.newIds = List.copyOf(ids);
        this.signature = XmlNode.element("Signature").declare("", SigningScan.DSIG).attribute("Id", signatureId);
        this.signatureValue = XmlNode.element("SignatureValue");
    }

    /**
     * A template whose Ids are fixed (from {@code uuid}, random for a new signature);
     * {@link #build} completes it once the document is scanned.
     */
    static SignatureTemplate start(XmlOptions options, SignatureAlgorithm algorithm, List<X509Certificate> chain,
            Instant signingTime, boolean xades, String uuid) {
        return new SignatureTemplate(options, algorithm, chain, signingTime, xades, uuid);
    }

    static String newUuid() {
        return UUID.randomUUID().toString();
    }

    /** Builds SignedInfo and the rest for this document's references and slot. */
    void build(SigningTarget target) throws CertificateEncodingException {
        signatureScope = signature.scopeIn(target.slot.scope);
        DigestAlgorithm digest = algorithm.digest();
        boolean cqt = options.profile() == Profile.INVOICE_TAX_AUTHORITY;

        XmlNode object = signingTimeObject(cqt);
        XmlNode xadesObject = null;
        XmlNode signedProperties = null;
        if (xades) {
            signedProperties = signedProperties(target, digest);
            qualifyingProperties = XmlNode.element("xades:QualifyingProperties").declare("xades", XADES)
                    .attribute("Target", "#" + signatureId).add(signedProperties);
            xadesObject = XmlNode.element("Object").add(qualifyingProperties);
        }

        XmlNode si = XmlNode.element("SignedInfo")
                .add(XmlNode.element("CanonicalizationMethod").attribute("Algorithm", canonicalization()))
                .add(XmlNode.element("SignatureMethod").attribute("Algorithm", XmlAlgorithms.signatureMethod(algorithm)));
        int n = 0;
        List<SigningTarget.DocumentReference> docs = target.references;
        // the document's data first; the tax authority's shape puts MCCQT after the SigningTime Object
        si.add(reference(docs.get(0), ++n, digest));
        si.add(reference("#" + objectId, null, false, digest(digest, object.canonical(signatureScope)), digest));
        for (int i = 1; i < docs.size(); i++) {
            si.add(reference(docs.get(i), ++n, digest));
        }
        if (signedProperties != null) {
            Scope qualifyingScope = qualifyingProperties.scopeIn(signatureScope);
            si.add(reference("#" + signedPropertiesId(), SIGNED_PROPERTIES_TYPE, false,
                    digest(digest, signedProperties.canonical(qualifyingScope)), digest));
        }
        signedInfo = si.canonical(signatureScope);
        signature.add(si).add(signatureValue).add(keyInfo());
        signature.add(object);
        if (xadesObject != null) {
            signature.add(xadesObject);
        }
    }

    /**
     * Levels of elements the Signature adds below its place, once built. Completion adds no deeper
     * level: a SignatureTimeStamp's EncapsulatedTimeStamp nests less deep than the signed properties'
     * CertDigest/DigestMethod, which every XAdES signature (and so every timestamped one) has.
     */
    int depth() {
        return signature.depth();
    }

    /** SignedInfo in canonical form: what the signature value is computed over. */
    byte[] signedInfo() {
        return signedInfo.clone();
    }

    /** Sets the SignatureValue content. */
    void signatureValue(byte[] xmlValue) {
        signatureValue.text(BASE64.encodeToString(xmlValue));
    }

    /** The canonical SignatureValue element, which a XAdES SignatureTimeStamp covers. */
    byte[] canonicalSignatureValue() {
        return signatureValue.canonical(signatureScope);
    }

    /** Adds the XAdES SignatureTimeStamp holding {@code token} (a DER RFC 3161 token). */
    void signatureTimeStamp(byte[] token) {
        if (qualifyingProperties == null) {
            throw new IllegalStateException("a SignatureTimeStamp needs the XAdES qualifying properties");
        }
        qualifyingProperties.add(XmlNode.element("xades:UnsignedProperties")
                .add(XmlNode.element("xades:UnsignedSignatureProperties")
                        .add(XmlNode.element("xades:SignatureTimeStamp").attribute("Id", "TS-" + signatureId)
                                .add(XmlNode.element("CanonicalizationMethod").attribute("Algorithm", XmlAlgorithms.C14N))
                                .add("xades:EncapsulatedTimeStamp", BASE64.encodeToString(token)))));
    }

    /** The Signature element as it goes into the document, UTF-8. */
    byte[] bytes() {
        return signature.bytes();
    }

    private String canonicalization() {
        return options.profile() == Profile.TAX_DECLARATION ? XmlAlgorithms.C14N_WITH_COMMENTS : XmlAlgorithms.C14N;
    }

    private String signedPropertiesId() {
        return "SignedProperties-" + signatureId;
    }

    private XmlNode signingTimeObject(boolean cqt) {
        String local = signingTime.atZone(VIETNAM).toLocalDateTime().format(LOCAL_TIME);
        return XmlNode.element("Object").attribute("Id", objectId)
                .add(XmlNode.element("SignatureProperties")
                        .add(XmlNode.element("SignatureProperty")
                                .attribute("Target", cqt ? "signatureProperties" : "#" + signatureId)
                                .add("SigningTime", local)));
    }

    private XmlNode signedProperties(SigningTarget target, DigestAlgorithm digest) throws CertificateEncodingException {
        X509Certificate leaf = chain.get(0);
        XmlNode cert = XmlNode.element("xades:Cert")
                .add(XmlNode.element("xades:CertDigest")
                        .add(XmlNode.element("DigestMethod").attribute("Algorithm", digest.xmlUri()))
                        .add("DigestValue", BASE64.encodeToString(digest.digest(leaf.getEncoded()))))
                .add("xades:IssuerSerialV2", BASE64.encodeToString(issuerSerial(leaf)));
        XmlNode dataObjects = XmlNode.element("xades:SignedDataObjectProperties");
        for (int i = 1; i <= target.references.size(); i++) {
            dataObjects.add(XmlNode.element("xades:DataObjectFormat").attribute("ObjectReference", "#" + referenceId(i))
                    .add("xades:MimeType", "text/xml"));
        }
        return XmlNode.element("xades:SignedProperties").attribute("Id", signedPropertiesId())
                .add(XmlNode.element("xades:SignedSignatureProperties")
                        .add("xades:SigningTime", signingTime.atZone(VIETNAM).toOffsetDateTime().format(OFFSET_TIME))
                        .add(XmlNode.element("xades:SigningCertificateV2").add(cert)))
                .add(dataObjects);
    }

    private String referenceId(int n) {
        return "Ref" + n + "-" + signatureId;
    }

    private XmlNode reference(SigningTarget.DocumentReference r, int n, DigestAlgorithm digest) {
        XmlNode ref = reference(r.uri(), null, r.enveloped(), r.digest(), digest);
        if (xades) {
            ref.attribute("Id", referenceId(n));
        }
        return ref;
    }

    private static XmlNode reference(String uri, String type, boolean enveloped, byte[] value, DigestAlgorithm digest) {
        XmlNode ref = XmlNode.element("Reference").attribute("URI", uri);
        if (type != null) {
            ref.attribute("Type", type);
        }
        if (enveloped) {
            ref.add(XmlNode.element("Transforms").add(XmlNode.element("Transform").attribute("Algorithm",
                    XmlAlgorithms.ENVELOPED)));
        }
        return ref.add(XmlNode.element("DigestMethod").attribute("Algorithm", digest.xmlUri()))
                .add("DigestValue", BASE64.encodeToString(value));
    }

    private XmlNode keyInfo() throws CertificateEncodingException {
        XmlNode keyInfo = XmlNode.element("KeyInfo");
        X509Certificate leaf = chain.get(0);
        if (options.profile() == Profile.TAX_DECLARATION && leaf.getPublicKey() instanceof RSAPublicKey rsa) {
            keyInfo.add(XmlNode.element("KeyValue").add(XmlNode.element("RSAKeyValue")
                    .add("Modulus", BASE64.encodeToString(unsigned(rsa.getModulus())))
                    .add("Exponent", BASE64.encodeToString(unsigned(rsa.getPublicExponent())))));
        }
        XmlNode data = XmlNode.element("X509Data")
                .add("X509SubjectName", leaf.getSubjectX500Principal().getName(X500Principal.RFC2253))
                .add("X509Certificate", BASE64.encodeToString(leaf.getEncoded()));
        if (options.includeChain()) {
            for (X509Certificate c : chain.subList(1, chain.size())) {
                if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                    data.add("X509Certificate", BASE64.encodeToString(c.getEncoded()));
                }
            }
        }
        return keyInfo.add(data);
    }

    private static byte[] issuerSerial(X509Certificate cert) {
        try {
            X500Name issuer = X500Name.getInstance(cert.getIssuerX500Principal().getEncoded());
            return new IssuerSerial(new GeneralNames(new GeneralName(issuer)), cert.getSerialNumber())
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the issuer and serial of " + cert.getSubjectX500Principal(), e);
        }
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static byte[] digest(DigestAlgorithm digest, byte[] data) {
        return digest.digest(data);
    }

    private static String idPrefix(Profile p) {
        return switch (p) {
            case INVOICE_SELLER -> "NBan";
            case INVOICE_BUYER -> "NMua";
            case INVOICE_TAX_AUTHORITY -> "CQT";
            case TAX_DECLARATION -> "CKyDTu";
            case GENERIC -> "Sig";
        };
    }
}
