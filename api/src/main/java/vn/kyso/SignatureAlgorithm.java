package vn.kyso;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;

/**
 * How a {@link Signer} turns a digest into a signature value.
 *
 * <p>RSA values are the raw PKCS#1 signature; ECDSA values are DER-encoded
 * {@code SEQUENCE {r, s}} as CMS wants them (XML signatures re-encode them as r||s).
 * SHA-1 variants exist only so that legacy signatures can be verified.
 */
public enum SignatureAlgorithm {
    RSA_SHA1(KeyKind.RSA, DigestAlgorithm.SHA1, false),
    RSA_SHA256(KeyKind.RSA, DigestAlgorithm.SHA256, false),
    RSA_SHA384(KeyKind.RSA, DigestAlgorithm.SHA384, false),
    RSA_SHA512(KeyKind.RSA, DigestAlgorithm.SHA512, false),
    RSA_PSS_SHA256(KeyKind.RSA, DigestAlgorithm.SHA256, true),
    RSA_PSS_SHA384(KeyKind.RSA, DigestAlgorithm.SHA384, true),
    RSA_PSS_SHA512(KeyKind.RSA, DigestAlgorithm.SHA512, true),
    ECDSA_SHA1(KeyKind.EC, DigestAlgorithm.SHA1, false),
    ECDSA_SHA256(KeyKind.EC, DigestAlgorithm.SHA256, false),
    ECDSA_SHA384(KeyKind.EC, DigestAlgorithm.SHA384, false),
    ECDSA_SHA512(KeyKind.EC, DigestAlgorithm.SHA512, false);

    /** The family of key an algorithm needs. */
    public enum KeyKind { RSA, EC }

    private final KeyKind keyKind;
    private final DigestAlgorithm digest;
    private final boolean pss;

    SignatureAlgorithm(KeyKind keyKind, DigestAlgorithm digest, boolean pss) {
        this.keyKind = keyKind;
        this.digest = digest;
        this.pss = pss;
    }

    /** The key family this algorithm needs. */
    public KeyKind keyKind() {
        return keyKind;
    }

    /** The digest the signer receives; its length is checked before signing. */
    public DigestAlgorithm digest() {
        return digest;
    }

    /** Whether this is RSASSA-PSS (salt length equal to the digest length, MGF1 with the same digest). */
    public boolean isPss() {
        return pss;
    }

    /** The JCA signature name that hashes and signs in one step, e.g. {@code SHA256withRSA}. */
    public String jcaName() {
        String d = digest.jcaName().replace("-", "");
        return switch (keyKind) {
            case RSA -> pss ? d + "withRSAandMGF1" : d + "withRSA";
            case EC -> d + "withECDSA";
        };
    }

    /** Whether {@code key} can make signatures of this algorithm. */
    public boolean fits(PublicKey key) {
        return keyKind == KeyKind.RSA ? key instanceof RSAPublicKey : key instanceof ECPublicKey;
    }

    /**
     * The algorithm kyso uses for a key when the caller names only a digest: PKCS#1 v1.5 for RSA
     * (what Vietnamese verifiers accept everywhere) and ECDSA for EC keys.
     *
     * @throws IllegalArgumentException for a key that is neither RSA nor EC
     */
    public static SignatureAlgorithm forKey(PublicKey key, DigestAlgorithm digest) {
        if (key instanceof RSAPublicKey) {
            return switch (digest) {
                case SHA1 -> RSA_SHA1;
                case SHA256 -> RSA_SHA256;
                case SHA384 -> RSA_SHA384;
                case SHA512 -> RSA_SHA512;
            };
        }
        if (key instanceof ECPublicKey) {
            return switch (digest) {
                case SHA1 -> ECDSA_SHA1;
                case SHA256 -> ECDSA_SHA256;
                case SHA384 -> ECDSA_SHA384;
                case SHA512 -> ECDSA_SHA512;
            };
        }
        throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm()
                + ": kyso signs with RSA or EC keys");
    }
}
