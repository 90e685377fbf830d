package vn.kyso.internal.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import vn.kyso.DigestAlgorithm;
import vn.kyso.ServiceUnavailableException;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;
import vn.kyso.testkit.TestServices;

@ExtendWith(TestPkiExtension.class)
class TimestampsTest {

    private static final byte[] DATA = "chữ ký số".getBytes(StandardCharsets.UTF_8);

    @Test
    void aTokenFromTheTsaCoversTheStampedDataOnly(TestPki pki) throws Exception {
        byte[] der = Net.timestamp("test", pki.services().tsaUri(), DigestAlgorithm.SHA256,
                DigestAlgorithm.SHA256.digest(DATA), Duration.ofSeconds(5));
        Timestamps.Token token = Timestamps.read(der);
        assertTrue(token.covers(DATA));
        assertFalse(token.covers("other".getBytes(StandardCharsets.UTF_8)));
        assertEquals(pki.tsa().certificate(), token.tsa());
        assertTrue(token.certificates().contains(pki.tsa().certificate()));
    }

    @Test
    void theTsaIsTrustedOnlyUnderTheCallersAnchors(TestPki pki) throws Exception {
        Timestamps.Token token = Timestamps.read(Net.timestamp("test", pki.services().tsaUri(), DigestAlgorithm.SHA256,
                DigestAlgorithm.SHA256.digest(DATA), Duration.ofSeconds(5)));
        vn.kyso.ValidationPolicy trusting = vn.kyso.ValidationPolicy.builder().trustAnchors(pki.roots())
                .revocation(vn.kyso.ValidationPolicy.Revocation.EMBEDDED_ONLY).build();
        vn.kyso.ValidationPolicy nobody = vn.kyso.ValidationPolicy.builder()
                .revocation(vn.kyso.ValidationPolicy.Revocation.EMBEDDED_ONLY).build();
        assertTrue(token.fromTrustedAuthority(pki.tsa().chain(), trusting));
        assertFalse(token.fromTrustedAuthority(pki.tsa().chain(), nobody));
    }

    @Test
    void onlyATokenFromATrustedAuthorityIsAProofOfExistence(TestPki pki) throws Exception {
        Timestamps.Token token = Timestamps.read(Net.timestamp("test", pki.services().tsaUri(), DigestAlgorithm.SHA256,
                DigestAlgorithm.SHA256.digest(DATA), Duration.ofSeconds(5)));
        vn.kyso.ValidationPolicy trusting = vn.kyso.ValidationPolicy.builder().trustAnchors(pki.roots())
                .revocation(vn.kyso.ValidationPolicy.Revocation.EMBEDDED_ONLY).build();
        vn.kyso.ValidationPolicy cipherOnly = vn.kyso.ValidationPolicy.builder()
                .trustAnchors(java.util.List.of(pki.cipherRoot().certificate()))
                .revocation(vn.kyso.ValidationPolicy.Revocation.EMBEDDED_ONLY).build();
        java.util.List<vn.kyso.Finding> findings = new java.util.ArrayList<>();
        assertEquals(java.util.Optional.of(token.time()), Timestamps.proofOfExistence(token, java.util.List.of(),
                trusting, NetworkBudget.of(Duration.ofSeconds(5)), findings));
        assertTrue(findings.isEmpty(), findings.toString());
        assertTrue(Timestamps.proofOfExistence(token, java.util.List.of(), cipherOnly,
                NetworkBudget.of(Duration.ofSeconds(5)), findings).isEmpty());
        assertEquals(java.util.List.of("TIMESTAMP_UNTRUSTED"), findings.stream().map(vn.kyso.Finding::code).toList());
    }

    @Test
    void aTokenWhoseSignedContentWasAlteredIsRefused(TestPki pki) throws Exception {
        byte[] imprint = DigestAlgorithm.SHA256.digest(DATA);
        byte[] der = Net.timestamp("test", pki.services().tsaUri(), DigestAlgorithm.SHA256, imprint,
                Duration.ofSeconds(5));
        int at = indexOf(der, imprint);
        assertTrue(at > 0, "the token holds the imprint");
        byte[] bad = der.clone();
        bad[at] ^= 0x01;
        assertThrows(IOException.class, () -> Timestamps.read(bad));
        assertThrows(IOException.class, () -> Timestamps.read(new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aTsaThatIsDownIsServiceUnavailableNamingTheSource(TestPki pki) {
        pki.services().setTsaMode(TestServices.Mode.HTTP_ERROR);
        try {
            ServiceUnavailableException e = assertThrows(ServiceUnavailableException.class, () -> Net.timestamp("xades",
                    pki.services().tsaUri(), DigestAlgorithm.SHA256, DigestAlgorithm.SHA256.digest(DATA),
                    Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains(pki.services().tsaUri().toString()), e.getMessage());
        } finally {
            pki.services().setTsaMode(TestServices.Mode.AVAILABLE);
        }
    }
}
