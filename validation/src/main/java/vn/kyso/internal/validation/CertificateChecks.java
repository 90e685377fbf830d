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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.kyso.Certificates;
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
    private static final Logger LOG = LoggerFactory.getLogger(CertificateChecks.class);

    public record Chain(ChainStatus status, List<X509Certificate> path, X509Certificate anchor) {
    }

    /**
     * A certificate's revocation status and where it came from.
     *
     * @param setAside why OCSP responses or CRLs that speak of the certificate were not used
     *     (stale, wrongly signed, unreadable), so an unknown status can be explained
     */
    public record Revocation(RevocationStatus status, RevocationSource source, Instant revokedAt, List<String> setAside) {
        public Revocation {
            setAside = List.copyOf(setAside);
        }
    }

    private CertificateChecks() {
    }

    /**
     * Builds the chain from {@code signer} to an anchor, fetching missing issuers from caIssuers
     * URLs when the policy allows going online.
     */
    public static Chain chain(X509Certificate signer, Collection<X509Certificate> carried, Instant at, ValidationPolicy policy) {
        return chain(signer, carried, at, policy, NetworkBudget.of(policy.networkTimeout()));
    }

    /**
     * Like {@link #chain(X509Certificate, Collection, Instant, ValidationPolicy)}, fetching
     * within what is left of {@code budget}.
     */
    public static Chain chain(X509Certificate signer, Collection<X509Certificate> carried, Instant at, ValidationPolicy policy,
            NetworkBudget budget) {
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
            Optional<X509Certificate> issuer = caIssuer(last, policy, budget);
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
            LOG.debug("no path from {} to an anchor at {}: {}", signer.getSubjectX500Principal().getName(), at,
                    e.getMessage());
            return new Chain(issuerKnown ? ChainStatus.NO_TRUSTED_ANCHOR : ChainStatus.INCOMPLETE, List.of(signer), null);
        } catch (java.security.GeneralSecurityException e) {
            LOG.debug("path building for {} failed: {}", signer.getSubjectX500Principal().getName(), e.getMessage());
            return new Chain(ChainStatus.INVALID, List.of(signer), null);
        }
    }

    /**
     * The status of {@code cert} at {@code at}, from the document's OCSP responses and CRLs
     * first and, when the policy allows and they settle nothing, from the certificate's own
     * responder and CRL within {@code budget}.
     *
     * <p>The rule (ETSI EN 319 102-1, revocation freshness, and its past-time validation): every
     * statement must be signed by the issuer (a CRL) or by the issuer or a responder the issuer
     * certified for OCSP signing (a response). A "revoked" statement counts whatever its age, as
     * revocation is final; it is set aside only when it is a certificateHold that a later "good"
     * statement lifts. A "good" statement counts only when issued at or after {@code at}
     * (thisUpdate not before {@code at}, to the second the formats carry): data issued before a
     * time says nothing about it, and anyone can append an old "good" response to a document's
     * unsigned validation data. When {@code current} ({@code at} is the validation time, not a
     * proven past time), a "good" statement whose nextUpdate is not yet past also counts, as
     * nothing fresher can be asked for, and so does an OCSP answer just fetched that has no
     * nextUpdate. Several statements never let a "good" beat a "revoked",
     * whatever their order.
     *
     * @param at the time the status is wanted for: the proven signing time, or the validation time
     * @param current whether {@code at} is the validation time
     */
    public static Revocation revocation(X509Certificate cert, X509Certificate issuer, List<byte[]> embeddedOcsp,
            List<X509CRL> embeddedCrls, Instant at, boolean current, ValidationPolicy policy, NetworkBudget budget) {
        if (policy.revocation() == ValidationPolicy.Revocation.NONE) {
            return new Revocation(RevocationStatus.NOT_CHECKED, RevocationSource.NONE, null, List.of());
        }
        if (issuer == null) {
            return new Revocation(RevocationStatus.UNKNOWN, RevocationSource.NONE, null,
                    List.of("the issuer's certificate is not known"));
        }
        List<Statement> statements = new ArrayList<>();
        List<String> setAside = new ArrayList<>();
        for (byte[] ocsp : embeddedOcsp) {
            fromOcsp(ocsp, cert, issuer, RevocationSource.EMBEDDED_OCSP, setAside).ifPresent(statements::add);
        }
        for (X509CRL crl : embeddedCrls) {
            fromCrl(crl, cert, issuer, RevocationSource.EMBEDDED_CRL, setAside).ifPresent(statements::add);
        }
        Optional<Revocation> settled = settle(statements, at, current, setAside);
        if (settled.isPresent() || policy.revocation() != ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE) {
            return settled.orElseGet(() -> unknown(cert, setAside));
        }
        Optional<byte[]> ocsp = cached(policy, "ocsp " + Certificates.fingerprint(issuer) + " " + cert.getSerialNumber()
                .toString(16), () -> Net.ocsp(cert, issuer, budget), CertificateChecks::ocspFreshUntil);
        if (ocsp.isPresent()) {
            fromOcsp(ocsp.get(), cert, issuer, RevocationSource.ONLINE_OCSP, setAside).ifPresent(statements::add);
            settled = settle(statements, at, current, setAside);
            if (settled.isPresent()) {
                return settled.get();
            }
        }
        Optional<java.net.URI> crlUrl = Net.crlUrl(cert);
        Optional<byte[]> crl = crlUrl.isEmpty() ? Optional.empty()
                : cached(policy, "crl " + crlUrl.get(), () -> Net.crl(cert, budget), CertificateChecks::crlFreshUntil);
        if (crl.isPresent()) {
            Optional<X509CRL> parsed = parseCrl(crl.get());
            if (parsed.isEmpty()) {
                setAside.add("the CRL fetched for it cannot be read");
            } else {
                fromCrl(parsed.get(), cert, issuer, RevocationSource.ONLINE_CRL, setAside).ifPresent(statements::add);
            }
            settled = settle(statements, at, current, setAside);
            if (settled.isPresent()) {
                return settled.get();
            }
        }
        return unknown(cert, setAside);
    }

    /** {@link #revocation(X509Certificate, X509Certificate, List, List, Instant, boolean, ValidationPolicy, NetworkBudget)} at a proven past time, with the policy's network time. */
    public static Revocation revocation(X509Certificate cert, X509Certificate issuer, List<byte[]> embeddedOcsp,
            List<X509CRL> embeddedCrls, Instant at, ValidationPolicy policy) {
        return revocation(cert, issuer, embeddedOcsp, embeddedCrls, at, false, policy,
                NetworkBudget.of(policy.networkTimeout()));
    }

    /**
     * How long an answer without nextUpdate is kept in a run's cache: it says newer information is
     * always available (RFC 6960 4.2.2.1), so only files verified within the same minute share it.
     */
    static final java.time.Duration KEPT_WITHOUT_NEXT_UPDATE = java.time.Duration.ofMinutes(1);

    /** {@code fetch}'s answer, through the policy's run cache when it has one (kept until {@code freshUntil}). */
    private static Optional<byte[]> cached(ValidationPolicy policy, String key, java.util.function.Supplier<Optional<byte[]>> fetch,
            java.util.function.Function<byte[], Instant> freshUntil) {
        return policy.revocationCache().map(cache -> cache.get(key, fetch, freshUntil)).orElseGet(fetch);
    }

    /**
     * The issuer named by {@code cert}'s caIssuers URL, through the run's cache when the policy
     * has one: the files of a folder signed under the same CA fetch its certificate once (kept
     * while it is valid, for a day at most).
     */
    private static Optional<X509Certificate> caIssuer(X509Certificate cert, ValidationPolicy policy, NetworkBudget budget) {
        Optional<java.net.URI> url = Net.aiaUrl(cert, org.bouncycastle.asn1.x509.AccessDescription.id_ad_caIssuers);
        if (url.isEmpty() || policy.revocationCache().isEmpty()) {
            return Net.caIssuer(cert, budget);
        }
        return cached(policy, "ca " + url.get() + " " + cert.getIssuerX500Principal().getName(),
                () -> Net.caIssuer(cert, budget).map(CertificateChecks::encoded), der -> parseCertificate(der)
                        .map(c -> earlier(c.getNotAfter().toInstant(), Instant.now().plus(java.time.Duration.ofDays(1))))
                        .orElse(null))
                .flatMap(CertificateChecks::parseCertificate);
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate cannot be encoded", e);
        }
    }

    private static Optional<X509Certificate> parseCertificate(byte[] der) {
        try {
            return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der)));
        } catch (java.security.cert.CertificateException | ClassCastException e) {
            return Optional.empty();
        }
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** The earliest nextUpdate of the response's answers; a minute from now without one; null when unreadable. */
    static Instant ocspFreshUntil(byte[] der) {
        try {
            Object basic = new OCSPResp(der).getResponseObject();
            if (!(basic instanceof BasicOCSPResp b) || b.getResponses().length == 0) {
                return null;
            }
            Instant until = null;
            for (SingleResp r : b.getResponses()) {
                Instant next = r.getNextUpdate() == null ? Instant.now().plus(KEPT_WITHOUT_NEXT_UPDATE)
                        : r.getNextUpdate().toInstant();
                until = until == null || next.isBefore(until) ? next : until;
            }
            return until;
        } catch (Exception e) {
            return null;
        }
    }

    /** The CRL's nextUpdate; a minute from now without one; null when unreadable. */
    static Instant crlFreshUntil(byte[] der) {
        return parseCrl(der).map(c -> c.getNextUpdate() == null ? Instant.now().plus(KEPT_WITHOUT_NEXT_UPDATE)
                : c.getNextUpdate().toInstant()).orElse(null);
    }

    private static Revocation unknown(X509Certificate cert, List<String> setAside) {
        if (!setAside.isEmpty()) {
            LOG.info("revocation status of {} unknown; set aside: {}", cert.getSubjectX500Principal().getName(), setAside);
        }
        return new Revocation(RevocationStatus.UNKNOWN, RevocationSource.NONE, null, List.copyOf(setAside));
    }

    /** One signed statement about the certificate: what, by whom, when issued and until when. */
    record Statement(RevocationStatus status, RevocationSource source, Instant thisUpdate, Instant nextUpdate,
            Instant revokedAt, boolean hold) {
    }

    /** A REVOKED (not lifted) wins over any GOOD; else a GOOD fresh for {@code at}; else nothing settled. */
    static Optional<Revocation> settle(List<Statement> statements, Instant at, boolean current, List<String> setAside) {
        Statement revoked = null;
        for (Statement s : statements) {
            if (s.status() != RevocationStatus.REVOKED) {
                continue;
            }
            boolean lifted = s.hold() && statements.stream().anyMatch(g -> g.status() == RevocationStatus.GOOD
                    && g.thisUpdate().isAfter(s.thisUpdate()));
            if (!lifted && (revoked == null || s.revokedAt().isBefore(revoked.revokedAt()))) {
                revoked = s;
            }
        }
        if (revoked != null) {
            return Optional.of(new Revocation(RevocationStatus.REVOKED, revoked.source(), revoked.revokedAt(),
                    List.copyOf(setAside)));
        }
        Instant second = at.truncatedTo(ChronoUnit.SECONDS);
        for (Statement s : statements) {
            if (s.status() != RevocationStatus.GOOD) {
                continue;
            }
            boolean issuedAfter = !s.thisUpdate().isBefore(second);
            boolean stillCurrent = current && s.nextUpdate() != null && !s.thisUpdate().isAfter(at)
                    && !second.isAfter(s.nextUpdate());
            // an answer just fetched without nextUpdate says newer information is always available (RFC 6960 4.2.2.1): it is the current one
            boolean liveAnswer = current && s.source() == RevocationSource.ONLINE_OCSP && s.nextUpdate() == null;
            if (issuedAfter || stillCurrent || liveAnswer) {
                return Optional.of(new Revocation(RevocationStatus.GOOD, s.source(), null, List.copyOf(setAside)));
            }
            String why = "a \"good\" " + describe(s.source()) + " issued " + s.thisUpdate()
                    + (s.nextUpdate() == null ? "" : " (next update " + s.nextUpdate() + ")")
                    + " is not fresh for " + at;
            if (!setAside.contains(why)) {
                setAside.add(why);
            }
        }
        return Optional.empty();
    }

    private static String describe(RevocationSource source) {
        return switch (source) {
            case EMBEDDED_OCSP -> "embedded OCSP response";
            case EMBEDDED_CRL -> "embedded CRL";
            case ONLINE_OCSP -> "OCSP response fetched online";
            case ONLINE_CRL -> "CRL fetched online";
            default -> "statement";
        };
    }

    /** Extended key usages that name document signing or e-mail signing: enough by themselves. */
    private static final Set<String> DOCUMENT_SIGNING = Set.of(
            "2.5.29.37.0", // anyExtendedKeyUsage
            KeyPurposeId.id_kp_emailProtection.getId(),
            "1.3.6.1.5.5.7.3.36", // RFC 9336 id-kp-documentSigning
            "1.2.840.113583.1.1.5", // Adobe Authentic Documents Trust
            "1.3.6.1.4.1.311.10.3.12"); // Microsoft document signing

    /** Personal-token usages Vietnamese signing certificates carry: enough unless the certificate is also a TLS server's. */
    private static final Set<String> PERSONAL = Set.of(
            KeyPurposeId.id_kp_clientAuth.getId(),
            "1.3.6.1.4.1.311.20.2.2"); // Microsoft smart card logon

    /**
     * Why {@code cert} may not sign documents, or empty when it may: its key usage, when present,
     * must allow digitalSignature or nonRepudiation; its extended key usage, when present, must
     * name document or e-mail signing (or any purpose), or client authentication without also
     * being a TLS server certificate. Vietnamese signing certificates carry clientAuth and
     * emailProtection (or no extended key usage); what this refuses is a TLS server, timestamping,
     * OCSP or code-signing certificate of the same CA used as a document signer.
     */
    public static Optional<String> notForSigning(X509Certificate cert) {
        boolean[] keyUsage = cert.getKeyUsage();
        if (keyUsage != null && !(keyUsage.length > 1 && (keyUsage[0] || keyUsage[1]))) {
            return Optional.of("its key usage allows neither digitalSignature nor nonRepudiation");
        }
        List<String> purposes;
        try {
            purposes = cert.getExtendedKeyUsage();
        } catch (java.security.cert.CertificateParsingException e) {
            return Optional.of("its extended key usage cannot be read");
        }
        if (purposes == null || purposes.stream().anyMatch(DOCUMENT_SIGNING::contains)) {
            return Optional.empty();
        }
        boolean tlsServer = purposes.contains(KeyPurposeId.id_kp_serverAuth.getId());
        if (!tlsServer && purposes.stream().anyMatch(PERSONAL::contains)) {
            return Optional.empty();
        }
        return Optional.of("its extended key usage " + purposes.stream().map(CertificateChecks::purposeName).toList()
                + " is not for signing documents");
    }

    private static String purposeName(String oid) {
        if (oid.equals(KeyPurposeId.id_kp_serverAuth.getId())) {
            return "serverAuth";
        } else if (oid.equals(KeyPurposeId.id_kp_clientAuth.getId())) {
            return "clientAuth";
        } else if (oid.equals(KeyPurposeId.id_kp_timeStamping.getId())) {
            return "timeStamping";
        } else if (oid.equals(KeyPurposeId.id_kp_OCSPSigning.getId())) {
            return "OCSPSigning";
        } else if (oid.equals(KeyPurposeId.id_kp_codeSigning.getId())) {
            return "codeSigning";
        }
        return oid;
    }

    public static Optional<X509CRL> parseCrl(byte[] der) {
        try {
            return Optional.of((X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der)));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static Optional<Statement> fromOcsp(byte[] der, X509Certificate cert, X509Certificate issuer,
            RevocationSource source, List<String> setAside) {
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
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                    .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer), cert.getSerialNumber());
            for (SingleResp single : basic.getResponses()) {
                if (!matches(single.getCertID(), id, issuer)) {
                    continue;
                }
                if (!signedByAuthorizedResponder(basic, issuer)) {
                    note(setAside, "an " + describe(source) + " not signed by the issuer nor by a responder it"
                            + " certified for OCSP signing");
                    return Optional.empty();
                }
                Object status = single.getCertStatus();
                Instant thisUpdate = single.getThisUpdate().toInstant();
                Instant nextUpdate = single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
                if (status == null) {
                    return Optional.of(new Statement(RevocationStatus.GOOD, source, thisUpdate, nextUpdate, null, false));
                }
                if (status instanceof RevokedStatus revoked) {
                    boolean hold = revoked.hasRevocationReason()
                            && revoked.getRevocationReason() == CRLReason.certificateHold;
                    return Optional.of(new Statement(RevocationStatus.REVOKED, source, thisUpdate, nextUpdate,
                            revoked.getRevocationTime().toInstant(), hold));
                }
                note(setAside, "an " + describe(source) + " says the responder does not know the certificate");
                return Optional.empty();
            }
            return Optional.empty();
        } catch (Exception e) {
            note(setAside, "an " + describe(source) + " cannot be read (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    private static void note(List<String> setAside, String why) {
        LOG.debug("revocation data set aside: {}", why);
        if (!setAside.contains(why)) {
            setAside.add(why);
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
                responder.checkValidity(basic.getProducedAt());
            } catch (Exception notIssuedByTheCaOrNotValidThen) {
                continue;
            }
            if (basic.isSignatureValid(verifiers.build(responder))) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Statement> fromCrl(X509CRL crl, X509Certificate cert, X509Certificate issuer,
            RevocationSource source, List<String> setAside) {
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return Optional.empty();
        }
        try {
            crl.verify(issuer.getPublicKey());
        } catch (Exception e) {
            note(setAside, "a CRL naming the issuer is not signed by the issuer's key");
            return Optional.empty();
        }
        Instant thisUpdate = crl.getThisUpdate().toInstant();
        Instant nextUpdate = crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
        X509CRLEntry entry = crl.getRevokedCertificate(cert);
        if (entry == null) {
            Optional<String> partial = notComplete(crl, cert);
            if (partial.isPresent()) {
                note(setAside, "a CRL of the issuer that does not cover the certificate (" + partial.get() + ")");
                return Optional.empty();
            }
            return Optional.of(new Statement(RevocationStatus.GOOD, source, thisUpdate, nextUpdate, null, false));
        }
        if (entry.getRevocationReason() == java.security.cert.CRLReason.REMOVE_FROM_CRL) {
            // a delta CRL's way of saying a hold ended: not a revocation, and not a complete "good" either
            note(setAside, "a delta CRL entry that removes a hold");
            return Optional.empty();
        }
        boolean hold = entry.getRevocationReason() == java.security.cert.CRLReason.CERTIFICATE_HOLD;
        return Optional.of(new Statement(RevocationStatus.REVOKED, source, thisUpdate, nextUpdate,
                entry.getRevocationDate().toInstant(), hold));
    }

    /**
     * Why the absence of {@code cert} from {@code crl} does not mean it is not revoked: a delta
     * CRL lists only changes, and a CRL whose issuing distribution point limits its scope
     * (partitioned by reasons, by certificate kind, by distribution point, or indirect) may not
     * be the one for this certificate. Empty when the CRL is complete for it.
     */
    private static Optional<String> notComplete(X509CRL crl, X509Certificate cert) {
        if (crl.getExtensionValue(Extension.deltaCRLIndicator.getId()) != null) {
            return Optional.of("a delta CRL");
        }
        byte[] idpValue = crl.getExtensionValue(Extension.issuingDistributionPoint.getId());
        if (idpValue == null) {
            return Optional.empty();
        }
        try {
            IssuingDistributionPoint idp = IssuingDistributionPoint
                    .getInstance(ASN1OctetString.getInstance(idpValue).getOctets());
            boolean ca = cert.getBasicConstraints() >= 0;
            if (idp.getOnlySomeReasons() != null || idp.isIndirectCRL() || idp.onlyContainsAttributeCerts()) {
                return Optional.of("a partial CRL");
            }
            if ((idp.onlyContainsCACerts() && !ca) || (idp.onlyContainsUserCerts() && ca)) {
                return Optional.of("a CRL for another kind of certificate");
            }
            if (idp.getDistributionPoint() != null && !distributionPoints(cert).contains(idp.getDistributionPoint())) {
                return Optional.of("a CRL of another distribution point");
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("an unreadable issuing distribution point");
        }
    }

    private static List<DistributionPointName> distributionPoints(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.cRLDistributionPoints.getId());
        List<DistributionPointName> names = new ArrayList<>();
        if (ext != null) {
            for (DistributionPoint p : CRLDistPoint.getInstance(
                    ASN1OctetString.getInstance(ext).getOctets()).getDistributionPoints()) {
                if (p.getDistributionPoint() != null) {
                    names.add(p.getDistributionPoint());
                }
            }
        }
        return names;
    }
}
