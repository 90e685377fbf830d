package vn.kyso.internal.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import vn.kyso.Finding;
import vn.kyso.Indication;
import vn.kyso.SignatureReport;
import vn.kyso.SubIndication;
import vn.kyso.ValidationPolicy;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

@ExtendWith(TestPkiExtension.class)
class SignerValidationTest {

    private static SignatureReport finish(TestPki pki, TestIdentity who, Instant signingTime, boolean timestamped,
            List<Finding> findings) {
        SignatureReport.Builder report = SignatureReport.builder("s1").signerCertificate(who.certificate())
                .intact(true);
        SignerValidation.finish(report, true, true, who.certificate(), SignerValidation.Evidence.of(who.chain()),
                signingTime, timestamped, ValidationPolicy.builder().trustAnchors(pki.roots())
                        .networkTimeout(Duration.ofSeconds(5)).build(), findings);
        return report.build();
    }

    @Test
    void aGoodTrustedCertificatePasses(TestPki pki) {
        SignatureReport r = finish(pki, pki.person(), TestPki.REFERENCE_TIME, false, new ArrayList<>());
        assertEquals(Indication.TOTAL_PASSED, r.indication());
    }

    @Test
    void aCertificateRevokedBeforeSigningFailsAndOneRevokedAfterStands(TestPki pki) {
        SignatureReport before = finish(pki, pki.revoked(), TestPki.REFERENCE_TIME, true, new ArrayList<>());
        assertEquals(Indication.TOTAL_FAILED, before.indication());
        assertEquals(SubIndication.REVOKED, before.subIndication().orElseThrow());
        SignatureReport after = finish(pki, pki.revoked(), TestPki.REVOKED_AT.minus(Duration.ofDays(1)), true,
                new ArrayList<>());
        assertEquals(Indication.TOTAL_PASSED, after.indication());
        assertTrue(after.findings().stream().anyMatch(f -> f.code().equals("REVOKED_AFTER_SIGNING")));
    }

    @Test
    void aRevocationAfterAClaimedSigningTimeWithoutTimestampIsIndeterminate(TestPki pki) {
        SignatureReport claimed = finish(pki, pki.revoked(), TestPki.REVOKED_AT.minus(Duration.ofDays(1)), false,
                new ArrayList<>());
        assertEquals(Indication.INDETERMINATE, claimed.indication());
        assertEquals(SubIndication.REVOKED_NO_POE, claimed.subIndication().orElseThrow());
        assertTrue(claimed.findings().stream().anyMatch(f -> f.code().equals("REVOKED_NO_POE")));
    }

    @Test
    void signingAfterExpiryIsIndeterminateWithoutProofAndFailedWithATimestamp(TestPki pki) {
        SignatureReport claimed = finish(pki, pki.expired(), TestPki.REFERENCE_TIME, false, new ArrayList<>());
        assertEquals(Indication.INDETERMINATE, claimed.indication());
        assertEquals(SubIndication.OUT_OF_BOUNDS_NO_POE, claimed.subIndication().orElseThrow());
        SignatureReport stamped = finish(pki, pki.expired(), TestPki.REFERENCE_TIME, true, new ArrayList<>());
        assertEquals(Indication.TOTAL_FAILED, stamped.indication());
        assertEquals(SubIndication.EXPIRED, stamped.subIndication().orElseThrow());
    }

    @Test
    void signingBeforeValidityFails(TestPki pki) {
        SignatureReport r = finish(pki, pki.notYetValid(), TestPki.REFERENCE_TIME, false, new ArrayList<>());
        assertEquals(Indication.TOTAL_FAILED, r.indication());
        assertEquals(SubIndication.NOT_YET_VALID, r.subIndication().orElseThrow());
    }

    @Test
    void anErrorFromTheFormatFailsTheSignatureAsAConstraint(TestPki pki) {
        List<Finding> findings = new ArrayList<>(List.of(Finding.error("TAX_CODE_MISMATCH", "khác", "differs")));
        SignatureReport r = finish(pki, pki.person(), TestPki.REFERENCE_TIME, false, findings);
        assertEquals(Indication.TOTAL_FAILED, r.indication());
        assertEquals(SubIndication.SIG_CONSTRAINTS_FAILURE, r.subIndication().orElseThrow());
    }

    // ---- proof of existence, freshness and purpose (issue 12, section 2) ----

