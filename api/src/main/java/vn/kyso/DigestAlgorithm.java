package vn.kyso;

/**
 * Hash functions a signature may be computed over. SHA-1 is here only so that legacy
 * signatures still in circulation can be verified and flagged; kyso never signs with it.
 */
public enum DigestAlgorithm {
    SHA1("SHA-1", 20, "1.3.14.3.2.26", "http://www.w3.org/2000/09/xmldsig#sha1"),
    SHA256("SHA-256", 32, "2.16.840.1.101.3.4.2.1", "http://www.w3.org/2001/04/xmlenc#sha256"),
    SHA384("SHA-384", 48, "2.16.840.1.101.3.4.2.2", "http://www.w3.org/2001/04/xmldsig-more#sha384"),
    SHA512("SHA-512", 64, "2.16.840.1.101.3.4.2.3", "http://www.w3.org/2001/04/xmlenc#sha512");

    private final String jcaName;
    private final int length;
    private final String oid;
    private final String xmlUri;

    DigestAlgorithm(String jcaName, int length, String oid, String xmlUri) {
        this.jcaName = jcaName;
        this.length = length;
        this.oid = oid;
        this.xmlUri = xmlUri;
    }

    /** The JCA name, e.g. {@code SHA-256}, for {@link java.security.MessageDigest#getInstance(String)}. */
    public String jcaName() {
        return jcaName;
    }

    /** Length of a digest in bytes. */
    public int length() {
        return length;
    }

    /** The ASN.1 object identifier, as used in CMS and RFC 3161. */
    public String oid() {
        return oid;
    }

    /** The XML Signature algorithm URI. */
    public String xmlUri() {
        return xmlUri;
    }

    /** Whether this function is too weak to sign with today (collisions are practical for SHA-1). */
    public boolean isWeak() {
        return this == SHA1;
    }

    /** Finds the algorithm for a JCA name ({@code SHA-256}, {@code SHA256}), OID or XML URI; never null. */
    public static DigestAlgorithm of(String nameOidOrUri) {
        String wanted = nameOidOrUri.replace("-", "").toUpperCase(java.util.Locale.ROOT);
        for (DigestAlgorithm d : values()) {
            if (d.jcaName.replace("-", "").equals(wanted) || d.oid.equals(nameOidOrUri)
                    || d.xmlUri.equals(nameOidOrUri)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown digest algorithm '" + nameOidOrUri
                + "'; use SHA-256, SHA-384 or SHA-512");
    }

    /** Hashes {@code data} with this function. */
    public byte[] digest(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance(jcaName).digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " is missing from this JVM", e);
        }
    }
}
