package vn.kyso.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;
import javax.sql.DataSource;
import vn.kyso.CertificateStatus;
import vn.kyso.StaffGroup;

/**
 * Computes the periodic usage report from the register and the usage events, following the
 * rules of the agencies' table: people are counted, not certificates; a certificate with an
 * information change pending counts as issued; a person holding an issued certificate is not
 * also counted as registered.
 *
 * <p>People come from the staff roster; a certificate whose holder is not on the roster counts
 * its holder (by personal id, or by the certificate when it has none) with the certificate's unit
 * and group, so an agency that registers certificates without a roster still gets a report.
 * Organization certificates (an agency's seal, keyed "MST:…") are not people and are left out.
 * Statuses are those at the period's end (from the status history), events those of the period.
 */
public final class UsageReports {
    static final String TOTAL = "Tổng số";
    private final DataSource dataSource;
    private final Clock clock;

    private UsageReports(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Reports over the register in {@code dataSource}, creating or migrating its schema. */
    public static UsageReports open(DataSource dataSource) {
        return open(dataSource, Clock.systemUTC());
    }

    /** Reports with a clock for "now": a period not yet over is reported as of now. */
    public static UsageReports open(DataSource dataSource, Clock clock) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        SchemaMigrator.ensure(dataSource);
        return new UsageReports(dataSource, clock);
    }

