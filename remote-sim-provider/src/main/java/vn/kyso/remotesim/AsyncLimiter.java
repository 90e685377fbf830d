package vn.kyso.remotesim;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds how many HTTP exchanges are in flight without blocking a thread: a task waits in a
 * queue until a permit frees, so thousands of pending signatures share a few connections.
 * Follow-ups (status queries, cancellations: work already under way) mostly go before new
 * submits, so a burst of submits does not delay the answers of the signatures submitted before
 * it; every fourth permit goes to new work if some waits, so frequent polls cannot starve submits.
 */
final class AsyncLimiter {
    private final AtomicInteger available;
    private final AtomicInteger queued = new AtomicInteger();
    private final int maxQueued;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final Queue<Runnable> followUps = new ConcurrentLinkedQueue<>();
    /** Permits handed out to follow-ups since new work last got one. */
    private final AtomicInteger followUpsInARow = new AtomicInteger();

    AsyncLimiter(int permits, int maxQueued) {
        this.available = new AtomicInteger(permits);
        this.maxQueued = maxQueued;
    }

    /**
     * Runs {@code task} once a permit is free, before any waiting new work when {@code followUp};
     * null when the queue is full (the caller fails fast).
     */
    <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> task, boolean followUp) {
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            return null;
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        (followUp ? followUps : waiting).add(() -> {
            queued.decrementAndGet();
            CompletableFuture<T> running;
            try {
                running = task.get();
            } catch (RuntimeException e) {
                running = CompletableFuture.failedFuture(e);
            }
            running.whenComplete((value, error) -> {
                release();
                if (error != null) {
                    out.completeExceptionally(error);
                } else {
                    out.complete(value);
                }
            });
        });
        drain();
        return out;
    }

    private void release() {
        available.incrementAndGet();
        drain();
    }

    private void drain() {
        while (!followUps.isEmpty() || !waiting.isEmpty()) {
            int n = available.get();
            if (n <= 0) {
                return;
            }
            if (!available.compareAndSet(n, n - 1)) {
                continue;
            }
            Runnable next = followUpsInARow.get() >= 3 ? null : followUps.poll();
            if (next != null) {
                followUpsInARow.incrementAndGet();
            } else {
                next = waiting.poll();
                if (next != null) {
                    followUpsInARow.set(0);
                } else {
                    next = followUps.poll();
                }
            }
            if (next == null) {
                available.incrementAndGet();
                continue;
            }
            next.run();
        }
    }
}
