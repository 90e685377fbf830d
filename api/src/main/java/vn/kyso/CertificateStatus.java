package vn.kyso;

/** Where a staff certificate is in its life, as the usage table counts it. */
public enum CertificateStatus {
    /** Asked for inside the agency, not yet sent to the CA. */
    REQUESTED(false),
    /** Requested from the CA, not issued yet ("đã đăng ký nhưng chưa được cấp"). */
    REGISTERED(false),
    /** Issued and usable, not yet used to sign. */
    ISSUED(true),
    /** Issued and used: its first signature through kyso moved it here. */
    IN_USE(true),
    /** Issued, with an information change requested and not yet answered; counts as issued. */
    CHANGE_PENDING(true),
    /** Suspended by the CA or the agency. */
    SUSPENDED(false),
    /** Revoked for good. */
    REVOKED(false),
    /** Past its validity, not renewed. */
    EXPIRED(false),
    /** Issued, but its device is locked (PIN or PUK tries used up); still held, so it counts as issued. */
    DEVICE_LOCKED(true),
    /** Replaced by a renewed certificate, its successor in the register. */
    RENEWED(false);

    private final boolean countsAsIssued;

    CertificateStatus(boolean countsAsIssued) {
        this.countsAsIssued = countsAsIssued;
    }

    /** Whether the usage table counts it as issued (the rule under the table: a pending change does). */
    public boolean countsAsIssued() {
        return countsAsIssued;
    }
}
