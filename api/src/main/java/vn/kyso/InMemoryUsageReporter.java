package vn.kyso;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps usage events in memory, for tests and small embeddings; persistent reporters keep them in a database. */
public final class InMemoryUsageReporter implements UsageReporter {
    private final List<UsageEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void report(UsageEvent event) {
        events.add(java.util.Objects.requireNonNull(event, "event must not be null"));
    }

    /** The events so far, oldest first (a snapshot). */
    public List<UsageEvent> events() {
        return List.copyOf(events);
    }
}
