package vn.kyso.internal.validation;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import vn.kyso.Finding;
import vn.kyso.Indication;
import vn.kyso.SignatureReport;
import vn.kyso.SignatureReport.ChainStatus;
import vn.kyso.SignatureReport.RevocationStatus;
import vn.kyso.SubIndication;
import vn.kyso.ValidationPolicy;

/**
 * The part of a signature's verdict that is the same in every format, once the format has
 * settled integrity: the chain to the caller's anchors, the signer certificate's purpose,
 * revocation of every certificate of the path at the proven signing time (Circular
 * 15/2025/TT-BKHCN, Appendix II: a warning when unknown, never a pass), validity at that time,
 * and the ETSI indication. Internal to kyso's formats.
 */
public final class SignerValidation {

    /**
     * What the signed document itself carries for validation: certificates (CMS, KeyInfo, DSS),
     * OCSP responses (DER) and CRLs.
     */
    public record Evidence(Collection<X509Certificate> certificates, List<byte[]> ocspResponses, List<X509CRL> crls) {
        public Evidence {
            certificates = List.copyOf(certificates);
            ocspResponses = List.copyOf(ocspResponses);
            crls = List.copyOf(crls);
        }

        /** Only certificates, nothing for revocation. */
        public static Evidence of(Collection<X509Certificate> certificates) {
            return new Evidence(certificates, List.of(), List.of());
        }
    }

    private SignerValidation() {
    }

    /**
     * Checks the certificate of a signature whose integrity the format has already judged, adds
     * chain, revocation and findings to {@code report}, and sets its indication; this signature's
     * network fetches share the policy's network time.
     *
     * @see #finish(SignatureReport.Builder, boolean, boolean, X509Certificate, Evidence, Instant, boolean, ValidationPolicy, List, NetworkBudget)
     */
    public static void finish(SignatureReport.Builder report, boolean intact, boolean valueValid,
            X509Certificate certificate, Evidence evidence, Instant signingTime, boolean timestamped,
            ValidationPolicy policy, List<Finding> findings) {
        finish(report, intact, valueValid, certificate, evidence, signingTime, timestamped, policy, findings,
                NetworkBudget.of(policy.networkTimeout()));
    }

    /**
     * Checks the certificate of a signature whose integrity the format has already judged, adds
     * chain, revocation and findings to {@code report}, and sets its indication.
     *
     * <p>Only a trusted timestamp proves when the signature existed (ETSI EN 319 102-1). With
     * one, the certificate's validity, chain and revocation are judged at the timestamp's time.
     * Without one, the claimed time is the signer's word, which a holder of a stolen or expired
     * key can backdate: they are judged at the validation time (the policy's, else now), and a
     * claimed time inside the validity rescues neither an expired certificate
     * (OUT_OF_BOUNDS_NO_POE) nor a revoked one (REVOKED_NO_POE). Every certificate of the path
     * below the anchor is checked for revocation, not only the signer's.
     *
     * @param intact whether the signed content is unchanged (digests match)
     * @param valueValid whether the signature value verifies with {@code certificate}
     * @param signingTime the trusted timestamp's time when {@code timestamped}, else the claimed
     *     time, else the validation time; never null
     * @param timestamped whether {@code signingTime} comes from a trusted timestamp (proof of existence)
     * @param findings the format's own findings so far; an ERROR among them fails the signature
     * @param budget the network time left for the document's fetches, shared by all its signatures
     */
    public static void finish(SignatureReport.Builder report, boolean intact, boolean valueValid,
            X509Certificate certificate, Evidence evidence, Instant signingTime, boolean timestamped,
            ValidationPolicy policy, List<Finding> findings, NetworkBudget budget) {
        Instant validationTime = policy.validationTime().orElseGet(Instant::now);
        // the time the certificates are judged at: the proven time, else the validation time
        Instant useTime = timestamped ? signingTime : validationTime;
        Instant chainTime = timestamped || validAt(certificate, validationTime) ? useTime
                : clampToValidity(signingTime, certificate); // only to show the path; the verdict is OUT_OF_BOUNDS
        CertificateChecks.Chain chain = CertificateChecks.chain(certificate, evidence.certificates(), chainTime, policy,
                budget);
        report.chain(chain.path()).chainStatus(chain.status(), chain.anchor());
        CertificateChecks.notForSigning(certificate).ifPresent(why -> findings.add(Finding.error("CERT_NOT_FOR_SIGNING",
                "Chứng thư số không dùng để ký tài liệu: " + vietnamese(why),
                "The certificate is not one for signing documents: " + why)));
        X509Certificate issuer = issuerOf(certificate, chain, evidence.certificates());
        CertificateChecks.Revocation revocation = CertificateChecks.revocation(certificate, issuer,
                evidence.ocspResponses(), evidence.crls(), useTime, !timestamped, policy, budget);
        RevocationStatus status = revocation.status();
        boolean revokedNoProof = false;
        if (status == RevocationStatus.REVOKED && revocation.revokedAt().isAfter(useTime)) {
            findings.add(Finding.info("REVOKED_AFTER_SIGNING", "Chứng thư số bị thu hồi sau thời điểm ký ("
                    + revocation.revokedAt() + "); chữ ký vẫn có giá trị", "The certificate was revoked after the signing time ("
                    + revocation.revokedAt() + "); the signature stands"));
            status = RevocationStatus.GOOD;
        } else if (status == RevocationStatus.REVOKED && !timestamped && signingTime.isBefore(revocation.revokedAt())) {
            // a claimed time is the signer's word: a compromised key can backdate it (ETSI EN 319 102-1 REVOKED_NO_POE)
            findings.add(Finding.warning("REVOKED_NO_POE", "Chứng thư số bị thu hồi lúc " + revocation.revokedAt()
                    + "; thời điểm ký khai báo sớm hơn nhưng không có dấu thời gian chứng minh",
                    "The certificate was revoked at " + revocation.revokedAt()
                    + "; the claimed signing time is earlier but no timestamp proves it"));
            revokedNoProof = true;
        }
        report.revocation(status, revocation.source());
        if (status == RevocationStatus.UNKNOWN) {
            findings.add(unknown("chứng thư số", "The certificate's", revocation));
        }
        CaStatus ca = chain.status() == ChainStatus.TRUSTED
                ? caRevocation(chain, evidence, useTime, !timestamped, policy, budget, findings) : CaStatus.GOOD;
        findings.forEach(report::finding);
        decide(report, intact, valueValid, certificate, signingTime, timestamped, validationTime, chain.status(), status,
                revokedNoProof, ca, findings);
    }