    /** The agencies in the register (roster or certificates), sorted. */
    public List<String> agencies() {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "SELECT agency FROM staff UNION SELECT agency FROM certificate WHERE person_id NOT LIKE 'MST:%'");
             ResultSet r = p.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (r.next()) {
                out.add(r.getString(1));
            }
            return out.stream().sorted().toList();
        } catch (SQLException e) {
            throw new RegistryException("cannot list the agencies: " + e.getMessage(), e);
        }
    }

    /** The report for {@code request}. */
    public UsageReport compute(ReportRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        try (Connection c = dataSource.getConnection()) {
            // one consistent snapshot of roster, certificates and events
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                Instant now = clock.instant();
                Map<String, Person> people = people(c, request, request.to().isAfter(now) ? now : request.to());
                countSignatures(c, request, people);
                List<Person> all = new ArrayList<>(people.values());
                List<UsageReport.Row> groups = List.of(
                        row(StaffGroup.LEADER_MANAGER.vietnamese(), StaffGroup.LEADER_MANAGER, all, request,
                                p -> p.leader || p.group == StaffGroup.LEADER_MANAGER),
                        row(StaffGroup.CIVIL_SERVANT.vietnamese(), StaffGroup.CIVIL_SERVANT, all, request,
                                p -> p.group == StaffGroup.CIVIL_SERVANT),
                        row(StaffGroup.PUBLIC_EMPLOYEE.vietnamese(), StaffGroup.PUBLIC_EMPLOYEE, all, request,
                                p -> p.group == StaffGroup.PUBLIC_EMPLOYEE));
                UsageReport.Row total = row(TOTAL, null, all, request, p -> true);
                List<UsageReport.Row> units = new ArrayList<>();
                for (String unit : new TreeMap<>(groupByUnit(all)).keySet()) {
                    units.add(row(unit, null, all, request, p -> p.unit.equals(unit)));
                }
                UsageReport report = new UsageReport(request, groups, total, List.copyOf(units), failures(c, request),
                        timings(c, request), documentTypes(c, request));
                c.commit();
                return report;
            } catch (SQLException | RuntimeException e) {
                Jdbc.rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new RegistryException("cannot compute the usage report: " + e.getMessage(), e);
        }
    }

    private static Map<String, Integer> groupByUnit(List<Person> all) {
        Map<String, Integer> out = new HashMap<>();
        all.forEach(p -> out.merge(p.unit, 1, Integer::sum));
        return out;
    }

    private static UsageReport.Row row(String label, StaffGroup group, List<Person> all, ReportRequest request,
            Predicate<Person> member) {
        int headcount = 0;
        int issued = 0;
        int registered = 0;
        int regular = 0;
        int unused = 0;
        Map<String, Integer> byCa = new TreeMap<>();
        for (Person p : all) {
            if (!member.test(p)) {
                continue;
            }
            headcount++;
            if (p.issuedCa != null) {
                issued++;
                byCa.merge(p.issuedCa, 1, Integer::sum);
                if (p.signatures <= request.rarelyAtMost()) {
                    unused++;
                }
            } else if (p.registered) {
                registered++;
            }
            if (p.signatures >= request.regularAtLeast()) {
                regular++;
            }
        }
        return new UsageReport.Row(label, group, headcount, issued, java.util.Collections.unmodifiableMap(byCa),
                registered, headcount - issued - registered, regular, unused);
    }

    /**
     * The people the report counts, with their best certificate status as of {@code asOf} (the
     * period's end, or now for a period not over): the last status change recorded before it, so
     * last month's report computed today still counts last month's certificates; one past its
     * validity then is not counted as issued.
     */
    private static Map<String, Person> people(Connection c, ReportRequest request, Instant asOf) throws SQLException {
        Map<String, Person> people = new LinkedHashMap<>();
        String agencyFilter = request.agency() == null ? "" : " WHERE agency = ?";
        try (PreparedStatement p = c.prepareStatement("SELECT agency, person_id, unit, staff_group, leader FROM staff"
                + agencyFilter)) {
            if (request.agency() != null) {
                p.setString(1, request.agency());
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    people.put(r.getString(1) + "\u0000" + r.getString(2), new Person(r.getString(3),
                            StaffGroup.valueOf(r.getString(4)), r.getBoolean(5)));
                }
            }
        }
        // the newest issued certificate names the person's CA
        try (PreparedStatement p = c.prepareStatement("SELECT c.agency, c.person_id, c.id, c.unit, c.staff_group, "
                + "c.issuing_ca, h.to_status, c.not_after FROM certificate c JOIN certificate_status_history h "
                + "ON h.certificate_id = c.id WHERE h.id = (SELECT MAX(h2.id) FROM certificate_status_history h2 "
                + "WHERE h2.certificate_id = c.id AND h2.changed_at <= ?) AND c.person_id NOT LIKE 'MST:%'"
                + (request.agency() == null ? "" : " AND c.agency = ?") + " ORDER BY c.not_before, c.id")) {
            p.setObject(1, Jdbc.timestamp(asOf));
            if (request.agency() != null) {
                p.setString(2, request.agency());
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String personId = r.getString(2);
                    String key = r.getString(1) + "\u0000" + (personId.isBlank() ? "cert:" + r.getString(3) : personId);
                    Person person = people.computeIfAbsent(key, k -> {
                        StaffGroup group = StaffGroup.valueOf(uncheckedString(r, 5));
                        return new Person(uncheckedString(r, 4), group, group == StaffGroup.LEADER_MANAGER);
                    });
                    person.certificates.add(r.getString(3));
                    CertificateStatus status = CertificateStatus.valueOf(r.getString(7));
                    Instant notAfter = Jdbc.instant(r, "not_after");
                    if (status.countsAsIssued() && (notAfter == null || notAfter.isAfter(asOf))) {
                        person.issuedCa = r.getString(6);
                    } else if (status == CertificateStatus.REGISTERED || status == CertificateStatus.REQUESTED) {
                        person.registered = true;
                    }
                }
            }
        }
        return people;
    }

    private static String uncheckedString(ResultSet r, int column) {
        try {
            return r.getString(column);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signed documents in the period per certificate, added to their holders. */
    private static void countSignatures(Connection c, ReportRequest request, Map<String, Person> people)
            throws SQLException {
        Map<String, Person> byCertificate = new HashMap<>();
        people.values().forEach(p -> p.certificates.forEach(id -> byCertificate.put(id, p)));
        try (PreparedStatement p = c.prepareStatement("SELECT signer, SUM(signatures) FROM usage_event "
                + "WHERE outcome = 'SIGNED' AND at >= ? AND at < ?" + agencyCondition(request) + " GROUP BY signer")) {
            bindPeriod(p, request);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    Person person = byCertificate.get(r.getString(1));
                    if (person != null) {
                        person.signatures += r.getLong(2);
                    }
                }
            }
        }
    }

    private static List<UsageReport.Failure> failures(Connection c, ReportRequest request) throws SQLException {
        List<UsageReport.Failure> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT provider_id, outcome, error_kind, COUNT(*) AS n "
                + "FROM usage_event WHERE outcome <> 'SIGNED' AND at >= ? AND at < ?" + agencyCondition(request)
                + " GROUP BY provider_id, outcome, error_kind ORDER BY n DESC, provider_id, outcome, error_kind")) {
            bindPeriod(p, request);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new UsageReport.Failure(r.getString(1), r.getString(2), r.getString(3), r.getLong(4)));
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<UsageReport.Timing> timings(Connection c, ReportRequest request) throws SQLException {
        List<UsageReport.Timing> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT provider_id, COUNT(*), "
                + "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY duration_ms), "
                + "PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY duration_ms) "
                + "FROM usage_event WHERE outcome = 'SIGNED' AND at >= ? AND at < ?" + agencyCondition(request)
                + " GROUP BY provider_id ORDER BY provider_id")) {
            bindPeriod(p, request);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new UsageReport.Timing(r.getString(1), r.getLong(2), r.getDouble(3), r.getDouble(4)));
                }
            }
        }
        return List.copyOf(out);
    }

    private static Map<String, Long> documentTypes(Connection c, ReportRequest request) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT document_type, SUM(signatures) AS n FROM usage_event "
                + "WHERE outcome = 'SIGNED' AND at >= ? AND at < ?" + agencyCondition(request)
                + " GROUP BY document_type")) {
            bindPeriod(p, request);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    counts.put(r.getString(1), r.getLong(2));
                }
            }
        }
        // most frequent first, ties by code point in Java: the databases' collations differ
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return java.util.Collections.unmodifiableMap(out);
    }

    private static String agencyCondition(ReportRequest request) {
        return request.agency() == null ? "" : " AND agency = ?";
    }

    private static void bindPeriod(PreparedStatement p, ReportRequest request) throws SQLException {
        p.setObject(1, Jdbc.timestamp(request.from()));
        p.setObject(2, Jdbc.timestamp(request.to()));
        if (request.agency() != null) {
            p.setString(3, request.agency());
        }
    }

    /** One person as the report counts them. */
    private static final class Person {
        final String unit;
        final StaffGroup group;
        final boolean leader;
        final List<String> certificates = new ArrayList<>();
        String issuedCa;
        boolean registered;
        long signatures;

        Person(String unit, StaffGroup group, boolean leader) {
            this.unit = unit;
            this.group = group;
            this.leader = leader;
        }
    }

}
