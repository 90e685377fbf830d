package vn.kyso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RevocationCacheTest {

    /** A clock the test moves forward. */
    private static final class MovingClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-06T08:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovingClock clock = new MovingClock();
    private final AtomicInteger fetches = new AtomicInteger();

    private Optional<byte[]> answer(int size) {
        fetches.incrementAndGet();
        return Optional.of(new byte[size]);
    }

    private Instant inAnHour(byte[] ignored) {
        return clock.instant().plus(Duration.ofHours(1));
    }

    @Test
    void anAnswerIsFetchedOnceAndReusedUntilItsNextUpdate() {
        RevocationCache cache = RevocationCache.create(clock, 8, 1 << 20);
        for (int i = 0; i < 5; i++) {
            assertEquals(10, cache.get("ocsp a 1", () -> answer(10), this::inAnHour).orElseThrow().length);
        }
        assertEquals(1, fetches.get());
        clock.now = clock.now.plus(Duration.ofMinutes(61));
        cache.get("ocsp a 1", () -> answer(10), this::inAnHour);
        assertEquals(2, fetches.get(), "past its nextUpdate the answer is fetched again");
    }

    @Test
    void aFailedFetchOrAnAnswerWithNoFreshnessIsNotKept() {
        RevocationCache cache = RevocationCache.create(clock, 8, 1 << 20);
        for (int i = 0; i < 3; i++) {
            cache.get("crl http://ca/down.crl", () -> {
                fetches.incrementAndGet();
                return Optional.empty();
            }, this::inAnHour);
            cache.get("crl http://ca/unreadable.crl", () -> answer(3), b -> null);
        }
        assertEquals(6, fetches.get(), "the next file asks again");
        assertEquals(0, cache.size());
        assertThrows(IllegalStateException.class, () -> cache.get("k", () -> {
            throw new IllegalStateException("a bug in a fetch");
        }, this::inAnHour));
        assertEquals(3, cache.get("k", () -> answer(3), this::inAnHour).orElseThrow().length, "and leaves nothing behind");
    }

    @Test
    void theCacheStaysWithinItsEntriesAndBytesDroppingTheLeastRecentlyUsed() {
        RevocationCache cache = RevocationCache.create(clock, 3, 1000);
        for (int i = 0; i < 10; i++) {
            cache.get("ocsp " + i, () -> answer(100), this::inAnHour);
        }
        assertEquals(3, cache.size());
        cache.get("ocsp 7", () -> answer(100), this::inAnHour); // used again: now the most recent
        cache.get("crl big", () -> answer(950), this::inAnHour);
        assertEquals(11, fetches.get());
        cache.get("ocsp 7", () -> answer(100), this::inAnHour);
        assertEquals(12, fetches.get(), "1000 bytes hold the 950-byte CRL and nothing else: 7 was dropped too");
        assertTrue(cache.size() <= 2);
    }

    @Test
    void filesVerifiedInParallelWaitForOneFetchOfTheSameAnswer() throws Exception {
        RevocationCache cache = RevocationCache.create(clock, 8, 1 << 20);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Optional<byte[]>>> all = new ArrayList<>();
            all.add(pool.submit(() -> cache.get("ocsp slow", () -> {
                started.countDown();
                await(release);
                return answer(7);
            }, this::inAnHour)));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < 5; i++) {
                all.add(pool.submit(() -> cache.get("ocsp slow", () -> answer(7), this::inAnHour)));
            }
            release.countDown();
            for (Future<Optional<byte[]>> f : all) {
                assertEquals(7, f.get(10, TimeUnit.SECONDS).orElseThrow().length);
            }
            assertEquals(1, fetches.get(), "six files, one request");
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
