package vn.kyso;

/**
 * Hears about every signing attempt, so agencies can report usage without counting by hand.
 * kyso calls it from one decorator around every {@link Signer} obtained through {@link Kyso};
 * providers and formats never call it themselves.
 *
 * <p>Implementations must be thread-safe and fast; an exception thrown here is logged and
 * never breaks signing.
 */
@FunctionalInterface
public interface UsageReporter {

    void report(UsageEvent event);

    /** A reporter that drops every event. */
    static UsageReporter none() {
        return event -> { };
    }
}
