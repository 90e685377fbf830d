package vn.kyso.pdf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.SignerInformation;
import vn.kyso.DigestAlgorithm;
import vn.kyso.Finding;
import vn.kyso.Indication;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.SubIndication;

/**
 * Whether a PDF signature's value binds its signed bytes, read the way its SubFilter says it was
 * made: a detached CMS over the ByteRange (ETSI.CAdES.detached, adbe.pkcs7.detached); a CMS whose
 * encapsulated content is the SHA-1 digest of the ByteRange (adbe.pkcs7.sha1); or a bare PKCS#1
 * RSA value with the certificates in the dictionary's /Cert (adbe.x509.rsa_sha1). The last two
 * are what older Vietnamese software wrote (tax returns and invoices from before 2015): judged by
 * the detached rule they would all look altered. Any other SubFilter is refused, never guessed.
 */
final class SignatureIntegrity {
    static final String CADES_DETACHED = "ETSI.CAdES.detached";
    static final String PKCS7_DETACHED = "adbe.pkcs7.detached";
    static final String PKCS7_SHA1 = "adbe.pkcs7.sha1";
    static final String X509_RSA_SHA1 = "adbe.x509.rsa_sha1";
    private static final COSName CERT = COSName.getPDFName("Cert");
    /** More certificates than any real /Cert holds; bounds the work on a hostile one. */
    private static final int MAX_CERTS = 64;

    private SignatureIntegrity() {
    }

    /**
     * What the signature value proves about the signed bytes.
     *
     * @param certificate the signer's certificate
     * @param certificates every certificate the signature carries (CMS certificates or /Cert)
     * @param signer the CMS signer; null for adbe.x509.rsa_sha1, which has no CMS
     * @param signedAttributes the CMS signed attributes; null when there are none
     * @param digest the weakest digest on the path from the bytes to the signature value
     * @param intact whether the digests on that path match the bytes
     * @param valueValid whether the signature value verifies with the certificate's key
     */
    record Result(X509Certificate certificate, List<X509Certificate> certificates, SignerInformation signer,
            AttributeTable signedAttributes, DigestAlgorithm digest, boolean intact, boolean valueValid) {
    }

