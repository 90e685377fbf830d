package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import vn.kyso.SignOptions;
import vn.kyso.xml.XmlOptions.Profile;

class XmlOptionsTest {

    @Test
    void aNamedProfileNeedsNothingElse() {
        for (Profile p : Profile.values()) {
            if (p != Profile.GENERIC) {
                XmlOptions o = XmlOptions.of(p);
                assertEquals(p, o.profile());
                assertFalse(o.xades());
                assertFalse(o.includeChain());
                assertTrue(o.signedElementId().isEmpty() && o.signatureParentPath().isEmpty());
            }
        }
    }

    @Test
    void genericNeedsExactlyOneSignedElementAndOnePlace() {
        assertThrows(IllegalArgumentException.class, () -> XmlOptions.of(Profile.GENERIC));
        assertThrows(IllegalArgumentException.class, () -> XmlOptions.builder(Profile.GENERIC).signedElementId("a").build());
        assertThrows(IllegalArgumentException.class, () -> XmlOptions.builder(Profile.GENERIC).signedElementId("a")
                .wholeDocument().signatureParentId("k").build());
        assertThrows(IllegalArgumentException.class, () -> XmlOptions.builder(Profile.GENERIC).wholeDocument()
                .signatureParentId("k").signatureParentPath("/a/k").build());
        XmlOptions o = XmlOptions.builder(Profile.GENERIC).signedElementId("CT-0001").signatureParentPath("/ChungTu/ChuKy")
                .includeChain(true).build();
        assertEquals("CT-0001", o.signedElementId().orElseThrow());
        assertEquals("/ChungTu/ChuKy", o.signatureParentPath().orElseThrow());
        assertTrue(o.includeChain());
    }

    @Test
    void otherProfilesRefuseChoicesTheyMakeThemselves() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> XmlOptions.builder(Profile.INVOICE_SELLER).signedElementId("_1").build());
        assertTrue(e.getMessage().contains("GENERIC only"), e.getMessage());
    }

    @Test
    void idsAndPathsMustBeInTheAcceptedForm() {
        for (String bad : new String[] {"", "a b", "a\"b", "<x>", "#id"}) {
            assertThrows(IllegalArgumentException.class, () -> XmlOptions.builder(Profile.INVOICE_SELLER)
                    .signatureId(bad).build(), bad);
        }
        for (String bad : new String[] {"ChungTu/ChuKy", "/", "/a//b", "/a/b/", "/a[1]", "//a"}) {
            assertThrows(IllegalArgumentException.class, () -> XmlOptions.builder(Profile.GENERIC).wholeDocument()
                    .signatureParentPath(bad).build(), bad);
        }
        assertEquals("/HSoThueDTu/CKyDTu", XmlOptions.builder(Profile.GENERIC).wholeDocument()
                .signatureParentPath("/HSoThueDTu/CKyDTu").build().signatureParentPath().orElseThrow());
        assertThrows(NullPointerException.class, () -> XmlOptions.builder(null));
    }

    @Test
    void travelsInsideSignOptions() {
        XmlOptions x = XmlOptions.of(Profile.TAX_DECLARATION);
        SignOptions o = SignOptions.builder().formatOptions(x).build();
        assertEquals(x, o.formatOptions(XmlOptions.class).orElseThrow());
        assertTrue(x.toString().contains("TAX_DECLARATION"));
    }
}
