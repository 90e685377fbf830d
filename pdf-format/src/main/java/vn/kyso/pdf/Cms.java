package vn.kyso.pdf;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
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
