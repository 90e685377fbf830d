package vn.kyso.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 * Statuses are those at the period's end (from the status history), the staff those on the roster
 * at its end (by joining and leaving day), events and outgoing documents those of the period.
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
        try (Connection c = dataSource.getConnection()) {
            return agencies(c);
        } catch (SQLException e) {
            throw new RegistryException("cannot list the agencies: " + e.getMessage(), e);
        }
    }

    private static List<String> agencies(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT agency FROM staff UNION SELECT agency FROM certificate WHERE person_id NOT LIKE 'MST:%'");
             ResultSet r = p.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (r.next()) {
                out.add(r.getString(1));
            }
            return out.stream().sorted().toList();
        }
    }

    /** The report for {@code request}: one agency's, or the whole register's when its agency is null. */
    public UsageReport compute(ReportRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        return inSnapshot(c -> compute(c, request));
    }

    /**
     * One report per agency in the register, as the province asks for them, all from one
     * consistent snapshot of the register; the request's agency is ignored.
     *
     * @return the reports, ordered by agency
     */
    public List<UsageReport> computeEach(ReportRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        return inSnapshot(c -> {
            List<UsageReport> out = new ArrayList<>();
            for (String agency : agencies(c)) {
                out.add(compute(c, request.forAgency(agency)));
            }
            return List.copyOf(out);
        });
    }

    private <T> T inSnapshot(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            // one consistent snapshot of roster, certificates and events
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                Jdbc.rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new RegistryException("cannot compute the usage report: " + e.getMessage(), e);
        }
    }

    private UsageReport compute(Connection c, ReportRequest request) throws SQLException {
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
        Map<String, UsageReport.Outgoing> outgoingByUnit = outgoing(c, request);
        UsageReport.Outgoing outgoing = outgoingByUnit.isEmpty() ? null : new UsageReport.Outgoing(
                outgoingByUnit.values().stream().mapToLong(UsageReport.Outgoing::documents).sum(),
                outgoingByUnit.values().stream().mapToLong(UsageReport.Outgoing::signed).sum());
        return new UsageReport(request, groups, total, List.copyOf(units), outgoing, outgoingByUnit,
                failures(c, request), timings(c, request), documentTypes(c, request));
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
        // staff who joined after the day or had left by then are not counted, nor their certificates
        Set<String> offStaff = new HashSet<>();
        LocalDate day = LocalDate.ofInstant(asOf.minusNanos(1), ReportRequest.VIETNAM);
        String agencyFilter = request.agency() == null ? "" : " WHERE agency = ?";
        try (PreparedStatement p = c.prepareStatement("SELECT agency, person_id, unit, staff_group, leader, joined, "
                + "left_on FROM staff" + agencyFilter)) {
            if (request.agency() != null) {
                p.setString(1, request.agency());
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String key = r.getString(1) + "\u0000" + r.getString(2);
                    LocalDate joined = r.getObject(6, LocalDate.class);
                    LocalDate left = r.getObject(7, LocalDate.class);
                    if ((joined == null || !joined.isAfter(day)) && (left == null || left.isAfter(day))) {
                        people.put(key, new Person(r.getString(3), StaffGroup.valueOf(r.getString(4)),
                                r.getBoolean(5)));
                    } else {
                        offStaff.add(key);
                    }
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
                    if (offStaff.contains(key)) {
                        continue;
                    }
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
        events(c, request, "SELECT n.name, t.total FROM (SELECT signer, SUM(signatures) AS total FROM usage_log "
                + "WHERE outcome = " + JdbcCertificateRegistry.SIGNED_ID + period(request) + " GROUP BY signer) t "
                + "JOIN usage_name n ON n.id = t.signer", r -> {
                    Person person = byCertificate.get(r.getString(1));
                    if (person != null) {
                        person.signatures += r.getLong(2);
                    }
                });
    }

    /** Failed attempts by provider, outcome and error kind, most frequent first, ties by name in Java. */
    private static List<UsageReport.Failure> failures(Connection c, ReportRequest request) throws SQLException {
        List<UsageReport.Failure> out = new ArrayList<>();
        events(c, request, "SELECT p.name, o.name, x.name, t.n FROM (SELECT provider, outcome, error_kind, "
                + "COUNT(*) AS n FROM usage_log WHERE outcome <> " + JdbcCertificateRegistry.SIGNED_ID + period(request)
                + " GROUP BY provider, outcome, error_kind) t JOIN usage_name p ON p.id = t.provider "
                + "JOIN usage_name o ON o.id = t.outcome JOIN usage_name x ON x.id = t.error_kind",
                r -> out.add(new UsageReport.Failure(r.getString(1), r.getString(2), r.getString(3), r.getLong(4))));
        out.sort(Comparator.comparingLong(UsageReport.Failure::attempts).reversed()
                .thenComparing(UsageReport.Failure::providerId).thenComparing(UsageReport.Failure::outcome)
                .thenComparing(UsageReport.Failure::errorKind));
        return List.copyOf(out);
    }

    private static List<UsageReport.Timing> timings(Connection c, ReportRequest request) throws SQLException {
        List<UsageReport.Timing> out = new ArrayList<>();
        events(c, request, "SELECT p.name, t.n, t.median, t.p95 FROM (SELECT provider, COUNT(*) AS n, "
                + "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY duration_ms) AS median, "
                + "PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95 "
                + "FROM usage_log WHERE outcome = " + JdbcCertificateRegistry.SIGNED_ID + period(request)
                + " GROUP BY provider) t JOIN usage_name p ON p.id = t.provider",
                r -> out.add(new UsageReport.Timing(r.getString(1), r.getLong(2), r.getDouble(3), r.getDouble(4))));
        out.sort(Comparator.comparing(UsageReport.Timing::providerId));
        return List.copyOf(out);
    }

    private static Map<String, Long> documentTypes(Connection c, ReportRequest request) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        events(c, request, "SELECT d.name, t.n FROM (SELECT document_type, SUM(signatures) AS n FROM usage_log "
                + "WHERE outcome = " + JdbcCertificateRegistry.SIGNED_ID + period(request) + " GROUP BY document_type) t "
                + "JOIN usage_name d ON d.id = t.document_type", r -> counts.put(r.getString(1), r.getLong(2)));
        // most frequent first, ties by code point in Java: the databases' collations differ
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Outgoing documents of the period per unit, ordered by unit; empty when the DMS recorded none. */
    private static Map<String, UsageReport.Outgoing> outgoing(Connection c, ReportRequest request)
            throws SQLException {
        Map<String, UsageReport.Outgoing> out = new TreeMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT unit, COUNT(*), "
                + "SUM(CASE WHEN signed THEN 1 ELSE 0 END) FROM outgoing_document WHERE issued_at >= ? "
                + "AND issued_at < ?" + (request.agency() == null ? "" : " AND agency = ?") + " GROUP BY unit")) {
            p.setObject(1, Jdbc.timestamp(request.from()));
            p.setObject(2, Jdbc.timestamp(request.to()));
            if (request.agency() != null) {
                p.setString(3, request.agency());
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), new UsageReport.Outgoing(r.getLong(2), r.getLong(3)));
                }
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The period's condition on usage_log, and the agency's for one agency, bound by {@link #events}. */
    private static String period(ReportRequest request) {
        return " AND at >= ? AND at < ?" + (request.agency() == null ? "" : " AND agency = ?");
    }

    /**
     * Runs an events query whose inner select ends with {@link #period}, calling {@code each} per
     * row. The agency's id is looked up first, so the index on (agency, at) serves the query; an
     * agency that never signed has no id and no events.
     */
    private static void events(Connection c, ReportRequest request, String sql, RowReader each) throws SQLException {
        Optional<Integer> agency = request.agency() == null ? Optional.empty()
                : UsageNames.find(c, UsageNames.AGENCY, request.agency());
        if (request.agency() != null && agency.isEmpty()) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setObject(1, Jdbc.timestamp(request.from()));
            p.setObject(2, Jdbc.timestamp(request.to()));
            if (agency.isPresent()) {
                p.setInt(3, agency.get());
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    each.read(r);
                }
            }
        }
    }

    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet r) throws SQLException;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
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