    private static final Instant T = TestPki.REFERENCE_TIME;

    private static ValidationPolicy offline(TestPki pki, Instant validationTime, ValidationPolicy.Revocation revocation) {
        return ValidationPolicy.builder().trustAnchors(pki.roots()).revocation(revocation).validationTime(validationTime)
                .build();
    }

    private static SignatureReport check(TestIdentity who, List<byte[]> ocsp, List<java.security.cert.X509CRL> crls,
            Instant signingTime, boolean timestamped, ValidationPolicy policy) {
        SignatureReport.Builder report = SignatureReport.builder("s1").signerCertificate(who.certificate()).intact(true);
        SignerValidation.finish(report, true, true, who.certificate(),
                new SignerValidation.Evidence(who.chain(), ocsp, crls), signingTime, timestamped, policy,
                new ArrayList<>());
        return report.build();
    }

    /** A fresh CRL of the root saying its intermediates are not revoked, issued an hour after {@code at}. */
    private static java.security.cert.X509CRL rootCrl(TestIdentity root, Instant at) {
        return vn.kyso.testkit.TestEvidence.crl(root, root, java.util.Map.of(), at.plusSeconds(3600),
                at.plusSeconds(86_400));
    }

    @Test
    void aClaimedTimeInsideTheValidityDoesNotRescueAnExpiredCertificateWithoutATimestamp(TestPki pki) {
        // expired() was valid 2021-2023; the signer claims 2022. Before, the claim was believed and the signature passed.
        Instant claimed = Instant.parse("2022-06-01T00:00:00Z");
        ValidationPolicy policy = offline(pki, T, ValidationPolicy.Revocation.NONE);
        SignatureReport claim = check(pki.expired(), List.of(), List.of(), claimed, false, policy);
        assertEquals(Indication.INDETERMINATE, claim.indication(), claim.findings().toString());
        assertEquals(SubIndication.OUT_OF_BOUNDS_NO_POE, claim.subIndication().orElseThrow());
        assertTrue(claim.findings().stream().anyMatch(f -> f.code().equals("CERT_EXPIRED_NO_POE")));
        assertEquals(vn.kyso.SignatureReport.ChainStatus.TRUSTED, claim.chainStatus(), "the path is still shown");
        SignatureReport proven = check(pki.expired(), List.of(), List.of(), claimed, true, policy);
        assertEquals(Indication.TOTAL_PASSED, proven.indication(), proven.findings().toString());
    }

    @Test
    void theValidationTimeOfThePolicyIsTheTimeAnUnprovenSignatureIsJudgedAt(TestPki pki) {
        // person() is valid until 2044: the same signature, judged in 2045, has no proof it was made in time
        Instant later = TestPki.EXPIRES_AT.plus(Duration.ofDays(365));
        SignatureReport now = check(pki.person(), List.of(), List.of(), T, false,
                offline(pki, T, ValidationPolicy.Revocation.NONE));
        assertEquals(Indication.TOTAL_PASSED, now.indication());
        SignatureReport then = check(pki.person(), List.of(), List.of(), T, false,
                offline(pki, later, ValidationPolicy.Revocation.NONE));
        assertEquals(SubIndication.OUT_OF_BOUNDS_NO_POE, then.subIndication().orElseThrow(), then.findings().toString());
        SignatureReport stamped = check(pki.person(), List.of(), List.of(), T, true,
                offline(pki, later, ValidationPolicy.Revocation.NONE));
        assertEquals(Indication.TOTAL_PASSED, stamped.indication(), stamped.findings().toString());
    }

