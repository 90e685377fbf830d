package vn.kyso.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vn.kyso.CertificateStatus;
import vn.kyso.CredentialCallback;
import vn.kyso.DeviceKind;
import vn.kyso.KeySource;
import vn.kyso.Kyso;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;
import vn.kyso.StaffGroup;
import vn.kyso.UsageEvent;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

@ExtendWith(TestPkiExtension.class)
@Timeout(120)
class JdbcUsageReporterTest {
    private static final char[] PASSWORD = "123456".toCharArray();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-15T03:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    static Path pkcs12(Path dir, TestIdentity identity) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", identity.privateKey(), PASSWORD, identity.chain().toArray(new Certificate[0]));
        Path file = dir.resolve(identity.alias() + ".p12");
        try (var out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD);
        }
        return file;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void signaturesThroughKysoAreStoredWithTheHoldersUnitAndTheFirstMarksTheCertificateInUse(TestDatabases.Kind db,
            TestPki pki) throws Exception {
        DataSource ds = db.fresh();
        JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(ds, CLOCK);
        RegisteredCertificate an = CertificateImport.fromX509(pki.person().certificate(), StaffGroup.LEADER_MANAGER,
                DeviceKind.FILE, "Văn phòng Sở");
        registry.register(an, "admin", "cấp mới");
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(new byte[] {1});

        try (JdbcUsageReporter usage = JdbcUsageReporter.start(ds, 1000, 50, CLOCK)) {
            Kyso kyso = Kyso.builder().usageReporter(usage).build();
            try (KeySource source = kyso.connect("pkcs12", Map.of("file", pkcs12(dir, pki.person()).toString()),
                    CredentialCallback.of(PASSWORD)); Signer signer = source.open("key")) {
                signer.sign(SignRequest.of(SignatureAlgorithm.RSA_SHA256, digest, "Ký công văn")
                        .forDocument("pades", "Công văn"));
                signer.sign(SignRequest.batch(SignatureAlgorithm.RSA_SHA256, List.of(digest, digest), "Ký tờ khai")
                        .forDocument("xades", DocumentTypes.TAX_FORM));
                assertThrows(IllegalArgumentException.class, () -> signer.sign(
                        SignRequest.of(SignatureAlgorithm.ECDSA_SHA256, digest, "").forDocument("pades", "Báo cáo")));
            }
            assertTrue(usage.flush(Duration.ofSeconds(30)));
            assertEquals(3, usage.written());
            assertEquals(0, usage.dropped());
        }

        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT agency, unit, person_id, document_type, format_id, provider_id, device_kind, outcome, "
                        + "error_kind, signatures FROM usage_event ORDER BY at")) {
            String[] expected = {
                "Sở Công Thương tỉnh Đồng Nai|Văn phòng Sở|075085001234|Công văn|pades|pkcs12|FILE|SIGNED||1",
                "Sở Công Thương tỉnh Đồng Nai|Văn phòng Sở|075085001234|Tờ khai thuế|xades|pkcs12|FILE|SIGNED||2",
                "Sở Công Thương tỉnh Đồng Nai|Văn phòng Sở|075085001234|Báo cáo|pades|pkcs12|FILE|FAILED"
                        + "|IllegalArgumentException|0"};
            for (String row : expected) {
                assertTrue(r.next());
                StringBuilder got = new StringBuilder();
                for (int i = 1; i <= 10; i++) {
                    got.append(i > 1 ? "|" : "").append(r.getString(i));
                }
                assertEquals(row, got.toString());
            }
        }
        RegisteredCertificate after = registry.entry(an.id()).orElseThrow();
        assertEquals(CertificateStatus.IN_USE, after.certificate().status());
        assertNotNull(after.firstUsed());
        assertNotNull(after.lastUsed());
        List<StatusChange> history = registry.history(an.id());
        assertEquals(2, history.size());
        assertEquals(new StatusChange(an.id(), CLOCK.instant(), CertificateStatus.ISSUED, CertificateStatus.IN_USE,
                "kyso", history.get(1).reason()), history.get(1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void theKeysOfAKeySourceAreRegisteredWithTheirHoldersCitizenIdAndAgency(TestDatabases.Kind db, TestPki pki)
            throws Exception {
        JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(db.fresh(), CLOCK);
        Kyso kyso = Kyso.builder().build();
        try (KeySource source = kyso.connect("pkcs12", Map.of("file", pkcs12(dir, pki.ecPerson()).toString()),
                CredentialCallback.of(PASSWORD))) {
            List<vn.kyso.CertificateRecord> written = registry.registerKeys(source.keys(), "Văn phòng",
                    StaffGroup.CIVIL_SERVANT);
            assertEquals(1, written.size());
            RegisteredCertificate entry = registry.entry(written.get(0).id()).orElseThrow();
            assertEquals("Trần Thị Bích Ngọc", entry.certificate().holder());
            assertEquals("075190004321", entry.personalId());
            assertEquals("Văn phòng Ủy ban nhân dân tỉnh Đồng Nai", entry.agency());
            assertEquals("VNPT-CA", entry.certificate().issuingCa());
            assertEquals(DeviceKind.FILE, entry.certificate().deviceKind());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void anOutageQueuesEventsUpToTheBoundCountsTheLossAndWritesTheRestWhenTheDatabaseReturns(TestDatabases.Kind db)
            throws Exception {
        SwitchableDataSource ds = new SwitchableDataSource(db.fresh());
        int capacity = 10;
        int batch = 5;
        try (JdbcUsageReporter usage = JdbcUsageReporter.start(ds, capacity, batch, CLOCK)) {
            ds.down(true);
            for (int i = 0; i < 40; i++) {
                usage.report(event("signer-" + (i % 3), i)); // returns at once, the database being down
            }
            // the writer holds at most one batch, the queue at most its bound; the rest is lost and counted
            assertTrue(usage.dropped() >= 40 - capacity - batch, "dropped " + usage.dropped());
            assertTrue(usage.queued() <= capacity + batch);
            assertEquals(40, usage.queued() + usage.dropped());
            assertEquals(false, usage.flush(Duration.ofMillis(300)));
            ds.down(false);
            assertTrue(usage.flush(Duration.ofSeconds(60)));
            assertEquals(40 - usage.dropped(), usage.written());
            assertTrue(usage.failedWrites() > 0);
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM usage_event")) {
            assertTrue(r.next());
            assertTrue(r.getLong(1) >= capacity, "written " + r.getLong(1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vn.kyso.registry.TestDatabases#both")
    void eventsReportedAfterCloseAreCountedAsLost(TestDatabases.Kind db) throws Exception {
        JdbcUsageReporter usage = JdbcUsageReporter.start(db.fresh(), 100, 10, CLOCK);
        usage.report(event("a", 0));
        usage.close();
        assertEquals(1, usage.written());
        usage.report(event("a", 1));
        assertEquals(1, usage.dropped());
    }

    static UsageEvent event(String signer, int i) {
        return new UsageEvent(signer, "Nguyễn Văn An", CLOCK.instant().plusSeconds(i), "Công văn", "pades", "pkcs11",
                DeviceKind.USB_TOKEN, UsageEvent.Outcome.SIGNED, 1, Duration.ofMillis(800 + i));
    }
}
