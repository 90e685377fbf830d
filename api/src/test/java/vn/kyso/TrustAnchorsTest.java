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
        assertEquals(List.of("CA phục vụ các cơ quan Nhà nước G2", "VNPT-CA SHA2", "VNPT SmartCA RS", "Viettel-CA RS",
                "FastCA SHA-256"), vn.intermediates().stream().map(Certificates::commonName).toList());
        assertEquals(List.of("d8cab7a4aef92e6bb2509d7c61cee7b44f3731b2d21074963530277b366fae4b",
                "7d6ba5245317f9ed5d8bc765a4634d26ac6340d36b9f584df3b52d9c4a81a306",
                "95cf8f36c986e0c0f7e03761b17d7804072cb644b235a8f1c62107f8804a4889",
                "860bcbe22fdc6757fe03b4597f7c61ca7f36e13ceb74a78cbefc9c5b267b8662",
                "bce53bfc017dc917ccac7f314bcddf257c53ec8ffc0165f33a80558deded01f1"),
                vn.intermediates().stream().map(Certificates::fingerprint).toList(), "each pinned as docs/trust-vietnam.md lists it");
        for (var ca : vn.intermediates()) {
            assertTrue(vn.anchors().stream().noneMatch(ca::equals), "an intermediate is never an anchor");
        }
    }

    /**
     * The bundled intermediates come from public copies (docs/trust-vietnam.md): only the root's
     * signature over each proves it is the CA certificate the root issued, not a look-alike with
     * the same names.
     */
    @Test
    void everyIntermediateIsACaCertificateSignedByTheKeyOfItsRoot() throws Exception {
        TrustAnchors vn = TrustAnchors.vietnam();
        for (var ca : vn.intermediates()) {
            var root = vn.anchors().stream()
                    .filter(r -> r.getSubjectX500Principal().equals(ca.getIssuerX500Principal())).findFirst()
                    .orElseThrow(() -> new AssertionError(ca.getSubjectX500Principal() + " is issued by none of the roots"));
            ca.verify(root.getPublicKey()); // throws SignatureException unless the root signed exactly these bytes
            assertTrue(ca.getBasicConstraints() >= 0, ca.getSubjectX500Principal() + " is a CA (basicConstraints cA)");
            assertTrue(ca.getKeyUsage() != null && ca.getKeyUsage()[5], ca.getSubjectX500Principal() + " may sign certificates");
        }
    }

    private static TrustAnchors vn() {
        return TrustAnchors.vietnam();
    }

    @Test
    void aPolicyGivenTheSetTrustsItsRootsAndAddsToAnchorsGivenBefore() throws Exception {
        var own = TestKeys.certificate(TestKeys.rsa(), "CN=Own root,C=VN");
        ValidationPolicy policy = ValidationPolicy.builder().trustAnchors(List.of(own)).trust(TrustAnchors.vietnam())
                .trust(TrustAnchors.vietnam()).build();
        assertEquals(3, policy.trustAnchors().size(), "added once, after the caller's own");
        assertEquals(own, policy.trustAnchors().get(0));
        assertEquals(vn().intermediates().size(), policy.intermediates().size());
        assertEquals(0, ValidationPolicy.builder().build().trustAnchors().size(), "nothing is trusted unless given");
    }
}
