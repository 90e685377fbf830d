package vn.kyso.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vn.kyso.CertificateRecord;
import vn.kyso.CertificateStatus;
import vn.kyso.DeviceKind;
import vn.kyso.StaffGroup;

class JdbcCertificateRegistryTest {
    private static final Instant NOW = Instant.parse("2026-11-15T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static RegisteredCertificate an(String id, String holder, CertificateStatus status, long daysLeft) {
        return Fixtures.entry(id, holder, "0750850" + Math.abs(id.hashCode() % 100000), "Văn phòng Sở",
                StaffGroup.CIVIL_SERVANT, "Ban Cơ yếu Chính phủ", DeviceKind.USB_TOKEN, status,
                NOW.minus(300, ChronoUnit.DAYS), NOW.plus(daysLeft, ChronoUnit.DAYS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void aRecordItsStatusChangesAndTheirHistoryAreKeptAndSeenByASecondInstance(TestDatabases.Kind db)
            throws Exception {
        DataSource ds = db.fresh();
        JdbcCertificateRegistry first = JdbcCertificateRegistry.open(ds, CLOCK);
        RegisteredCertificate an = new RegisteredCertificate(an("a1", "Nguyễn Văn An", CertificateStatus.ISSUED, 200)
                .certificate(), Fixtures.AGENCY, "075085001234", "an.nv@dongnai.gov.vn", "0912345678",
                "CN=Nguyễn Văn An,UID=CCCD:075085001234,O=Sở Công Thương tỉnh Đồng Nai,C=VN", null, null, null);
        first.register(an, "Trần Văn Quản trị", "cấp mới");
        assertTrue(first.setStatus("a1", CertificateStatus.CHANGE_PENDING, "Trần Văn Quản trị", "đổi chức vụ"));
        assertTrue(first.setStatus("a1", CertificateStatus.ISSUED, "Ban Cơ yếu Chính phủ", "đã cập nhật"));
        assertFalse(first.setStatus("nope", CertificateStatus.REVOKED, "x", ""));

        JdbcCertificateRegistry second = JdbcCertificateRegistry.open(ds, CLOCK);
        RegisteredCertificate read = second.entry("a1").orElseThrow();
        assertEquals(an, read);
        List<StatusChange> history = second.history("a1");
        assertEquals(List.of(
                new StatusChange("a1", NOW, null, CertificateStatus.ISSUED, "Trần Văn Quản trị", "cấp mới"),
                new StatusChange("a1", NOW, CertificateStatus.ISSUED, CertificateStatus.CHANGE_PENDING,
                        "Trần Văn Quản trị", "đổi chức vụ"),
                new StatusChange("a1", NOW, CertificateStatus.CHANGE_PENDING, CertificateStatus.ISSUED,
                        "Ban Cơ yếu Chính phủ", "đã cập nhật")), history);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void theApiInterfaceWorksAsTheInMemoryRegisterDoes(TestDatabases.Kind db) throws Exception {
        JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(db.fresh(), CLOCK);
        CertificateRecord b = an("b", "Trần Thị Bình", CertificateStatus.ISSUED, 20).certificate();
        registry.register(b);
        registry.register(an("a", "Nguyễn Văn An", CertificateStatus.ISSUED, 400).certificate());
        registry.register(an("c", "Lê Văn Cường", CertificateStatus.REVOKED, 10).certificate());
        registry.register(an("d", "Phạm Thị Dung", CertificateStatus.CHANGE_PENDING, 5).certificate());
        registry.register(new CertificateRecord("r", "Đỗ Văn Em", "Văn phòng Sở", StaffGroup.PUBLIC_EMPLOYEE,
                "VNPT-CA", DeviceKind.PKI_SIM, CertificateStatus.REGISTERED, "", null, null));

        assertEquals(List.of("Lê Văn Cường", "Nguyễn Văn An", "Phạm Thị Dung", "Trần Thị Bình", "Đỗ Văn Em"),
                registry.all().stream().map(CertificateRecord::holder).toList());
        assertEquals(b, registry.find("b").orElseThrow());
        // revoked and not-issued records are not to renew; the pending change counts as issued
        assertEquals(List.of("d", "b"), registry.expiringBefore(NOW.plus(30, ChronoUnit.DAYS)).stream()
                .map(CertificateRecord::id).toList());
        assertTrue(registry.updateStatus("b", CertificateStatus.SUSPENDED));
        assertFalse(registry.updateStatus("zzz", CertificateStatus.ISSUED));
        assertEquals(CertificateStatus.SUSPENDED, registry.find("b").orElseThrow().status());
        // registering the same id again replaces it
        registry.register(b.withStatus(CertificateStatus.ISSUED));
        assertEquals(CertificateStatus.ISSUED, registry.find("b").orElseThrow().status());
        assertEquals(5, registry.all().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void queriesSelectByUnitGroupCaDeviceAndStatus(TestDatabases.Kind db) throws Exception {
        JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(db.fresh(), CLOCK);
        Instant from = NOW.minus(10, ChronoUnit.DAYS);
        Instant to = NOW.plus(700, ChronoUnit.DAYS);
        registry.register(Fixtures.entry("1", "Nguyễn Văn An", "1", "Văn phòng Sở", StaffGroup.LEADER_MANAGER,
                "Ban Cơ yếu Chính phủ", DeviceKind.PKI_SIM, CertificateStatus.ISSUED, from, to), "admin", "");
        registry.register(Fixtures.entry("2", "Trần Thị Bình", "2", "Phòng Quản lý công nghiệp",
                StaffGroup.CIVIL_SERVANT, "VNPT-CA", DeviceKind.USB_TOKEN, CertificateStatus.IN_USE, from, to),
                "admin", "");
        registry.register(Fixtures.entry("3", "Lê Văn Cường", "3", "Phòng Quản lý công nghiệp",
                StaffGroup.CIVIL_SERVANT, "Ban Cơ yếu Chính phủ", DeviceKind.USB_TOKEN, CertificateStatus.ISSUED,
                from, to), "admin", "");
        registry.register(Fixtures.entry("4", "Phạm Thị Dung", "4", "Trung tâm Khuyến công",
                StaffGroup.PUBLIC_EMPLOYEE, "Ban Cơ yếu Chính phủ", DeviceKind.USB_TOKEN,
                CertificateStatus.REGISTERED, from, to), "admin", "");

        assertEquals(List.of("3", "2"), ids(registry.search(RegistryQuery.all().unit("Phòng Quản lý công nghiệp"))));
        assertEquals(List.of("1"), ids(registry.search(RegistryQuery.all().staffGroup(StaffGroup.LEADER_MANAGER))));
        assertEquals(List.of("2"), ids(registry.search(RegistryQuery.all().issuingCa("VNPT-CA"))));
        assertEquals(List.of("1"), ids(registry.search(RegistryQuery.all().deviceKind(DeviceKind.PKI_SIM))));
        assertEquals(List.of("3"), ids(registry.search(RegistryQuery.all().deviceKind(DeviceKind.USB_TOKEN)
                .issuingCa("Ban Cơ yếu Chính phủ").status(CertificateStatus.ISSUED))));
        assertEquals(List.of(), ids(registry.search(RegistryQuery.all().agency("Sở Y tế"))));
        // nobody signed: every certificate counted as issued is unused, the registered request is not
        assertEquals(List.of("3", "1", "2"), ids(registry.issuedUnused(NOW.minus(30, ChronoUnit.DAYS), NOW)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void expiringCertificatesAndPendingWorkMakeTheReminderList(TestDatabases.Kind db) throws Exception {
        JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(db.fresh(), CLOCK);
        registry.register(an("soon", "Nguyễn Văn An", CertificateStatus.IN_USE, 20), "admin", "");
        registry.register(an("later", "Trần Thị Bình", CertificateStatus.ISSUED, 400), "admin", "");
        registry.register(an("past", "Lê Văn Cường", CertificateStatus.ISSUED, -3), "admin", "");
        registry.register(an("revoked", "Phạm Thị Dung", CertificateStatus.REVOKED, 5), "admin", "");
        registry.register(an("change", "Hoàng Văn Đức", CertificateStatus.CHANGE_PENDING, 300), "admin", "");
        registry.register(an("locked", "Đỗ Thị Hoa", CertificateStatus.DEVICE_LOCKED, 300), "admin", "");
        registry.register(an("renewed", "Vũ Văn Giang", CertificateStatus.ISSUED, 10), "admin", "");
        registry.renew("renewed", an("renewal", "Vũ Văn Giang", CertificateStatus.ISSUED, 1000), "admin", "");

        assertEquals(List.of("soon"), ids(registry.expiringWithin(Duration.ofDays(30))));
        List<Reminder> reminders = registry.reminders(Duration.ofDays(30));
        assertEquals(List.of("past:RENEW_EXPIRED", "soon:RENEW_BEFORE_EXPIRY", "change:FOLLOW_UP_INFO_CHANGE",
                "locked:UNLOCK_DEVICE"), reminders.stream().map(r -> r.certificate().id() + ":" + r.action()).toList());

        RegisteredCertificate old = registry.entry("renewed").orElseThrow();
        assertEquals(CertificateStatus.RENEWED, old.certificate().status());
        assertEquals("renewal", old.successorId());
        assertEquals(CertificateStatus.RENEWED, registry.history("renewed").get(1).to());

        assertEquals(1, registry.markExpired("admin"));
        assertEquals(CertificateStatus.EXPIRED, registry.entry("past").orElseThrow().certificate().status());
        assertEquals(0, registry.markExpired("admin"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void aRenewalFailingHalfWayLeavesTheOldCertificateAsItWas(TestDatabases.Kind db) throws Exception {
        JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(db.fresh(), CLOCK);
        registry.register(an("old", "Nguyễn Văn An", CertificateStatus.IN_USE, 10), "admin", "");
        registry.register(an("taken", "Trần Thị Bình", CertificateStatus.ISSUED, 400), "admin", "");
        // the old certificate is marked renewed first; inserting the successor then fails on its id
        assertThrows(RegistryException.class,
                () -> registry.renew("old", an("taken", "Nguyễn Văn An", CertificateStatus.ISSUED, 800), "admin", ""));
        RegisteredCertificate old = registry.entry("old").orElseThrow();
        assertEquals(CertificateStatus.IN_USE, old.certificate().status());
        assertNull(old.successorId());
        assertEquals(1, registry.history("old").size());
        assertEquals("Trần Thị Bình", registry.entry("taken").orElseThrow().certificate().holder());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void aStatusChangeWhoseHistoryCannotBeWrittenIsNotApplied(TestDatabases.Kind db) throws Exception {
        JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(db.fresh(), CLOCK);
        registry.register(an("a", "Nguyễn Văn An", CertificateStatus.ISSUED, 100), "admin", "");
        // the status row is updated first; the history row's reason is longer than its column
        assertThrows(RegistryException.class,
                () -> registry.setStatus("a", CertificateStatus.REVOKED, "admin", "x".repeat(1001)));
        assertEquals(CertificateStatus.ISSUED, registry.entry("a").orElseThrow().certificate().status());
        assertEquals(1, registry.history("a").size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void aRosterOrImportWithOneBadEntryIsNotWrittenAtAllAndLeaversAreRemoved(TestDatabases.Kind db) throws Exception {
        JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(db.fresh(), CLOCK);
        StaffMember good = new StaffMember(Fixtures.AGENCY, "075085001234", "Nguyễn Văn An", "Văn phòng Sở",
                StaffGroup.CIVIL_SERVANT, true, "", "");
        // the last line's unit is longer than its column: the first lines must not stay behind
        StaffMember bad = new StaffMember(Fixtures.AGENCY, "075190000222", "Phạm Quốc Huy", "P".repeat(301),
                StaffGroup.CIVIL_SERVANT, false, "", "");
        assertThrows(RegistryException.class, () -> registry.addStaff(List.of(good, bad)));
        assertEquals(List.of(), registry.staff(Fixtures.AGENCY));
        registry.addStaff(List.of(good));
        assertEquals(List.of(good), registry.staff(Fixtures.AGENCY));

        RegisteredCertificate ok = an("ok", "Nguyễn Văn An", CertificateStatus.ISSUED, 100);
        RegisteredCertificate tooLong = an("x".repeat(129), "Phạm Quốc Huy", CertificateStatus.ISSUED, 100);
        assertThrows(RegistryException.class, () -> registry.registerAll(List.of(ok, tooLong), "admin", ""));
        assertEquals(List.of(), registry.all());

        // a person who left is removed from the roster
        assertTrue(registry.removeStaff(Fixtures.AGENCY, "075085001234"));
        assertFalse(registry.removeStaff(Fixtures.AGENCY, "075085001234"));
        assertEquals(List.of(), registry.staff(Fixtures.AGENCY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void theSchemaIsMigratedOnceAndAChangedReleasedScriptIsRefused(TestDatabases.Kind db) throws Exception {
        DataSource ds = db.fresh();
        assertEquals(List.of(1, 2, 3), SchemaMigrator.migrate(ds));
        assertEquals(List.of(), SchemaMigrator.migrate(ds));
        JdbcCertificateRegistry.open(ds, CLOCK);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM schema_version")) {
                assertTrue(r.next());
                assertEquals(3, r.getInt(1));
            }
            s.executeUpdate("UPDATE schema_version SET checksum = 'edited' WHERE version = 1");
        }
        RegistryException e = assertThrows(RegistryException.class, () -> JdbcCertificateRegistry.open(ds, CLOCK));
        assertTrue(e.getCause().getMessage().contains("released scripts must never change"), e.getCause().getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void eventsWrittenByVersionTwoAreKeptWhenVersionThreeNarrowsTheTable(TestDatabases.Kind db) throws Exception {
        DataSource ds = db.fresh();
        assertEquals(List.of(1, 2), SchemaMigrator.migrate(ds, 2));
        String[] rows = {
            "'f00d', 'Nguyễn Văn An', 'Sở Công Thương tỉnh Đồng Nai', 'Văn phòng Sở', '075085001234', "
                + "TIMESTAMP WITH TIME ZONE '2026-11-02 08:00:00+07', 'Công văn', 'pades', 'pkcs11', 'USB_TOKEN', "
                + "'SIGNED', '', 1, 812",
            "'f00d', 'Nguyễn Văn An', 'Sở Công Thương tỉnh Đồng Nai', 'Văn phòng Sở', '075085001234', "
                + "TIMESTAMP WITH TIME ZONE '2026-11-02 08:01:00+07', 'Tờ khai thuế', 'xades', 'pkcs11', 'USB_TOKEN', "
                + "'FAILED', 'PinIncorrectException', 0, 30000",
            "'beef', 'Trần Thị Bình', '', '', '', TIMESTAMP WITH TIME ZONE '2026-11-03 09:00:00+07', '', 'raw', "
                + "'remote-sim', 'PKI_SIM', 'TIMED_OUT', 'SigningTimeoutException', 0, 120000"};
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String row : rows) {
                s.executeUpdate("INSERT INTO usage_event (signer, signer_name, agency, unit, person_id, at, "
                        + "document_type, format_id, provider_id, device_kind, outcome, error_kind, signatures, "
                        + "duration_ms) VALUES (" + row + ")");
            }
        }
        assertEquals(List.of(3), SchemaMigrator.migrate(ds));
        // the view reads as version 2's table did, every value kept
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT signer, signer_name, agency, unit, person_id, document_type, "
                     + "format_id, provider_id, device_kind, outcome, error_kind, signatures, duration_ms "
                     + "FROM usage_event ORDER BY at")) {
            List<String> got = new java.util.ArrayList<>();
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= 13; i++) {
                    row.append(i > 1 ? "|" : "").append(r.getString(i));
                }
                got.add(row.toString());
            }
            assertEquals(List.of(
                    "f00d|Nguyễn Văn An|Sở Công Thương tỉnh Đồng Nai|Văn phòng Sở|075085001234|Công văn|pades|pkcs11"
                            + "|USB_TOKEN|SIGNED||1|812",
                    "f00d|Nguyễn Văn An|Sở Công Thương tỉnh Đồng Nai|Văn phòng Sở|075085001234|Tờ khai thuế|xades"
                            + "|pkcs11|USB_TOKEN|FAILED|PinIncorrectException|0|30000",
                    "beef|Trần Thị Bình|||||raw|remote-sim|PKI_SIM|TIMED_OUT|SigningTimeoutException|0|120000"), got);
        }
        // and the report counts them
        UsageReport report = UsageReports.open(ds, CLOCK).compute(
                ReportRequest.month(java.time.YearMonth.of(2026, 11), Fixtures.AGENCY));
        assertEquals(List.of(new UsageReport.Failure("pkcs11", "FAILED", "PinIncorrectException", 1)),
                report.failures());
        assertEquals(java.util.Map.of("Công văn", 1L), report.signaturesByDocumentType());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void aSchemaNewerThanThisKysoIsRefused(TestDatabases.Kind db) throws Exception {
        DataSource ds = db.fresh();
        SchemaMigrator.migrate(ds);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO schema_version (version, script, checksum, applied_at) "
                    + "VALUES (99, 'V99__future.sql', 'x', CURRENT_TIMESTAMP)");
        }
        RegistryException e = assertThrows(RegistryException.class, () -> JdbcCertificateRegistry.open(ds, CLOCK));
        assertTrue(e.getCause().getMessage().contains("newer kyso"), e.getCause().getMessage());
    }

    private static List<String> ids(List<RegisteredCertificate> entries) {
        return entries.stream().map(RegisteredCertificate::id).toList();
    }
}