    /** The signature cannot be read as what its SubFilter says: the finding and the verdict it leads to. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Finding finding;
        final Indication indication;
        final SubIndication subIndication;

        Unreadable(Finding finding, Indication indication, SubIndication subIndication) {
            super(finding.code(), null, false, false);
            this.finding = finding;
            this.indication = indication;
            this.subIndication = subIndication;
        }
    }

    /**
     * Checks {@code signature}, whose /Contents (the hole of {@code range} in {@code file}) is
     * {@code contents}, against the bytes {@code range} covers.
     */
    static Result check(PDSignature signature, byte[] contents, RandomAccessRead file, int[] range)
            throws Unreadable, IOException {
        String subFilter = signature.getSubFilter();
        if (CADES_DETACHED.equals(subFilter) || PKCS7_DETACHED.equals(subFilter)) {
            return cms(contents, file, range, false);
        }
        if (PKCS7_SHA1.equals(subFilter)) {
            return cms(contents, file, range, true);
        }
        if (X509_RSA_SHA1.equals(subFilter)) {
            return pkcs1(signature, contents, file, range);
        }
        String shown = subFilter == null ? "none" : subFilter;
        throw new Unreadable(Finding.error("SUBFILTER_UNSUPPORTED", "Định dạng chữ ký (SubFilter " + shown
                + ") không được hỗ trợ nên không kiểm tra được", "The signature's format (SubFilter " + shown
                + ") is not supported, so the signature cannot be checked"),
                Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
    }

    /** A CMS signature: detached over the ByteRange, or (adbe.pkcs7.sha1) over the ByteRange's SHA-1 as its content. */
    private static Result cms(byte[] contents, RandomAccessRead file, int[] range, boolean sha1Content)
            throws Unreadable, IOException {
        CMSSignedData cms;
        SignerInformation signer;
        X509Certificate certificate = null;
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            cms = new CMSSignedData(PdfVerifier.der(contents));
            if (cms.getSignerInfos().size() != 1) {
                throw new IOException("the CMS holds " + cms.getSignerInfos().size() + " signers, PAdES allows one");
            }
            signer = cms.getSignerInfos().getSigners().iterator().next();
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (X509CertificateHolder holder : cms.getCertificates().getMatches(null)) {
                X509Certificate c = converter.getCertificate(holder);
                certificates.add(c);
                if (signer.getSID().match(holder)) {
                    certificate = c;
                }
            }
        } catch (Exception e) {
            throw malformed("CMS_MALFORMED", "Dữ liệu chữ ký (CMS) không đọc được: ", "The signature's CMS cannot be read: ",
                    e);
        }
        if (certificate == null) {
            throw noCertificate();
        }
        DigestAlgorithm digest = digestAlgorithm(signer.getDigestAlgOID());
        byte[] eContent = null;
        boolean bytesMatch = true;
        DigestAlgorithm weakest = digest;
        // adbe.pkcs7.sha1 carries the ByteRange's SHA-1 as its content; one written without content is read as detached
        CMSTypedData content = sha1Content ? cms.getSignedContent() : null;
        if (content != null) {
            eContent = content.getContent() instanceof byte[] b ? b : new byte[0];
            bytesMatch = Arrays.equals(eContent, PdfVerifier.digestOfRanges(file, range, DigestAlgorithm.SHA1));
            weakest = DigestAlgorithm.SHA1;
        }
        byte[] contentDigest = eContent != null ? digest.digest(eContent) : PdfVerifier.digestOfRanges(file, range, digest);
        AttributeTable signed = signer.getSignedAttributes();
        if (signed == null) {
            // no signed attributes (older signers): the value signs the content's digest itself
            Cms.DigestCheck check = Cms.verifiesDigest(certificate.getPublicKey(), isPss(signer), digest, contentDigest,
                    signer.getSignature());
            boolean intact = bytesMatch && check != Cms.DigestCheck.OTHER_DIGEST;
            return new Result(certificate, certificates, signer, null, weakest, intact,
                    intact && check == Cms.DigestCheck.VALID);
        }
        boolean intact = bytesMatch && Arrays.equals(contentDigest, messageDigest(signed));
        boolean valueValid;
        try {
            valueValid = intact && signedAttributesVerify(signer, certificate, digest);
        } catch (Exception e) {
            valueValid = false;
        }
        return new Result(certificate, certificates, signer, signed, weakest, intact, valueValid);
    }

    /** The signed message-digest attribute's value, or null when it is missing or not one OCTET STRING. */
    private static byte[] messageDigest(AttributeTable signed) {
        Attribute md = signed.get(CMSAttributes.messageDigest);
        try {
            return md == null || md.getAttrValues().size() != 1 ? null
                    : ASN1OctetString.getInstance(md.getAttrValues().getObjectAt(0)).getOctets();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** adbe.x509.rsa_sha1: /Contents is an OCTET STRING holding a PKCS#1 v1.5 value over the ByteRange's digest. */
    private static Result pkcs1(PDSignature signature, byte[] contents, RandomAccessRead file, int[] range)
            throws Unreadable, IOException {
        byte[] value;
        List<X509Certificate> certificates;
        try {
            value = ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(PdfVerifier.der(contents))).getOctets();
            certificates = certificates(signature.getCOSObject().getDictionaryObject(CERT));
        } catch (Exception e) {
            throw malformed("SIGNATURE_MALFORMED", "Dữ liệu chữ ký (adbe.x509.rsa_sha1) không đọc được: ",
                    "The adbe.x509.rsa_sha1 signature cannot be read: ", e);
        }
        if (certificates.isEmpty()) {
            throw noCertificate();
        }
        X509Certificate certificate = certificates.get(0);
        if (!(certificate.getPublicKey() instanceof RSAPublicKey key)) {
            throw new Unreadable(Finding.error("SIGNATURE_MALFORMED", "Chữ ký adbe.x509.rsa_sha1 cần khóa RSA",
                    "An adbe.x509.rsa_sha1 signature needs an RSA key, the certificate holds "
                    + certificate.getPublicKey().getAlgorithm()), Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
        }
        DigestInfo info = Cms.recoverDigestInfo(key, value);
        if (info == null) {
            // the value does not open with this key: it proves nothing about the bytes either way
            return new Result(certificate, certificates, null, null, DigestAlgorithm.SHA1, true, false);
        }
        DigestAlgorithm digest = digestAlgorithm(info.getAlgorithmId().getAlgorithm().getId());
        boolean intact = Arrays.equals(info.getDigest(), PdfVerifier.digestOfRanges(file, range, digest));
        return new Result(certificate, certificates, null, null, digest, intact, true);
    }

    /** The certificates of /Cert: one string, or an array of strings with the signer's first. */
    private static List<X509Certificate> certificates(COSBase cert) throws CertificateException, IOException {
        List<COSBase> items = new ArrayList<>();
        if (cert instanceof COSString) {
            items.add(cert);
        } else if (cert instanceof COSArray array) {
            for (int i = 0; i < array.size() && i < MAX_CERTS; i++) {
                items.add(array.getObject(i));
            }
        }
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (COSBase item : items) {
            if (!(item instanceof COSString s)) {
                throw new IOException("an entry of /Cert is not a string");
            }
            out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(s.getBytes())));
        }
        return out;
    }

