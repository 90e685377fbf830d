package vn.kyso.testkit;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Validation material made to order, for tests of what a verifier accepts: OCSP responses and
 * CRLs with chosen times, statuses and signers (the live services only ever answer "now"), and
 * extra certificates under a CA of the PKI — a TLS server certificate, a second intermediate —
 * that the live services do not know about. Stateless; keys are cached per JVM by alias.
 */
public final class TestEvidence {

    /** What an extra certificate is for. */
    public enum Purpose {
        /** A document signer like {@link TestPki#person()}. */
        SIGNER(CertificateMaker.Kind.SIGNER),
        /** A TLS server certificate (key usage digitalSignature and keyEncipherment; EKU serverAuth and clientAuth). */
        TLS_SERVER(CertificateMaker.Kind.TLS_SERVER),
        /** An intermediate CA (pathLen 0). */
        INTERMEDIATE(CertificateMaker.Kind.INTERMEDIATE);

        private final CertificateMaker.Kind kind;

        Purpose(CertificateMaker.Kind kind) {
            this.kind = kind;
        }
    }

    private static final String SHA256_RSA = "SHA256withRSA";

    private TestEvidence() {
    }

    /**
     * A certificate issued by {@code ca} for {@code purpose}, valid from {@link TestPki#ISSUED_AT}
     * to {@link TestPki#EXPIRES_AT}, its AIA and CRL URLs on {@code pki}'s services (which do not
     * know it: OCSP answers "unknown"). The key is RSA-2048, cached per JVM by {@code alias}.
     *
     * @param alias a name not used by the PKI, e.g. {@code "tls-server"}; also the CN
     * @param serial distinct from the PKI's serials, e.g. 0x3001
     */
    public static TestIdentity issue(TestPki pki, TestIdentity ca, String alias, long serial, Purpose purpose) {
        Objects.requireNonNull(ca, "ca");
        KeyPair keys = Keys.get("extra-" + alias, Keys.Type.RSA_2048);
        X500Name subject = CertificateMaker.dn(BCStyle.C, "VN", BCStyle.O, "kyso test", BCStyle.CN, alias);
        CertificateMaker.Spec spec = new CertificateMaker.Spec(alias, ca.alias(), purpose.kind, subject,
                BigInteger.valueOf(0x4B59534F_00000000L + serial), TestPki.ISSUED_AT, TestPki.EXPIRES_AT,
                Keys.Type.RSA_2048, SHA256_RSA);
        X509Certificate cert = CertificateMaker.issue(spec, keys, ca.certificate(), ca.privateKey(),
                pki.services().baseUri());
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert);
        if (!ca.certificate().equals(ca.root())) {
            chain.addAll(ca.chain());
        }
        return new TestIdentity(alias, ca.alias(), keys, cert, chain, ca.root(), null, null);
    }

    /**
     * A successful OCSP response (DER) about {@code cert} issued by {@code issuer}, signed by
     * {@code signer} (the issuer, its delegated responder, or anybody, for negative tests), which
     * is included in the response unless it is the issuer.
     *
     * @param revokedAt null for "good", else "revoked" at that time
     * @param reason the revocation reason ({@code CRLReason.ordinal()}, e.g. certificateHold 6); ignored for "good"
     * @param nextUpdate may be null (no nextUpdate)
     */
    public static byte[] ocsp(TestIdentity signer, X509Certificate issuer, X509Certificate cert, Instant revokedAt,
            CRLReason reason, Instant thisUpdate, Instant nextUpdate) {
        try {
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                    .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer), cert.getSerialNumber());
            BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(
                    X500Name.getInstance(signer.certificate().getSubjectX500Principal().getEncoded())));
            CertificateStatus status = revokedAt == null ? CertificateStatus.GOOD
                    : new RevokedStatus(Date.from(revokedAt), (reason == null ? CRLReason.UNSPECIFIED : reason).ordinal());
            builder.addResponse(id, status, Date.from(thisUpdate), nextUpdate == null ? null : Date.from(nextUpdate),
                    null);
            X509CertificateHolder[] certs = signer.certificate().equals(issuer) ? new X509CertificateHolder[0]
                    : new X509CertificateHolder[] {new JcaX509CertificateHolder(signer.certificate())};
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, builder.build(
                    new JcaContentSignerBuilder(SHA256_RSA).build(signer.privateKey()), certs, Date.from(thisUpdate)))
                    .getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the OCSP response: " + e.getMessage(), e);
        }
    }

    /** A "good" OCSP response about {@code subject}, signed by its issuing {@code ca}'s key, valid for an hour from {@code thisUpdate}. */
    public static byte[] goodOcsp(TestIdentity ca, TestIdentity subject, Instant thisUpdate) {
        return ocsp(ca, ca.certificate(), subject.certificate(), null, null, thisUpdate, thisUpdate.plusSeconds(3600));
    }

    /**
     * A CRL of {@code ca} signed with {@code signer}'s key (the CA's own, or another for negative
     * tests), listing {@code revoked} (certificate → revocation time, reason keyCompromise).
     */
    public static X509CRL crl(TestIdentity ca, TestIdentity signer, Map<X509Certificate, Instant> revoked,
            Instant thisUpdate, Instant nextUpdate) {
        return crl(ca, signer, revoked, thisUpdate, nextUpdate, false);
    }

    /**
     * Like {@link #crl(TestIdentity, TestIdentity, Map, Instant, Instant)}; when {@code delta}, a
     * delta CRL (deltaCRLIndicator naming base CRL number 1), which lists only changes since its base.
     */
    public static X509CRL crl(TestIdentity ca, TestIdentity signer, Map<X509Certificate, Instant> revoked,
            Instant thisUpdate, Instant nextUpdate, boolean delta) {
        return crl(ca, signer, revoked, thisUpdate, nextUpdate, delta, CRLReason.KEY_COMPROMISE);
    }

    /** Like {@link #crl(TestIdentity, TestIdentity, Map, Instant, Instant, boolean)}, every entry with {@code reason}. */
    public static X509CRL crl(TestIdentity ca, TestIdentity signer, Map<X509Certificate, Instant> revoked,
            Instant thisUpdate, Instant nextUpdate, boolean delta, CRLReason reason) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
            if (nextUpdate != null) {
                builder.setNextUpdate(Date.from(nextUpdate));
            }
            for (Map.Entry<X509Certificate, Instant> e : revoked.entrySet()) {
                builder.addCRLEntry(e.getKey().getSerialNumber(), Date.from(e.getValue()), reason.ordinal());
            }
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(thisUpdate.getEpochSecond())));
            if (delta) {
                builder.addExtension(Extension.deltaCRLIndicator, true, new CRLNumber(BigInteger.ONE));
            }
            return new JcaX509CRLConverter().getCRL(builder.build(
                    new JcaContentSignerBuilder(SHA256_RSA).build(signer.privateKey())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the CRL: " + e.getMessage(), e);
        }
    }

}
