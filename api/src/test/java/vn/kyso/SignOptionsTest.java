package vn.kyso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SignOptionsTest {

    @Test
    void defaultsAreBaselineBWithSha256() {
        assertEquals(BaselineLevel.B, SignOptions.defaults().level());
        assertEquals(DigestAlgorithm.SHA256, SignOptions.defaults().digest());
        assertTrue(SignOptions.defaults().timestampUrl().isEmpty());
    }

    @Test
    void aTimestampedLevelNeedsATsa() {
        var e = assertThrows(IllegalArgumentException.class, () -> SignOptions.builder().level(BaselineLevel.T).build());
        assertTrue(e.getMessage().contains("timestampUrl"));
        assertEquals(BaselineLevel.LT, SignOptions.builder().level(BaselineLevel.LT)
                .timestampUrl(URI.create("http://127.0.0.1:1/tsa")).build().level());
    }

    @Test
    void sha1IsRefusedForNewSignatures() {
        assertThrows(IllegalArgumentException.class, () -> SignOptions.builder().digest(DigestAlgorithm.SHA1).build());
    }

    @Test
    void formatOptionsAreFoundByType() {
        FormatOptions mine = new FormatOptions() { };
        SignOptions o = SignOptions.builder().formatOptions(mine).build();
        assertTrue(o.formatOptions(FormatOptions.class).isPresent());
        assertTrue(SignOptions.defaults().formatOptions(FormatOptions.class).isEmpty());
    }

    @Test
    void formatOptionsOfAnotherTypeAreRefusedNamingTheTypeTheFormatTakes() {
        // stands for PadesOptions handed to the XML format, or the reverse: ignoring them would sign with
        // defaults (another profile, another appearance) the caller never chose
        final class PdfLook implements FormatOptions {
        }
        final class XmlProfile implements FormatOptions {
        }
        SignOptions o = SignOptions.builder().formatOptions(new PdfLook()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.formatOptions(XmlProfile.class));
        assertTrue(e.getMessage().contains(XmlProfile.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(PdfLook.class.getName()), e.getMessage());
        assertTrue(SignOptions.defaults().formatOptions(XmlProfile.class).isEmpty());
        assertTrue(o.formatOptions(PdfLook.class).isPresent());
    }
}