    /** The worst revocation status of the path's CA certificates (all but the signer and the anchor). */
    private enum CaStatus { GOOD, UNKNOWN, REVOKED }

    private static CaStatus caRevocation(CertificateChecks.Chain chain, Evidence evidence, Instant useTime,
            boolean current, ValidationPolicy policy, NetworkBudget budget, List<Finding> findings) {
        CaStatus worst = CaStatus.GOOD;
        List<X509Certificate> path = chain.path();
        for (int i = 1; i < path.size(); i++) {
            X509Certificate ca = path.get(i);
            if (ca.equals(chain.anchor())) {
                break;
            }
            X509Certificate issuer = i + 1 < path.size() ? path.get(i + 1) : chain.anchor();
            CertificateChecks.Revocation r = CertificateChecks.revocation(ca, issuer, evidence.ocspResponses(),
                    evidence.crls(), useTime, current, policy, budget);
            String name = ca.getSubjectX500Principal().getName();
            if (r.status() == RevocationStatus.REVOKED && !r.revokedAt().isAfter(useTime)) {
                findings.add(Finding.warning("CA_CERT_REVOKED", "Chứng thư số của CA " + name + " đã bị thu hồi lúc "
                        + r.revokedAt(), "The certificate of the CA " + name + " was revoked at " + r.revokedAt()));
                worst = CaStatus.REVOKED;
            } else if (r.status() == RevocationStatus.UNKNOWN) {
                findings.add(unknown("chứng thư số của CA " + name, "The CA certificate " + name + "'s", r));
                if (worst == CaStatus.GOOD) {
                    worst = CaStatus.UNKNOWN;
                }
            }
        }
        return worst;
    }

    private static Finding unknown(String whoVi, String whoEn, CertificateChecks.Revocation r) {
        String vi = "Không xác định được tình trạng thu hồi của " + whoVi;
        String en = whoEn + " revocation status could not be determined";
        if (!r.setAside().isEmpty()) {
            vi += " (dữ liệu bị loại: " + String.join("; ", r.setAside()) + ")";
            en += " (set aside: " + String.join("; ", r.setAside()) + ")";
        }
        return Finding.warning(whoVi.startsWith("chứng thư số của CA") ? "CA_REVOCATION_UNKNOWN" : "REVOCATION_UNKNOWN",
                vi, en);
    }

    private static String vietnamese(String why) {
        return why.startsWith("its key usage") ? "mục đích sử dụng khóa không cho phép ký (digitalSignature, nonRepudiation)"
                : "mục đích sử dụng mở rộng không dành cho ký tài liệu (" + why + ")";
    }

    private static boolean validAt(X509Certificate certificate, Instant at) {
        return !at.isBefore(certificate.getNotBefore().toInstant()) && !at.isAfter(certificate.getNotAfter().toInstant());
    }

    private static Instant clampToValidity(Instant t, X509Certificate certificate) {
        Instant from = certificate.getNotBefore().toInstant();
        Instant until = certificate.getNotAfter().toInstant();
        return t.isBefore(from) ? from : t.isAfter(until) ? until : t;
    }