    @Test
    void aGoodResponseIssuedBeforeTheProvenSigningTimeProvesNothingAndOneIssuedAfterDoes(TestPki pki) {
        // someone appends to the unsigned validation data a genuine "good" answer from the day before the signature
        TestIdentity responder = pki.ocspResponder(pki.cipherCa());
        byte[] dayBefore = vn.kyso.testkit.TestEvidence.ocsp(responder, pki.cipherCa().certificate(),
                pki.person().certificate(), null, null, T.minus(Duration.ofDays(1)), T.plus(Duration.ofDays(1)));
        byte[] hourAfter = vn.kyso.testkit.TestEvidence.ocsp(responder, pki.cipherCa().certificate(),
                pki.person().certificate(), null, null, T.plus(Duration.ofHours(1)), T.plus(Duration.ofHours(2)));
        ValidationPolicy policy = offline(pki, T.plus(Duration.ofDays(30)), ValidationPolicy.Revocation.EMBEDDED_ONLY);
        List<java.security.cert.X509CRL> root = List.of(rootCrl(pki.cipherRoot(), T));
        SignatureReport stale = check(pki.person(), List.of(dayBefore), root, T, true, policy);
        assertEquals(Indication.INDETERMINATE, stale.indication(), stale.findings().toString());
        assertEquals(SubIndication.TRY_LATER, stale.subIndication().orElseThrow());
        assertTrue(stale.findings().stream().anyMatch(f -> f.code().equals("REVOCATION_UNKNOWN")
                && f.english().contains("not fresh")), stale.findings().toString());
        SignatureReport fresh = check(pki.person(), List.of(dayBefore, hourAfter), root, T, true, policy);
        assertEquals(Indication.TOTAL_PASSED, fresh.indication(), fresh.findings().toString());
    }

    @Test
    void withoutATimestampAnEmbeddedResponseCountsOnlyUntilItsNextUpdate(TestPki pki) {
        byte[] ocsp = vn.kyso.testkit.TestEvidence.goodOcsp(pki.cipherCa(), pki.person(), T);
        List<java.security.cert.X509CRL> root = List.of(rootCrl(pki.cipherRoot(), T.minusSeconds(7200)));
        SignatureReport within = check(pki.person(), List.of(ocsp), root, T, false,
                offline(pki, T.plusSeconds(600), ValidationPolicy.Revocation.EMBEDDED_ONLY));
        assertEquals(Indication.TOTAL_PASSED, within.indication(), within.findings().toString());
        SignatureReport weekLater = check(pki.person(), List.of(ocsp), root, T, false,
                offline(pki, T.plus(Duration.ofDays(7)), ValidationPolicy.Revocation.EMBEDDED_ONLY));
        assertEquals(SubIndication.TRY_LATER, weekLater.subIndication().orElseThrow(), weekLater.findings().toString());
    }

    @Test
    void aRevokedStatementNeverLosesToAGoodOneWhateverTheirOrder(TestPki pki) {
        // a proven signing time after the revocation; a "good" OCSP answer (first) and the CRL listing the revocation
        TestIdentity responder = pki.ocspResponder(pki.cipherCa());
        Instant signed = TestPki.REVOKED_AT.plus(Duration.ofDays(1));
        byte[] good = vn.kyso.testkit.TestEvidence.ocsp(responder, pki.cipherCa().certificate(),
                pki.revoked().certificate(), null, null, signed.plusSeconds(60), signed.plusSeconds(3600));
        byte[] revoked = vn.kyso.testkit.TestEvidence.ocsp(responder, pki.cipherCa().certificate(),
                pki.revoked().certificate(), TestPki.REVOKED_AT, java.security.cert.CRLReason.KEY_COMPROMISE,
                signed.plusSeconds(30), signed.plusSeconds(3600));
        ValidationPolicy policy = offline(pki, signed.plus(Duration.ofDays(1)), ValidationPolicy.Revocation.EMBEDDED_ONLY);
        List<java.security.cert.X509CRL> root = List.of(rootCrl(pki.cipherRoot(), signed));
        for (List<byte[]> order : List.of(List.of(good, revoked), List.of(revoked, good))) {
            SignatureReport r = check(pki.revoked(), order, root, signed, true, policy);
            assertEquals(Indication.TOTAL_FAILED, r.indication(), r.findings().toString());
            assertEquals(SubIndication.REVOKED, r.subIndication().orElseThrow());
        }
        java.security.cert.X509CRL crl = vn.kyso.testkit.TestEvidence.crl(pki.cipherCa(), pki.cipherCa(),
                java.util.Map.of(pki.revoked().certificate(), TestPki.REVOKED_AT), signed.plusSeconds(10),
                signed.plusSeconds(86_400));
        SignatureReport mixed = check(pki.revoked(), List.of(good), List.of(crl, root.get(0)), signed, true, policy);
        assertEquals(SubIndication.REVOKED, mixed.subIndication().orElseThrow(), mixed.findings().toString());
    }

