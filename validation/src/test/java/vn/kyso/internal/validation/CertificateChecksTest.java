package vn.kyso.internal.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import vn.kyso.SignatureReport.ChainStatus;
import vn.kyso.SignatureReport.RevocationSource;
import vn.kyso.SignatureReport.RevocationStatus;
import vn.kyso.ValidationPolicy;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;
import vn.kyso.testkit.TestServices;

@ExtendWith(TestPkiExtension.class)
class CertificateChecksTest {

    private static ValidationPolicy policy(TestPki pki, ValidationPolicy.Revocation revocation) {
        return ValidationPolicy.builder().trustAnchors(pki.roots()).revocation(revocation)
                .networkTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void aChainIsBuiltThroughTheIntermediateToTheCallersRoot(TestPki pki) {
        TestIdentity person = pki.person();
        CertificateChecks.Chain chain = CertificateChecks.chain(person.certificate(), person.chain(),
                TestPki.REFERENCE_TIME, policy(pki, ValidationPolicy.Revocation.NONE));
        assertEquals(ChainStatus.TRUSTED, chain.status());
        assertEquals(pki.cipherRoot().certificate(), chain.anchor());
        assertEquals(person.certificate(), chain.path().get(0));
    }

    @Test
    void aMissingIntermediateIsFetchedFromCaIssuersOnlyWhenOnlineIsAllowed(TestPki pki) {
        TestIdentity person = pki.person();
        CertificateChecks.Chain offline = CertificateChecks.chain(person.certificate(), List.of(),
                TestPki.REFERENCE_TIME, policy(pki, ValidationPolicy.Revocation.EMBEDDED_ONLY));
        assertEquals(ChainStatus.INCOMPLETE, offline.status());
        CertificateChecks.Chain online = CertificateChecks.chain(person.certificate(), List.of(),
                TestPki.REFERENCE_TIME, policy(pki, ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE));
        assertEquals(ChainStatus.TRUSTED, online.status());
    }

    @Test
    void inOneRunAMissingIntermediateIsFetchedOnceForAllFilesItIssued(TestPki pki) {
        // XML invoices carry the signer's certificate only: each file of a folder needs the same CA certificate
        ValidationPolicy run = ValidationPolicy.builder().trustAnchors(pki.roots())
                .revocation(ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE).networkTimeout(Duration.ofSeconds(5))
                .revocationCache(vn.kyso.RevocationCache.create()).build();
        int before = pki.services().caIssuersRequests();
        assertEquals(ChainStatus.TRUSTED, CertificateChecks.chain(pki.person().certificate(), List.of(),
                TestPki.REFERENCE_TIME, run).status());
        int forOne = pki.services().caIssuersRequests() - before;
        assertTrue(forOne > 0, "the first file fetches what its chain misses");
        for (int file = 0; file < 3; file++) {
            assertEquals(ChainStatus.TRUSTED, CertificateChecks.chain(pki.person().certificate(), List.of(),
                    TestPki.REFERENCE_TIME, run).status());
        }
        assertEquals(before + forOne, pki.services().caIssuersRequests(), "the next files fetch nothing");
    }

    @Test
    void intermediatesFromThePolicyCompleteALeafOnlyChainOfflineWithoutBeingTrusted(TestPki pki) {
        TestIdentity person = pki.person();
        ValidationPolicy withCa = ValidationPolicy.builder().trustAnchors(pki.roots())
                .intermediates(List.of(pki.cipherCa().certificate()))
                .revocation(ValidationPolicy.Revocation.EMBEDDED_ONLY).build();
        CertificateChecks.Chain chain = CertificateChecks.chain(person.certificate(), List.of(), TestPki.REFERENCE_TIME,
                withCa);
        assertEquals(ChainStatus.TRUSTED, chain.status());
        assertEquals(List.of(person.certificate(), pki.cipherCa().certificate()), chain.path());
        assertEquals(pki.cipherRoot().certificate(), chain.anchor());
        ValidationPolicy caOnly = ValidationPolicy.builder().intermediates(List.of(pki.cipherCa().certificate()))
                .revocation(ValidationPolicy.Revocation.EMBEDDED_ONLY).build();
        assertEquals(ChainStatus.NO_TRUSTED_ANCHOR, CertificateChecks.chain(person.certificate(), List.of(),
                TestPki.REFERENCE_TIME, caOnly).status(), "an intermediate is never an anchor by itself");
    }

    @Test
    void withoutAnchorsNothingIsTrusted(TestPki pki) {
        TestIdentity person = pki.person();
        CertificateChecks.Chain chain = CertificateChecks.chain(person.certificate(), person.chain(),
                TestPki.REFERENCE_TIME, ValidationPolicy.builder().revocation(ValidationPolicy.Revocation.NONE).build());
        assertEquals(ChainStatus.NO_TRUSTED_ANCHOR, chain.status());
    }

    @Test
    void onlineOcspTellsGoodFromRevokedWithTheRevocationTime(TestPki pki) {
        ValidationPolicy online = policy(pki, ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE);
        CertificateChecks.Revocation good = CertificateChecks.revocation(pki.person().certificate(),
                pki.person().issuer(), List.of(), List.of(), TestPki.REFERENCE_TIME, online);
        assertEquals(RevocationStatus.GOOD, good.status());
        assertEquals(RevocationSource.ONLINE_OCSP, good.source());
        CertificateChecks.Revocation revoked = CertificateChecks.revocation(pki.revoked().certificate(),
                pki.revoked().issuer(), List.of(), List.of(), TestPki.REFERENCE_TIME, online);
        assertEquals(RevocationStatus.REVOKED, revoked.status());
        assertEquals(TestPki.REVOKED_AT, revoked.revokedAt());
    }

    @Test
    void whenTheOcspResponderIsDownTheCrlAnswersAndWhenNothingAnswersItIsUnknown(TestPki pki) {
        ValidationPolicy online = policy(pki, ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE);
        pki.services().setOcspMode(TestServices.Mode.HTTP_ERROR);
        try {
            CertificateChecks.Revocation fromCrl = CertificateChecks.revocation(pki.revoked().certificate(),
                    pki.revoked().issuer(), List.of(), List.of(), TestPki.REFERENCE_TIME, online);
            assertEquals(RevocationStatus.REVOKED, fromCrl.status());
            assertEquals(RevocationSource.ONLINE_CRL, fromCrl.source());
        } finally {
            pki.services().setOcspMode(TestServices.Mode.AVAILABLE);
        }
        CertificateChecks.Revocation offline = CertificateChecks.revocation(pki.person().certificate(),
                pki.person().issuer(), List.of(), List.of(), TestPki.REFERENCE_TIME,
                policy(pki, ValidationPolicy.Revocation.EMBEDDED_ONLY));
        assertEquals(RevocationStatus.UNKNOWN, offline.status());
    }

    /** A clock that a test moves forward, as the hours of a long run pass. */
    private static final class MovingClock extends java.time.Clock {
        private volatile Duration ahead = Duration.ZERO;

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.now().plus(ahead);
        }
    }

