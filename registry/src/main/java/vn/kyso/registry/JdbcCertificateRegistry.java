package vn.kyso.registry;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import vn.kyso.CertificateRecord;
import vn.kyso.CertificateRegistry;
import vn.kyso.CertificateStatus;
import vn.kyso.DeviceKind;
import vn.kyso.StaffGroup;

/**
 * The certificate register kept in a database over JDBC, shared by every node given the same
 * {@link DataSource}: records, the staff roster, and the history of every status change.
 *
 * <p>Each write is one transaction: a failure part-way leaves the previous state. Status changes
 * lock the row, so concurrent writers on several nodes keep a complete, ordered history. The
 * schema is created or migrated when the register is opened.
 *
 * <pre>{@code
 * JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(Databases.embedded(dataDir));
 * registry.register(CertificateImport.fromX509(cert, StaffGroup.CIVIL_SERVANT, DeviceKind.USB_TOKEN, "Văn phòng Sở"),
 *         "admin", "cấp mới");
 * registry.expiringWithin(Duration.ofDays(30));
 * }</pre>
 */
public final class JdbcCertificateRegistry implements CertificateRegistry {
    /** The actor of changes kyso makes itself (from signing, from the api's interface). */
    public static final String KYSO = "kyso";
    private static final String COLUMNS = "id, holder, person_id, email, phone, agency, unit, staff_group, issuing_ca, "
            + "device_kind, status, serial, subject, not_before, not_after, successor_id, first_used_at, last_used_at";

    /** The id of outcome SIGNED in usage_name, for queries over the events. */
    static final String SIGNED_ID = "(SELECT id FROM usage_name WHERE kind = 'outcome' AND name = 'SIGNED')";

    private final DataSource dataSource;
    private final Clock clock;

    private JdbcCertificateRegistry(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Opens the register in {@code dataSource}, creating or migrating its schema.
     *
     * @throws RegistryException when the database cannot be reached or migrated
     */
    public static JdbcCertificateRegistry open(DataSource dataSource) {
        return open(dataSource, Clock.systemUTC());
    }

    /** Opens the register with a clock for "now" (history times, expiry windows). */
    public static JdbcCertificateRegistry open(DataSource dataSource, Clock clock) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        SchemaMigrator.ensure(dataSource);
        return new JdbcCertificateRegistry(dataSource, clock);
    }

    /** Opens the embedded default: an H2 database in a file under {@code dataDirectory}. */
    public static JdbcCertificateRegistry embedded(Path dataDirectory) {
        return open(Databases.embedded(dataDirectory));
    }

    DataSource dataSource() {
        return dataSource;
    }

    // ---- the api's interface ------------------------------------------------------------------

    /**
     * Adds the record, or replaces the api fields of the one with the same id, keeping what only
     * this register knows (agency, contacts, successor, use).
     */
    @Override
    public void register(CertificateRecord record) {
        Objects.requireNonNull(record, "record must not be null");
        writeUpsert("register " + record.id(), c -> {
            Optional<RegisteredCertificate> existing = lock(c, record.id());
            if (existing.isPresent()) {
                RegisteredCertificate old = existing.get();
                update(c, new RegisteredCertificate(record, old.agency(), old.personalId(), old.email(), old.phone(),
                        old.subject(), old.successorId(), old.firstUsed(), old.lastUsed()));
                if (old.certificate().status() != record.status()) {
                    history(c, record.id(), old.certificate().status(), record.status(), KYSO, "registered again");
                }
            } else {
                insert(c, RegisteredCertificate.of(record, "", "", "", "", ""), KYSO, "registered");
            }
            return null;
        });
    }

    @Override
    public Optional<CertificateRecord> find(String id) {
        return entry(id).map(RegisteredCertificate::certificate);
    }

    @Override
    public List<CertificateRecord> all() {
        return search(RegistryQuery.all()).stream().map(RegisteredCertificate::certificate).toList();
    }