    @Test
    void aHoldIsLiftedOnlyByALaterGoodStatement(TestPki pki) {
        TestIdentity responder = pki.ocspResponder(pki.cipherCa());
        Instant held = T.minus(Duration.ofDays(10));
        byte[] hold = vn.kyso.testkit.TestEvidence.ocsp(responder, pki.cipherCa().certificate(),
                pki.person().certificate(), held, java.security.cert.CRLReason.CERTIFICATE_HOLD, T.plusSeconds(60),
                T.plusSeconds(3600));
        byte[] olderGood = vn.kyso.testkit.TestEvidence.ocsp(responder, pki.cipherCa().certificate(),
                pki.person().certificate(), null, null, T.plusSeconds(30), T.plusSeconds(3600));
        byte[] laterGood = vn.kyso.testkit.TestEvidence.ocsp(responder, pki.cipherCa().certificate(),
                pki.person().certificate(), null, null, T.plusSeconds(120), T.plusSeconds(3600));
        ValidationPolicy policy = offline(pki, T.plus(Duration.ofDays(1)), ValidationPolicy.Revocation.EMBEDDED_ONLY);
        List<java.security.cert.X509CRL> root = List.of(rootCrl(pki.cipherRoot(), T));
        assertEquals(SubIndication.REVOKED, check(pki.person(), List.of(olderGood, hold), root, T, true, policy)
                .subIndication().orElseThrow());
        assertEquals(Indication.TOTAL_PASSED, check(pki.person(), List.of(hold, laterGood), root, T, true, policy)
                .indication());
    }

    @Test
    void responsesAndCrlsNotSignedByTheIssuerOrItsResponderAreSetAside(TestPki pki) {
        // signed by the TSA's key (a certificate of another CA, not certified for OCSP signing by the issuer)
        byte[] stranger = vn.kyso.testkit.TestEvidence.ocsp(pki.tsa(), pki.cipherCa().certificate(),
                pki.revoked().certificate(), null, null, T.plusSeconds(60), T.plusSeconds(3600));
        java.security.cert.X509CRL forged = vn.kyso.testkit.TestEvidence.crl(pki.cipherCa(), pki.person(),
                java.util.Map.of(), T.plusSeconds(60), T.plusSeconds(3600));
        ValidationPolicy policy = offline(pki, T.plus(Duration.ofDays(1)), ValidationPolicy.Revocation.EMBEDDED_ONLY);
        SignatureReport r = check(pki.revoked(), List.of(stranger), List.of(forged, rootCrl(pki.cipherRoot(), T)), T,
                true, policy);
        assertEquals(SubIndication.TRY_LATER, r.subIndication().orElseThrow(), r.findings().toString());
        byte[] delegated = vn.kyso.testkit.TestEvidence.ocsp(pki.ocspResponder(pki.cipherCa()),
                pki.cipherCa().certificate(), pki.person().certificate(), null, null, T.plusSeconds(60),
                T.plusSeconds(3600));
        byte[] byTheCa = vn.kyso.testkit.TestEvidence.goodOcsp(pki.cipherCa(), pki.person(), T.plusSeconds(60));
        for (byte[] ok : List.of(delegated, byTheCa)) {
            assertEquals(Indication.TOTAL_PASSED, check(pki.person(), List.of(ok), List.of(rootCrl(pki.cipherRoot(), T)),
                    T, true, policy).indication());
        }
    }

    @Test
    void aDeltaCrlThatDoesNotListTheCertificateDoesNotSayItIsGood(TestPki pki) {
        // a delta CRL lists only revocations since its base: a genuine one appended to the document hides nothing
        java.security.cert.X509CRL delta = vn.kyso.testkit.TestEvidence.crl(pki.cipherCa(), pki.cipherCa(),
                java.util.Map.of(), T.plusSeconds(60), T.plusSeconds(3600), true);
        java.security.cert.X509CRL full = vn.kyso.testkit.TestEvidence.crl(pki.cipherCa(), pki.cipherCa(),
                java.util.Map.of(), T.plusSeconds(60), T.plusSeconds(3600), false);
        ValidationPolicy policy = offline(pki, T.plus(Duration.ofDays(1)), ValidationPolicy.Revocation.EMBEDDED_ONLY);
        java.security.cert.X509CRL root = rootCrl(pki.cipherRoot(), T);
        SignatureReport r = check(pki.revoked(), List.of(), List.of(delta, root), T, true, policy);
        assertEquals(SubIndication.TRY_LATER, r.subIndication().orElseThrow(), r.findings().toString());
        // nor is a delta entry that ends a hold a revocation
        java.security.cert.X509CRL unhold = vn.kyso.testkit.TestEvidence.crl(pki.cipherCa(), pki.cipherCa(),
                java.util.Map.of(pki.person().certificate(), T.minusSeconds(600)), T.plusSeconds(60), T.plusSeconds(3600),
                true, java.security.cert.CRLReason.REMOVE_FROM_CRL);
        SignatureReport lifted = check(pki.person(), List.of(), List.of(unhold, full, root), T, true, policy);
        assertEquals(Indication.TOTAL_PASSED, lifted.indication(), lifted.findings().toString());
        assertEquals(Indication.TOTAL_PASSED, check(pki.person(), List.of(), List.of(full, root), T, true, policy)
                .indication());
    }