    @Test
    void inOneRunTheSameOcspAnswerIsFetchedOnceUntilItsNextUpdate(TestPki pki) {
        // a folder of files signed by one person: each file asks about the same certificate of the same issuer
        MovingClock clock = new MovingClock();
        ValidationPolicy run = ValidationPolicy.builder().trustAnchors(pki.roots())
                .revocation(ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE).networkTimeout(Duration.ofSeconds(5))
                .revocationCache(vn.kyso.RevocationCache.create(clock, 16, 1 << 20)).build();
        int before = pki.services().ocspRequests();
        for (int file = 0; file < 5; file++) {
            CertificateChecks.Revocation r = CertificateChecks.revocation(pki.person().certificate(),
                    pki.person().issuer(), List.of(), List.of(), java.time.Instant.now(), true, run,
                    NetworkBudget.of(Duration.ofSeconds(5)));
            assertEquals(RevocationStatus.GOOD, r.status());
            assertEquals(RevocationSource.ONLINE_OCSP, r.source());
        }
        assertEquals(before + 1, pki.services().ocspRequests(), "one request for five files");
        CertificateChecks.revocation(pki.ecPerson().certificate(), pki.ecPerson().issuer(), List.of(), List.of(),
                java.time.Instant.now(), true, run, NetworkBudget.of(Duration.ofSeconds(5)));
        assertEquals(before + 2, pki.services().ocspRequests(), "another certificate is another question");
        // the testkit's answers carry nextUpdate an hour ahead: past it, the answer is asked for again
        clock.ahead = Duration.ofMinutes(61);
        CertificateChecks.revocation(pki.person().certificate(), pki.person().issuer(), List.of(), List.of(),
                java.time.Instant.now(), true, run, NetworkBudget.of(Duration.ofSeconds(5)));
        assertEquals(before + 3, pki.services().ocspRequests(), "a stale answer is not reused");
        // without a cache (one verification at a time), every file asks
        ValidationPolicy plain = policy(pki, ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE);
        for (int file = 0; file < 2; file++) {
            CertificateChecks.revocation(pki.person().certificate(), pki.person().issuer(), List.of(), List.of(),
                    TestPki.REFERENCE_TIME, plain);
        }
        assertEquals(before + 5, pki.services().ocspRequests());
    }

