package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Element;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;
import vn.kyso.Indication;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

@ExtendWith(TestPkiExtension.class)
class VerifiedXmlTest {

    private static VerifiedXml verify(String xml, TestPki pki) throws Exception {
        return VerifiedXml.verify(Document.of(TestXml.utf8(xml), "hd.xml"), XmlVerifierTest.offline(pki));
    }

    private static String amount(Element dlhdon) {
        return dlhdon.getElementsByTagName("ThTien").item(0).getTextContent();
    }

    @Test
    void eachSignatureComesWithTheElementsItsReferencesCoveredInReferenceOrder(TestPki pki) throws Exception {
        VerifiedXml v = verify(TestXml.taxAuthorityInvoice(pki.invoiceSeller(), pki.taxAuthority()), pki);
        assertTrue(v.report().allPassed(), v.report().toText());
        VerifiedXml.Signed cqt = v.signatures().get(1);
        assertEquals(cqt.report().covers().size(), cqt.elements().size());
        assertEquals(List.of("DLHDon", "Object", "MCCQT"), cqt.elements().stream().map(Element::getLocalName).toList());
        assertEquals("M1-25-KYSO1-00000000123", cqt.element("MCCQT").orElseThrow().getTextContent());
        assertEquals("1000000", amount(v.signatures().get(0).element("DLHDon").orElseThrow()));
        assertTrue(cqt.element("HSoKhaiThue").isEmpty());
    }

    @Test
    void anUnsignedDecoyThatALookupByNameFindsFirstIsNotWhatTheHelperReturns(TestPki pki) throws Exception {
        String signed = TestXml.envelopeSigned(pki.invoiceSeller(), pki.organization());
        // outside the seller's DLHDon and before it in document order; the taxpayer's whole-document signature breaks
        String attacked = signed.replace("<SLuong>1</SLuong></TTChung>", "<SLuong>1</SLuong><Ghi><DLHDon><NDHDon><DSHHDVu>"
                + "<HHDVu><ThTien>9000000</ThTien></HHDVu></DSHHDVu></NDHDon></DLHDon></Ghi></TTChung>");
        VerifiedXml v = verify(attacked, pki);
        VerifiedXml.Signed seller = v.signatures().get(0);
        assertEquals(Indication.TOTAL_PASSED, seller.report().indication(), seller.report().findings().toString());
        Element byName = (Element) TestXml.parse(attacked).getElementsByTagName("DLHDon").item(0);
        assertEquals("9000000", amount(byName), "what re-reading the file by name would show");
        assertEquals("1000000", amount(seller.element("DLHDon").orElseThrow()), "what the seller signed");
        assertEquals(Indication.TOTAL_FAILED, v.signatures().get(1).report().indication());
        assertTrue(v.signatures().get(1).elements().isEmpty());
    }

    @Test
    void aWholeDocumentReferenceCoversTheDocumentElement(TestPki pki) throws Exception {
        VerifiedXml v = verify(TestXml.envelopeSigned(pki.invoiceSeller(), pki.organization()), pki);
        VerifiedXml.Signed taxpayer = v.signatures().get(1);
        assertEquals("TDiep", taxpayer.elements().get(0).getLocalName());
        assertEquals("whole document", taxpayer.report().covers().get(0));
    }

    @Test
    void aSignatureThatDoesNotVerifyHandsOutNoElements(TestPki pki) throws Exception {
        String tampered = TestXml.seller(pki.invoiceSeller(), TestXml.Seller.common())
                .replace("<ThTien>1000000<", "<ThTien>9000000<");
        VerifiedXml.Signed s = verify(tampered, pki).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, s.report().indication());
        assertTrue(s.elements().isEmpty());
        assertTrue(s.element("DLHDon").isEmpty());
    }

    @Test
    void everyCallParsesItsOwnDomAndLeavesTheInputAlone(TestPki pki) throws Exception {
        byte[] xml = TestXml.utf8(TestXml.seller(pki.invoiceSeller(), TestXml.Seller.common()));
        byte[] copy = xml.clone();
        Document doc = Document.of(xml, "hd.xml");
        VerifiedXml a = VerifiedXml.verify(doc, XmlVerifierTest.offline(pki));
        VerifiedXml b = VerifiedXml.verify(doc, XmlVerifierTest.offline(pki));
        Element first = a.signatures().get(0).element("DLHDon").orElseThrow();
        assertNotSame(first, b.signatures().get(0).element("DLHDon").orElseThrow());
        first.getElementsByTagName("ThTien").item(0).setTextContent("0");
        assertEquals("1000000", amount(b.signatures().get(0).element("DLHDon").orElseThrow()));
        assertArrayEquals(copy, doc.readAllBytes());
        assertEquals(a.report().toText(), b.report().toText());
    }

    @Test
    void garbageAndMisuseAreTypedErrors(TestPki pki) {
        assertThrows(DocumentMalformedException.class,
                () -> VerifiedXml.verify(Document.of(TestXml.utf8("not xml"), "x.xml"), XmlVerifierTest.offline(pki)));
        assertThrows(DocumentMalformedException.class,
                () -> VerifiedXml.verify(Document.of(TestXml.utf8("<HDon/>"), "x.xml"), XmlVerifierTest.offline(pki)));
        assertThrows(NullPointerException.class, () -> VerifiedXml.verify(null, XmlVerifierTest.offline(pki)));
    }
}
