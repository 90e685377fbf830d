package vn.kyso.internal.validation;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TimeStampToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.kyso.DigestAlgorithm;
import vn.kyso.Finding;
import vn.kyso.SignatureReport;
import vn.kyso.ValidationPolicy;

/**
 * Reads RFC 3161 timestamp tokens as signature timestamps (PAdES, XAdES) and document timestamps
 * carry them. Internal to kyso's formats.
 */
public final class Timestamps {
    private static final Logger LOG = LoggerFactory.getLogger(Timestamps.class);

    /**
     * A token whose own CMS signature verified with the TSA certificate it carries; whether it
     * covers the right data and whether the TSA is trusted are for the caller to decide.
     *
     * @param certificates every certificate the token carries, the TSA's included
     */
    public record Token(Instant time, X509Certificate tsa, List<X509Certificate> certificates,
            DigestAlgorithm imprintAlgorithm, byte[] imprint) {

        /** Whether the token's message imprint is the digest of {@code data}. */
        public boolean covers(byte[] data) {
            return Arrays.equals(imprintAlgorithm.digest(data), imprint);
        }

        /**
         * Whether the TSA's certificate chains to the policy's anchors at the token's time, from
         * the certificates the token carries and {@code others} (the document's own), was valid
         * then and is a timestamping certificate (RFC 3161 section 2.3).
         */
        public boolean fromTrustedAuthority(Collection<X509Certificate> others, ValidationPolicy policy) {
            return fromTrustedAuthority(others, policy, NetworkBudget.of(policy.networkTimeout()));
        }

        /** Like {@link #fromTrustedAuthority(Collection, ValidationPolicy)}, fetching within {@code budget}. */
        public boolean fromTrustedAuthority(Collection<X509Certificate> others, ValidationPolicy policy,
                NetworkBudget budget) {
            try {
                tsa.checkValidity(Date.from(time));
                List<String> purposes = tsa.getExtendedKeyUsage();
                if (purposes == null || !purposes.contains(KeyPurposeId.id_kp_timeStamping.getId())) {
                    LOG.debug("timestamp of {} by {}: not a timestamping certificate", time, subject());
                    return false;
                }
            } catch (java.security.cert.CertificateException e) {
                LOG.debug("timestamp of {} by {}: the TSA certificate was not valid then", time, subject());
                return false;
            }
            List<X509Certificate> pool = new ArrayList<>(others);
            pool.addAll(certificates);
            SignatureReport.ChainStatus status = CertificateChecks.chain(tsa, pool, time, policy, budget).status();
            if (status != SignatureReport.ChainStatus.TRUSTED) {
                LOG.debug("timestamp of {} by {}: chain {}", time, subject(), status);
            }
            return status == SignatureReport.ChainStatus.TRUSTED;
        }

        private String subject() {
            return tsa.getSubjectX500Principal().getName();
        }
    }

    private Timestamps() {
    }

    /**
     * The time {@code token} proves the signature existed at (a proof of existence, ETSI EN
     * 319 102-1), or empty when it proves nothing as of the validation time: a token dated after
     * the validation time (the policy's, else now) did not exist yet then, so the signature is
     * judged as of the validation time like one without a timestamp (TIMESTAMP_AFTER_VALIDATION_TIME
     * says so); a timestamp from an authority outside the anchors is anybody's word, like a claimed
     * signing time, and adds a TIMESTAMP_UNTRUSTED warning to {@code findings}. The caller has
     * checked that the token covers its signature.
     */
    public static Optional<Instant> proofOfExistence(Token token, Collection<X509Certificate> others,
            ValidationPolicy policy, NetworkBudget budget, List<Finding> findings) {
        Optional<Finding> notYet = laterThanValidationTime(token.time(), policy);
        if (notYet.isPresent()) {
            findings.add(notYet.get());
            return Optional.empty();
        }
        if (token.fromTrustedAuthority(others, policy, budget)) {
            return Optional.of(token.time());
        }
        findings.add(Finding.warning("TIMESTAMP_UNTRUSTED",
                "Dấu thời gian do đơn vị không được tin cậy cấp; không dùng làm bằng chứng thời điểm ký",
                "The timestamp comes from an authority outside the trust anchors; it is not used as proof of the"
                        + " signing time"));
        return Optional.empty();
    }

    /**
     * TIMESTAMP_AFTER_VALIDATION_TIME when {@code tokenTime} is after the validation time (the
     * policy's, else now): the token did not exist yet then, so as of that time it proves nothing.
     */
    public static Optional<Finding> laterThanValidationTime(Instant tokenTime, ValidationPolicy policy) {
        Instant validationTime = policy.validationTime().orElseGet(Instant::now);
        if (!tokenTime.isAfter(validationTime)) {
            return Optional.empty();
        }
        return Optional.of(Finding.warning("TIMESTAMP_AFTER_VALIDATION_TIME",
                "Dấu thời gian (" + tokenTime + ") muộn hơn thời điểm kiểm tra (" + validationTime
                        + "): khi đó nó chưa tồn tại nên không chứng minh được điều gì; chữ ký được kiểm tra tại"
                        + " thời điểm kiểm tra",
                "The timestamp (" + tokenTime + ") is later than the validation time (" + validationTime
                        + "): it did not exist yet then, so it proves nothing; the signature is judged as of the"
                        + " validation time"));
    }

    /**
     * Parses {@code der} (a CMS ContentInfo holding a TSTInfo) and checks the TSA's signature.
     *
     * @throws IOException when the token is unreadable, carries no TSA certificate, or its
     *     signature does not verify; the message says which
     */
    public static Token read(byte[] der) throws IOException {
        try {
            TimeStampToken token = new TimeStampToken(new CMSSignedData(der));
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            X509Certificate tsa = null;
            for (Object holder : token.getCertificates().getMatches(token.getSID())) {
                tsa = converter.getCertificate((X509CertificateHolder) holder);
                break;
            }
            if (tsa == null) {
                throw new IOException("the timestamp token carries no TSA certificate");
            }
            token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(tsa));
            List<X509Certificate> certificates = new ArrayList<>();
            for (X509CertificateHolder holder : token.getCertificates().getMatches(null)) {
                certificates.add(converter.getCertificate(holder));
            }
            return new Token(token.getTimeStampInfo().getGenTime().toInstant(), tsa, List.copyOf(certificates),
                    DigestAlgorithm.of(token.getTimeStampInfo().getMessageImprintAlgOID().getId()),
                    token.getTimeStampInfo().getMessageImprintDigest());
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("invalid timestamp token: " + e.getMessage(), e);
        }
    }
}
