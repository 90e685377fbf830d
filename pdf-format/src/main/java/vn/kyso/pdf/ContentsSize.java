package vn.kyso.pdf;

import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.List;
import vn.kyso.BaselineLevel;
import vn.kyso.SignatureAlgorithm;

/**
 * How many bytes of /Contents a signature reserves: computed from what goes in the CMS (the
 * chain as encoded, the signed attributes, the largest signature value the key can make) plus,
 * for timestamped levels, a fixed allowance for the RFC 3161 token with its TSA certificates.
 * The token is only known after the key has signed, and the reservation is part of what is
 * signed, so a token larger than the allowance cannot be fitted afterwards: the signature is
 * then refused with a typed error before anything is written.
 */
final class ContentsSize {
    /**
     * Room for the signature timestamp token and its unsigned-attribute wrapping: a token holds a
     * TSTInfo (about 300 bytes), the TSA's SignerInfo (under 1.5 KB with an RSA-4096 key) and the
     * certificates the TSA sends (about 1.2 to 2 KB each); 16 KB fits a chain of six.
     */
    static final int TIMESTAMP_ALLOWANCE = 16_384;
    /** SignedData, SignerInfo and attribute headers, issuer names and algorithm identifiers beyond the certificates. */
    private static final int STRUCTURE = 1_024;

    private ContentsSize() {
    }

    /** Bytes to reserve for a signature by {@code chain}'s first key with {@code algorithm} at {@code level}. */
    static int reserve(List<X509Certificate> chain, SignatureAlgorithm algorithm, BaselineLevel level) {
        int size = STRUCTURE + signedAttributesBound(chain.get(0), algorithm) + maxSignatureLength(chain.get(0).getPublicKey());
        for (X509Certificate c : chain) {
            size += encodedLength(c);
        }
        if (level != BaselineLevel.B) {
            size += TIMESTAMP_ALLOWANCE;
        }
        return size;
    }

    /** What to tell the caller when the finished CMS ({@code needed} bytes) does not fit the {@code reserved} ones. */
    static String overflow(int needed, int reserved, int tokenLength, java.net.URI tsa) {
        if (tokenLength > 0) {
            return "the timestamp token from " + tsa + " has " + tokenLength + " bytes and the signature with it needs "
                    + needed + " bytes, but " + reserved + " were reserved (" + TIMESTAMP_ALLOWANCE + " for the token): "
                    + "nothing was written; use a timestamp authority that sends a shorter certificate chain, or sign "
                    + "at level B";
        }
        return "the signature needs " + needed + " bytes but " + reserved + " were reserved: nothing was written; this is "
                + "a kyso sizing bug, please report it with the signer's certificate chain";
    }

    private static int signedAttributesBound(X509Certificate signer, SignatureAlgorithm algorithm) {
        // content-type, message-digest and signing-certificate-v2 (hash, issuer name, serial) with their headers
        return 160 + algorithm.digest().length() + signer.getIssuerX500Principal().getEncoded().length
                + signer.getSerialNumber().toByteArray().length;
    }

    static int maxSignatureLength(PublicKey key) {
        if (key instanceof RSAKey rsa) {
            return (rsa.getModulus().bitLength() + 7) / 8;
        }
        if (key instanceof ECKey ec) {
            int n = (ec.getParams().getOrder().bitLength() + 7) / 8;
            return 2 * (n + 3) + 3;
        }
        return 1_024;
    }

    private static int encodedLength(X509Certificate c) {
        try {
            return c.getEncoded().length;
        } catch (CertificateEncodingException e) {
            return 4_096;
        }
    }
}