    @Override
    public boolean updateStatus(String id, CertificateStatus status) {
        return setStatus(id, status, KYSO, "");
    }

    /**
     * Registers the certificate of every key a {@link vn.kyso.KeySource} lists (a token's, a PKI
     * SIM's, a file's) in one transaction, reading the Vietnamese subject as
     * {@link CertificateImport} does (citizen id, agency from O, unit from OU or {@code unit}).
     */
    @Override
    public List<CertificateRecord> registerKeys(List<vn.kyso.KeyDescriptor> keys, String unit, StaffGroup staffGroup) {
        Objects.requireNonNull(unit, "unit must not be null");
        Objects.requireNonNull(staffGroup, "staffGroup must not be null");
        List<RegisteredCertificate> entries = keys.stream()
                .map(k -> CertificateImport.fromX509(k.certificate(), staffGroup, k.deviceKind(), unit)).toList();
        registerAll(entries, KYSO, "registered from the key source");
        return entries.stream().map(RegisteredCertificate::certificate).toList();
    }

    @Override
    public List<CertificateRecord> expiringBefore(Instant time) {
        Objects.requireNonNull(time, "time must not be null");
        return query("SELECT " + COLUMNS + " FROM certificate WHERE not_after < ? AND status IN " + issuedStatuses()
                + " ORDER BY not_after, id", p -> p.setObject(1, Jdbc.timestamp(time)))
                .stream().map(RegisteredCertificate::certificate).toList();
    }

    // ---- the register ---------------------------------------------------------------------------

    /**
     * Adds the entry, or replaces the one with the same id; a new entry or a changed status is
     * written to the history with {@code actor} and {@code reason}.
     */
    public void register(RegisteredCertificate entry, String actor, String reason) {
        Objects.requireNonNull(entry, "entry must not be null");
        registerAll(List.of(entry), actor, reason);
    }

    /**
     * Registers every entry as {@link #register(RegisteredCertificate, String, String)} does, all
     * in one transaction: a whole import is written, or none of it.
     */
    public void registerAll(List<RegisteredCertificate> entries, String actor, String reason) {
        List<RegisteredCertificate> all = List.copyOf(entries);
        requireActor(actor, reason);
        writeUpsert("register " + all.size() + " certificate(s)", c -> {
            for (RegisteredCertificate entry : all) {
                Optional<RegisteredCertificate> existing = lock(c, entry.id());
                if (existing.isPresent()) {
                    update(c, entry);
                    CertificateStatus before = existing.get().certificate().status();
                    if (before != entry.certificate().status()) {
                        history(c, entry.id(), before, entry.certificate().status(), actor, reason);
                    }
                } else {
                    insert(c, entry, actor, reason);
                }
            }
            return null;
        });
    }

    /** The entry with this id. */
    public Optional<RegisteredCertificate> entry(String id) {
        Objects.requireNonNull(id, "id must not be null");
        List<RegisteredCertificate> found = query("SELECT " + COLUMNS + " FROM certificate WHERE id = ?",
                p -> p.setString(1, id));
        return found.stream().findFirst();
    }

    /**
     * Changes a certificate's status and records who did it and why, in one transaction.
     *
     * @return false when no certificate has this id
     */
    public boolean setStatus(String id, CertificateStatus status, String actor, String reason) {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(status, "status must not be null");
        requireActor(actor, reason);
        return write("set status of " + id, c -> {
            Optional<RegisteredCertificate> existing = lock(c, id);
            if (existing.isEmpty()) {
                return false;
            }
            CertificateStatus before = existing.get().certificate().status();
            try (PreparedStatement p = c.prepareStatement("UPDATE certificate SET status = ? WHERE id = ?")) {
                p.setString(1, status.name());
                p.setString(2, id);
                p.executeUpdate();
            }
            history(c, id, before, status, actor, reason);
            return true;
        });
    }

