package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PadesOptionsTest {

    @Test
    void defaultsAreAnInvisibleOfficialSignatureWithoutFillOrCertification() {
        PadesOptions o = PadesOptions.builder().build();
        assertEquals(PadesOptions.Role.OFFICIAL, o.role());
        assertFalse(o.visible());
        assertTrue(o.fills().isEmpty());
        assertTrue(o.certification().isEmpty());
        assertTrue(o.copyForm().isEmpty());
        assertEquals(PadesOptions.SubFilter.ETSI_CADES_DETACHED, o.subFilter());
    }

    @Test
    void fillsKeepTheirOrderAndCannotBeChangedFromOutside() {
        PadesOptions o = PadesOptions.builder().fill("so_vb", "2806").fill("ngay", "ngày 02 tháng 12 năm 2026").build();
        assertEquals(List.of("so_vb", "ngay"), List.copyOf(o.fills().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> o.fills().put("x", "y"));
        assertThrows(IllegalArgumentException.class, () -> PadesOptions.builder().fill(" ", "1"));
        assertThrows(IllegalArgumentException.class, () -> PadesOptions.builder().fill("so_vb", ""));
    }

    @Test
    void aCopyNeedsItsFormAndNumberAndOnlyACopyHasThem() {
        assertThrows(IllegalArgumentException.class, () -> PadesOptions.builder().role(PadesOptions.Role.COPY).build());
        assertThrows(IllegalArgumentException.class, () -> PadesOptions.builder()
                .copy(PadesOptions.CopyForm.SAO_LUC, "01/SL-SCT").build());
        assertThrows(IllegalArgumentException.class, () -> PadesOptions.builder().role(PadesOptions.Role.COPY)
                .copy(PadesOptions.CopyForm.TRICH_SAO, " "));
        PadesOptions copy = PadesOptions.builder().role(PadesOptions.Role.COPY)
                .copy(PadesOptions.CopyForm.TRICH_SAO, "07/TrS-SCT").build();
        assertEquals("TRÍCH SAO", copy.copyForm().orElseThrow().label());
        assertEquals("07/TrS-SCT", copy.copyNumber());
        assertTrue(copy.visible(), "a copy is shown at the top right of page 1 without being placed");
    }

    @Test
    void placingAnAnchoredLookKeepsEveryOtherChoice() {
        byte[] png = {1, 2, 3};
        PadesOptions anchored = PadesOptions.builder().role(PadesOptions.Role.ORGANIZATION).anchor("{dau}", 100, 90)
                .image(png).text("Sở Công Thương").fill("so_vb", "2806").reason("Ban hành").location("Đồng Nai")
                .certify(PadesOptions.Certification.FORM_FILL_AND_SIGNATURES)
                .subFilter(PadesOptions.SubFilter.ADBE_PKCS7_DETACHED).build();
        PadesOptions placed = anchored.placedAt(2, 10, 20, 100, 90);
        assertEquals("", placed.anchor());
        assertEquals(2, placed.page());
        assertArrayEquals(new float[] {10, 20, 100, 90}, placed.rectangle());
        assertArrayEquals(png, placed.image());
        assertEquals(Map.of("so_vb", "2806"), placed.fills());
        assertEquals(anchored.certification(), placed.certification());
        assertEquals(anchored.role(), placed.role());
        assertEquals(anchored.subFilter(), placed.subFilter());
        assertEquals("Ban hành", placed.reason());
        assertEquals("Sở Công Thương", placed.text());
        assertEquals(2, PadesOptions.Certification.FORM_FILL_AND_SIGNATURES.permission());
    }
}
