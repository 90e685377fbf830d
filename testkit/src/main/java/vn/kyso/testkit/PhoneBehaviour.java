package vn.kyso.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * How a simulated phone (PKI SIM or signing app) and the service in front of it behave for one
 * credential of the {@link RemoteSigningSimulator}: what the person answers and after how long,
 * and which faults the service injects. Immutable; build with the factories and withers.
 *
 * @param answer what the person does when the prompt arrives
 * @param minDelay shortest time between the prompt and the answer
 * @param maxDelay longest time (a random delay in [min, max] is drawn per transaction)
 * @param serverErrorRate share of requests about this credential answered with HTTP 500, 0 to 1
 * @param droppedSubmits how many of the next sign submissions are accepted (the phone is
 *     prompted) but answered by dropping the connection, as a reset after the request arrived
 * @param slowAnswer how long every answer about this credential is held back
 * @param corruptSignatures whether the service returns signature values that do not verify
 * @param container what the service returns for each hash: the raw value, or a CMS it built
 */
public record PhoneBehaviour(Answer answer, Duration minDelay, Duration maxDelay, double serverErrorRate,
        int droppedSubmits, Duration slowAnswer, boolean corruptSignatures, Container container) {

    /** What a service returns for a hash: some return a CMS/PKCS#7 they built instead of the raw value. */
    public enum Container {
        /** The raw PKCS#1 value (DER ECDSA for EC keys). */
        RAW,
        /** A detached CMS SignedData whose one SignerInfo signs the hash itself (no signed attributes). */
        CMS_WITHOUT_ATTRIBUTES,
        /** A detached CMS SignedData whose SignerInfo signs its own attributes (contentType, messageDigest = the hash). */
        CMS_WITH_ATTRIBUTES
    }

    /** What the person does with a prompt. */
    public enum Answer {
        /** Enters the PIN and approves: the service signs. */
        APPROVE,
        /** Declines on the phone. */
        REJECT,
        /** Sees the prompt and never answers: the transaction expires. */
        NEVER_ANSWER,
        /** Enters wrong PINs until the signing PIN is blocked. */
        PIN_BLOCKED,
        /** The phone is off or out of coverage: the prompt never arrives (not counted as shown). */
        PHONE_OFF
    }

    public PhoneBehaviour {
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(minDelay, "minDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(slowAnswer, "slowAnswer");
        Objects.requireNonNull(container, "container");
        if (minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0) {
            throw new IllegalArgumentException("delays must satisfy 0 <= min <= max");
        }
        if (!(serverErrorRate >= 0 && serverErrorRate <= 1)) {
            throw new IllegalArgumentException("serverErrorRate must be in [0, 1]");
        }
        if (droppedSubmits < 0 || slowAnswer.isNegative()) {
            throw new IllegalArgumentException("droppedSubmits and slowAnswer must not be negative");
        }
    }

    /** The person approves after {@code delay}. */
    public static PhoneBehaviour approveAfter(Duration delay) {
        return of(Answer.APPROVE, delay);
    }

    /** The person declines after {@code delay}. */
    public static PhoneBehaviour rejectAfter(Duration delay) {
        return of(Answer.REJECT, delay);
    }

    /** The prompt is shown and never answered. */
    public static PhoneBehaviour neverAnswer() {
        return of(Answer.NEVER_ANSWER, Duration.ZERO);
    }

    /** The signing PIN gets blocked after {@code delay}. */
    public static PhoneBehaviour pinBlockedAfter(Duration delay) {
        return of(Answer.PIN_BLOCKED, delay);
    }

    /** The phone cannot be reached. */
    public static PhoneBehaviour phoneOff() {
        return of(Answer.PHONE_OFF, Duration.ZERO);
    }

    private static PhoneBehaviour of(Answer answer, Duration delay) {
        return new PhoneBehaviour(answer, delay, delay, 0, 0, Duration.ZERO, false, Container.RAW);
    }

    /** The same, answering after a random delay between {@code min} and {@code max}. */
    public PhoneBehaviour withDelay(Duration min, Duration max) {
        return new PhoneBehaviour(answer, min, max, serverErrorRate, droppedSubmits, slowAnswer, corruptSignatures, container);
    }

    /** The same, with this share of requests failing with HTTP 500. */
    public PhoneBehaviour withServerErrorRate(double rate) {
        return new PhoneBehaviour(answer, minDelay, maxDelay, rate, droppedSubmits, slowAnswer, corruptSignatures, container);
    }

    /** The same, with the next {@code count} sign submissions dropped after they were accepted. */
    public PhoneBehaviour withDroppedSubmits(int count) {
        return new PhoneBehaviour(answer, minDelay, maxDelay, serverErrorRate, count, slowAnswer, corruptSignatures, container);
    }

    /** The same, with every answer held back by {@code delay}. */
    public PhoneBehaviour withSlowAnswer(Duration delay) {
        return new PhoneBehaviour(answer, minDelay, maxDelay, serverErrorRate, droppedSubmits, delay, corruptSignatures, container);
    }

    /** The same, with signature values that do not verify. */
    public PhoneBehaviour withCorruptSignatures() {
        return new PhoneBehaviour(answer, minDelay, maxDelay, serverErrorRate, droppedSubmits, slowAnswer, true, container);
    }

    /** The same, returning each value wrapped as {@code container}. */
    public PhoneBehaviour withContainer(Container container) {
        return new PhoneBehaviour(answer, minDelay, maxDelay, serverErrorRate, droppedSubmits, slowAnswer, corruptSignatures,
                container);
    }

    /** A short name for listings: {@code approve 2s}, {@code reject}, {@code phone-off}. */
    public String describe() {
        String name = answer.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        String delay = minDelay.equals(maxDelay) ? minDelay.toMillis() + "ms"
                : minDelay.toMillis() + "-" + maxDelay.toMillis() + "ms";
        StringBuilder out = new StringBuilder(name).append(" after ").append(delay);
        if (serverErrorRate > 0) {
            out.append(", ").append(Math.round(serverErrorRate * 100)).append("% HTTP 500");
        }
        if (droppedSubmits > 0) {
            out.append(", drops ").append(droppedSubmits).append(" submit(s)");
        }
        if (!slowAnswer.isZero()) {
            out.append(", answers ").append(slowAnswer.toMillis()).append("ms late");
        }
        if (corruptSignatures) {
            out.append(", corrupt signature values");
        }
        if (container != Container.RAW) {
            out.append(", returns ").append(container.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
        return out.toString();
    }
}