    @Test
    void inOneRunTheSameCrlIsFetchedOnceAndAFailedFetchIsNotKept(TestPki pki) {
        // the responder is down, so every file falls back to the CA's CRL: the same URL for both certificates
        ValidationPolicy run = ValidationPolicy.builder().trustAnchors(pki.roots())
                .revocation(ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE).networkTimeout(Duration.ofSeconds(5))
                .revocationCache(vn.kyso.RevocationCache.create()).build();
        pki.services().setOcspMode(TestServices.Mode.HTTP_ERROR);
        try {
            int crls = pki.services().crlRequests();
            int ocsps = pki.services().ocspRequests();
            for (TestIdentity who : List.of(pki.revoked(), pki.person(), pki.revoked())) {
                CertificateChecks.revocation(who.certificate(), who.issuer(), List.of(), List.of(),
                        TestPki.REFERENCE_TIME, run);
            }
            CertificateChecks.Revocation revoked = CertificateChecks.revocation(pki.revoked().certificate(),
                    pki.revoked().issuer(), List.of(), List.of(), TestPki.REFERENCE_TIME, run);
            assertEquals(RevocationStatus.REVOKED, revoked.status(), "the kept CRL still answers");
            assertEquals(RevocationSource.ONLINE_CRL, revoked.source());
            assertEquals(crls + 1, pki.services().crlRequests(), "one CRL fetch for four questions");
            assertEquals(ocsps + 4, pki.services().ocspRequests(), "a failed OCSP fetch is not kept: each question asks again");
        } finally {
            pki.services().setOcspMode(TestServices.Mode.AVAILABLE);
        }
    }

    @Test
    void anEmbeddedOcspResponseIsUsedWithoutTheNetwork(TestPki pki) {
        byte[] ocsp = Net.ocsp(pki.person().certificate(), pki.person().issuer(), Duration.ofSeconds(5)).orElseThrow();
        int before = pki.services().ocspRequests();
        CertificateChecks.Revocation r = CertificateChecks.revocation(pki.person().certificate(),
                pki.person().issuer(), List.of(ocsp), List.of(), TestPki.REFERENCE_TIME,
                policy(pki, ValidationPolicy.Revocation.EMBEDDED_ONLY));
        assertEquals(RevocationStatus.GOOD, r.status());
        assertEquals(RevocationSource.EMBEDDED_OCSP, r.source());
        assertEquals(before, pki.services().ocspRequests());
    }

    @Test
    void anOcspResponseForAnotherIssuerIsIgnored(TestPki pki) {
        byte[] ocsp = Net.ocsp(pki.ecPerson().certificate(), pki.ecPerson().issuer(), Duration.ofSeconds(5)).orElseThrow();
        CertificateChecks.Revocation r = CertificateChecks.revocation(pki.person().certificate(),
                pki.person().issuer(), List.of(ocsp), List.of(), TestPki.REFERENCE_TIME,
                policy(pki, ValidationPolicy.Revocation.EMBEDDED_ONLY));
        assertTrue(r.status() == RevocationStatus.UNKNOWN, "a response about another certificate proves nothing");
    }
    @Test
    void allFetchesOfOneVerificationShareOneNetworkBudget(TestPki pki) {
        // the OCSP responder hangs for longer than the whole budget: the CRL is then not even tried,
        // where each fetch used to get a full timeout of its own
        ValidationPolicy online = policy(pki, ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE);
        pki.services().setResponseDelay(Duration.ofSeconds(3));
        try {
            int crlsBefore = pki.services().crlRequests();
            NetworkBudget budget = NetworkBudget.of(Duration.ofMillis(800));
            CertificateChecks.Revocation r = CertificateChecks.revocation(pki.revoked().certificate(),
                    pki.revoked().issuer(), List.of(), List.of(), TestPki.REFERENCE_TIME, false, online, budget);
            assertEquals(RevocationStatus.UNKNOWN, r.status());
            assertTrue(budget.spent());
            assertEquals(crlsBefore, pki.services().crlRequests(), "no CRL fetch once the budget is spent");
        } finally {
            pki.services().setResponseDelay(Duration.ZERO);
        }
    }