    /**
     * Records a renewal in one transaction: the successor is registered as issued, and the old
     * certificate becomes {@link CertificateStatus#RENEWED} linked to it.
     *
     * @throws IllegalArgumentException when {@code oldId} is not in the register
     */
    public void renew(String oldId, RegisteredCertificate successor, String actor, String reason) {
        Objects.requireNonNull(oldId, "oldId must not be null");
        Objects.requireNonNull(successor, "successor must not be null");
        requireActor(actor, reason);
        if (oldId.equals(successor.id())) {
            throw new IllegalArgumentException("a certificate cannot renew itself");
        }
        write("renew " + oldId, c -> {
            Optional<RegisteredCertificate> old = lock(c, oldId);
            if (old.isEmpty()) {
                throw new IllegalArgumentException("no certificate " + oldId + " in the register to renew");
            }
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE certificate SET status = ?, successor_id = ? WHERE id = ?")) {
                p.setString(1, CertificateStatus.RENEWED.name());
                p.setString(2, successor.id());
                p.setString(3, oldId);
                p.executeUpdate();
            }
            history(c, oldId, old.get().certificate().status(), CertificateStatus.RENEWED, actor,
                    reason.isEmpty() ? "renewed by " + successor.id() : reason);
            insert(c, successor, actor, reason.isEmpty() ? "renewal of " + oldId : reason);
            return null;
        });
    }

    /** Every status change of a certificate, oldest first. */
    public List<StatusChange> history(String id) {
        Objects.requireNonNull(id, "id must not be null");
        return read("read history of " + id, c -> {
            List<StatusChange> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT certificate_id, changed_at, from_status, to_status, "
                    + "actor, reason FROM certificate_status_history WHERE certificate_id = ? ORDER BY id")) {
                p.setString(1, id);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        String from = r.getString("from_status");
                        out.add(new StatusChange(r.getString("certificate_id"), Jdbc.instant(r, "changed_at"),
                                from == null ? null : CertificateStatus.valueOf(from),
                                CertificateStatus.valueOf(r.getString("to_status")), r.getString("actor"),
                                r.getString("reason")));
                    }
                }
            }
            return out;
        });
    }

    /** The certificates matching every field set in {@code query}, ordered by holder then id. */
    public List<RegisteredCertificate> search(RegistryQuery query) {
        Objects.requireNonNull(query, "query must not be null");
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM certificate WHERE 1 = 1");
        List<String> values = new ArrayList<>();
        condition(sql, values, "agency", query.agency());
        condition(sql, values, "unit", query.unit());
        condition(sql, values, "staff_group", query.staffGroup() == null ? null : query.staffGroup().name());
        condition(sql, values, "issuing_ca", query.issuingCa());
        condition(sql, values, "device_kind", query.deviceKind() == null ? null : query.deviceKind().name());
        condition(sql, values, "status", query.status() == null ? null : query.status().name());
        return byHolder(query(sql.toString(), p -> {
            for (int i = 0; i < values.size(); i++) {
                p.setString(i + 1, values.get(i));
            }
        }));
    }

    /** Certificates counted as issued whose validity ends within {@code window} from now, soonest first. */
    public List<RegisteredCertificate> expiringWithin(Duration window) {
        Objects.requireNonNull(window, "window must not be null");
        Instant now = clock.instant();
        return query("SELECT " + COLUMNS + " FROM certificate WHERE not_after >= ? AND not_after < ? AND status IN "
                + issuedStatuses() + " ORDER BY not_after, id", p -> {
                    p.setObject(1, Jdbc.timestamp(now));
                    p.setObject(2, Jdbc.timestamp(now.plus(window)));
                });
    }

    /**
     * Certificates counted as issued and valid during [{@code from}, {@code to}) that signed
     * nothing through kyso in that period: the "issued but not used" of the monthly report.
     */
    public List<RegisteredCertificate> issuedUnused(Instant from, Instant to) {
        Objects.requireNonNull(from, "from must not be null");
        Objects.requireNonNull(to, "to must not be null");
        return byHolder(query("SELECT " + COLUMNS + " FROM certificate c WHERE status IN " + issuedStatuses()
                + " AND not_before < ? AND not_after > ? AND NOT EXISTS (SELECT 1 FROM usage_log e JOIN usage_name s"
                + " ON s.id = e.signer WHERE s.kind = 'signer' AND s.name = c.id AND e.outcome = " + SIGNED_ID
                + " AND e.at >= ? AND e.at < ?)",
                p -> {
                    p.setObject(1, Jdbc.timestamp(to));
                    p.setObject(2, Jdbc.timestamp(from));
                    p.setObject(3, Jdbc.timestamp(from));
                    p.setObject(4, Jdbc.timestamp(to));
                }));
    }

    /**
     * Sorted by holder then id in Java, by code point: the databases' collations differ (and
     * PostgreSQL's follows the server's locale), the order must not.
     */
    private static List<RegisteredCertificate> byHolder(List<RegisteredCertificate> entries) {
        return entries.stream().sorted(java.util.Comparator.comparing((RegisteredCertificate e) ->
                e.certificate().holder()).thenComparing(RegisteredCertificate::id)).toList();
    }

    /**
     * What must be done now: certificates expiring within {@code window} or already expired while
     * still counted as issued (renew), information changes awaiting the CA, locked devices.
     * A certificate already renewed is not listed.
     */
    public List<Reminder> reminders(Duration window) {
        Objects.requireNonNull(window, "window must not be null");
        Instant now = clock.instant();
        Instant horizon = now.plus(window);
        List<Reminder> out = new ArrayList<>();
        List<RegisteredCertificate> candidates = query("SELECT " + COLUMNS + " FROM certificate WHERE status IN "
                + issuedStatuses() + " AND successor_id IS NULL", p -> { }).stream()
                .sorted(java.util.Comparator.comparing((RegisteredCertificate e) -> e.certificate().notAfter(),
                        java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()))
                        .thenComparing(e -> e.certificate().holder()).thenComparing(RegisteredCertificate::id))
                .toList();
        for (RegisteredCertificate e : candidates) {
            CertificateRecord r = e.certificate();
            if (r.notAfter() != null && !r.notAfter().isAfter(now)) {
                out.add(new Reminder(e, Reminder.Action.RENEW_EXPIRED));
            } else if (r.notAfter() != null && r.notAfter().isBefore(horizon)) {
                out.add(new Reminder(e, Reminder.Action.RENEW_BEFORE_EXPIRY));
            } else if (r.status() == CertificateStatus.CHANGE_PENDING) {
                out.add(new Reminder(e, Reminder.Action.FOLLOW_UP_INFO_CHANGE));
            } else if (r.status() == CertificateStatus.DEVICE_LOCKED) {
                out.add(new Reminder(e, Reminder.Action.UNLOCK_DEVICE));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Moves every certificate past its validity and still counted as issued to
     * {@link CertificateStatus#EXPIRED}, with history; returns how many moved.
     */
    public int markExpired(String actor) {
        requireActor(actor, "");
        Instant now = clock.instant();
        int moved = 0;
        for (RegisteredCertificate e : query("SELECT " + COLUMNS + " FROM certificate WHERE not_after < ? AND status IN "
                + issuedStatuses(), p -> p.setObject(1, Jdbc.timestamp(now)))) {
            boolean changed = write("expire " + e.id(), c -> {
                Optional<RegisteredCertificate> current = lock(c, e.id());
                if (current.isEmpty() || !current.get().certificate().status().countsAsIssued()) {
                    return false; // changed by someone else meanwhile
                }
                try (PreparedStatement p = c.prepareStatement("UPDATE certificate SET status = ? WHERE id = ?")) {
                    p.setString(1, CertificateStatus.EXPIRED.name());
                    p.setString(2, e.id());
                    p.executeUpdate();
                }
                history(c, e.id(), current.get().certificate().status(), CertificateStatus.EXPIRED, actor,
                        "validity ended " + e.certificate().notAfter());
                return true;
            });
            moved += changed ? 1 : 0;
        }
        return moved;
    }

    // ---- the staff roster -------------------------------------------------------------------------

    /** Adds the person to the roster, or replaces the one with the same agency and personal id. */
    public void addStaff(StaffMember member) {
        Objects.requireNonNull(member, "member must not be null");
        addStaff(List.of(member));
    }

    /** Adds or replaces every member in one transaction: a whole roster is loaded, or none of it. */
    public void addStaff(List<StaffMember> members) {
        List<StaffMember> all = List.copyOf(members);
        writeUpsert("add " + all.size() + " staff", c -> {
            for (StaffMember member : all) {
                addStaff(c, member);
            }
            return null;
        });
    }

    /**
     * Records that a person left the agency on {@code day} (the first day no longer on the staff):
     * reports for months ending before still count them; their certificates and history stay.
     *
     * @return false when they were not on the roster
     */
    public boolean staffLeft(String agency, String personalId, java.time.LocalDate day) {
        Objects.requireNonNull(agency, "agency must not be null");
        Objects.requireNonNull(personalId, "personalId must not be null");
        Objects.requireNonNull(day, "day must not be null");
        return write("record staff " + personalId + " leaving", c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE staff SET left_on = ? WHERE agency = ? "
                    + "AND person_id = ? AND (joined IS NULL OR joined < ?)")) {
                p.setObject(1, day, java.sql.Types.DATE);
                p.setString(2, agency);
                p.setString(3, personalId);
                p.setObject(4, day, java.sql.Types.DATE);
                if (p.executeUpdate() == 1) {
                    return true;
                }
            }
            if (staff(c, agency, personalId)) {
                throw new IllegalArgumentException("staff " + personalId + " cannot leave on " + day
                        + ", before joining");
            }
            return false;
        });
    }

    /**
     * Removes a person from the roster altogether, as if never on it (a record entered by
     * mistake): past reports change. For someone who left, use {@link #staffLeft}.
     *
     * @return false when they were not on it
     */
    public boolean removeStaff(String agency, String personalId) {
        Objects.requireNonNull(agency, "agency must not be null");
        Objects.requireNonNull(personalId, "personalId must not be null");
        return write("remove staff " + personalId, c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM staff WHERE agency = ? AND person_id = ?")) {
                p.setString(1, agency);
                p.setString(2, personalId);
                return p.executeUpdate() == 1;
            }
        });
    }

    private static boolean staff(Connection c, String agency, String personalId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM staff WHERE agency = ? AND person_id = ?")) {
            p.setString(1, agency);
            p.setString(2, personalId);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    private static void addStaff(Connection c, StaffMember member) throws SQLException {
        updateOrInsert(c, "UPDATE staff SET full_name = ?, unit = ?, staff_group = ?, leader = ?, email = ?, phone = ?, "
                + "joined = ?, left_on = ? WHERE agency = ? AND person_id = ?", "INSERT INTO staff (full_name, unit, "
                + "staff_group, leader, email, phone, joined, left_on, agency, person_id) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", p -> bindStaff(p, member));
    }

    /**
     * Updates the row, or inserts it when there is none; both statements bind the same values in
     * the same order (the key last). Returns whether it inserted.
     */
    private static boolean updateOrInsert(Connection c, String update, String insert, Binder binder)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement(update)) {
            binder.bind(p);
            if (p.executeUpdate() > 0) {
                return false;
            }
        }
        try (PreparedStatement p = c.prepareStatement(insert)) {
            binder.bind(p);
            p.executeUpdate();
        }
        return true;
    }

    /** The roster of an agency (who left included, with the day), ordered by unit then name. */
    public List<StaffMember> staff(String agency) {
        Objects.requireNonNull(agency, "agency must not be null");
        return read("read staff of " + agency, c -> {
            List<StaffMember> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT agency, person_id, full_name, unit, staff_group, leader, "
                    + "email, phone, joined, left_on FROM staff WHERE agency = ?")) {
                p.setString(1, agency);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new StaffMember(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                                StaffGroup.valueOf(r.getString(5)), r.getBoolean(6), r.getString(7), r.getString(8),
                                r.getObject(9, java.time.LocalDate.class), r.getObject(10, java.time.LocalDate.class)));
                    }
                }
            }
            out.sort(java.util.Comparator.comparing(StaffMember::unit).thenComparing(StaffMember::name)
                    .thenComparing(StaffMember::personalId));
            return List.copyOf(out);
        });
    }

    // ---- outgoing documents ------------------------------------------------------------------------

    /**
     * Records an outgoing electronic document the agency's document management system issued,
     * signed or not: the report's share of outgoing documents that are signed counts these, since
     * kyso alone cannot know the documents that were sent unsigned. Recording the same reference
     * again replaces the earlier record (a retry, or a document signed after all), so a DMS may
     * send each document more than once.
     *
     * @return true when the document is new, false when it replaced the earlier record
     */
    public boolean recordOutgoing(OutgoingDocument document) {
        Objects.requireNonNull(document, "document must not be null");
        return writeUpsert("record outgoing document " + document.reference(), c -> updateOrInsert(c,
                "UPDATE outgoing_document SET unit = ?, document_type = ?, issued_at = ?, signed = ? "
                        + "WHERE agency = ? AND reference = ?", "INSERT INTO outgoing_document (unit, document_type, "
                        + "issued_at, signed, agency, reference) VALUES (?, ?, ?, ?, ?, ?)",
                p -> bindOutgoing(p, document)));
    }

    private static void bindOutgoing(PreparedStatement p, OutgoingDocument d) throws SQLException {
        p.setString(1, d.unit());
        p.setString(2, d.documentType());
        p.setObject(3, Jdbc.timestamp(d.issuedAt()));
        p.setBoolean(4, d.signed());
        p.setString(5, d.agency());
        p.setString(6, d.reference());
    }

    // ---- internals ------------------------------------------------------------------------------

    private static void bindStaff(PreparedStatement p, StaffMember m) throws SQLException {
        p.setString(1, m.name());
        p.setString(2, m.unit());
        p.setString(3, m.staffGroup().name());
        p.setBoolean(4, m.leader());
        p.setString(5, m.email());
        p.setString(6, m.phone());
        p.setObject(7, m.joined(), java.sql.Types.DATE);
        p.setObject(8, m.left(), java.sql.Types.DATE);
        p.setString(9, m.agency());
        p.setString(10, m.personalId());
    }

    private static void requireActor(String actor, String reason) {
        Objects.requireNonNull(actor, "actor must not be null");
        Objects.requireNonNull(reason, "reason must not be null");
        if (actor.isBlank()) {
            throw new IllegalArgumentException("a status change needs an actor");
        }
    }

    static String issuedStatuses() {
        StringBuilder sb = new StringBuilder("(");
        for (CertificateStatus s : CertificateStatus.values()) {
            if (s.countsAsIssued()) {
                sb.append(sb.length() > 1 ? ", " : "").append('\'').append(s.name()).append('\'');
            }
        }
        return sb.append(')').toString();
    }

    private static void condition(StringBuilder sql, List<String> values, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            values.add(value);
        }
    }

    /** Reads the row and locks it until the transaction ends. */
    private static Optional<RegisteredCertificate> lock(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM certificate WHERE id = ? FOR UPDATE")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(row(r)) : Optional.empty();
            }
        }
    }

    private void insert(Connection c, RegisteredCertificate e, String actor, String reason) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO certificate (holder, person_id, email, phone, agency, "
                + "unit, staff_group, issuing_ca, device_kind, status, serial, subject, not_before, not_after, "
                + "successor_id, first_used_at, last_used_at, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(p, e);
            p.executeUpdate();
        }
        history(c, e.id(), null, e.certificate().status(), actor, reason);
    }

    private static void update(Connection c, RegisteredCertificate e) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE certificate SET holder = ?, person_id = ?, email = ?, "
                + "phone = ?, agency = ?, unit = ?, staff_group = ?, issuing_ca = ?, device_kind = ?, status = ?, "
                + "serial = ?, subject = ?, not_before = ?, not_after = ?, successor_id = ?, first_used_at = ?, "
                + "last_used_at = ? WHERE id = ?")) {
            bind(p, e);
            p.executeUpdate();
        }
    }

    private static void bind(PreparedStatement p, RegisteredCertificate e) throws SQLException {
        CertificateRecord r = e.certificate();
        p.setString(1, r.holder());
        p.setString(2, e.personalId());
        p.setString(3, e.email());
        p.setString(4, e.phone());
        p.setString(5, e.agency());
        p.setString(6, r.unit());
        p.setString(7, r.staffGroup().name());
        p.setString(8, r.issuingCa());
        p.setString(9, r.deviceKind().name());
        p.setString(10, r.status().name());
        p.setString(11, r.serialNumber());
        p.setString(12, e.subject());
        p.setObject(13, Jdbc.timestamp(r.notBefore()));
        p.setObject(14, Jdbc.timestamp(r.notAfter()));
        p.setString(15, e.successorId());
        p.setObject(16, Jdbc.timestamp(e.firstUsed()));
        p.setObject(17, Jdbc.timestamp(e.lastUsed()));
        p.setString(18, r.id());
    }

    private void history(Connection c, String id, CertificateStatus from, CertificateStatus to, String actor,
            String reason) throws SQLException {
        history(c, clock.instant(), id, from, to, actor, reason);
    }

    static void history(Connection c, Instant at, String id, CertificateStatus from, CertificateStatus to,
            String actor, String reason) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO certificate_status_history (certificate_id, "
                + "changed_at, from_status, to_status, actor, reason) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setString(1, id);
            p.setObject(2, Jdbc.timestamp(at));
            p.setString(3, from == null ? null : from.name());
            p.setString(4, to.name());
            p.setString(5, actor);
            p.setString(6, reason);
            p.executeUpdate();
        }
    }

    private static RegisteredCertificate row(ResultSet r) throws SQLException {
        CertificateRecord record = new CertificateRecord(r.getString("id"), r.getString("holder"), r.getString("unit"),
                StaffGroup.valueOf(r.getString("staff_group")), r.getString("issuing_ca"),
                DeviceKind.valueOf(r.getString("device_kind")), CertificateStatus.valueOf(r.getString("status")),
                r.getString("serial"), Jdbc.instant(r, "not_before"), Jdbc.instant(r, "not_after"));
        return new RegisteredCertificate(record, r.getString("agency"), r.getString("person_id"), r.getString("email"),
                r.getString("phone"), r.getString("subject"), r.getString("successor_id"),
                Jdbc.instant(r, "first_used_at"), Jdbc.instant(r, "last_used_at"));
    }

    private List<RegisteredCertificate> query(String sql, Binder binder) {
        return read("query the register", c -> {
            List<RegisteredCertificate> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(sql)) {
                binder.bind(p);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(row(r));
                    }
                }
            }
            return List.copyOf(out);
        });
    }

    private <T> T read(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new RegistryException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs an update-or-insert: when another node inserted the same key between our look and our
     * insert, the second try finds the row and updates it.
     */
    private <T> T writeUpsert(String what, Work<T> work) {
        try {
            return write(what, work);
        } catch (RegistryException e) {
            if (!(e.getCause() instanceof SQLException sql) || !Jdbc.isDuplicateKey(sql)) {
                throw e;
            }
            return write(what, work);
        }
    }

    /** Runs {@code work} in one transaction: all of it is committed, or none. */
    private <T> T write(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                Jdbc.rollbackQuietly(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new RegistryException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement p) throws SQLException;
    }
}
