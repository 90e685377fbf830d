package vn.kyso.remotesim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PollScheduleTest {
    private static final long MS = 1_000_000;

    @Test
    void theFirstQueryComesWhenTheAnswerIsExpectedNeverEarlierAndAtMostATenthLater() {
        PollSchedule schedule = new PollSchedule(Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ofSeconds(10));
        for (int i = 0; i < 1000; i++) {
            long first = schedule.delayNanos(0);
            assertTrue(first >= 2000 * MS && first <= 2200 * MS, first / MS + " ms");
        }
    }

    @Test
    void laterQueriesBackOffByHalfUpToTheBoundWithJitter() {
        PollSchedule schedule = new PollSchedule(Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ofSeconds(10));
        long second = schedule.delayNanos(1);
        assertTrue(second >= 225 * MS && second <= 275 * MS, second / MS + " ms");
        long third = schedule.delayNanos(2);
        assertTrue(third >= 337 * MS && third <= 413 * MS, third / MS + " ms");
        for (int poll = 3; poll < 200; poll++) {
            assertTrue(schedule.delayNanos(poll) <= 11_000 * MS, "bounded by max_poll_interval plus a tenth");
        }
        assertTrue(schedule.delayNanos(100) >= 9_000 * MS, "grown to the bound");
        Set<Long> spread = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            spread.add(schedule.delayNanos(5) / MS);
        }
        assertTrue(spread.size() > 10, "requests sent together must not poll together: " + spread);
    }

    @Test
    void theSettingsDefaultToAFirstQueryAfterOnePollIntervalAndABoundOfTenSeconds() {
        Map<String, String> settings = Map.of("url", "http://127.0.0.1:1/", "sp_id", "sp", "user_id", "u",
                "poll_interval", "100ms");
        PollSchedule schedule = RemoteSettings.parse(settings).polls();
        long first = schedule.delayNanos(0);
        assertTrue(first >= 100 * MS && first <= 110 * MS, first / MS + " ms");
        assertTrue(schedule.delayNanos(100) >= 9_000 * MS);
        assertEquals(Duration.ofSeconds(30), RemoteSettings.parse(settings).webhookPollInterval());
    }

    @Test
    void aBoundShorterThanTheIntervalIsRefused() {
        Map<String, String> settings = Map.of("url", "http://127.0.0.1:1/", "sp_id", "sp", "user_id", "u",
                "poll_interval", "5s", "max_poll_interval", "1s");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RemoteSettings.parse(settings));
        assertTrue(e.getMessage().contains("max_poll_interval"), e.getMessage());
    }
}
