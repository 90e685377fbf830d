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
}
