package vn.kyso.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.text.Normalizer;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TestPkiTest {

    private static TestPki pki;

    @BeforeAll
    static void startPki() {
        pki = TestPki.start();
    }

    @AfterAll
    static void stopPki() {
        pki.close();
    }

    private static PKIXCertPathValidatorResult validate(TestIdentity id, X509Certificate root, Date at,
                                                        PKIXRevocationChecker.Option... revocation) throws Exception {
        CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(id.chain());
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setDate(at);
        CertPathValidator validator = CertPathValidator.getInstance("PKIX");
        if (revocation.length == 0) {
            params.setRevocationEnabled(false);
        } else {
            PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
            checker.setOptions(Set.of(revocation));
            params.addCertPathChecker(checker);
        }
        return (PKIXCertPathValidatorResult) validator.validate(path, params);
    }

    @Test
    void everyChainValidatesWithJdkPkixToItsOwnRoot() throws Exception {
        for (TestIdentity id : pki.identities()) {
            if (id.chain().get(0).equals(id.root())) {
                continue; // a root has no path to validate
            }
            Date at = Date.from(id.certificate().getNotBefore().toInstant().plusSeconds(86_400));
            PKIXCertPathValidatorResult result = validate(id, id.root(), at);
            assertEquals(id.root(), result.getTrustAnchor().getTrustedCert(), id.alias());
        }
    }

    @Test
    void eachIdentitySitsInTheHierarchyItsDescriptionSays() {
        for (TestIdentity id : List.of(pki.person(), pki.organization(), pki.taxAuthority(), pki.revoked())) {
            assertEquals(pki.cipherRoot().certificate(), id.root(), id.alias());
            assertEquals(pki.cipherCa().certificate(), id.issuer(), id.alias());
        }
        for (TestIdentity id : List.of(pki.ecPerson(), pki.invoiceSeller(), pki.expired(), pki.notYetValid(),
                pki.legacySha1(), pki.tsa())) {
            assertEquals(pki.nationalRoot().certificate(), id.root(), id.alias());
            assertEquals(pki.vnptCa().certificate(), id.issuer(), id.alias());
        }
        assertEquals(List.of(pki.cipherRoot().certificate(), pki.nationalRoot().certificate()), pki.roots());
        assertEquals(2, pki.trustAnchors().size());
    }

    @Test
    void cipherHierarchyDoesNotChainToTheNationalRoot() {
        Date at = Date.from(TestPki.REFERENCE_TIME);
        assertThrows(CertPathValidatorException.class,
                () -> validate(pki.person(), pki.nationalRoot().certificate(), at));
        assertThrows(CertPathValidatorException.class,
                () -> validate(pki.ecPerson(), pki.cipherRoot().certificate(), at));
    }

    @Test
    void revokedCertificateFailsJdkPkixWithOcspFromTheLiveResponder() {
        CertPathValidatorException e = assertThrows(CertPathValidatorException.class,
                () -> validate(pki.revoked(), pki.revoked().root(), new Date(),
                        PKIXRevocationChecker.Option.NO_FALLBACK));
        assertEquals(CertPathValidatorException.BasicReason.REVOKED, e.getReason());
    }

    @Test
    void goodCertificatesPassJdkPkixWithOcspFromTheLiveResponder() throws Exception {
        for (TestIdentity id : List.of(pki.person(), pki.ecPerson(), pki.organization(), pki.legacySha1())) {
            int before = pki.services().ocspRequests();
            validate(id, id.root(), new Date(), PKIXRevocationChecker.Option.NO_FALLBACK);
            // the leaf and its intermediate were both checked over the network
            assertTrue(pki.services().ocspRequests() >= before + 2, id.alias());
        }
    }

    @Test
    void revokedCertificateFailsJdkPkixWithTheLiveCrls() throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509CRL> crls = new ArrayList<>();
        for (TestIdentity ca : List.of(pki.cipherRoot(), pki.cipherCa())) {
            byte[] der = Loopback.get(pki.services().crlUri(ca)).body();
            crls.add((X509CRL) factory.generateCRL(new ByteArrayInputStream(der)));
        }
        CertPath path = factory.generateCertPath(pki.revoked().chain());
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(pki.cipherRoot().certificate(), null)));
        params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
        CertPathValidator validator = CertPathValidator.getInstance("PKIX");
        PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
        checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                PKIXRevocationChecker.Option.NO_FALLBACK));
        params.addCertPathChecker(checker);
        CertPathValidatorException e = assertThrows(CertPathValidatorException.class,
                () -> validator.validate(path, params));
        assertEquals(CertPathValidatorException.BasicReason.REVOKED, e.getReason());

        CertPath good = factory.generateCertPath(pki.person().chain());
        assertNotNull(validator.validate(good, params));
    }

    @Test
    void expiredCertificateEndedBeforeTheReferenceTime() throws Exception {
        X509Certificate cert = pki.expired().certificate();
        assertEquals(Instant.parse("2022-12-31T17:00:00Z"), cert.getNotAfter().toInstant());
        assertTrue(cert.getNotAfter().toInstant().isBefore(TestPki.REFERENCE_TIME));
        CertPathValidatorException e = assertThrows(CertPathValidatorException.class,
                () -> validate(pki.expired(), pki.expired().root(), Date.from(TestPki.REFERENCE_TIME)));
        assertEquals(CertPathValidatorException.BasicReason.EXPIRED, e.getReason());
        validate(pki.expired(), pki.expired().root(), Date.from(Instant.parse("2022-06-01T00:00:00Z")));
    }

    @Test
    void notYetValidCertificateStartsInTheFuture() {
        X509Certificate cert = pki.notYetValid().certificate();
        assertEquals(Instant.parse("2039-12-31T17:00:00Z"), cert.getNotBefore().toInstant());
        assertTrue(cert.getNotBefore().toInstant().isAfter(Instant.now()));
        CertPathValidatorException e = assertThrows(CertPathValidatorException.class,
                () -> validate(pki.notYetValid(), pki.notYetValid().root(), new Date()));
        assertEquals(CertPathValidatorException.BasicReason.NOT_YET_VALID, e.getReason());
    }

    @Test
    void revokedCertificateWasRevokedAfterIssuanceAndBeforeTheReferenceTime() {
        Instant revokedAt = pki.revoked().revokedAt().orElseThrow();
        assertEquals(TestPki.REVOKED_AT, revokedAt);
        assertTrue(revokedAt.isAfter(pki.revoked().certificate().getNotBefore().toInstant()));
        assertTrue(revokedAt.isBefore(TestPki.REFERENCE_TIME));
        assertEquals(java.security.cert.CRLReason.KEY_COMPROMISE, pki.revoked().revocationReason().orElseThrow());
        assertTrue(pki.person().revokedAt().isEmpty());
    }

    @Test
    void subjectsKeepVietnameseDiacriticsAsUtf8Strings() throws Exception {
        X500Name subject = new JcaX509CertificateHolder(pki.person().certificate()).getSubject();
        assertEquals("Nguyễn Văn An", utf8(subject, BCStyle.CN));
        assertEquals("Sở Công Thương tỉnh Đồng Nai", utf8(subject, BCStyle.O));
        assertEquals("Đồng Nai", utf8(subject, BCStyle.L));
        assertEquals("CCCD:075085001234", utf8(subject, BCStyle.UID));
        assertEquals("Nguyễn Văn An", Normalizer.normalize(utf8(subject, BCStyle.CN), Normalizer.Form.NFC));

        X500Name tax = new JcaX509CertificateHolder(pki.taxAuthority().certificate()).getSubject();
        assertEquals("CỤC THUẾ (test)", utf8(tax, BCStyle.CN));
        assertEquals("BỘ TÀI CHÍNH", utf8(tax, BCStyle.O));
        assertEquals("MST:3600123456", utf8(
                new JcaX509CertificateHolder(pki.organization().certificate()).getSubject(), BCStyle.UID));
        assertEquals("MST:0312345678", utf8(
                new JcaX509CertificateHolder(pki.invoiceSeller().certificate()).getSubject(), BCStyle.UID));
        assertTrue(pki.person().certificate().getSubjectX500Principal().getName()
                .startsWith("CN=Nguyễn Văn An,UID=CCCD:075085001234,O=Sở Công Thương tỉnh Đồng Nai,L=Đồng Nai,C=VN"));
        assertTrue(pki.cipherCa().certificate().getSubjectX500Principal().getName()
                .contains("CN=Test CA phục vụ các cơ quan Nhà nước"));
    }

    private static String utf8(X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        assertEquals(1, rdns.length, type.getId());
        ASN1Encodable value = rdns[0].getFirst().getValue();
        assertTrue(value instanceof DERUTF8String, type.getId() + " is " + value.getClass().getSimpleName());
        return ((DERUTF8String) value).getString();
    }

    @Test
    void keyTypesAndAlgorithmsMatchTheirPurpose() {
        assertEquals(256, ((ECPublicKey) pki.ecPerson().publicKey()).getParams().getOrder().bitLength());
        assertEquals("SHA256withECDSA", pki.ecPerson().signatureAlgorithm());
        assertEquals(2048, ((RSAPublicKey) pki.person().publicKey()).getModulus().bitLength());
        assertEquals(1024, ((RSAPublicKey) pki.legacySha1().publicKey()).getModulus().bitLength());
        assertEquals("SHA1withRSA", pki.legacySha1().certificate().getSigAlgName());
        assertEquals("SHA1withRSA", pki.legacySha1().signatureAlgorithm());
        assertEquals("SHA256withRSA", pki.person().certificate().getSigAlgName());
        assertEquals("SHA256withRSA", pki.person().signatureAlgorithm());
    }

    @Test
    void signersMayMakeNonRepudiableSignaturesButNotIssueCertificates() throws Exception {
        for (TestIdentity id : List.of(pki.person(), pki.ecPerson(), pki.organization(), pki.invoiceSeller(),
                pki.taxAuthority(), pki.expired(), pki.revoked(), pki.notYetValid(), pki.legacySha1())) {
            X509Certificate cert = id.certificate();
            assertTrue(cert.getKeyUsage()[0] && cert.getKeyUsage()[1], id.alias());
            assertFalse(cert.getKeyUsage()[5], id.alias());
            assertEquals(-1, cert.getBasicConstraints(), id.alias());
            assertTrue(cert.getCriticalExtensionOIDs().contains(Extension.keyUsage.getId()), id.alias());
            assertTrue(cert.getExtendedKeyUsage().contains(KeyPurposeId.id_kp_emailProtection.getId()), id.alias());
        }
        assertEquals(0, pki.cipherCa().certificate().getBasicConstraints());
        assertTrue(pki.cipherRoot().certificate().getKeyUsage()[5]);
    }

    @Test
    void tsaCertificateHasTimeStampingAsItsOnlyCriticalPurpose() throws Exception {
        X509Certificate cert = pki.tsa().certificate();
        assertEquals(List.of(KeyPurposeId.id_kp_timeStamping.getId()), cert.getExtendedKeyUsage());
        assertTrue(cert.getCriticalExtensionOIDs().contains(Extension.extendedKeyUsage.getId()));
    }

    @Test
    void ocspRespondersMaySignOcspAndNeedNoRevocationCheck() throws Exception {
        for (TestIdentity ca : List.of(pki.cipherCa(), pki.vnptCa())) {
            X509Certificate cert = pki.ocspResponder(ca).certificate();
            assertEquals(List.of(KeyPurposeId.id_kp_OCSPSigning.getId()), cert.getExtendedKeyUsage());
            assertNotNull(cert.getExtensionValue(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck.getId()));
            assertEquals(ca.certificate(), pki.ocspResponder(ca).issuer());
        }
        assertThrows(IllegalArgumentException.class, () -> pki.ocspResponder(pki.cipherRoot()));
        assertThrows(IllegalArgumentException.class, () -> pki.ocspResponder(pki.person()));
    }

    @Test
    void aiaAndCrlDistributionPointsPointAtTheLiveServices() throws Exception {
        TestIdentity id = pki.ecPerson();
        X509CertificateHolder holder = new JcaX509CertificateHolder(id.certificate());
        AuthorityInformationAccess aia = AuthorityInformationAccess.fromExtensions(holder.getExtensions());
        List<String> ocsp = new ArrayList<>();
        List<String> caIssuers = new ArrayList<>();
        for (AccessDescription d : aia.getAccessDescriptions()) {
            String uri = d.getAccessLocation().getName().toString();
            (d.getAccessMethod().equals(AccessDescription.id_ad_ocsp) ? ocsp : caIssuers).add(uri);
        }
        assertEquals(List.of(pki.services().ocspUri().toString()), ocsp);
        assertEquals(List.of(pki.services().caIssuersUri(pki.vnptCa()).toString()), caIssuers);
        CRLDistPoint dp = CRLDistPoint.fromExtensions(holder.getExtensions());
        GeneralName name = ((GeneralNames) dp.getDistributionPoints()[0].getDistributionPoint().getName()).getNames()[0];
        assertEquals(pki.services().crlUri(pki.vnptCa()).toString(), name.getName().toString());
        assertTrue(name.getName().toString().startsWith("http://127.0.0.1:" + pki.services().port() + "/"));
    }

    @Test
    void aSecondPkiReusesTheKeysAndTheFixedFieldsButNotThePort() throws Exception {
        long started = System.nanoTime();
        try (TestPki other = TestPki.start()) {
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis < 2_000, "second start took " + millis + " ms");
            assertNotEquals(pki.services().port(), other.services().port());
            for (TestIdentity id : pki.identities()) {
                TestIdentity same = other.identity(id.alias());
                assertEquals(id.publicKey(), same.publicKey());
                assertEquals(id.certificate().getSubjectX500Principal(), same.certificate().getSubjectX500Principal());
                assertEquals(id.certificate().getSerialNumber(), same.certificate().getSerialNumber());
                assertEquals(id.certificate().getNotBefore(), same.certificate().getNotBefore());
                assertEquals(id.certificate().getNotAfter(), same.certificate().getNotAfter());
                assertArrayEquals(id.certificate().getKeyUsage(), same.certificate().getKeyUsage());
            }
        }
    }

    @Test
    void serialsAreUniqueAndSubjectKeyIdentifiersPresent() {
        Set<java.math.BigInteger> serials = new java.util.HashSet<>();
        for (TestIdentity id : pki.identities()) {
            assertTrue(serials.add(id.certificate().getSerialNumber()), id.alias());
            byte[] ski = id.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId());
            assertTrue(ski != null && ASN1OctetString.getInstance(ski).getOctets().length > 0, id.alias());
        }
        assertEquals(16, pki.identities().size());
    }

    @Test
    void unknownAliasIsAnErrorThatListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pki.identity("nobody"));
        assertTrue(e.getMessage().contains("person"), e.getMessage());
        assertTrue(pki.identity("vnpt-ca") == pki.vnptCa());
    }
}
