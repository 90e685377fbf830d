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
 * settled integrity: the chain to the caller's anchors, revocation at signing time (Circular
 * 15/2025/TT-BKHCN, Appendix II: a warning when unknown, never a pass), the signing time inside
 * the certificate's validity, and the ETSI indication. Internal to kyso's formats.
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
     * chain, revocation and findings to {@code report}, and sets its indication.
     *
     * @param intact whether the signed content is unchanged (digests match)
     * @param valueValid whether the signature value verifies with {@code certificate}
     * @param signingTime the timestamp's time when there is one, else the claimed time, else now
     * @param timestamped whether {@code signingTime} comes from a timestamp (proof of existence)
     * @param findings the format's own findings so far; an ERROR among them fails the signature
     */
    public static void finish(SignatureReport.Builder report, boolean intact, boolean valueValid,
            X509Certificate certificate, Evidence evidence, Instant signingTime, boolean timestamped,
            ValidationPolicy policy, List<Finding> findings) {
        CertificateChecks.Chain chain = CertificateChecks.chain(certificate, evidence.certificates(), signingTime, policy);
        report.chain(chain.path()).chainStatus(chain.status(), chain.anchor());
        X509Certificate issuer = issuerOf(certificate, chain, evidence.certificates());
        CertificateChecks.Revocation revocation = CertificateChecks.revocation(certificate, issuer,
                evidence.ocspResponses(), evidence.crls(), signingTime, policy);
        RevocationStatus status = revocation.status();
        boolean revokedNoProof = false;
        if (status == RevocationStatus.REVOKED && revocation.revokedAt() != null
                && revocation.revokedAt().isAfter(signingTime)) {
            if (timestamped) {
                findings.add(Finding.info("REVOKED_AFTER_SIGNING", "Chứng thư số bị thu hồi sau thời điểm ký ("
                        + revocation.revokedAt() + "); chữ ký vẫn có giá trị", "The certificate was revoked after the signing time ("
                        + revocation.revokedAt() + "); the signature stands"));
                status = RevocationStatus.GOOD;
            } else {
                // a claimed time is the signer's word: a compromised key can backdate it (ETSI EN 319 102-1 REVOKED_NO_POE)
                findings.add(Finding.warning("REVOKED_NO_POE", "Chứng thư số bị thu hồi lúc " + revocation.revokedAt()
                        + "; thời điểm ký khai báo sớm hơn nhưng không có dấu thời gian chứng minh",
                        "The certificate was revoked at " + revocation.revokedAt()
                        + "; the claimed signing time is earlier but no timestamp proves it"));
                revokedNoProof = true;
            }
        }
        report.revocation(status, revocation.source());
        if (status == RevocationStatus.UNKNOWN) {
            findings.add(Finding.warning("REVOCATION_UNKNOWN", "Không xác định được tình trạng thu hồi của chứng thư số",
                    "The certificate's revocation status could not be determined"));
        }
        findings.forEach(report::finding);
        decide(report, intact, valueValid, certificate, signingTime, timestamped, chain.status(), status, revokedNoProof,
                findings);
    }

    private static void decide(SignatureReport.Builder report, boolean intact, boolean valueValid,
            X509Certificate certificate, Instant signingTime, boolean timestamped, ChainStatus chain,
            RevocationStatus revocation, boolean revokedNoProof, List<Finding> findings) {
        if (!intact) {
            report.finding(Finding.error("CONTENT_ALTERED", "Nội dung đã bị thay đổi sau khi ký",
                    "The signed content was altered after signing"));
            report.indication(Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE);
        } else if (!valueValid) {
            report.finding(Finding.error("SIGNATURE_VALUE_INVALID", "Giá trị chữ ký không khớp với chứng thư số",
                    "The signature value does not verify with the certificate"));
            report.indication(Indication.TOTAL_FAILED, SubIndication.SIG_CRYPTO_FAILURE);
        } else if (findings.stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR)) {
            boolean crypto = findings.stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR
                    && f.code().equals("WEAK_ALGORITHM"));
            report.indication(Indication.TOTAL_FAILED, crypto ? SubIndication.CRYPTO_CONSTRAINTS_FAILURE
                    : SubIndication.SIG_CONSTRAINTS_FAILURE);
        } else if (revokedNoProof) {
            report.indication(Indication.INDETERMINATE, SubIndication.REVOKED_NO_POE);
        } else if (revocation == RevocationStatus.REVOKED) {
            report.finding(Finding.error("CERT_REVOKED", "Chứng thư số đã bị thu hồi trước thời điểm ký",
                    "The certificate was revoked before the signing time"));
            report.indication(Indication.TOTAL_FAILED, SubIndication.REVOKED);
        } else if (signingTime.isBefore(certificate.getNotBefore().toInstant())) {
            report.finding(Finding.error("CERT_NOT_YET_VALID", "Thời điểm ký trước khi chứng thư số có hiệu lực",
                    "The signing time is before the certificate's validity"));
            report.indication(Indication.TOTAL_FAILED, SubIndication.NOT_YET_VALID);
        } else if (signingTime.isAfter(certificate.getNotAfter().toInstant())) {
            report.finding(Finding.error("CERT_EXPIRED_AT_SIGNING", "Chứng thư số đã hết hạn tại thời điểm ký",
                    "The certificate had expired at the signing time"));
            report.indication(timestamped ? Indication.TOTAL_FAILED : Indication.INDETERMINATE,
                    timestamped ? SubIndication.EXPIRED : SubIndication.OUT_OF_BOUNDS_NO_POE);
        } else if (chain != ChainStatus.TRUSTED) {
            report.finding(Finding.warning("NO_TRUSTED_ANCHOR", "Không xây dựng được đường dẫn tới chứng thư số gốc tin cậy",
                    "No path to a trusted root could be built"));
            report.indication(Indication.INDETERMINATE, SubIndication.NO_CERTIFICATE_CHAIN_FOUND);
        } else if (revocation == RevocationStatus.UNKNOWN) {
            report.indication(Indication.INDETERMINATE, SubIndication.TRY_LATER);
        } else {
            report.indication(Indication.TOTAL_PASSED, null);
        }
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
