package vn.kyso.internal.validation;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TimeStampToken;
import vn.kyso.DigestAlgorithm;
import vn.kyso.SignatureReport;
import vn.kyso.ValidationPolicy;

/**
 * Reads RFC 3161 timestamp tokens as signature timestamps (PAdES, XAdES) and document timestamps
 * carry them. Internal to kyso's formats.
 */
public final class Timestamps {

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
         * the certificates the token carries and {@code others} (the document's own).
         */
        public boolean fromTrustedAuthority(Collection<X509Certificate> others, ValidationPolicy policy) {
            List<X509Certificate> pool = new ArrayList<>(others);
            pool.addAll(certificates);
            return CertificateChecks.chain(tsa, pool, time, policy).status() == SignatureReport.ChainStatus.TRUSTED;
        }
    }

    private Timestamps() {
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