    private static void decide(SignatureReport.Builder report, boolean intact, boolean valueValid,
            X509Certificate certificate, Instant signingTime, boolean timestamped, Instant validationTime,
            ChainStatus chain, RevocationStatus revocation, boolean revokedNoProof, CaStatus ca, List<Finding> findings) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (!intact) {
            report.finding(Finding.error("CONTENT_ALTERED", "Nội dung đã bị thay đổi sau khi ký",
                    "The signed content was altered after signing"));
            report.indication(Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE);
        } else if (!valueValid) {
            report.finding(Finding.error("SIGNATURE_VALUE_INVALID", "Giá trị chữ ký không khớp với chứng thư số",
                    "The signature value does not verify with the certificate"));
            report.indication(Indication.TOTAL_FAILED, SubIndication.SIG_CRYPTO_FAILURE);
        } else if (findings.stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR)) {
            report.indication(Indication.TOTAL_FAILED, errorSubIndication(findings));
        } else if (revokedNoProof) {
            report.indication(Indication.INDETERMINATE, SubIndication.REVOKED_NO_POE);
        } else if (revocation == RevocationStatus.REVOKED) {
            report.finding(Finding.error("CERT_REVOKED", "Chứng thư số đã bị thu hồi trước thời điểm ký",
                    "The certificate was revoked before the signing time"));
            report.indication(Indication.TOTAL_FAILED, SubIndication.REVOKED);
        } else if (signingTime.isBefore(notBefore) || (!timestamped && validationTime.isBefore(notBefore))) {
            report.finding(Finding.error("CERT_NOT_YET_VALID", "Thời điểm ký trước khi chứng thư số có hiệu lực",
                    "The signing time is before the certificate's validity"));
            report.indication(Indication.TOTAL_FAILED, SubIndication.NOT_YET_VALID);
        } else if (timestamped && signingTime.isAfter(notAfter)) {
            report.finding(Finding.error("CERT_EXPIRED_AT_SIGNING", "Chứng thư số đã hết hạn tại thời điểm ký",
                    "The certificate had expired at the signing time"));
            report.indication(Indication.TOTAL_FAILED, SubIndication.EXPIRED);
        } else if (!timestamped && signingTime.isAfter(notAfter)) {
            report.finding(Finding.error("CERT_EXPIRED_AT_SIGNING", "Chứng thư số đã hết hạn tại thời điểm ký",
                    "The certificate had expired at the signing time"));
            report.indication(Indication.INDETERMINATE, SubIndication.OUT_OF_BOUNDS_NO_POE);
        } else if (!timestamped && validationTime.isAfter(notAfter)) {
            // the claimed time is inside the validity, but nothing proves the signature existed before it ended
            report.finding(Finding.warning("CERT_EXPIRED_NO_POE", "Chứng thư số đã hết hạn lúc " + notAfter
                    + "; thời điểm ký khai báo sớm hơn nhưng không có dấu thời gian chứng minh",
                    "The certificate expired at " + notAfter + "; the claimed signing time is earlier but no timestamp"
                            + " proves it"));
            report.indication(Indication.INDETERMINATE, SubIndication.OUT_OF_BOUNDS_NO_POE);
        } else if (chain != ChainStatus.TRUSTED) {
            report.finding(Finding.warning("NO_TRUSTED_ANCHOR", "Không xây dựng được đường dẫn tới chứng thư số gốc tin cậy",
                    "No path to a trusted root could be built"));
            report.indication(Indication.INDETERMINATE, SubIndication.NO_CERTIFICATE_CHAIN_FOUND);
        } else if (ca == CaStatus.REVOKED) {
            report.indication(Indication.INDETERMINATE, SubIndication.REVOKED_CA_NO_POE);
        } else if (revocation == RevocationStatus.UNKNOWN || ca == CaStatus.UNKNOWN) {
            report.indication(Indication.INDETERMINATE, SubIndication.TRY_LATER);
        } else {
            report.indication(Indication.TOTAL_PASSED, null);
        }
    }

    private static SubIndication errorSubIndication(List<Finding> findings) {
        if (findings.stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR && f.code().equals("WEAK_ALGORITHM"))) {
            return SubIndication.CRYPTO_CONSTRAINTS_FAILURE;
        }
        boolean onlyPurpose = findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR)
                .allMatch(f -> f.code().equals("CERT_NOT_FOR_SIGNING"));
        return onlyPurpose ? SubIndication.CHAIN_CONSTRAINTS_FAILURE : SubIndication.SIG_CONSTRAINTS_FAILURE;
    }

    /** The certificate that issued {@code cert}: next in the chain, the anchor, or one in the pool whose key verifies it. */
    static X509Certificate issuerOf(X509Certificate cert, CertificateChecks.Chain chain, Collection<X509Certificate> pool) {
        if (chain.path().size() > 1) {
            return chain.path().get(1);
        }
        if (chain.anchor() != null && !chain.anchor().equals(cert)) {
            return chain.anchor();
        }
        for (X509Certificate c : pool) {
            if (c.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                try {
                    cert.verify(c.getPublicKey());
                    return c;
                } catch (Exception notThisOne) {
                    // another certificate with the same name
                }
            }
        }
        return null;
    }
}
