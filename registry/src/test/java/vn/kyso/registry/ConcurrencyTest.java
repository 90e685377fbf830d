package vn.kyso.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vn.kyso.CertificateStatus;
import vn.kyso.DeviceKind;
import vn.kyso.StaffGroup;

@Timeout(300)
class ConcurrencyTest {
    private static final Instant NOW = Instant.parse("2026-11-15T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final int THREADS_PER_NODE = 4;
    private static final int EVENTS_PER_THREAD = 250;
    private static final int STATUS_CHANGES_PER_THREAD = 20;
    private static final int NEW_PER_THREAD = 15;

    private static RegisteredCertificate issued(String id) {
        return Fixtures.entry(id, "Cán bộ " + id, "p-" + id, "Văn phòng Sở", StaffGroup.CIVIL_SERVANT,
                "Ban Cơ yếu Chính phủ", DeviceKind.USB_TOKEN, CertificateStatus.ISSUED,
                NOW.minus(30, ChronoUnit.DAYS), NOW.plus(700, ChronoUnit.DAYS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void twoNodesWritingOnSeveralThreadsLoseNothing(TestDatabases.Kind db) throws Exception {
        DataSource[] nodes = db.freshPair();
        ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_NODE);
        try {
            // both nodes open (and so migrate) the new database at the same moment
            List<Future<JdbcCertificateRegistry>> opening = new ArrayList<>();
            for (DataSource node : nodes) {
                opening.add(pool.submit(() -> JdbcCertificateRegistry.open(node, CLOCK)));
            }
            JdbcCertificateRegistry[] registries = {opening.get(0).get(), opening.get(1).get()};
            for (int i = 0; i < 10; i++) {
                registries[0].register(issued("used-" + i), "admin", "");
                registries[1].register(issued("toggled-" + i), "admin", "");
            }
            JdbcUsageReporter[] reporters = {JdbcUsageReporter.start(nodes[0], 10_000, 100, CLOCK),
                JdbcUsageReporter.start(nodes[1], 10_000, 100, CLOCK)};

            List<Callable<Void>> work = new ArrayList<>();
            for (int node = 0; node < 2; node++) {
                for (int t = 0; t < THREADS_PER_NODE; t++) {
                    JdbcCertificateRegistry registry = registries[node];
                    JdbcUsageReporter usage = reporters[node];
                    String thread = node + "-" + t;
                    work.add(() -> {
                        for (int i = 0; i < EVENTS_PER_THREAD; i++) {
                            usage.report(JdbcUsageReporterTest.event("used-" + (i % 10), i));
                            if (i < STATUS_CHANGES_PER_THREAD) {
                                CertificateStatus to = i % 2 == 0 ? CertificateStatus.SUSPENDED
                                        : CertificateStatus.DEVICE_LOCKED;
                                assertTrue(registry.setStatus("toggled-" + (i % 10), to, "thread " + thread, ""));
                            }
                            if (i < NEW_PER_THREAD) {
                                registry.register(issued("new-" + thread + "-" + i), "thread " + thread, "");
                                // every thread also registers the same shared ids: one row each, never an error
                                registry.register(issued("shared-" + i), "thread " + thread, "");
                            }
                        }
                        return null;
                    });
                }
            }
            for (Future<Void> f : pool.invokeAll(work)) {
                f.get();
            }
            for (JdbcUsageReporter usage : reporters) {
                assertTrue(usage.flush(Duration.ofSeconds(120)));
                assertEquals(0, usage.dropped());
                usage.close();
            }

            int threads = 2 * THREADS_PER_NODE;
            assertEquals(threads * EVENTS_PER_THREAD, count(nodes[1], "SELECT COUNT(*) FROM usage_event"));
            assertEquals(10 + 10 + threads * NEW_PER_THREAD + NEW_PER_THREAD,
                    count(nodes[0], "SELECT COUNT(*) FROM certificate"));
            // every status change is in the history, in order: each change starts where the previous ended
            assertEquals(10 + threads * STATUS_CHANGES_PER_THREAD, count(nodes[0],
                    "SELECT COUNT(*) FROM certificate_status_history WHERE certificate_id LIKE 'toggled-%'"));
            for (int i = 0; i < 10; i++) {
                List<StatusChange> history = registries[1].history("toggled-" + i);
                for (int k = 1; k < history.size(); k++) {
                    assertEquals(history.get(k - 1).to(), history.get(k).from());
                }
                // the first signature moved each used certificate to IN_USE exactly once
                List<StatusChange> used = registries[0].history("used-" + i);
                assertEquals(List.of(CertificateStatus.ISSUED, CertificateStatus.IN_USE),
                        used.stream().map(StatusChange::to).toList());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long count(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            assertTrue(r.next());
            return r.getLong(1);
        }
    }
}
