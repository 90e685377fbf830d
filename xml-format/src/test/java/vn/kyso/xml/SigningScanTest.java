package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.DigestAlgorithm;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;

/** Hostile and broken input stops the signing pass with a typed error before anything is signed. */
class SigningScanTest {
    private static final SigningScan.Criteria SELLER = SigningTarget.criteria(XmlOptions.of(XmlOptions.Profile.INVOICE_SELLER));

    @TempDir
    Path dir;

    @Test
    void textThatIsNotXmlIsMalformed() {
        for (String bad : List.of("<HDon><DLHDon Id=\"1\">", "<a></b>", "<a/><b/>", "<a x=\"1\" x=\"2\"/>", "<a>&#0;</a>",
                "<p:a/>", "<a>\u0001</a>")) {
            DocumentMalformedException e = assertThrows(DocumentMalformedException.class, () -> scan(bad), bad);
            assertTrue(e.getMessage().contains("not well-formed XML"), e.getMessage());
        }
    }

    @Test
    void aDoctypeIsRefusedEvenWithoutEntities() {
        DocumentMalformedException e = assertThrows(DocumentMalformedException.class,
                () -> scan("<!DOCTYPE HDon><HDon/>"));
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
    }

    @Test
    void externalEntitiesAreNeverRead() throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-PIN-123456");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE HDon [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<HDon><DLHDon Id=\"a\">&x;</DLHDon><DSCKS><NBan/></DSCKS></HDon>";
        DocumentMalformedException e = assertThrows(DocumentMalformedException.class, () -> scan(xxe));
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
        assertFalse(e.getMessage().contains("TOP-SECRET"));
        String parameter = "<!DOCTYPE HDon [<!ENTITY % p SYSTEM \"" + secret.toUri() + "\"> %p;]><HDon/>";
        assertThrows(DocumentMalformedException.class, () -> scan(parameter));
    }

    @Test
    void billionLaughsIsRefusedBeforeAnyExpansion() {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                dtd.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
            }
            dtd.append("\">");
        }
        String bomb = dtd + "]><HDon><DLHDon Id=\"a\">&lol9;</DLHDon><DSCKS><NBan/></DSCKS></HDon>";
        DocumentMalformedException e = assertThrows(DocumentMalformedException.class, () -> scan(bomb));
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
    }

    @Test
    void anUndeclaredEntityIsMalformed() {
        DocumentMalformedException e = assertThrows(DocumentMalformedException.class,
                () -> scan("<HDon><DLHDon Id=\"a\">&nbsp;</DLHDon></HDon>"));
        assertTrue(e.getMessage().contains("nbsp"), e.getMessage());
    }

    @Test
    void encodingsOtherThanUtf8AreRefusedWithWhatToDo() throws Exception {
        String invoice = "<HDon><DLHDon Id=\"a\"><Ten>Công ty</Ten></DLHDon></HDon>";
        for (String enc : List.of("ISO-8859-1", "windows-1258", "UTF-16")) {
            byte[] bytes = ("<?xml version=\"1.0\" encoding=\"" + enc + "\"?>" + invoice).getBytes(Charset.forName(enc));
            DocumentMalformedException e = assertThrows(DocumentMalformedException.class, () -> scan(bytes), enc);
            assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        }
        byte[] utf16NoDeclaration = invoice.getBytes(StandardCharsets.UTF_16);
        assertThrows(DocumentMalformedException.class, () -> scan(utf16NoDeclaration));
    }

    @Test
    void nestingBeyondTheBoundIsRefused() {
        String deep = "<a>".repeat(2500) + "</a>".repeat(2500);
        DocumentMalformedException e = assertThrows(DocumentMalformedException.class, () -> scan(deep));
        assertTrue(e.getMessage().contains("deeper than"), e.getMessage());
    }

    @Test
    void idValuesSeenTwiceAndTheReferencesOfPresentSignaturesAreCollected() throws Exception {
        SigningScan scan = scan("<HDon><DLHDon Id=\"a\"/><X id=\"a\"/><Y ID=\"b\"/><DSCKS><NBan><Signature xmlns=\""
                + SigningScan.DSIG + "\"><SignedInfo><Reference URI=\"#a\"/><Reference URI=\"#xpointer(id('b'))\"/>"
                + "<Reference URI=\"\"/></SignedInfo></Signature></NBan></DSCKS></HDon>");
        assertEquals(java.util.Set.of("a"), scan.duplicateIds);
        assertEquals(java.util.Set.of("#a", "#b", ""), scan.existingReferences);
        assertEquals(1, scan.existingSignatures);
        assertTrue(scan.slots.get(0).holdsSignature);
    }

    private static SigningScan scan(String xml) throws Exception {
        return scan(xml.getBytes(StandardCharsets.UTF_8));
    }

    private static SigningScan scan(byte[] xml) throws Exception {
        return SigningScan.run(Document.of(xml, "bad.xml"), SELLER, DigestAlgorithm.SHA256, false);
    }
}