    /** Checks the signature over the DER signed attributes, for RSA PKCS#1 v1.5, RSA-PSS and ECDSA. */
    private static boolean signedAttributesVerify(SignerInformation signer, X509Certificate certificate,
            DigestAlgorithm digest) throws IOException {
        SignatureAlgorithm algorithm;
        if (isPss(signer)) {
            algorithm = pss(signer);
            if (algorithm == null) {
                return false;
            }
        } else {
            algorithm = SignatureAlgorithm.forKey(certificate.getPublicKey(), digest);
        }
        return Cms.verifies(algorithm, certificate.getPublicKey(), signer.getEncodedSignedAttributes(),
                signer.getSignature());
    }

    private static boolean isPss(SignerInformation signer) {
        return PKCSObjectIdentifiers.id_RSASSA_PSS.getId().equals(signer.getEncryptionAlgOID());
    }

    /** The RSA-PSS algorithm a PSS signer names, or null when its parameters are not ones kyso accepts. */
    private static SignatureAlgorithm pss(SignerInformation signer) {
        try {
            RSASSAPSSparams params = RSASSAPSSparams.getInstance(signer.getEncryptionAlgParams());
            DigestAlgorithm pssDigest = DigestAlgorithm.of(params.getHashAlgorithm().getAlgorithm().getId());
            if (params.getSaltLength().intValue() != pssDigest.length()) {
                return null;
            }
            return switch (pssDigest) {
                case SHA256 -> SignatureAlgorithm.RSA_PSS_SHA256;
                case SHA384 -> SignatureAlgorithm.RSA_PSS_SHA384;
                case SHA512 -> SignatureAlgorithm.RSA_PSS_SHA512;
                case SHA1 -> null;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static DigestAlgorithm digestAlgorithm(String oid) throws Unreadable {
        try {
            return DigestAlgorithm.of(oid);
        } catch (IllegalArgumentException e) {
            throw new Unreadable(Finding.error("UNKNOWN_DIGEST", "Thuật toán băm không được hỗ trợ",
                    "Unsupported digest algorithm " + oid), Indication.TOTAL_FAILED, SubIndication.CRYPTO_CONSTRAINTS_FAILURE);
        }
    }

    private static Unreadable malformed(String code, String vietnamese, String english, Exception e) {
        return new Unreadable(Finding.error(code, vietnamese + e.getMessage(), english + e.getMessage()),
                Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
    }

    private static Unreadable noCertificate() {
        return new Unreadable(Finding.error("NO_SIGNING_CERTIFICATE", "Không tìm thấy chứng thư số của người ký",
                "The signer's certificate is not in the signature"),
                Indication.INDETERMINATE, SubIndication.NO_SIGNING_CERTIFICATE_FOUND);
    }
}