    @Test
    void everyFailedFetchIsLoggedWithItsUrlAndTheReason(TestPki pki) {
        // slf4j-simple (the tests' binding) writes to System.err as it is at each write
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        pki.services().setOcspMode(TestServices.Mode.HTTP_ERROR);
        try {
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            NetworkBudget spent = NetworkBudget.of(Duration.ofMillis(1));
            Net.ocsp(pki.person().certificate(), pki.person().issuer(), Duration.ofSeconds(5));
            while (!spent.spent()) {
                Thread.onSpinWait();
            }
            Net.crl(pki.person().certificate(), spent);
        } finally {
            System.setErr(err);
            pki.services().setOcspMode(TestServices.Mode.AVAILABLE);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(log.contains("WARN") && log.contains(pki.services().ocspUri().toString()) && log.contains("503"), log);
        assertTrue(log.contains(pki.services().crlUri(pki.cipherCa()).toString()) && log.contains("spent"), log);
    }

    @Test
    void anOcspAnswerWithoutNextUpdateCountsForNowOnlyWhenJustFetched() {
        // some responders pre-produce answers without nextUpdate: fetched now it is the current status,
        // embedded in a document it is a statement of its thisUpdate only
        java.time.Instant now = TestPki.REFERENCE_TIME;
        java.time.Instant hourAgo = now.minus(Duration.ofHours(1));
        CertificateChecks.Statement live = new CertificateChecks.Statement(RevocationStatus.GOOD,
                RevocationSource.ONLINE_OCSP, hourAgo, null, null, false);
        CertificateChecks.Statement embedded = new CertificateChecks.Statement(RevocationStatus.GOOD,
                RevocationSource.EMBEDDED_OCSP, hourAgo, null, null, false);
        assertEquals(RevocationStatus.GOOD, CertificateChecks.settle(List.of(live), now, true, new java.util.ArrayList<>())
                .orElseThrow().status());
        assertTrue(CertificateChecks.settle(List.of(embedded), now, true, new java.util.ArrayList<>()).isEmpty());
        assertTrue(CertificateChecks.settle(List.of(live), now, false, new java.util.ArrayList<>()).isEmpty(),
                "for a proven past time it must be issued after that time");
    }

    @Test
    void aCertificateIsForSigningDocumentsByItsKeyUsageAndExtendedKeyUsage(TestPki pki) {
        assertTrue(CertificateChecks.notForSigning(pki.person().certificate()).isEmpty(),
                "clientAuth, emailProtection and documentSigning, as Vietnamese signing certificates carry");
        assertTrue(CertificateChecks.notForSigning(pki.tsa().certificate()).orElseThrow().contains("timeStamping"));
        assertTrue(CertificateChecks.notForSigning(pki.ocspResponder(pki.cipherCa()).certificate()).orElseThrow()
                .contains("OCSPSigning"));
        assertTrue(CertificateChecks.notForSigning(pki.cipherCa().certificate()).orElseThrow().contains("key usage"),
                "a CA key signs certificates, not documents");
        vn.kyso.testkit.TestIdentity tls = vn.kyso.testkit.TestEvidence.issue(pki, pki.cipherCa(), "tls.test.vn", 0x3101,
                vn.kyso.testkit.TestEvidence.Purpose.TLS_SERVER);
        assertTrue(CertificateChecks.notForSigning(tls.certificate()).orElseThrow().contains("serverAuth"),
                "clientAuth next to serverAuth is a TLS certificate");
    }

    // ---- the real Vietnamese CA certificates (public data in src/test/resources/trust/vietnam) ----

    private static java.security.cert.X509Certificate vietnamese(String name) throws Exception {
        try (var in = CertificateChecksTest.class.getResourceAsStream("/trust/vietnam/" + name)) {
            return vn.kyso.Certificates.parse(in.readAllBytes()).get(0);
        }
    }

    private static ValidationPolicy anchoredAt(java.security.cert.X509Certificate... anchors) {
        return ValidationPolicy.builder().trustAnchors(List.of(anchors)).revocation(ValidationPolicy.Revocation.NONE).build();
    }

    @Test
    void theRealG2IntermediateChainsToTheRealG2RootGivenAsAnchor() throws Exception {
        java.security.cert.X509Certificate cpcag2 = vietnamese("cpcag2.pem");
        java.security.cert.X509Certificate rootcag2 = vietnamese("rootcag2.pem");
        CertificateChecks.Chain chain = CertificateChecks.chain(cpcag2, List.of(), TestPki.REFERENCE_TIME, anchoredAt(rootcag2));
        assertEquals(ChainStatus.TRUSTED, chain.status());
        assertEquals(rootcag2, chain.anchor());
        assertEquals(List.of(cpcag2), chain.path());
    }

    @Test
    void theRealVnptIntermediateChainsToTheNationalRootAndTheTwoHierarchiesStaySeparate() throws Exception {
        java.security.cert.X509Certificate vnpt = vietnamese("vnpt-ca-sha2.pem");
        java.security.cert.X509Certificate national = vietnamese("vnrca256.pem");
        java.security.cert.X509Certificate cpcag2 = vietnamese("cpcag2.pem");
        assertEquals(ChainStatus.TRUSTED,
                CertificateChecks.chain(vnpt, List.of(), TestPki.REFERENCE_TIME, anchoredAt(national)).status());
        assertEquals(ChainStatus.INCOMPLETE,
                CertificateChecks.chain(cpcag2, List.of(), TestPki.REFERENCE_TIME, anchoredAt(national)).status(),
                "the Cipher Committee's PKI does not chain to the national root");
    }
}
