package vn.kyso.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.sql.DataSource;
import vn.kyso.CertificateRecord;
import vn.kyso.CertificateStatus;
import vn.kyso.DeviceKind;
import vn.kyso.StaffGroup;
import vn.kyso.UsageEvent;

/**
 * Records usage events through {@link JdbcUsageReporter} and computes the monthly report for every
 * agency, on H2 or PostgreSQL; prints events per second, report time and database size. Never run
 * by the tests.
 *
 * <pre>
 * java -cp … vn.kyso.registry.RegistryBenchmark h2 1000000 100
 * KYSO_TEST_PG_URL=jdbc:postgresql://127.0.0.1:5432/kyso_test?user=kyso&amp;password=kyso \
 *     java -cp … vn.kyso.registry.RegistryBenchmark pg 1000000 100
 * </pre>
 */
public final class RegistryBenchmark {
    private static final int STAFF_PER_AGENCY = 240;
    private static final int HOLDERS_PER_AGENCY = 140;
    private static final YearMonth MONTH = YearMonth.of(2026, 11);

    private RegistryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String db = args.length > 0 ? args[0] : "h2";
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int agencies = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Path h2Dir = null;
        DataSource ds;
        if (db.equals("h2")) {
            h2Dir = Files.createTempDirectory("kyso-registry-bench");
            ds = Databases.embedded(h2Dir);
        } else {
            ds = TestDatabases.freshPostgres()[0];
        }
        // the register is filled before the month the events fall in, as the report reads statuses at its end
        Clock clock = Clock.fixed(ReportRequest.month(MONTH, null).from().minus(Duration.ofDays(1)),
                java.time.ZoneOffset.UTC);
        JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(ds, clock);

        long setupStart = System.nanoTime();
        List<String> certificates = new ArrayList<>();
        for (int a = 0; a < agencies; a++) {
            String agency = "Cơ quan " + a;
            List<StaffMember> roster = new ArrayList<>();
            List<RegisteredCertificate> held = new ArrayList<>();
            for (int s = 0; s < STAFF_PER_AGENCY; s++) {
                String person = String.format("%04d%08d", a, s);
                String unit = "Đơn vị " + (s % 6);
                StaffGroup group = s % 3 == 2 ? StaffGroup.PUBLIC_EMPLOYEE : StaffGroup.CIVIL_SERVANT;
                roster.add(new StaffMember(agency, person, "Cán bộ " + person, unit, group, s < 20, "", ""));
                if (s < HOLDERS_PER_AGENCY) {
                    String id = "c" + person;
                    held.add(RegisteredCertificate.of(new CertificateRecord(id, "Cán bộ " + person, unit, group,
                            s % 10 == 0 ? "VNPT-CA" : "Ban Cơ yếu Chính phủ", DeviceKind.USB_TOKEN,
                            CertificateStatus.ISSUED, Integer.toHexString(s), Instant.parse("2026-01-01T00:00:00Z"),
                            Instant.parse("2029-01-01T00:00:00Z")), agency, person, "", "", ""));
                    certificates.add(id);
                }
            }
            registry.addStaff(roster);
            registry.registerAll(held, "bench", "");
        }
        System.out.printf("setup: %d agencies, %d staff, %d certificates in %.1f s%n", agencies,
                agencies * STAFF_PER_AGENCY, certificates.size(), (System.nanoTime() - setupStart) / 1e9);

        Random random = new Random(20261130);
        Instant from = ReportRequest.month(MONTH, null).from();
        long monthSeconds = Duration.between(from, ReportRequest.month(MONTH, null).to()).getSeconds();
        String[] types = {"Công văn", "Tờ trình", "Quyết định", "Báo cáo", "Giấy mời", DocumentTypes.TAX_FORM};
        long start = System.nanoTime();
        try (JdbcUsageReporter usage = JdbcUsageReporter.start(ds, JdbcUsageReporter.DEFAULT_CAPACITY,
                JdbcUsageReporter.DEFAULT_BATCH, clock)) {
            for (int i = 0; i < events; i++) {
                // the writer's rate is measured, not the queue's bound: wait when it is nearly full
                while (usage.queued() > JdbcUsageReporter.DEFAULT_CAPACITY * 9 / 10) {
                    Thread.sleep(1);
                }
                boolean failed = random.nextInt(50) == 0;
                String provider = random.nextInt(5) == 0 ? "remote-sim" : "pkcs11";
                usage.report(new UsageEvent(certificates.get(random.nextInt(certificates.size())), "Cán bộ",
                        from.plusSeconds((long) (random.nextDouble() * monthSeconds)), types[random.nextInt(types.length)],
                        "pades", provider, DeviceKind.USB_TOKEN,
                        failed ? UsageEvent.Outcome.FAILED : UsageEvent.Outcome.SIGNED, failed ? 0 : 1,
                        Duration.ofMillis(provider.equals("pkcs11") ? 300 + random.nextInt(1500)
                                : 4000 + random.nextInt(30_000)), failed ? "PinIncorrectException" : ""));
            }
            usage.flush(Duration.ofHours(1));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("events: %d written, %d lost, in %.1f s = %.0f events/s%n", usage.written(),
                    usage.dropped(), seconds, usage.written() / seconds);
        }

        UsageReports reports = UsageReports.open(ds);
        long reportStart = System.nanoTime();
        int regular = 0;
        for (String agency : reports.agencies()) {
            regular += reports.compute(ReportRequest.month(MONTH, agency)).total().signingRegularly();
        }
        double perAgency = (System.nanoTime() - reportStart) / 1e9;
        long wholeStart = System.nanoTime();
        UsageReport whole = reports.compute(ReportRequest.month(MONTH, null));
        double wholeSeconds = (System.nanoTime() - wholeStart) / 1e9;
        System.out.printf("report: %d agencies one by one in %.2f s (%.0f ms each), whole register in %.2f s "
                + "(%d staff, %d regular; per-agency sum %d)%n", agencies, perAgency, perAgency * 1000 / agencies,
                wholeSeconds, whole.total().headcount(), whole.total().signingRegularly(), regular);
        System.out.printf("database size: %.1f MB%n", size(db, ds, h2Dir) / 1e6);
        if (h2Dir != null) {
            // what stays on disk when the application stops: H2 compacts the file as it closes
            long closeStart = System.nanoTime();
            try (Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
            System.out.printf("database size after close: %.1f MB (close took %.1f s)%n", size(db, ds, h2Dir) / 1e6,
                    (System.nanoTime() - closeStart) / 1e9);
        }
    }

    private static long size(String db, DataSource ds, Path h2Dir) throws Exception {
        if (db.equals("h2")) {
            try (Stream<Path> files = Files.list(h2Dir)) {
                return files.mapToLong(p -> p.toFile().length()).sum();
            }
        }
        try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement(
                "SELECT SUM(pg_total_relation_size(quote_ident(schemaname) || '.' || quote_ident(tablename))) "
                        + "FROM pg_tables WHERE schemaname = current_schema()");
             ResultSet r = p.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }
}