    @Test
    void aRevokedIntermediateCaIsCaughtThoughTheSignerItselfIsGood(TestPki pki) {
        // a second CA under the cipher root, revoked by the root (CRL), and a signer it issued whose own status is good
        TestIdentity ca = vn.kyso.testkit.TestEvidence.issue(pki, pki.cipherRoot(), "revoked-ca", 0x3001,
                vn.kyso.testkit.TestEvidence.Purpose.INTERMEDIATE);
        TestIdentity signer = vn.kyso.testkit.TestEvidence.issue(pki, ca, "under-revoked-ca", 0x3002,
                vn.kyso.testkit.TestEvidence.Purpose.SIGNER);
        byte[] good = vn.kyso.testkit.TestEvidence.goodOcsp(ca, signer, T.plusSeconds(60));
        ValidationPolicy policy = offline(pki, T.plus(Duration.ofDays(1)), ValidationPolicy.Revocation.EMBEDDED_ONLY);
        java.security.cert.X509CRL revokedCa = vn.kyso.testkit.TestEvidence.crl(pki.cipherRoot(), pki.cipherRoot(),
                java.util.Map.of(ca.certificate(), T.minus(Duration.ofDays(1))), T.plusSeconds(60), T.plusSeconds(86_400));
        SignatureReport r = check(signer, List.of(good), List.of(revokedCa), T, true, policy);
        assertEquals(Indication.INDETERMINATE, r.indication(), r.findings().toString());
        assertEquals(SubIndication.REVOKED_CA_NO_POE, r.subIndication().orElseThrow());
        assertTrue(r.findings().stream().anyMatch(f -> f.code().equals("CA_CERT_REVOKED")));
        SignatureReport noCaData = check(signer, List.of(good), List.of(), T, true, policy);
        assertEquals(SubIndication.TRY_LATER, noCaData.subIndication().orElseThrow(), noCaData.findings().toString());
        assertTrue(noCaData.findings().stream().anyMatch(f -> f.code().equals("CA_REVOCATION_UNKNOWN")));
        SignatureReport before = check(signer, List.of(good), List.of(revokedCa), T.minus(Duration.ofDays(2)), true,
                policy);
        assertEquals(Indication.TOTAL_PASSED, before.indication(),
                "proven to be signed before the CA was revoked: " + before.findings());
    }

    @Test
    void aTlsServerOrTimestampCertificateOfTheSameCaIsNotADocumentSigner(TestPki pki) {
        TestIdentity tls = vn.kyso.testkit.TestEvidence.issue(pki, pki.cipherCa(), "dichvucong.test.vn", 0x3003,
                vn.kyso.testkit.TestEvidence.Purpose.TLS_SERVER);
        ValidationPolicy policy = offline(pki, T, ValidationPolicy.Revocation.NONE);
        for (TestIdentity notASigner : List.of(tls, pki.tsa(), pki.ocspResponder(pki.vnptCa()))) {
            SignatureReport r = check(notASigner, List.of(), List.of(), T, false, policy);
            assertEquals(Indication.TOTAL_FAILED, r.indication(), notASigner.alias() + ": " + r.findings());
            assertEquals(SubIndication.CHAIN_CONSTRAINTS_FAILURE, r.subIndication().orElseThrow());
            assertTrue(r.findings().stream().anyMatch(f -> f.code().equals("CERT_NOT_FOR_SIGNING")));
        }
        for (TestIdentity signer : List.of(pki.person(), pki.organization(), pki.invoiceSeller())) {
            assertEquals(Indication.TOTAL_PASSED, check(signer, List.of(), List.of(), T, false, policy).indication());
        }
    }
}
