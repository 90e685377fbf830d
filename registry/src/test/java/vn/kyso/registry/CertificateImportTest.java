package vn.kyso.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import vn.kyso.CertificateRecord;
import vn.kyso.CertificateStatus;
import vn.kyso.Certificates;
import vn.kyso.DeviceKind;
import vn.kyso.StaffGroup;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

@ExtendWith(TestPkiExtension.class)
class CertificateImportTest {

    @Test
    void aVietnameseStaffCertificateGivesHolderCitizenIdAgencyUnitAndEmail() throws Exception {
        X509Certificate cert = Fixtures.certificate(Fixtures.name(BCStyle.C, "VN", BCStyle.ST, "Đồng Nai",
                BCStyle.L, "Biên Hòa", BCStyle.O, "Sở Công Thương tỉnh Đồng Nai", BCStyle.OU, "Phòng Quản lý công nghiệp",
                BCStyle.UID, "CCCD:075190004321", BCStyle.E, "ngoc.ttb@dongnai.gov.vn",
                BCStyle.CN, "Trần Thị Bích Ngọc"),
                Fixtures.name(BCStyle.C, "VN", BCStyle.O, "VNPT Group", BCStyle.CN, "VNPT Certification Authority"),
                null);
        RegisteredCertificate e = CertificateImport.fromX509(cert, StaffGroup.CIVIL_SERVANT, DeviceKind.USB_TOKEN,
                "unused default");
        CertificateRecord r = e.certificate();
        assertEquals("Trần Thị Bích Ngọc", r.holder());
        assertEquals("075190004321", e.personalId());
        assertEquals("Sở Công Thương tỉnh Đồng Nai", e.agency());
        assertEquals("Phòng Quản lý công nghiệp", r.unit());
        assertEquals("ngoc.ttb@dongnai.gov.vn", e.email());
        assertEquals("VNPT-CA", r.issuingCa());
        assertEquals(CertificateStatus.ISSUED, r.status());
        assertEquals(Certificates.fingerprint(cert), r.id());
        assertEquals("4b59534f01", r.serialNumber());
        assertEquals(cert.getNotAfter().toInstant(), r.notAfter());
        // the subject keeps its diacritics, place names included
        assertEquals(true, e.subject().contains("ST=Đồng Nai"), e.subject());
        assertEquals(true, e.subject().contains("L=Biên Hòa"), e.subject());
    }

    @Test
    void anOlderCmndIdAndAnEmailInTheAlternativeNameAreRead() throws Exception {
        X509Certificate cert = Fixtures.certificate(Fixtures.name(BCStyle.C, "VN", BCStyle.UID, "CMND:271234567",
                BCStyle.CN, "Lê Văn Tám"),
                Fixtures.name(BCStyle.C, "VN", BCStyle.O, "Viettel Group", BCStyle.CN, "Viettel-CA SHA-256"),
                "tam.lv@dongnai.gov.vn");
        RegisteredCertificate e = CertificateImport.fromX509(cert, StaffGroup.PUBLIC_EMPLOYEE, DeviceKind.PKI_SIM,
                "Trung tâm Khuyến công");
        assertEquals("271234567", e.personalId());
        assertEquals("tam.lv@dongnai.gov.vn", e.email());
        assertEquals("Trung tâm Khuyến công", e.certificate().unit());
        assertEquals("", e.agency());
        assertEquals("Viettel-CA", e.certificate().issuingCa());
    }

    @Test
    void theTestPkisCipherCommitteeCertificatesAreReadAsTheGovernmentCipherCommittees(TestPki pki) {
        RegisteredCertificate person = CertificateImport.fromX509(pki.person().certificate(),
                StaffGroup.LEADER_MANAGER, DeviceKind.USB_TOKEN, "Văn phòng Sở");
        assertEquals("Nguyễn Văn An", person.certificate().holder());
        assertEquals("075085001234", person.personalId());
        assertEquals("Ban Cơ yếu Chính phủ", person.certificate().issuingCa());
        assertEquals("Văn phòng Sở", person.certificate().unit());

        // an organization's certificate (the agency's seal) is keyed by its tax code
        RegisteredCertificate seal = CertificateImport.fromX509(pki.organization().certificate(),
                StaffGroup.LEADER_MANAGER, DeviceKind.USB_TOKEN, "Văn phòng Sở");
        assertEquals("MST:3600123456", seal.personalId());
        assertEquals("Ủy ban nhân dân tỉnh Đồng Nai", seal.agency());
    }

    @Test
    void theRealCipherCommitteeCaCertificateIsNamedByItsIssuer() throws Exception {
        // the Government Cipher Committee's real "CA phục vụ các cơ quan Nhà nước G2"
        X509Certificate cert;
        try (var in = CertificateImportTest.class.getResourceAsStream("cpcag2.pem")) {
            cert = Certificates.parse(in.readAllBytes()).get(0);
        }
        RegisteredCertificate e = CertificateImport.fromX509(cert, StaffGroup.LEADER_MANAGER, DeviceKind.FILE, "");
        assertEquals("CA phục vụ các cơ quan Nhà nước G2", e.certificate().holder());
        assertEquals("Ban Cơ yếu Chính phủ", e.certificate().issuingCa());
        assertEquals("Ban Cơ yếu Chính phủ", e.agency());
        assertNotNull(e.certificate().notAfter());
    }
}
