package vn.kyso.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RepositoryHandlerTest {

    private static TestPki pki;

    @BeforeAll
    static void startPki() {
        pki = TestPki.start();
    }

    @AfterAll
    static void stopPki() {
        pki.close();
    }

    private static X509CRL crl(TestIdentity ca) throws Exception {
        HttpResponse<byte[]> http = Loopback.get(pki.services().crlUri(ca));
        assertEquals(200, http.statusCode());
        assertEquals(RepositoryHandler.CRL_TYPE, http.headers().firstValue("Content-Type").orElse(""));
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(http.body()));
        crl.verify(ca.publicKey());
        assertEquals(ca.certificate().getSubjectX500Principal(), crl.getIssuerX500Principal());
        return crl;
    }

    @Test
    void crlOfTheIssuingCaListsTheRevokedCertificate() throws Exception {
        X509CRL crl = crl(pki.cipherCa());
        assertTrue(crl.isRevoked(pki.revoked().certificate()));
        assertFalse(crl.isRevoked(pki.person().certificate()));
        X509CRLEntry entry = crl.getRevokedCertificate(pki.revoked().certificate());
        assertEquals(TestPki.REVOKED_AT, entry.getRevocationDate().toInstant());
        assertEquals(java.security.cert.CRLReason.KEY_COMPROMISE, entry.getRevocationReason());
        assertEquals(1, crl.getRevokedCertificates().size());
    }

    @Test
    void everyCaPublishesACurrentCrl() throws Exception {
        Instant now = Instant.now();
        for (TestIdentity ca : List.of(pki.cipherRoot(), pki.cipherCa(), pki.nationalRoot(), pki.vnptCa())) {
            X509CRL crl = crl(ca);
            assertFalse(crl.getThisUpdate().toInstant().isAfter(now.plusSeconds(1)), ca.alias());
            assertTrue(crl.getNextUpdate().toInstant().isAfter(now), ca.alias());
            if (ca != pki.cipherCa()) {
                assertTrue(crl.getRevokedCertificates() == null, ca.alias());
            }
        }
    }

    @Test
    void caIssuersServesTheIssuingCaCertificate() throws Exception {
        for (TestIdentity id : List.of(pki.person(), pki.ecPerson(), pki.vnptCa())) {
            X509Certificate issuer = id.issuer();
            TestIdentity ca = pki.identities().stream().filter(i -> i.certificate().equals(issuer)).findFirst()
                    .orElseThrow();
            HttpResponse<byte[]> http = Loopback.get(pki.services().caIssuersUri(ca));
            assertEquals(200, http.statusCode());
            assertEquals(RepositoryHandler.CERT_TYPE, http.headers().firstValue("Content-Type").orElse(""));
            assertEquals(issuer, CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(http.body())));
        }
    }

    @Test
    void unknownCaAndOtherMethodsAreRefused() {
        assertEquals(404, Loopback.get(pki.services().baseUri().resolve("crl/person.crl")).statusCode());
        assertEquals(404, Loopback.get(pki.services().baseUri().resolve("ca/nobody.cer")).statusCode());
        assertEquals(404, Loopback.get(pki.services().baseUri().resolve("crl/vnpt-ca.txt")).statusCode());
        assertEquals(405, Loopback.post(pki.services().crlUri(pki.vnptCa()), "text/plain", new byte[] {1})
                .statusCode());
    }

    @Test
    void downloadsAreCounted() {
        pki.services().resetCounters();
        Loopback.get(pki.services().crlUri(pki.vnptCa()));
        Loopback.get(pki.services().crlUri(pki.cipherCa()));
        Loopback.get(pki.services().caIssuersUri(pki.vnptCa()));
        assertEquals(2, pki.services().crlRequests());
        assertEquals(1, pki.services().caIssuersRequests());
    }
}
