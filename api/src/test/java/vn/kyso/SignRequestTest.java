package vn.kyso;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignRequestTest {

    @Test
    void rejectsNullDigestWithItsName() {
        var e = assertThrows(NullPointerException.class, () -> SignRequest.of(SignatureAlgorithm.RSA_SHA256, null, ""));
        assertTrue(e.getMessage().contains("digest"));
    }

    @Test
    void rejectsEmptyDigest() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SignRequest.of(SignatureAlgorithm.RSA_SHA256, new byte[0], ""));
        assertTrue(e.getMessage().contains("must not be empty"), e.getMessage());
    }

    @Test
    void rejectsDigestOfTheWrongLengthAndSaysWhichHashToUse() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SignRequest.of(SignatureAlgorithm.ECDSA_SHA384, new byte[32], ""));
        assertTrue(e.getMessage().contains("48 bytes") && e.getMessage().contains("SHA-384"), e.getMessage());
    }

    @Test
    void rejectsEmptyBatch() {
        assertThrows(IllegalArgumentException.class,
                () -> SignRequest.batch(SignatureAlgorithm.RSA_SHA256, List.of(), ""));
    }

    @Test
    void rejectsTextTooLongForAPhoneScreen() {
        assertThrows(IllegalArgumentException.class,
                () -> SignRequest.of(SignatureAlgorithm.RSA_SHA256, new byte[32], "x".repeat(201)));
    }

    @Test
    void copiesDigestsSoCallersCannotChangeThemAfterwards() {
        byte[] digest = new byte[32];
        List<byte[]> digests = new ArrayList<>(List.of(digest));
        SignRequest request = SignRequest.batch(SignatureAlgorithm.RSA_SHA256, digests, "Ký văn bản 2806/SCT-VP");
        digest[0] = 7;
        digests.clear();
        assertEquals(1, request.size());
        assertArrayEquals(new byte[32], request.digest(0));
        request.digest(0)[1] = 9;
        assertArrayEquals(new byte[32], request.digests().get(0));
    }

    @Test
    void carriesTheFormatContextForUsageReports() {
        SignRequest request = SignRequest.of(SignatureAlgorithm.RSA_SHA256, new byte[32], "")
                .forDocument("pades", "Công văn");
        assertEquals("pades", request.formatId());
        assertEquals("Công văn", request.documentType());
    }
}
