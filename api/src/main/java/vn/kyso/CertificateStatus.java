package vn.kyso;

/** Where a staff certificate is in its life, as the usage table counts it. */
public enum CertificateStatus {
    /** Requested from the CA, not issued yet ("đã đăng ký nhưng chưa được cấp"). */
    REGISTERED(false),
    /** Issued and usable. */
    ISSUED(true),
    /** Issued, with an information change requested and not yet answered; counts as issued. */
    CHANGE_PENDING(true),
    /** Suspended by the CA or the agency. */
    SUSPENDED(false),
    /** Revoked for good. */
    REVOKED(false);

    private final boolean countsAsIssued;

    CertificateStatus(boolean countsAsIssued) {
        this.countsAsIssued = countsAsIssued;
    }

    /** Whether the usage table counts it as issued (the rule under the table: a pending change does). */
    public boolean countsAsIssued() {
        return countsAsIssued;
    }
}
