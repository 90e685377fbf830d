package vn.kyso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryCertificateRegistryTest {

    private static CertificateRecord record(String id, String holder, Instant notAfter, CertificateStatus status) {
        return new CertificateRecord(id, holder, "Văn phòng Sở", StaffGroup.CIVIL_SERVANT, "Ban Cơ yếu Chính phủ",
                DeviceKind.USB_TOKEN, status, "1a2b", notAfter.minus(730, ChronoUnit.DAYS), notAfter);
    }

    @Test
    void registersReadsAndFindsCertificatesAboutToExpire() {
        Instant now = Instant.parse("2026-11-25T00:00:00Z");
        InMemoryCertificateRegistry registry = new InMemoryCertificateRegistry();
        registry.register(record("a", "Trần Thị Bình", now.plus(20, ChronoUnit.DAYS), CertificateStatus.ISSUED));
        registry.register(record("b", "Nguyễn Văn An", now.plus(400, ChronoUnit.DAYS), CertificateStatus.ISSUED));
        registry.register(record("c", "Lê Văn Cường", now.plus(10, ChronoUnit.DAYS), CertificateStatus.REVOKED));
        registry.register(record("d", "Phạm Thị Dung", now.plus(5, ChronoUnit.DAYS), CertificateStatus.CHANGE_PENDING));

        assertEquals(List.of("d", "a"), registry.expiringBefore(now.plus(30, ChronoUnit.DAYS)).stream()
                .map(CertificateRecord::id).toList(), "revoked ones need no renewal; a pending change still counts as issued");
        assertEquals("Lê Văn Cường", registry.all().get(0).holder());
        assertTrue(registry.updateStatus("a", CertificateStatus.SUSPENDED));
        assertEquals(CertificateStatus.SUSPENDED, registry.find("a").orElseThrow().status());
        assertFalse(registry.updateStatus("zzz", CertificateStatus.ISSUED));
    }

    @Test
    void anIssuedRecordNeedsItsValidity() {
        assertThrows(IllegalArgumentException.class, () -> new CertificateRecord("x", "An", "VP", StaffGroup.LEADER_MANAGER,
                "VNPT-CA", DeviceKind.PKI_SIM, CertificateStatus.ISSUED, "01", null, null));
        CertificateRecord requested = new CertificateRecord("req-1", "An", "VP", StaffGroup.LEADER_MANAGER, "VNPT-CA",
                DeviceKind.PKI_SIM, CertificateStatus.REGISTERED, "", null, null);
        assertFalse(requested.status().countsAsIssued());
        assertFalse(requested.isExpiredAt(Instant.now()));
    }

    @Test
    void aRecordIsReadFromTheCertificate() throws Exception {
        var cert = TestKeys.certificate(TestKeys.rsa(), "CN=Nguyễn Văn An,UID=CCCD:075085001234,C=VN");
        CertificateRecord r = CertificateRecord.of(cert, "Văn phòng", StaffGroup.LEADER_MANAGER, DeviceKind.FILE);
        assertEquals("Nguyễn Văn An", r.holder());
        assertEquals(Certificates.fingerprint(cert), r.id());
        assertEquals("075085001234", Certificates.citizenId(cert).orElseThrow());
        assertTrue(Certificates.taxCode(cert).isEmpty());
    }
}
