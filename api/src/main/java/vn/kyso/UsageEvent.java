package vn.kyso;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One signing attempt, as monthly usage reports count them.
 *
 * @param signer who signed: the certificate's fingerprint (SHA-256, hex), the key of the register
 * @param signerName the certificate holder's name, for people reading the events
 * @param at when the attempt ended
 * @param documentType kind of document ("Công văn", "HDon"), or "" when unknown
 * @param formatId the format ("pades", "xades") or "raw" for a bare digest
 * @param providerId where the key lives ("pkcs11", "remote-sim", "pkcs12")
 * @param deviceKind the device kind, as reports count devices
 * @param outcome how it ended
 * @param signatures how many signatures the attempt made (a batch makes several)
 * @param duration how long it took, phone confirmation included
 * @param errorKind for a failed attempt, the kind of error (the exception's simple class name, such as
 *     "PinLockedException"), so reports show where signing breaks; "" when signed
 */
public record UsageEvent(String signer, String signerName, Instant at, String documentType, String formatId,
        String providerId, DeviceKind deviceKind, Outcome outcome, int signatures, Duration duration,
        String errorKind) {

    /** How a signing attempt ended. */
    public enum Outcome { SIGNED, REJECTED, TIMED_OUT, FAILED }

    public UsageEvent {
        Objects.requireNonNull(signer, "signer must not be null");
        Objects.requireNonNull(signerName, "signerName must not be null");
        Objects.requireNonNull(at, "at must not be null");
        Objects.requireNonNull(documentType, "documentType must not be null");
        Objects.requireNonNull(formatId, "formatId must not be null");
        Objects.requireNonNull(providerId, "providerId must not be null");
        Objects.requireNonNull(deviceKind, "deviceKind must not be null");
        Objects.requireNonNull(outcome, "outcome must not be null");
        Objects.requireNonNull(duration, "duration must not be null");
        Objects.requireNonNull(errorKind, "errorKind must not be null");
    }

    /** An event without an error kind (a signed attempt, or a failure whose kind is unknown). */
    public UsageEvent(String signer, String signerName, Instant at, String documentType, String formatId,
            String providerId, DeviceKind deviceKind, Outcome outcome, int signatures, Duration duration) {
        this(signer, signerName, at, documentType, formatId, providerId, deviceKind, outcome, signatures, duration,
                "");
    }
}
