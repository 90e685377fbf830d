package vn.kyso.registry;

/**
 * A certificate someone must act on, and what to do.
 *
 * @param certificate the certificate
 * @param action what to do about it
 */
public record Reminder(RegisteredCertificate certificate, Action action) {

    /** What the holder or the agency's administrator must do. */
    public enum Action {
        /** Validity ends within the window: ask the CA for renewal now (issuance takes weeks). */
        RENEW_BEFORE_EXPIRY,
        /** Validity has ended while the register still counts it as issued: renew, or mark it expired. */
        RENEW_EXPIRED,
        /** An information change was requested and not answered: follow it up with the CA. */
        FOLLOW_UP_INFO_CHANGE,
        /** The device is locked: unlock it (PUK) or ask for a new one. */
        UNLOCK_DEVICE
    }
}
