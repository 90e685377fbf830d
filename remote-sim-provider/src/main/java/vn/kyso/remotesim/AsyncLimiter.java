package vn.kyso.remotesim;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds how many HTTP exchanges are in flight without blocking a thread: a task waits in a
 * queue until a permit frees, so thousands of pending signatures share a few connections.
 */
final class AsyncLimiter {
    private final AtomicInteger available;
    private final AtomicInteger queued = new AtomicInteger();
    private final int maxQueued;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    AsyncLimiter(int permits, int maxQueued) {
        this.available = new AtomicInteger(permits);
        this.maxQueued = maxQueued;
    }

    /** Runs {@code task} once a permit is free; null when the queue is full (the caller fails fast). */
    <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> task) {
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            return null;
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        waiting.add(() -> {
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
        while (!waiting.isEmpty()) {
            int n = available.get();
            if (n <= 0) {
                return;
            }
            if (!available.compareAndSet(n, n - 1)) {
                continue;
            }
            Runnable next = waiting.poll();
            if (next == null) {
                available.incrementAndGet();
                continue;
            }
            next.run();
        }
    }
}
