package vn.kyso.internal.validation;

import java.time.Duration;
import java.util.Objects;

/**
 * The time all network fetches of one verification may take together (caIssuers, OCSP, CRL), so
 * a document whose certificates name slow or dead URLs costs at most this much waiting, not one
 * timeout per URL. Each fetch gets what is left; once it is spent, fetches are skipped (and
 * logged). Internal to kyso's formats; one per verified document, not shared across threads.
 */
public final class NetworkBudget {
    private final long deadlineNanos;
    private final Duration total;

    private NetworkBudget(Duration total) {
        this.total = total;
        this.deadlineNanos = System.nanoTime() + total.toNanos();
    }

    /** A budget of {@code total} starting now; {@code total} must be positive. */
    public static NetworkBudget of(Duration total) {
        Objects.requireNonNull(total, "total must not be null");
        if (total.isNegative() || total.isZero()) {
            throw new IllegalArgumentException("a network budget must be positive, was " + total);
        }
        return new NetworkBudget(total);
    }

    /** What is left, zero once spent. */
    public Duration remaining() {
        long left = deadlineNanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /** Whether no time is left for another fetch (less than a millisecond). */
    public boolean spent() {
        return remaining().toMillis() < 1;
    }

    /** The budget it started with. */
    public Duration total() {
        return total;
    }

    @Override
    public String toString() {
        return "NetworkBudget[" + remaining().toMillis() + " of " + total.toMillis() + " ms left]";
    }
}
