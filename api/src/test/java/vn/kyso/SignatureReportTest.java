package vn.kyso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureReportTest {

    private static SignatureReport.Builder trustedIntact() {
        return SignatureReport.builder("Signature1").intact(true).coversWholeDocument(true)
                .chainStatus(SignatureReport.ChainStatus.TRUSTED, null)
                .revocation(SignatureReport.RevocationStatus.GOOD, SignatureReport.RevocationSource.ONLINE_OCSP);
    }

    @Test
    void totalPassedIsRefusedWhenTheFactsContradictIt() {
        var alteredBuilder = trustedIntact().intact(false).indication(Indication.TOTAL_PASSED, null);
        var e = assertThrows(IllegalStateException.class, alteredBuilder::build);
        assertTrue(e.getMessage().contains("not intact"));
        assertThrows(IllegalStateException.class, trustedIntact()
                .revocation(SignatureReport.RevocationStatus.UNKNOWN, SignatureReport.RevocationSource.NONE)
                .indication(Indication.TOTAL_PASSED, null)::build);
        assertThrows(IllegalStateException.class, trustedIntact()
                .chainStatus(SignatureReport.ChainStatus.NO_TRUSTED_ANCHOR, null)
                .indication(Indication.TOTAL_PASSED, null)::build);
        assertThrows(IllegalStateException.class, trustedIntact()
                .finding(Finding.error("X", "lỗi", "error")).indication(Indication.TOTAL_PASSED, null)::build);
    }

    @Test
    void aFailureNeedsASubIndication() {
        assertThrows(IllegalStateException.class, trustedIntact().indication(Indication.TOTAL_FAILED, null)::build);
    }

    @Test
    void theDefaultVerdictIsIndeterminateNotAPass() {
        SignatureReport r = SignatureReport.builder("s").build();
        assertEquals(Indication.INDETERMINATE, r.indication());
        assertFalse(r.intact());
    }

    @Test
    void aDocumentPassesOnlyWhenEverySignaturePasses() {
        SignatureReport pass = trustedIntact().indication(Indication.TOTAL_PASSED, null).build();
        SignatureReport fail = trustedIntact().intact(false).indication(Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE)
                .finding(Finding.error("ALTERED", "Nội dung đã bị thay đổi", "Content was altered")).build();
        assertTrue(new VerificationReport("pades", "a.pdf", List.of(pass)).allPassed());
        assertFalse(new VerificationReport("pades", "a.pdf", List.of(pass, fail)).allPassed());
        assertFalse(new VerificationReport("pades", "a.pdf", List.of()).allPassed());
        String text = new VerificationReport("pades", "a.pdf", List.of(pass, fail)).toText();
        assertTrue(text.contains("Hợp lệ / Valid") && text.contains("Nội dung đã bị thay đổi"), text);
    }
}
