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
    void anUnsignedDecoyThatALookupByNameFindsFirstFailsTheSellersSignatureWhereverItIs(TestPki pki) throws Exception {
        String signed = TestXml.envelopeSigned(pki.invoiceSeller(), pki.organization());
        // outside the seller's DLHDon and before it in document order, a cousin deep in TTChung
        String attacked = signed.replace("<SLuong>1</SLuong></TTChung>", "<SLuong>1</SLuong><Ghi><DLHDon><NDHDon><DSHHDVu>"
                + "<HHDVu><ThTien>9000000</ThTien></HHDVu></DSHHDVu></NDHDon></DLHDon></Ghi></TTChung>");
        Element byName = (Element) TestXml.parse(attacked).getElementsByTagName("DLHDon").item(0);
        assertEquals("9000000", amount(byName), "what re-reading the file by name would show");
        VerifiedXml v = verify(attacked, pki);
        VerifiedXml.Signed seller = v.signatures().get(0);
        assertTrue(seller.report().has("SIGNATURE_WRAPPING"), seller.report().findings().toString());
        assertEquals(Indication.TOTAL_FAILED, seller.report().indication());
        assertTrue(seller.elements().isEmpty(), "nothing is handed out that a reader could mistake");
        assertEquals(Indication.TOTAL_FAILED, v.signatures().get(1).report().indication());
        assertTrue(v.signatures().get(1).elements().isEmpty());
    }

    @Test
    void eachSignatureSaysWhereItSitsAndThePathsOfWhatItCovers(TestPki pki) throws Exception {
        VerifiedXml v = verify(TestXml.envelopeSigned(pki.invoiceSeller(), pki.organization()), pki);
        VerifiedXml.Signed seller = v.signatures().get(0);
        assertEquals("TDiep/DLieu/HDon/DSCKS/NBan", seller.path());
        assertEquals("NBan", seller.slot());
        assertEquals(List.of("TDiep/DLieu/HDon/DLHDon", "TDiep/DLieu/HDon/DSCKS/NBan/Signature/Object"), seller.paths());
        assertEquals("CKSNNT", v.signatures().get(1).slot());
        assertEquals(List.of("TDiep"), v.signatures().get(1).paths().subList(0, 1));
        String text = v.report().toText();
        assertTrue(text.contains("Signature at TDiep/DLieu/HDon/DSCKS/NBan (the seller's slot); covers: DLHDon#_593651"
                + " (TDiep/DLieu/HDon/DLHDon)"), text);
        assertTrue(text.contains("Signature at TDiep/CKSNNT (the taxpayer's slot); covers: whole document (TDiep)"), text);
    }

    @Test
    void theTextAsSignedJoinsTextAndCdataAcrossCommentsAndLeavesNestedSignaturesOut(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = TestXml.parse("<NBan><MST>0312<!-- x --><![CDATA[34]]>5678</MST>"
                + "<Sub>a<b>b</b><?pi c?>c<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">sig</Signature></Sub></NBan>");
        Element mst = TestXml.first(dom, "NBan/MST");
        assertEquals("0312", mst.getFirstChild().getNodeValue(), "what reading the first text node gives");
        assertEquals("0312345678", VerifiedXml.text(mst));
        assertEquals("abc", VerifiedXml.text(TestXml.first(dom, "NBan/Sub")));
        // the seller's tax code is read the same way: split by a comment, it still matches the certificate's
        String signed = TestXml.seller(pki.invoiceSeller(), TestXml.Seller.common());
        org.w3c.dom.Document split = TestXml.parse(TestXml.invoice("0312345678")
                .replace("<MST>0312345678</MST><DChi>", "<MST>0312<!---->345<![CDATA[678]]></MST><DChi>"));
        TestXml.signSeller(split, "HDon/DSCKS/NBan", pki.invoiceSeller(), List.of(pki.invoiceSeller().certificate()),
                TestXml.Seller.common());
        VerifiedXml.Signed s = verify(TestXml.serialize(split), pki).signatures().get(0);
        assertEquals(Indication.TOTAL_PASSED, s.report().indication(), s.report().findings().toString());
        assertTrue(s.report().has("TAX_CODE_MATCHES"), s.report().findings().toString());
        assertTrue(signed.contains("<MST>0312345678</MST>"));
    }

    @Test
    void aWholeDocumentReferenceCoversTheDocumentElement(TestPki pki) throws Exception {
        VerifiedXml v = verify(TestXml.envelopeSigned(pki.invoiceSeller(), pki.organization()), pki);
        VerifiedXml.Signed taxpayer = v.signatures().get(1);
        assertEquals("TDiep", taxpayer.elements().get(0).getLocalName());
        assertEquals("whole document (TDiep)", taxpayer.report().covers().get(0));
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
    void garbageAndMisuseAreTypedErrors(TestPki pki) throws Exception {
        assertThrows(DocumentMalformedException.class,
                () -> VerifiedXml.verify(Document.of(TestXml.utf8("not xml"), "x.xml"), XmlVerifierTest.offline(pki)));
        assertThrows(NullPointerException.class, () -> VerifiedXml.verify(null, XmlVerifierTest.offline(pki)));
        // well-formed but unsigned: a readable document with nothing signed in it, not an error
        VerifiedXml unsigned = VerifiedXml.verify(Document.of(TestXml.utf8("<HDon/>"), "x.xml"), XmlVerifierTest.offline(pki));
        assertEquals(List.of(), unsigned.signatures());
        assertEquals(vn.kyso.VerificationReport.Outcome.UNSIGNED, unsigned.report().outcome());
    }
}
