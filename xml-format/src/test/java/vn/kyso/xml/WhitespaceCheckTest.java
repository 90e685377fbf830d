package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.xml.security.signature.XMLSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.kyso.Indication;
import vn.kyso.SignatureReport;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

@ExtendWith(TestPkiExtension.class)
class WhitespaceCheckTest {

    /** A seller signature without any whitespace, SignedInfo included, as compact producers write it. */
    private static String compact(TestIdentity who) throws Exception {
        org.w3c.dom.Document dom = TestXml.parse(TestXml.invoice("0312345678"));
        TestXml.sign(TestXml.first(dom, "HDon/DSCKS/NBan"), who.privateKey(), "seller", TestXml.RSA_SHA256, TestXml.C14N,
                false, (sig, d) -> {
                    TestXml.signingTimeObject(sig, d, "Obj-seller", null, "#seller", TestXml.SIGNING_TIME, false);
                    sig.addDocument("#" + TestXml.DLHDON_ID, TestXml.enveloped(d), TestXml.SHA256);
                    sig.addDocument("#Obj-seller", null, TestXml.SHA256);
                    TestXml.keyInfo(sig, d, List.of(who.certificate()));
                    dropWhitespace(sig.getElement());
                });
        return TestXml.serialize(dom);
    }

    private static void dropWhitespace(Element e) {
        Node c = e.getFirstChild();
        while (c != null) {
            Node next = c.getNextSibling();
            if (c.getNodeType() == Node.TEXT_NODE && c.getNodeValue().isBlank()) {
                e.removeChild(c);
            } else if (c instanceof Element ce) {
                dropWhitespace(ce);
            }
            c = next;
        }
    }

    private static boolean check(org.w3c.dom.Document dom, PublicKey key) throws Exception {
        Element signature = (Element) dom.getElementsByTagNameNS(TestXml.DSIG, "Signature").item(0);
        IdIndex ids = IdIndex.of(dom);
        SignedTargets.Resolution r = SignedTargets.resolve(signature, ids, new ArrayList<>());
        assertTrue(r.ok());
        new XMLSignature(signature, "", true);
        assertTrue(SignedTargets.register(r.targets(), ids));
        return WhitespaceCheck.onlyWhitespaceChanged(signature, r.targets(), key);
    }

    @Test
    void aCompactSignatureReindentedAsAWholeIsOnlyWhitespace(TestPki pki) throws Exception {
        String signed = compact(pki.invoiceSeller());
        assertTrue(signed.contains("<SignedInfo><CanonicalizationMethod"), signed);
        assertEquals(Indication.TOTAL_PASSED, XmlVerifierTest.first(signed, XmlVerifierTest.offline(pki)).indication());
        String pretty = TestXml.serialize(TestXml.parse(signed), true);
        SignatureReport r = XmlVerifierTest.first(pretty, XmlVerifierTest.offline(pki));
        assertEquals(Indication.TOTAL_FAILED, r.indication());
        assertTrue(r.has("REFORMATTED_AFTER_SIGNING"), r.findings().toString());
    }

    @Test
    void aSantuarioStyleSignedInfoReindentedIsOnlyWhitespace(TestPki pki) throws Exception {
        String signed = TestXml.seller(pki.invoiceSeller(), TestXml.Seller.common());
        assertTrue(signed.contains("<SignedInfo>\n<CanonicalizationMethod"), signed);
        org.w3c.dom.Document pretty = TestXml.parse(TestXml.serialize(TestXml.parse(signed), true));
        assertTrue(check(pretty, pki.invoiceSeller().publicKey()));
    }

    @Test
    void theDocumentIsLeftAsItWasWhateverTheAnswer(TestPki pki) throws Exception {
        String signed = compact(pki.invoiceSeller());
        for (String variant : List.of(TestXml.serialize(TestXml.parse(signed), true),
                TestXml.serialize(TestXml.parse(signed), true).replace(">1000000<", ">9000000<"))) {
            org.w3c.dom.Document dom = TestXml.parse(variant);
            String before = TestXml.serialize(dom);
            boolean answer = check(dom, pki.invoiceSeller().publicKey());
            assertEquals(!variant.contains("9000000"), answer);
            assertEquals(before, TestXml.serialize(dom));
        }
    }

    @Test
    void aChangedValueIsNotOnlyWhitespaceEvenWhenReindentedToo(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = TestXml.parse(TestXml.serialize(TestXml.parse(compact(pki.invoiceSeller())), true)
                .replace(">Dịch vụ ký số<", ">Dịch vụ  ký số<"));
        assertFalse(check(dom, pki.invoiceSeller().publicKey()), "a space inside a value is a change of the value");
    }
}
