package vn.kyso.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CRLReason;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One key holder of the {@link TestPki}: a private key, its certificate and the chain up to
 * a test root, with exports to PKCS#12 and PEM so any signer or verifier can load it.
 *
 * <p>Immutable and thread-safe. The private key is a test key, generated once per JVM and
 * shared by every {@code TestPki} in it; it never appears in {@link #toString()}.
 */
public final class TestIdentity {

    private final String alias;
    private final String issuerAlias;
    private final KeyPair keyPair;
    private final X509Certificate certificate;
    private final List<X509Certificate> chain;
    private final X509Certificate root;
    private final Instant revokedAt;
    private final CRLReason revocationReason;

    TestIdentity(String alias, String issuerAlias, KeyPair keyPair, X509Certificate certificate,
                 List<X509Certificate> chain, X509Certificate root, Instant revokedAt, CRLReason revocationReason) {
        this.alias = Objects.requireNonNull(alias, "alias");
        this.issuerAlias = Objects.requireNonNull(issuerAlias, "issuerAlias");
        this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.chain = List.copyOf(chain);
        this.root = Objects.requireNonNull(root, "root");
        this.revokedAt = revokedAt;
        this.revocationReason = revocationReason;
    }

    /** Stable short name of this identity, e.g. {@code "person"} or {@code "vnpt-ca"}; never null. */
    public String alias() {
        return alias;
    }

    /** Alias of the CA that issued this certificate; a root's is its own alias. */
    String issuerAlias() {
        return issuerAlias;
    }

    /** The private key; never null. A test key: never use it for anything real. */
    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    /** The public key of {@link #certificate()}; never null. */
    public PublicKey publicKey() {
        return keyPair.getPublic();
    }

    /** This identity's own certificate; never null. */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * The chain a signer sends: this certificate first, then its issuers up to, and excluding,
     * the root. For a root itself it is just the root. Never null, never empty, immutable.
     */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** {@link #chain()} followed by the root (the root only once for a root); immutable. */
    public List<X509Certificate> chainWithRoot() {
        if (chain.get(chain.size() - 1).equals(root)) {
            return chain;
        }
        List<X509Certificate> all = new ArrayList<>(chain);
        all.add(root);
        return List.copyOf(all);
    }

    /** The self-signed root this identity chains to; never null. */
    public X509Certificate root() {
        return root;
    }

    /** The certificate of the CA that issued this one (the root itself for a root); never null. */
    public X509Certificate issuer() {
        return chain.size() > 1 ? chain.get(1) : root;
    }

    /** When the CA revoked this certificate, or empty if it never did. */
    public Optional<Instant> revokedAt() {
        return Optional.ofNullable(revokedAt);
    }

    /** Why the CA revoked this certificate, or empty if it never did. */
    public Optional<CRLReason> revocationReason() {
        return Optional.ofNullable(revocationReason);
    }

    /**
     * A JCA signature algorithm that fits this key and era: {@code SHA256withRSA},
     * {@code SHA256withECDSA}, or {@code SHA1withRSA} for the legacy RSA-1024 identity.
     */
    public String signatureAlgorithm() {
        if ("EC".equals(keyPair.getPublic().getAlgorithm())) {
            return "SHA256withECDSA";
        }
        return certificate.getSigAlgName().toUpperCase(java.util.Locale.ROOT).startsWith("SHA1")
                ? "SHA1withRSA" : "SHA256withRSA";
    }

    /**
     * Exports the key and {@link #chainWithRoot()} as a PKCS#12 file (JDK defaults: AES-256
     * and HMAC-SHA256), with this identity's {@link #alias()} as the entry alias.
     *
     * @param password protects the file and the key entry; never null (may be empty); not
     *     cleared, the caller owns it
     * @return a new array each call
     */
    public byte[] toPkcs12(char[] password) {
        Objects.requireNonNull(password, "password");
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, keyPair.getPrivate(), password,
                    chainWithRoot().toArray(Certificate[]::new));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot export " + alias + " as PKCS#12: " + e.getMessage(), e);
        }
    }

    /** The certificate as a PEM {@code CERTIFICATE} block. */
    public String certificatePem() {
        return pem(certificate);
    }

    /** {@link #chainWithRoot()} as consecutive PEM {@code CERTIFICATE} blocks, leaf first. */
    public String chainPem() {
        StringBuilder text = new StringBuilder();
        for (X509Certificate c : chainWithRoot()) {
            text.append(pem(c));
        }
        return text.toString();
    }

    /** The private key as an unencrypted PKCS#8 PEM {@code PRIVATE KEY} block. Test key only. */
    public String privateKeyPem() {
        return Pem.encode("PRIVATE KEY", keyPair.getPrivate().getEncoded());
    }

    private static String pem(X509Certificate c) {
        try {
            return Pem.encode("CERTIFICATE", c.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode certificate: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TestIdentity[" + alias + ", " + certificate.getSubjectX500Principal().getName() + "]";
    }
}
