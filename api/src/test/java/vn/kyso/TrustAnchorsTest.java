package vn.kyso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustAnchorsTest {

    @Test
    void theVietnameseSetTrustsTheTwoRootsByTheirPinnedFingerprints() {
        TrustAnchors vn = TrustAnchors.vietnam();
        assertEquals("vn", vn.name());
        assertEquals(List.of("bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7",
                "f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8"),
                vn.anchors().stream().map(Certificates::fingerprint).toList());
        assertEquals(List.of("Vietnam National Root CA", "RootCA chuyên dùng Chính phủ G2"),
                vn.anchors().stream().map(Certificates::commonName).toList());
        assertSame(vn, TrustAnchors.vietnam(), "one immutable value, loaded once");
    }

    @Test
    void theIssuingCasAreCarriedAsUntrustedIntermediatesUnderTheirRoots() {
        TrustAnchors vn = TrustAnchors.vietnam();
        assertEquals(List.of("CA phục vụ các cơ quan Nhà nước G2", "VNPT-CA SHA2"),
                vn.intermediates().stream().map(Certificates::commonName).toList());
        for (var ca : vn.intermediates()) {
            assertTrue(vn.anchors().stream().anyMatch(root -> root.getSubjectX500Principal().equals(ca.getIssuerX500Principal())),
                    ca.getSubjectX500Principal() + " is issued by one of the roots");
            assertTrue(vn.anchors().stream().noneMatch(ca::equals), "an intermediate is never an anchor");
        }
    }

    @Test
    void aPolicyGivenTheSetTrustsItsRootsAndAddsToAnchorsGivenBefore() throws Exception {
        var own = TestKeys.certificate(TestKeys.rsa(), "CN=Own root,C=VN");
        ValidationPolicy policy = ValidationPolicy.builder().trustAnchors(List.of(own)).trust(TrustAnchors.vietnam())
                .trust(TrustAnchors.vietnam()).build();
        assertEquals(3, policy.trustAnchors().size(), "added once, after the caller's own");
        assertEquals(own, policy.trustAnchors().get(0));
        assertEquals(2, policy.intermediates().size());
        assertEquals(0, ValidationPolicy.builder().build().trustAnchors().size(), "nothing is trusted unless given");
    }
}
