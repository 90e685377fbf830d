package vn.kyso.internal.validation;

import java.io.ByteArrayInputStream;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import vn.kyso.SignatureReport.ChainStatus;
import vn.kyso.SignatureReport.RevocationSource;
import vn.kyso.SignatureReport.RevocationStatus;
import vn.kyso.ValidationPolicy;

/**
 * Chain building to the caller's anchors (never the JDK's cacerts: Vietnamese roots are on no
 * public list) and the signer certificate's revocation status at signing time, from embedded
 * OCSP responses and CRLs first and from the certificate's own responders when the policy allows.
 * Internal to kyso's formats.
 */
public final class CertificateChecks {

    public record Chain(ChainStatus status, List<X509Certificate> path, X509Certificate anchor) {
    }

    public record Revocation(RevocationStatus status, RevocationSource source, Instant revokedAt) {
    }

    private CertificateChecks() {
    }

    /**
     * Builds the chain from {@code signer} to an anchor, fetching missing issuers from caIssuers
     * URLs when the policy allows going online.
     */
    public static Chain chain(X509Certificate signer, Collection<X509Certificate> carried, Instant at, ValidationPolicy policy) {
        List<X509Certificate> others = new ArrayList<>(carried);
        others.addAll(policy.intermediates());
        Chain chain = build(signer, others, at, policy);
        if (chain.status() == ChainStatus.TRUSTED
                || policy.revocation() != ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE) {
            return chain;
        }
        List<X509Certificate> pool = new ArrayList<>(others);
        X509Certificate last = signer;
        for (int i = 0; i < 5; i++) {
            Optional<X509Certificate> issuer = Net.caIssuer(last, policy.networkTimeout());
            if (issuer.isEmpty() || pool.contains(issuer.get())) {
                break;
            }
            pool.add(issuer.get());
            last = issuer.get();
        }
        return pool.size() == others.size() ? chain : build(signer, pool, at, policy);
    }

