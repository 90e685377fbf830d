package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.kyso.xml.TestXml.utf8;

import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;
import vn.kyso.Indication;
import vn.kyso.SignatureReport;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

/**
 * Verification inside a document-management stack: xercesImpl (test scope) is on the class path,
 * so JAXP's default factories are Xerces', which refuses the JDK-only attributes.
 */
@ExtendWith(TestPkiExtension.class)
class XercesClassPathTest {

    @Test
    void xercesIsTheJaxpDefaultInTheseTests() {
        assertEquals("org.apache.xerces.jaxp.DocumentBuilderFactoryImpl",
                DocumentBuilderFactory.newInstance().getClass().getName(),
                "xercesImpl must be on the test class path, or this test proves nothing");
    }

    @Test
    void anInvoiceSignedBySellerAndTaxAuthorityVerifiesWithXercesOnTheClassPath(TestPki pki) throws Exception {
        String xml = TestXml.taxAuthorityInvoice(pki.invoiceSeller(), pki.taxAuthority());
        VerificationReport report = XmlVerifierTest.verify(xml, XmlVerifierTest.offline(pki));
        assertEquals(2, report.signatures().size());
        for (SignatureReport s : report.signatures()) {
            assertTrue(s.intact(), s.findings().toString());
            assertEquals(Indication.TOTAL_PASSED, s.indication(), s.findings().toString());
        }
        SignatureReport altered = XmlVerifierTest.verify(xml.replace("M1-25-KYSO1-00000000123", "M1-25-KYSO1-00000000999"),
                XmlVerifierTest.offline(pki)).signatures().get(1);
        assertEquals(Indication.TOTAL_FAILED, altered.indication(), "and a change is still caught");
    }

    @Test
    void theDepthLimitStillHoldsWithXercesOnTheClassPath() throws Exception {
        // a reader recursing through this nesting would overflow its stack; the verifier refuses it as it did
        String deep = "<HDon>" + "<a>".repeat(XmlLimits.MAX_DEPTH) + "</a>".repeat(XmlLimits.MAX_DEPTH) + "</HDon>";
        DocumentMalformedException e = assertThrows(DocumentMalformedException.class,
                () -> XmlVerifier.verify(Document.of(utf8(deep), "deep.xml"), vn.kyso.ValidationPolicy.builder().build()));
        assertTrue(e.getMessage().contains(String.valueOf(XmlLimits.MAX_DEPTH)), e.getMessage());
        List<String> justUnder = List.of("<HDon>" + "<a>".repeat(XmlLimits.MAX_DEPTH - 2) + "</a>".repeat(XmlLimits.MAX_DEPTH - 2)
                + "</HDon>");
        VerificationReport unsigned = XmlVerifier.verify(Document.of(utf8(justUnder.get(0)), "ok.xml"),
                vn.kyso.ValidationPolicy.builder().build());
        assertEquals(VerificationReport.Outcome.UNSIGNED, unsigned.outcome(),
                "just under the limit it is parsed, and found to carry no signature");
    }
}
