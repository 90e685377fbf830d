package vn.kyso.xml;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.spi.DigestSigning;

/**
 * XML Signature algorithm identifiers (RFC 6931, XMLDSig 1.1) for the algorithms a {@link vn.kyso.Signer}
 * produces, and the conversion of a signer's value to what SignatureValue carries.
 */
final class XmlAlgorithms {
    static final String C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
    static final String C14N_WITH_COMMENTS = C14N + "#WithComments";
    static final String ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

    private XmlAlgorithms() {
    }

    /**
     * The SignatureMethod URI.
     *
     * @throws IllegalArgumentException for SHA-1, which kyso does not sign with
     */
    static String signatureMethod(SignatureAlgorithm a) {
        return switch (a) {
            case RSA_SHA256 -> "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
            case RSA_SHA384 -> "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
            case RSA_SHA512 -> "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
            case RSA_PSS_SHA256 -> "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1";
            case RSA_PSS_SHA384 -> "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1";
            case RSA_PSS_SHA512 -> "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1";
            case ECDSA_SHA256 -> "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
            case ECDSA_SHA384 -> "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";
            case ECDSA_SHA512 -> "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512";
            case RSA_SHA1, ECDSA_SHA1 -> throw new IllegalArgumentException(a
                    + " is too weak for new signatures: sign with SHA-256");
        };
    }

    /** Whether the signer's value verifies over {@code signedInfo} with {@code key}. */
    static boolean verifies(SignatureAlgorithm a, PublicKey key, byte[] signedInfo, byte[] value) {
        try {
            Signature s;
            if (a.isPss()) {
                String hash = a.digest().jcaName();
                s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), a.digest().length(), 1));
            } else {
                s = Signature.getInstance(a.jcaName());
            }
            s.initVerify(key);
            s.update(signedInfo);
            return s.verify(value);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The SignatureValue bytes: RSA as is, ECDSA re-encoded from DER to r||s as XML Signature wants. */
    static byte[] xmlValue(SignatureAlgorithm a, PublicKey key, byte[] value) {
        if (a.keyKind() != SignatureAlgorithm.KeyKind.EC) {
            return value;
        }
        int bits = ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
        return DigestSigning.ecdsaDerToRaw(value, (bits + 7) / 8);
    }
}