    private static Chain build(X509Certificate signer, Collection<X509Certificate> others, Instant at,
            ValidationPolicy policy) {
        if (policy.trustAnchors().isEmpty()) {
            return new Chain(ChainStatus.NO_TRUSTED_ANCHOR, List.of(signer), null);
        }
        for (X509Certificate anchor : policy.trustAnchors()) {
            if (anchor.equals(signer)) {
                return new Chain(ChainStatus.TRUSTED, List.of(signer), anchor);
            }
        }
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate a : policy.trustAnchors()) {
                anchors.add(new TrustAnchor(a, null));
            }
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(signer);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            List<X509Certificate> pool = new ArrayList<>(others);
            pool.add(signer);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
            List<X509Certificate> path = new ArrayList<>();
            result.getCertPath().getCertificates().forEach(c -> path.add((X509Certificate) c));
            return new Chain(ChainStatus.TRUSTED, path, result.getTrustAnchor().getTrustedCert());
        } catch (CertPathBuilderException e) {
            boolean issuerKnown = others.stream().anyMatch(c -> c.getSubjectX500Principal().equals(signer.getIssuerX500Principal()))
                    || policy.trustAnchors().stream().anyMatch(c -> c.getSubjectX500Principal().equals(signer.getIssuerX500Principal()));
            return new Chain(issuerKnown ? ChainStatus.NO_TRUSTED_ANCHOR : ChainStatus.INCOMPLETE, List.of(signer), null);
        } catch (java.security.GeneralSecurityException e) {
            return new Chain(ChainStatus.INVALID, List.of(signer), null);
        }
    }

    public static Revocation revocation(X509Certificate cert, X509Certificate issuer, List<byte[]> embeddedOcsp,
            List<X509CRL> embeddedCrls, Instant signingTime, ValidationPolicy policy) {
        if (policy.revocation() == ValidationPolicy.Revocation.NONE) {
            return new Revocation(RevocationStatus.NOT_CHECKED, RevocationSource.NONE, null);
        }
        if (issuer == null) {
            return new Revocation(RevocationStatus.UNKNOWN, RevocationSource.NONE, null);
        }
        for (byte[] ocsp : embeddedOcsp) {
            Optional<Revocation> r = fromOcsp(ocsp, cert, issuer, RevocationSource.EMBEDDED_OCSP);
            if (r.isPresent()) {
                return r.get();
            }
        }
        for (X509CRL crl : embeddedCrls) {
            Optional<Revocation> r = fromCrl(crl, cert, issuer, RevocationSource.EMBEDDED_CRL);
            if (r.isPresent()) {
                return r.get();
            }
        }
        if (policy.revocation() == ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE) {
            Optional<byte[]> ocsp = Net.ocsp(cert, issuer, policy.networkTimeout());
            if (ocsp.isPresent()) {
                Optional<Revocation> r = fromOcsp(ocsp.get(), cert, issuer, RevocationSource.ONLINE_OCSP);
                if (r.isPresent()) {
                    return r.get();
                }
            }
            Optional<byte[]> crl = Net.crl(cert, policy.networkTimeout());
            if (crl.isPresent()) {
                Optional<X509CRL> parsed = parseCrl(crl.get());
                if (parsed.isPresent()) {
                    Optional<Revocation> r = fromCrl(parsed.get(), cert, issuer, RevocationSource.ONLINE_CRL);
                    if (r.isPresent()) {
                        return r.get();
                    }
                }
            }
        }
        return new Revocation(RevocationStatus.UNKNOWN, RevocationSource.NONE, null);
    }

    public static Optional<X509CRL> parseCrl(byte[] der) {
        try {
            return Optional.of((X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der)));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static Optional<Revocation> fromOcsp(byte[] der, X509Certificate cert, X509Certificate issuer,
            RevocationSource source) {
        try {
            BasicOCSPResp basic;
            try {
                OCSPResp resp = new OCSPResp(der);
                if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
                    return Optional.empty();
                }
                basic = (BasicOCSPResp) resp.getResponseObject();
            } catch (Exception notAFullResponse) {
                basic = new BasicOCSPResp(org.bouncycastle.asn1.ocsp.BasicOCSPResponse.getInstance(der));
            }
            if (!signedByAuthorizedResponder(basic, issuer)) {
                return Optional.empty();
            }
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                    .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer), cert.getSerialNumber());
            for (SingleResp single : basic.getResponses()) {
                if (!matches(single.getCertID(), id, issuer)) {
                    continue;
                }
                Object status = single.getCertStatus();
                if (status == null) {
                    return Optional.of(new Revocation(RevocationStatus.GOOD, source, null));
                }
                if (status instanceof RevokedStatus revoked) {
                    return Optional.of(new Revocation(RevocationStatus.REVOKED, source,
                            revoked.getRevocationTime().toInstant()));
                }
                return Optional.of(new Revocation(RevocationStatus.UNKNOWN, source, null));
            }
            return Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static boolean matches(CertificateID found, CertificateID wanted, X509Certificate issuer) throws Exception {
        if (found.equals(wanted)) {
            return true;
        }
        if (!found.getSerialNumber().equals(wanted.getSerialNumber())) {
            return false;
        }
        return found.matchesIssuer(new JcaX509CertificateHolder(issuer), new JcaDigestCalculatorProviderBuilder().build());
    }

    private static boolean signedByAuthorizedResponder(BasicOCSPResp basic, X509Certificate issuer) throws Exception {
        var verifiers = new JcaContentVerifierProviderBuilder();
        if (basic.isSignatureValid(verifiers.build(issuer))) {
            return true;
        }
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (X509CertificateHolder holder : basic.getCerts()) {
            X509Certificate responder = converter.getCertificate(holder);
            List<String> eku = responder.getExtendedKeyUsage();
            boolean delegated = responder.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
                    && eku != null && eku.contains(KeyPurposeId.id_kp_OCSPSigning.getId());
            if (!delegated) {
                continue;
            }
            try {
                responder.verify(issuer.getPublicKey());
            } catch (Exception notIssuedByTheCa) {
                continue;
            }
            if (basic.isSignatureValid(verifiers.build(responder))) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Revocation> fromCrl(X509CRL crl, X509Certificate cert, X509Certificate issuer,
            RevocationSource source) {
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return Optional.empty();
        }
        try {
            crl.verify(issuer.getPublicKey());
        } catch (Exception e) {
            return Optional.empty();
        }
        X509CRLEntry entry = crl.getRevokedCertificate(cert);
        if (entry == null) {
            return Optional.of(new Revocation(RevocationStatus.GOOD, source, null));
        }
        return Optional.of(new Revocation(RevocationStatus.REVOKED, source, entry.getRevocationDate().toInstant()));
    }
}
