package vn.kyso.remotesim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class AsyncLimiterTest {

    @Test
    void aFollowUpWaitingForAPermitGoesBeforeNewWorkQueuedEarlier() {
        AsyncLimiter limiter = new AsyncLimiter(1, 10);
        List<String> ran = new CopyOnWriteArrayList<>();
        CompletableFuture<String> busy = new CompletableFuture<>();
        limiter.submit(() -> {
            ran.add("first submit");
            return busy;
        }, false);
        limiter.submit(() -> {
            ran.add("second submit");
            return CompletableFuture.completedFuture("");
        }, false);
        limiter.submit(() -> {
            ran.add("status query");
            return CompletableFuture.completedFuture("");
        }, true);
        assertEquals(List.of("first submit"), ran, "one permit: the others wait");
        busy.complete("");
        assertEquals(List.of("first submit", "status query", "second submit"), ran);
    }

    @Test
    void frequentFollowUpsCannotStarveNewWork() {
        AsyncLimiter limiter = new AsyncLimiter(1, 10);
        List<String> ran = new CopyOnWriteArrayList<>();
        CompletableFuture<String> busy = new CompletableFuture<>();
        limiter.submit(() -> busy, false);
        limiter.submit(() -> {
            ran.add("submit");
            return CompletableFuture.completedFuture("");
        }, false);
        for (int i = 1; i <= 5; i++) {
            String name = "query " + i;
            limiter.submit(() -> {
                ran.add(name);
                return CompletableFuture.completedFuture("");
            }, true);
        }
        busy.complete("");
        assertEquals(List.of("query 1", "query 2", "query 3", "submit", "query 4", "query 5"), ran);
    }

    @Test
    void aFullQueueRefusesAtOnce() {
        AsyncLimiter limiter = new AsyncLimiter(1, 1);
        limiter.submit(CompletableFuture::new, false);
        limiter.submit(() -> CompletableFuture.completedFuture(""), false);
        assertNull(limiter.submit(() -> CompletableFuture.completedFuture(""), true));
    }
}
