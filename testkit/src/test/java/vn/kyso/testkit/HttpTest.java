package vn.kyso.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HttpTest {

    @Test
    void percentDecodingKeepsPlusSignsOfBase64() {
        assertEquals("MEow+A/B==", Http.percentDecode("MEow%2BA%2FB%3D%3D"));
        assertEquals("a+b", Http.percentDecode("a+b"));
    }

    @Test
    void brokenEscapesAreLeftAsTheyAre() {
        assertEquals("%zz%4", Http.percentDecode("%zz%4"));
        assertEquals("%", Http.percentDecode("%"));
    }
}
