package vn.kyso;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * One staff certificate in the agency's register.
 *
 * @param id the certificate's SHA-256 fingerprint (hex); for a {@link CertificateStatus#REQUESTED} or
 *     {@link CertificateStatus#REGISTERED} request not yet issued, any id unique in the register
 * @param holder the holder's name
 * @param unit the holder's unit ("Văn phòng Sở", "Phòng Quản lý công nghiệp")
 * @param staffGroup the holder's staff group
 * @param issuingCa the issuing CA's name ("Ban Cơ yếu Chính phủ", "VNPT-CA")
 * @param deviceKind the device holding the key
 * @param status where the certificate is in its life
 * @param serialNumber the certificate serial (hex), "" when not issued
 * @param notBefore start of validity; null when not issued
 * @param notAfter end of validity; null when not issued
 */
public record CertificateRecord(String id, String holder, String unit, StaffGroup staffGroup, String issuingCa,
        DeviceKind deviceKind, CertificateStatus status, String serialNumber, Instant notBefore, Instant notAfter) {

    public CertificateRecord {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(holder, "holder must not be null");
        Objects.requireNonNull(unit, "unit must not be null");
        Objects.requireNonNull(staffGroup, "staffGroup must not be null");
        Objects.requireNonNull(issuingCa, "issuingCa must not be null");
        Objects.requireNonNull(deviceKind, "deviceKind must not be null");
        Objects.requireNonNull(status, "status must not be null");
        Objects.requireNonNull(serialNumber, "serialNumber must not be null");
        if (status != CertificateStatus.REGISTERED && status != CertificateStatus.REQUESTED
                && (notBefore == null || notAfter == null)) {
            throw new IllegalArgumentException("an issued certificate needs its validity dates");
        }
    }

    /** A record of an issued certificate, its holder, CA, serial and validity read from the certificate. */
    public static CertificateRecord of(X509Certificate certificate, String unit, StaffGroup staffGroup,
            DeviceKind deviceKind) {
        return new CertificateRecord(Certificates.fingerprint(certificate), Certificates.commonName(certificate), unit,
                staffGroup, Certificates.issuerName(certificate), deviceKind, CertificateStatus.ISSUED,
                certificate.getSerialNumber().toString(16), certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant());
    }

    /** The same record with another status. */
    public CertificateRecord withStatus(CertificateStatus newStatus) {
        return new CertificateRecord(id, holder, unit, staffGroup, issuingCa, deviceKind, newStatus, serialNumber,
                notBefore, notAfter);
    }

    /** Whether the certificate is past its validity at {@code time} (false when not issued). */
    public boolean isExpiredAt(Instant time) {
        return notAfter != null && time.isAfter(notAfter);
    }
}
