package vn.kyso.remotesim;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to ask a service about a pending confirmation: the first status query when the person is
 * expected to have answered ({@code first_poll}), then every {@code poll_interval} growing by half
 * each time up to {@code max_poll_interval}. Each delay is jittered so that thousands of requests
 * sent together do not poll together; the first only later (by up to a tenth), never earlier,
 * so it does not land just before the expected answer.
 */
final class PollSchedule {
    private final long firstNanos;
    private final long intervalNanos;
    private final long maxNanos;

    PollSchedule(Duration first, Duration interval, Duration max) {
        this.firstNanos = first.toNanos();
        this.intervalNanos = interval.toNanos();
        this.maxNanos = Math.max(max.toNanos(), intervalNanos);
    }

    /** The delay before status query number {@code poll} (0 for the first), in nanoseconds. */
    long delayNanos(int poll) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (poll == 0) {
            return firstNanos + (long) (firstNanos * 0.1 * random.nextDouble());
        }
        double grown = intervalNanos * Math.pow(1.5, Math.min(poll - 1, 30));
        long base = (long) Math.min(grown, maxNanos);
        return (long) (base * (0.9 + 0.2 * random.nextDouble()));
    }
}
