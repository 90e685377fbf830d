package vn.kyso.registry;

import java.time.Instant;
import java.util.Objects;
import vn.kyso.CertificateRecord;

/**
 * A certificate in the persistent register: the api's {@link CertificateRecord} plus what the
 * agency needs to reach the holder and follow the certificate's life.
 *
 * @param certificate holder, unit, group, CA, device, status, serial, validity
 * @param agency the holder's agency
 * @param personalId the holder's citizen id (CCCD / CMND digits), or "MST:…" for an organization's
 *     certificate; "" when unknown
 * @param email the holder's email, "" when unknown
 * @param phone the holder's phone, "" when unknown
 * @param subject the certificate's subject name (RFC 2253, diacritics kept), "" when not issued
 * @param successorId the id of the certificate that renewed this one, or null
 * @param firstUsed the first signature through kyso, or null
 * @param lastUsed the last signature through kyso, or null
 */
public record RegisteredCertificate(CertificateRecord certificate, String agency, String personalId, String email,
        String phone, String subject, String successorId, Instant firstUsed, Instant lastUsed) {

    public RegisteredCertificate {
        Objects.requireNonNull(certificate, "certificate must not be null");
        Objects.requireNonNull(agency, "agency must not be null");
        Objects.requireNonNull(personalId, "personalId must not be null");
        Objects.requireNonNull(email, "email must not be null");
        Objects.requireNonNull(phone, "phone must not be null");
        Objects.requireNonNull(subject, "subject must not be null");
    }

    /** A new entry, never used, without successor. */
    public static RegisteredCertificate of(CertificateRecord certificate, String agency, String personalId,
            String email, String phone, String subject) {
        return new RegisteredCertificate(certificate, agency, personalId, email, phone, subject, null, null, null);
    }

    /** The certificate's id in the register. */
    public String id() {
        return certificate.id();
    }
}
