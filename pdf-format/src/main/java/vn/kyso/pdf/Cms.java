package vn.kyso.pdf;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import vn.kyso.DigestAlgorithm;
import vn.kyso.SignatureAlgorithm;

/**
 * The CMS pieces of a PAdES signature, built by hand so the digest to sign is known before the
 * key signs it: the signed attributes PAdES baseline asks for (content-type, message-digest,
 * signing-certificate-v2; no signing-time, the time is the dictionary's /M), and the algorithm
 * identifiers; {@link SignedDataDer} writes the SignedData around an externally made signature value.
 */
final class Cms {
    private Cms() {
    }

    /** DER encoding of the signed attributes; the signer signs their digest. */
    static byte[] signedAttributes(byte[] contentDigest, X509Certificate signer) throws IOException {
        ASN1EncodableVector attrs = new ASN1EncodableVector();
        attrs.add(new Attribute(CMSAttributes.contentType, new DERSet(CMSObjectIdentifiers.data)));
        attrs.add(new Attribute(CMSAttributes.messageDigest, new DERSet(new DEROctetString(contentDigest))));
        try {
            byte[] certHash = MessageDigest.getInstance("SHA-256").digest(signer.getEncoded());
            IssuerSerial issuerSerial = new IssuerSerial(new GeneralNames(new GeneralName(
                    X500Name.getInstance(signer.getIssuerX500Principal().getEncoded()))), signer.getSerialNumber());
            attrs.add(new Attribute(PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                    new DERSet(new SigningCertificateV2(new ESSCertIDv2[] {new ESSCertIDv2(certHash, issuerSerial)}))));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot hash the signing certificate", e);
        }
        return new DERSet(attrs).getEncoded(ASN1Encoding.DER);
    }

    /** The unsigned attribute holding an RFC 3161 timestamp token over the signature value. */
    static ASN1Set timestampAttribute(byte[] tokenDer) throws IOException {
        return new DERSet(new Attribute(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken,
                new DERSet(ASN1Primitive.fromByteArray(tokenDer))));
    }

    static AlgorithmIdentifier digestAlgorithm(DigestAlgorithm digest) {
        ASN1ObjectIdentifier oid = switch (digest) {
            case SHA1 -> OIWObjectIdentifiers.idSHA1;
            case SHA256 -> NISTObjectIdentifiers.id_sha256;
            case SHA384 -> NISTObjectIdentifiers.id_sha384;
            case SHA512 -> NISTObjectIdentifiers.id_sha512;
        };
        return new AlgorithmIdentifier(oid, DERNull.INSTANCE);
    }

    static AlgorithmIdentifier signatureAlgorithm(SignatureAlgorithm algorithm) {
        if (algorithm.isPss()) {
            AlgorithmIdentifier hash = digestAlgorithm(algorithm.digest());
            ASN1Encodable params = new RSASSAPSSparams(hash,
                    new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, hash),
                    new ASN1Integer(algorithm.digest().length()), new ASN1Integer(1));
            return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSASSA_PSS, params);
        }
        if (algorithm.keyKind() == SignatureAlgorithm.KeyKind.RSA) {
            return new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);
        }
        return new AlgorithmIdentifier(switch (algorithm.digest()) {
            case SHA1 -> X9ObjectIdentifiers.ecdsa_with_SHA1;
            case SHA256 -> X9ObjectIdentifiers.ecdsa_with_SHA256;
            case SHA384 -> X9ObjectIdentifiers.ecdsa_with_SHA384;
            case SHA512 -> X9ObjectIdentifiers.ecdsa_with_SHA512;
        });
    }

    /** What a signature value made without signed attributes says about the digest it signs. */
    enum DigestCheck {
        /** It signs the expected digest. */
        VALID,
        /** It is the key's valid signature, of another digest: the signed content changed. */
        OTHER_DIGEST,
        /** It does not verify with the key (or cannot be told apart from one over another digest). */
        INVALID
    }

    /**
     * Checks {@code value}, a signature by {@code key} made directly over a content whose
     * {@code digest} is {@code contentDigest} (CMS without signed attributes). RSA PKCS#1 v1.5
     * values are opened, so a value over another digest is told from a broken one; ECDSA cannot
     * tell; RSA-PSS without signed attributes is not accepted.
     */
    static DigestCheck verifiesDigest(PublicKey key, boolean pss, DigestAlgorithm digest, byte[] contentDigest,
            byte[] value) {
        if (pss) {
            return DigestCheck.INVALID;
        }
        if (key instanceof RSAPublicKey rsa) {
            DigestInfo info = recoverDigestInfo(rsa, value);
            if (info == null || !info.getAlgorithmId().getAlgorithm().getId().equals(digest.oid())) {
                return DigestCheck.INVALID;
            }
            return Arrays.equals(info.getDigest(), contentDigest) ? DigestCheck.VALID : DigestCheck.OTHER_DIGEST;
        }
        try {
            Signature s = Signature.getInstance("NONEwithECDSA");
            s.initVerify(key);
            s.update(contentDigest);
            return s.verify(value) ? DigestCheck.VALID : DigestCheck.INVALID;
        } catch (GeneralSecurityException | RuntimeException e) {
            return DigestCheck.INVALID;
        }
    }

    /**
     * The DigestInfo inside an RSA PKCS#1 v1.5 signature value, or null when the value does not
     * open with {@code key} or holds anything but one DER DigestInfo (no trailing bytes, which
     * signature forgeries on lenient parsers rely on).
     */
    static DigestInfo recoverDigestInfo(RSAPublicKey key, byte[] value) {
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            rsa.init(Cipher.DECRYPT_MODE, key);
            byte[] recovered = rsa.doFinal(value);
            DigestInfo info = DigestInfo.getInstance(ASN1Primitive.fromByteArray(recovered));
            return Arrays.equals(info.getEncoded(ASN1Encoding.DER), recovered) ? info : null;
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether {@code value} is a valid signature of {@code data} by {@code key} under {@code algorithm}. */
    static boolean verifies(SignatureAlgorithm algorithm, PublicKey key, byte[] data, byte[] value) {
        try {
            Signature s;
            if (algorithm.isPss()) {
                String md = algorithm.digest().jcaName();
                s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec(md, "MGF1", new MGF1ParameterSpec(md), algorithm.digest().length(), 1));
            } else {
                s = Signature.getInstance(algorithm.jcaName());
            }
            s.initVerify(key);
            s.update(data);
            return s.verify(value);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
