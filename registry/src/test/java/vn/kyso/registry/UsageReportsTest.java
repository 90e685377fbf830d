package vn.kyso.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vn.kyso.CertificateRecord;
import vn.kyso.CertificateStatus;
import vn.kyso.DeviceKind;
import vn.kyso.StaffGroup;
import vn.kyso.UsageEvent;

/**
 * The report checked against a hand-computed agency reproducing the Department of Industry and
 * Trade's (Sở Công Thương Đồng Nai, May 2025) figures: 239 staff, 62 signing regularly = 25.94%,
 * 15 issued but not or rarely using = 6.27%, and its table's headcounts and issued counts.
 *
 * <p>The department's table does not add up as printed: its rows (62 + 158 + 81 = 301) exceed its
 * 239 staff because the leader row overlaps the others (158 civil servants + 81 public employees
 * = 239), and it prints "0 not registered" for civil servants although 158 - 77 issued - 6
 * registered leaves 75. The fixture keeps every count the table and the narrative agree on, and
 * the report computes the not-registered column from them (75 and 73).
 */
@Timeout(300)
class UsageReportsTest {
    static final String DIT = "Sở Công Thương tỉnh Đồng Nai";
    static final String DOST = "Sở Khoa học và Công nghệ tỉnh Đồng Nai";
    static final String CIPHER = "Ban Cơ yếu Chính phủ";
    static final String OFFICE = "Văn phòng Sở";
    static final String INDUSTRY = "Phòng Quản lý công nghiệp";
    static final String MARKET = "Chi cục Quản lý thị trường";
    static final String CENTRE = "Trung tâm Khuyến công";
    static final Instant NOVEMBER = Instant.parse("2026-11-02T01:00:00Z");
    static final Instant OCTOBER = Instant.parse("2026-10-15T01:00:00Z");
    /** When the register was filled: before the reported month. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-10-01T02:00:00Z"), ZoneOffset.UTC);
    /** When the report is made: after the month. */
    static final Clock REPORTING = Clock.fixed(Instant.parse("2026-12-03T02:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path out;

    /** How a person of the fixture uses a certificate in November. */
    enum Use { REGULAR, OCCASIONAL, RARE, NONE }

    /** Builds the fixture: roster, certificates, and events written through the real usage writer. */
    static final class Agency {
        final JdbcCertificateRegistry registry;
        final JdbcUsageReporter usage;
        int next;
        int minute;
        int remoteDuration;

        Agency(DataSource ds) {
            registry = JdbcCertificateRegistry.open(ds, CLOCK);
            usage = JdbcUsageReporter.start(ds, 10_000, 200, CLOCK);
        }

        /** One person; returns the id of their issued certificate, or null. */
        String person(String agency, String unit, StaffGroup group, boolean leader, CertificateStatus status,
                String ca, Use use) {
            String personalId = String.format("0750%08d", ++next);
            registry.addStaff(new StaffMember(agency, personalId, "Cán bộ " + next, unit, group, leader, "", ""));
            if (status == null) {
                return null;
            }
            String id = "cert-" + next;
            boolean pendingRequest = status == CertificateStatus.REGISTERED || status == CertificateStatus.REQUESTED;
            DeviceKind device = leader && group == StaffGroup.PUBLIC_EMPLOYEE ? DeviceKind.PKI_SIM : DeviceKind.USB_TOKEN;
            registry.register(RegisteredCertificate.of(new CertificateRecord(id, "Cán bộ " + next, unit, group, ca,
                    device, status, pendingRequest ? "" : Integer.toHexString(next),
                    pendingRequest ? null : Instant.parse("2025-06-01T00:00:00Z"),
                    pendingRequest ? null : Instant.parse("2028-06-01T00:00:00Z")), agency, personalId, "", "", ""),
                    "admin", "");
            String provider = device == DeviceKind.PKI_SIM ? "remote-sim" : "pkcs11";
            switch (use) {
                case REGULAR -> {
                    if (device == DeviceKind.PKI_SIM) {
                        for (int i = 0; i < 5; i++) {
                            remoteDuration += 1000; // 1 000 … 20 000 ms over the four SIM holders
                            sign(id, provider, "Quyết định", 3, remoteDuration, NOVEMBER);
                        }
                    } else {
                        String[] types = {"Công văn", "Tờ trình", "Báo cáo", "Quyết định"};
                        for (int i = 0; i < 12; i++) {
                            sign(id, provider, types[i % 4], 1, 800, NOVEMBER);
                        }
                    }
                }
                case OCCASIONAL -> {
                    for (int i = 0; i < 5; i++) {
                        sign(id, provider, "Giấy mời", 1, 800, NOVEMBER);
                    }
                }
                case RARE -> {
                    sign(id, provider, "Thông báo", 1, 800, NOVEMBER);
                    sign(id, provider, "Thông báo", 1, 800, NOVEMBER);
                    // a busy October does not make November regular
                    for (int i = 0; i < 30; i++) {
                        sign(id, provider, "Công văn", 1, 800, OCTOBER);
                    }
                }
                case NONE -> { }
            }
            return id;
        }

        void sign(String id, String provider, String type, int signatures, long millis, Instant base) {
            usage.report(new UsageEvent(id, "Cán bộ", base.plusSeconds(60L * ++minute), type, "pades", provider,
                    provider.equals("pkcs11") ? DeviceKind.USB_TOKEN : DeviceKind.PKI_SIM, UsageEvent.Outcome.SIGNED,
                    signatures, Duration.ofMillis(millis)));
        }

        void fail(String id, String provider, UsageEvent.Outcome outcome, String errorKind) {
            usage.report(new UsageEvent(id, "Cán bộ", NOVEMBER.plusSeconds(60L * ++minute), "Công văn", "pades",
                    provider, DeviceKind.USB_TOKEN, outcome, 0, Duration.ofMillis(30_000), errorKind));
        }

        void people(int count, String unit, StaffGroup group, boolean leader, CertificateStatus status, String ca,
                Use use, List<String> ids) {
            for (int i = 0; i < count; i++) {
                ids.add(person(DIT, unit, group, leader, status, ca, use));
            }
        }
    }

    static Agency industryAndTrade(DataSource ds) throws Exception {
        Agency a = new Agency(ds);
        List<String> ids = new ArrayList<>();
        StaffGroup civil = StaffGroup.CIVIL_SERVANT;
        StaffGroup publicEmployee = StaffGroup.PUBLIC_EMPLOYEE;
        // 62 leaders: 52 civil servants issued (48 regular, 2 occasional, 2 unused), 6 civil servants registered,
        // 4 public employees issued on PKI SIMs (regular)
        a.people(47, OFFICE, civil, true, CertificateStatus.IN_USE, CIPHER, Use.REGULAR, ids);
        a.people(1, OFFICE, civil, true, CertificateStatus.CHANGE_PENDING, CIPHER, Use.REGULAR, ids); // counts as issued
        a.people(2, OFFICE, civil, true, CertificateStatus.ISSUED, CIPHER, Use.OCCASIONAL, ids);
        a.people(1, OFFICE, civil, true, CertificateStatus.ISSUED, CIPHER, Use.NONE, ids);
        a.people(1, OFFICE, civil, true, CertificateStatus.DEVICE_LOCKED, CIPHER, Use.NONE, ids); // still holds it
        a.people(5, OFFICE, civil, true, CertificateStatus.REGISTERED, CIPHER, Use.NONE, ids);
        a.people(1, OFFICE, civil, true, CertificateStatus.REQUESTED, CIPHER, Use.NONE, ids);
        a.people(4, CENTRE, publicEmployee, true, CertificateStatus.IN_USE, CIPHER, Use.REGULAR, ids);
        // civil servants who are not leaders: 25 issued (10 regular, one of them from TS24; 4 occasional;
        // 11 unused in the market surveillance branch, 6 from VNPT), 75 not registered
        a.people(9, INDUSTRY, civil, false, CertificateStatus.IN_USE, CIPHER, Use.REGULAR, ids);
        a.people(1, INDUSTRY, civil, false, CertificateStatus.IN_USE, "TS24", Use.REGULAR, ids);
        a.people(4, INDUSTRY, civil, false, CertificateStatus.ISSUED, CIPHER, Use.OCCASIONAL, ids);
        a.people(5, MARKET, civil, false, CertificateStatus.ISSUED, CIPHER, Use.RARE, ids);
        a.people(6, MARKET, civil, false, CertificateStatus.ISSUED, "VNPT-CA", Use.NONE, ids);
        a.people(73, MARKET, civil, false, null, null, Use.NONE, ids);
        // not registered although they once held one: revoked, expired
        a.people(1, MARKET, civil, false, CertificateStatus.REVOKED, "VNPT-CA", Use.NONE, ids);
        a.people(1, MARKET, civil, false, CertificateStatus.EXPIRED, CIPHER, Use.NONE, ids);
        // public employees who are not leaders: 4 issued (2 occasional, 2 unused), 73 not registered
        a.people(2, CENTRE, publicEmployee, false, CertificateStatus.ISSUED, CIPHER, Use.OCCASIONAL, ids);
        a.people(2, CENTRE, publicEmployee, false, CertificateStatus.ISSUED, CIPHER, Use.NONE, ids);
        a.people(73, CENTRE, publicEmployee, false, null, null, Use.NONE, ids);
        assertEquals(239, ids.size());

        // one leader renewed: the old certificate signed in November too; the person counts once
        String renewedHolder = ids.get(0);
        a.registry.renew(renewedHolder, RegisteredCertificate.of(new CertificateRecord("cert-renewal", "Cán bộ 1",
                OFFICE, StaffGroup.CIVIL_SERVANT, CIPHER, DeviceKind.USB_TOKEN, CertificateStatus.ISSUED, "ff",
                Instant.parse("2026-11-20T00:00:00Z"), Instant.parse("2029-11-20T00:00:00Z")), DIT, "075000000001",
                "", "", ""), "admin", "gia hạn");

        // where signing broke in November
        for (int i = 0; i < 3; i++) {
            a.fail(ids.get(10), "pkcs11", UsageEvent.Outcome.FAILED, "PinIncorrectException");
        }
        a.fail(ids.get(60), "remote-sim", UsageEvent.Outcome.TIMED_OUT, "SigningTimeoutException");
        a.fail(ids.get(61), "remote-sim", UsageEvent.Outcome.TIMED_OUT, "SigningTimeoutException");
        a.fail(ids.get(60), "remote-sim", UsageEvent.Outcome.REJECTED, "UserRejectedException");

        // another agency in the same register, busy in November: it must not leak into the department's report
        String other = a.person(DOST, "Văn phòng Sở", civil, true, CertificateStatus.IN_USE, "VNPT-CA", Use.REGULAR);
        a.person(DOST, "Văn phòng Sở", civil, false, null, null, Use.NONE);
        a.fail(other, "pkcs11", UsageEvent.Outcome.FAILED, "TokenAbsentException");

        assertTrue(a.usage.flush(Duration.ofSeconds(120)));
        assertEquals(0, a.usage.dropped());
        a.usage.close();
        return a;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void theDepartmentOfIndustryAndTradesFiguresAreReproduced(TestDatabases.Kind db) throws Exception {
        DataSource ds = db.fresh();
        industryAndTrade(ds);
        UsageReports reports = UsageReports.open(ds, REPORTING);
        assertEquals(List.of(DIT, DOST), reports.agencies());
        UsageReport report = reports.compute(ReportRequest.month(YearMonth.of(2026, 11), DIT));

        assertEquals(List.of(
                row("Lãnh đạo, quản lý", 62, 56, Map.of(CIPHER, 56), 6, 0, 52, 2),
                row("Công chức", 158, 77, Map.of(CIPHER, 70, "TS24", 1, "VNPT-CA", 6), 6, 75, 58, 13),
                row("Viên chức", 81, 8, Map.of(CIPHER, 8), 0, 73, 4, 2)),
                report.groups().stream().map(UsageReportsTest::row).toList());
        UsageReport.Row total = report.total();
        assertEquals(row("Tổng số", 239, 85, Map.of(CIPHER, 78, "TS24", 1, "VNPT-CA", 6), 6, 148, 62, 15), row(total));
        assertEquals(new BigDecimal("25.94"), total.signingRegularlyPercent());
        assertEquals(new BigDecimal("6.27"), total.issuedUnusedPercent());

        assertEquals(List.of(
                row(MARKET, 86, 11, Map.of(CIPHER, 5, "VNPT-CA", 6), 0, 75, 0, 11),
                row(INDUSTRY, 14, 14, Map.of(CIPHER, 13, "TS24", 1), 0, 0, 10, 0),
                row(CENTRE, 81, 8, Map.of(CIPHER, 8), 0, 73, 4, 2),
                row(OFFICE, 58, 52, Map.of(CIPHER, 52), 6, 0, 48, 2)),
                report.units().stream().map(UsageReportsTest::row).toList());

        assertEquals(List.of(new UsageReport.Failure("pkcs11", "FAILED", "PinIncorrectException", 3),
                new UsageReport.Failure("remote-sim", "TIMED_OUT", "SigningTimeoutException", 2),
                new UsageReport.Failure("remote-sim", "REJECTED", "UserRejectedException", 1)), report.failures());
        // pkcs11: 58 regular x 12 + 8 occasional x 5 + 5 rare x 2 = 746 attempts, all 800 ms;
        // remote-sim: 20 attempts of 1 000 … 20 000 ms: median (10 000 + 11 000) / 2, p95 at 0.95 x 19 = 18.05
        assertEquals(List.of(new UsageReport.Timing("pkcs11", 746, 800, 800),
                new UsageReport.Timing("remote-sim", 20, 10_500, 19_050)), report.timings());
        Map<String, Long> types = new LinkedHashMap<>();
        types.put("Quyết định", 58L * 3 + 4 * 5 * 3);
        types.put("Báo cáo", 174L);
        types.put("Công văn", 174L);
        types.put("Tờ trình", 174L);
        types.put("Giấy mời", 40L);
        types.put("Thông báo", 10L);
        assertEquals(types, report.signaturesByDocumentType());

        // a stricter threshold moves people from regular; the rest of the table stays
        UsageReport strict = reports.compute(ReportRequest.month(YearMonth.of(2026, 11), DIT).withThresholds(13, 5));
        assertEquals(4, strict.total().signingRegularly()); // only the SIM holders signed 15
        assertEquals(15 + 8, strict.total().issuedUnused()); // occasional signers (5) are now "rarely"
        assertEquals(85, strict.total().issued());

        // the whole register: both agencies
        UsageReport all = reports.compute(ReportRequest.month(YearMonth.of(2026, 11), null));
        assertEquals(241, all.total().headcount());
        assertEquals(63, all.total().signingRegularly());
        assertEquals(4, all.failures().size());

        // a revocation in December does not change November's report made afterwards, but counts in December's
        JdbcCertificateRegistry december = JdbcCertificateRegistry.open(ds, Clock.fixed(
                Instant.parse("2026-12-02T03:00:00Z"), ZoneOffset.UTC));
        String revoked = december.search(RegistryQuery.all().agency(DIT).status(CertificateStatus.IN_USE)).get(0).id();
        assertTrue(december.setStatus(revoked, CertificateStatus.REVOKED, "Ban Cơ yếu Chính phủ", "mất thiết bị"));
        assertEquals(85, reports.compute(ReportRequest.month(YearMonth.of(2026, 11), DIT)).total().issued());
        assertEquals(84, reports.compute(ReportRequest.month(YearMonth.of(2026, 12), DIT)).total().issued());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void theReportIsWrittenAsJsonCsvAndPdf(TestDatabases.Kind db) throws Exception {
        DataSource ds = db.fresh();
        industryAndTrade(ds);
        UsageReport report = UsageReports.open(ds, REPORTING).compute(ReportRequest.month(YearMonth.of(2026, 11), DIT));
        List<Path> files = ReportFormats.write(report, out);
        assertEquals(List.of(out.resolve("usage-report-2026-11.json"), out.resolve("usage-report-2026-11.csv"),
                out.resolve("usage-report-2026-11.pdf")), files);

        String json = Files.readString(files.get(0), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"agency\": \"Sở Công Thương tỉnh Đồng Nai\""), json);
        assertTrue(json.contains("\"total\": {\"row\": \"Tổng số\", \"group\": null, \"headcount\": 239, \"issued\": 85, "
                + "\"issuedByCa\": {\"Ban Cơ yếu Chính phủ\": 78, \"TS24\": 1, \"VNPT-CA\": 6}, "
                + "\"registeredNotIssued\": 6, \"notRegistered\": 148, \"signingRegularly\": 62, "
                + "\"signingRegularlyPercent\": 25.94, \"issuedUnused\": 15, \"issuedUnusedPercent\": 6.27}"), json);
        assertTrue(json.contains("{\"provider\": \"remote-sim\", \"signed\": 20, \"medianMillis\": 10500, "
                + "\"p95Millis\": 19050}"), json);

        List<String> csv = Files.readAllLines(files.get(1), StandardCharsets.UTF_8);
        assertEquals("\uFEFFagency,period,kind,row,headcount,issued,issuing_ca,registered_not_issued,not_registered,"
                + "signing_regularly,signing_regularly_percent,issued_unused,issued_unused_percent,outgoing_documents,"
                + "outgoing_signed,outgoing_signed_percent", csv.get(0));
        assertEquals("Sở Công Thương tỉnh Đồng Nai,2026-11,group,\"Lãnh đạo, quản lý\",62,56,Ban Cơ yếu Chính phủ: 56,"
                + "6,0,52,83.87,2,3.22,,,", csv.get(1)); // 2 / 62 = 3.2258…, cut
        // the DMS recorded no outgoing document: the share is not reported, not invented
        assertEquals("Sở Công Thương tỉnh Đồng Nai,2026-11,total,Tổng số,239,85,"
                + "Ban Cơ yếu Chính phủ: 78; TS24: 1; VNPT-CA: 6,6,148,62,25.94,15,6.27,,,not reported", csv.get(4));
        assertTrue(json.contains("\"outgoingDocuments\": {\"reported\": false},"), json);
        assertEquals(1 + 3 + 1 + 4, csv.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void certificatesWithoutARosterStillMakeAReport(TestDatabases.Kind db) throws Exception {
        DataSource ds = db.fresh();
        JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(ds, CLOCK);
        // registered through the api's interface alone: no agency, no personal id, no roster
        registry.register(new CertificateRecord("x", "Nguyễn Văn An", OFFICE, StaffGroup.CIVIL_SERVANT, CIPHER,
                DeviceKind.USB_TOKEN, CertificateStatus.ISSUED, "01", Instant.parse("2025-01-01T00:00:00Z"),
                Instant.parse("2028-01-01T00:00:00Z")));
        registry.register(new CertificateRecord("y", "Trần Thị Bình", OFFICE, StaffGroup.PUBLIC_EMPLOYEE, CIPHER,
                DeviceKind.USB_TOKEN, CertificateStatus.REGISTERED, "", null, null));
        UsageReport report = UsageReports.open(ds, REPORTING).compute(ReportRequest.month(YearMonth.of(2026, 11), null));
        assertEquals(row("Tổng số", 2, 1, Map.of(CIPHER, 1), 1, 0, 0, 1), row(report.total()));
        // a certificate past its validity at the period's end is not issued any more, whatever its status says
        registry.register(new CertificateRecord("old", "Lê Văn Cường", OFFICE, StaffGroup.CIVIL_SERVANT, CIPHER,
                DeviceKind.USB_TOKEN, CertificateStatus.ISSUED, "02", Instant.parse("2023-01-01T00:00:00Z"),
                Instant.parse("2026-11-10T00:00:00Z")));
        UsageReport withExpired = UsageReports.open(ds, REPORTING).compute(
                ReportRequest.month(YearMonth.of(2026, 11), null));
        assertEquals(row("Tổng số", 3, 1, Map.of(CIPHER, 1), 1, 1, 0, 1), row(withExpired.total()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void theShareOfOutgoingDocumentsSignedIsComputedFromWhatTheDmsRecorded(TestDatabases.Kind db) throws Exception {
        DataSource ds = db.fresh();
        Agency a = industryAndTrade(ds);
        // hand-computed: the office issued 40 documents in November, 39 signed; the industry division 20, all
        // signed; the market branch none. 59 of 60 = 98.333…% = 98.33 (cut)
        for (int i = 0; i < 40; i++) {
            assertTrue(a.registry.recordOutgoing(new OutgoingDocument(DIT, OFFICE, "Công văn", i + "/SCT-VP",
                    NOVEMBER.plusSeconds(3600L * i), i != 7)));
        }
        for (int i = 0; i < 20; i++) {
            a.registry.recordOutgoing(new OutgoingDocument(DIT, INDUSTRY, "Quyết định", i + "/QĐ-SCT",
                    NOVEMBER.plusSeconds(600L * i), true));
        }
        // the DMS sends a document again: it replaces the first record and counts once
        assertFalse(a.registry.recordOutgoing(new OutgoingDocument(DIT, INDUSTRY, "Quyết định", "3/QĐ-SCT",
                NOVEMBER.plusSeconds(1800), true)));
        // not November's, or not this agency's
        a.registry.recordOutgoing(new OutgoingDocument(DIT, OFFICE, "Công văn", "99/SCT-VP", OCTOBER, false));
        a.registry.recordOutgoing(new OutgoingDocument(DOST, "Văn phòng Sở", "Công văn", "1/SKHCN", NOVEMBER, false));

        UsageReports reports = UsageReports.open(ds, REPORTING);
        UsageReport report = reports.compute(ReportRequest.month(YearMonth.of(2026, 11), DIT));
        assertEquals(new UsageReport.Outgoing(60, 59), report.outgoing());
        assertEquals(new BigDecimal("98.33"), report.outgoing().signedPercent());
        assertEquals(Map.of(OFFICE, new UsageReport.Outgoing(40, 39), INDUSTRY, new UsageReport.Outgoing(20, 20)),
                report.outgoingByUnit());
        String csv = ReportFormats.csv(report);
        assertTrue(csv.contains(",Tổng số,239,85,Ban Cơ yếu Chính phủ: 78; TS24: 1; VNPT-CA: 6,6,148,62,25.94,15,6.27,"
                + "60,59,98.33\r\n"), csv);
        assertTrue(csv.contains(",unit,Văn phòng Sở,58,52,Ban Cơ yếu Chính phủ: 52,6,0,48,82.75,2,3.44,40,39,97.50\r\n"),
                csv);
        // a unit of a reporting agency that issued nothing: zero documents, no share
        assertTrue(csv.contains(",unit,Chi cục Quản lý thị trường,86,11,Ban Cơ yếu Chính phủ: 5; VNPT-CA: 6,0,75,0,0.00,"
                + "11,12.79,0,0,\r\n"), csv);
        assertTrue(ReportFormats.json(report).contains("\"outgoingDocuments\": {\"reported\": true, \"documents\": 60, "
                + "\"signed\": 59, \"signedPercent\": 98.33, \"byUnit\": [{\"unit\": \"Phòng Quản lý công nghiệp\", "
                + "\"documents\": 20, \"signed\": 20, \"signedPercent\": 100.00}, {\"unit\": \"Văn phòng Sở\", "
                + "\"documents\": 40, \"signed\": 39, \"signedPercent\": 97.50}]},"));
        assertTrue(ReportFormats.text(report).contains("Văn bản điện tử gửi đi được ký số: 98.33% (59/60)"));
        // December: nothing recorded yet, so not reported rather than 0%
        assertNull(reports.compute(ReportRequest.month(YearMonth.of(2026, 12), DIT)).outgoing());
        assertThrows(IllegalArgumentException.class, () -> new OutgoingDocument(DIT, OFFICE, "Công văn", " ",
                NOVEMBER, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void aPastMonthsFiguresStayWhenStaffJoinOrLeaveLater(TestDatabases.Kind db) throws Exception {
        DataSource ds = db.fresh();
        JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(ds, CLOCK);
        registry.addStaff(new StaffMember(DIT, "075000000001", "Nguyễn Văn An", OFFICE, StaffGroup.CIVIL_SERVANT,
                false, "", ""));
        // joins in December: not on November's staff
        registry.addStaff(new StaffMember(DIT, "075000000002", "Trần Thị Bình", OFFICE, StaffGroup.CIVIL_SERVANT,
                false, "", "", java.time.LocalDate.of(2026, 12, 10), null));
        // holds a certificate and leaves in mid-December
        registry.addStaff(new StaffMember(DIT, "075000000003", "Lê Văn Cường", OFFICE, StaffGroup.CIVIL_SERVANT,
                true, "", "", java.time.LocalDate.of(2020, 3, 1), null));
        registry.register(RegisteredCertificate.of(new CertificateRecord("c3", "Lê Văn Cường", OFFICE,
                StaffGroup.CIVIL_SERVANT, CIPHER, DeviceKind.USB_TOKEN, CertificateStatus.ISSUED, "03",
                Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2028-01-01T00:00:00Z")), DIT, "075000000003",
                "", "", ""), "admin", "");
        UsageReports early = UsageReports.open(ds, REPORTING);
        UsageReport.Row novemberBefore = early.compute(ReportRequest.month(YearMonth.of(2026, 11), DIT)).total();
        assertEquals(row("Tổng số", 2, 1, Map.of(CIPHER, 1), 0, 1, 0, 1), row(novemberBefore));

        assertTrue(registry.staffLeft(DIT, "075000000003", java.time.LocalDate.of(2026, 12, 15)));
        assertFalse(registry.staffLeft(DIT, "075999999999", java.time.LocalDate.of(2026, 12, 15)));
        assertThrows(IllegalArgumentException.class,
                () -> registry.staffLeft(DIT, "075000000002", java.time.LocalDate.of(2026, 12, 1)));

        UsageReports later = UsageReports.open(ds, Clock.fixed(Instant.parse("2027-01-05T02:00:00Z"), ZoneOffset.UTC));
        // November, made again in January, is the November made in December
        assertEquals(row(novemberBefore),
                row(later.compute(ReportRequest.month(YearMonth.of(2026, 11), DIT)).total()));
        // December's staff at its end: the newcomer, not the one who left, nor his certificate
        assertEquals(row("Tổng số", 2, 0, Map.of(), 0, 2, 0, 0),
                row(later.compute(ReportRequest.month(YearMonth.of(2026, 12), DIT)).total()));
        assertEquals(java.time.LocalDate.of(2026, 12, 15), registry.staff(DIT).stream()
                .filter(m -> m.personalId().equals("075000000003")).findFirst().orElseThrow().left());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void everyAgencyGetsItsOwnReportAndTheSummaryListsThemAll(TestDatabases.Kind db) throws Exception {
        DataSource ds = db.fresh();
        Agency a = industryAndTrade(ds);
        a.registry.recordOutgoing(new OutgoingDocument(DOST, "Văn phòng Sở", "Công văn", "1/SKHCN", NOVEMBER, true));
        List<UsageReport> each = UsageReports.open(ds, REPORTING).computeEach(
                ReportRequest.month(YearMonth.of(2026, 11), null));
        assertEquals(List.of(DIT, DOST), each.stream().map(r -> r.request().agency()).toList());
        assertEquals(239, each.get(0).total().headcount());
        assertEquals(62, each.get(0).total().signingRegularly());
        assertEquals(2, each.get(1).total().headcount());

        List<Path> files = ReportFormats.writeEach(each, out);
        List<String> names = files.stream().map(f -> f.getFileName().toString()).toList();
        assertEquals(List.of("usage-report-2026-11-so-cong-thuong-tinh-dong-nai.json",
                "usage-report-2026-11-so-cong-thuong-tinh-dong-nai.csv",
                "usage-report-2026-11-so-cong-thuong-tinh-dong-nai.pdf",
                "usage-report-2026-11-so-khoa-hoc-va-cong-nghe-tinh-dong-nai.json",
                "usage-report-2026-11-so-khoa-hoc-va-cong-nghe-tinh-dong-nai.csv",
                "usage-report-2026-11-so-khoa-hoc-va-cong-nghe-tinh-dong-nai.pdf",
                "usage-summary-2026-11.json", "usage-summary-2026-11.csv", "usage-summary-2026-11.pdf"), names);
        assertTrue(Files.readString(files.get(3)).contains("\"agency\": \"" + DOST + "\""));
        List<String> summary = Files.readAllLines(files.get(7), StandardCharsets.UTF_8);
        assertEquals(List.of("\uFEFFagency,period,headcount,issued,issuing_ca,registered_not_issued,not_registered,"
                + "signing_regularly,signing_regularly_percent,issued_unused,issued_unused_percent,outgoing_documents,"
                + "outgoing_signed,outgoing_signed_percent,signed_documents,failed_attempts",
                DIT + ",2026-11,239,85,Ban Cơ yếu Chính phủ: 78; TS24: 1; VNPT-CA: 6,6,148,62,25.94,15,6.27,,,"
                        + "not reported,806,6", // 234 decisions + 3 x 174 + 40 invitations + 10 notices
                DOST + ",2026-11,2,1,VNPT-CA: 1,0,1,1,50.00,0,0.00,1,1,100.00,12,1",
                "Tổng số,2026-11,241,86,Ban Cơ yếu Chính phủ: 78; TS24: 1; VNPT-CA: 7,6,149,63,26.14,15,6.22,1,1,100.00,"
                        + "818,7"), summary);
        String json = Files.readString(files.get(6));
        assertTrue(json.contains("\"total\": {\"agency\": null, \"counts\": {\"row\": \"Tổng số\", \"group\": null, "
                + "\"headcount\": 241,"), json);
        assertTrue(json.contains("{\"agency\": \"" + DIT + "\", \"counts\": {\"row\": \"Tổng số\""), json);
        assertTrue(ReportFormats.slug("Sở Công Thương tỉnh Đồng Nai").equals("so-cong-thuong-tinh-dong-nai"));
    }

    static String row(String label, int headcount, int issued, Map<String, Integer> byCa, int registered,
            int notRegistered, int regular, int unused) {
        return label + " | " + headcount + " | " + issued + " | " + new java.util.TreeMap<>(byCa) + " | " + registered
                + " | " + notRegistered + " | " + regular + " | " + unused;
    }

    static String row(UsageReport.Row r) {
        return row(r.label(), r.headcount(), r.issued(), r.issuedByCa(), r.registeredNotIssued(), r.notRegistered(),
                r.signingRegularly(), r.issuedUnused());
    }
}
