package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.kyso.Document;
import vn.kyso.Indication;
import vn.kyso.SignatureReport;
import vn.kyso.SubIndication;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

/**
 * XML Signature Wrapping and reference refusals: every variant ends in a flagged failure, never
 * a clean pass, and nothing is fetched from outside the document.
 */
@ExtendWith(TestPkiExtension.class)
class SignedTargetsTest {

    private static VerifiedXml verify(org.w3c.dom.Document dom, TestPki pki) throws Exception {
        return VerifiedXml.verify(Document.of(TestXml.utf8(TestXml.serialize(dom)), "attacked.xml"),
                XmlVerifierTest.offline(pki));
    }

    /** The seller's and the tax authority's signatures (the latter with transform-free references). */
    private static org.w3c.dom.Document signed(TestPki pki) throws Exception {
        return TestXml.parse(TestXml.taxAuthorityInvoice(pki.invoiceSeller(), pki.taxAuthority()));
    }

    /** A copy of DLHDon without its Id and with another amount, as an attacker would show it. */
    private static Element decoy(org.w3c.dom.Document dom) {
        Element real = TestXml.first(dom, "HDon/DLHDon");
        Element fake = (Element) real.cloneNode(true);
        fake.removeAttribute("Id");
        fake.getElementsByTagName("ThTien").item(0).setTextContent("9000000");
        return fake;
    }

    private static void assertWrapping(VerifiedXml v, int signature) {
        VerifiedXml.Signed s = v.signatures().get(signature);
        SignatureReport r = s.report();
        assertNotEquals(Indication.TOTAL_PASSED, r.indication(), r.findings().toString());
        assertTrue(r.has("SIGNATURE_WRAPPING"), r.findings().toString());
        assertEquals(SubIndication.FORMAT_FAILURE, r.subIndication().orElseThrow());
        assertTrue(s.elements().isEmpty(), "no element is handed out for a refused signature");
    }

    @Test
    void theUntouchedInvoicePassesBothSignatures(TestPki pki) throws Exception {
        VerifiedXml v = verify(signed(pki), pki);
        assertTrue(v.report().allPassed(), v.report().toText());
    }

    @Test
    void aSecondElementWithTheSignedIdElsewhereIsWrapping(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = signed(pki);
        Element fake = decoy(dom);
        fake.setAttribute("Id", TestXml.DLHDON_ID);
        Element wrapper = dom.createElement("X");
        wrapper.appendChild(fake);
        dom.getDocumentElement().appendChild(wrapper);
        VerifiedXml v = verify(dom, pki);
        assertWrapping(v, 0);
        assertWrapping(v, 1);
    }

    @Test
    void aCopyWithTheSignedIdInsideAnotherSignaturesObjectIsWrapping(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = signed(pki);
        Element fake = decoy(dom);
        fake.setAttribute("Id", TestXml.DLHDON_ID);
        Element sellerObject = (Element) TestXml.first(dom, "HDon/DSCKS/NBan/Signature").getElementsByTagNameNS(TestXml.DSIG, "Object").item(0);
        sellerObject.appendChild(fake);
        VerifiedXml v = verify(dom, pki);
        assertWrapping(v, 1);
        assertNotEquals(Indication.TOTAL_PASSED, v.signatures().get(0).report().indication());
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "ID", "xml:id"})
    void anIdAttributeOfAnotherSpellingCarryingTheSignedValueIsWrapping(String name, TestPki pki) throws Exception {
        org.w3c.dom.Document dom = signed(pki);
        Element fake = decoy(dom);
        if (name.equals("xml:id")) {
            fake.setAttributeNS(javax.xml.XMLConstants.XML_NS_URI, "xml:id", TestXml.DLHDON_ID);
        } else {
            fake.setAttributeNS(null, name, TestXml.DLHDON_ID);
        }
        Element wrapper = dom.createElement("Extensions");
        wrapper.appendChild(fake);
        dom.getDocumentElement().appendChild(wrapper);
        VerifiedXml v = verify(dom, pki);
        assertWrapping(v, 0);
        assertWrapping(v, 1);
    }

    @Test
    void anElementCarryingTheSignedValueUnderIdBesidesItsOwnIdIsWrapping(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = signed(pki);
        ((Element) dom.getElementsByTagName("NMua").item(0)).setAttributeNS(null, "id", TestXml.DLHDON_ID);
        assertWrapping(verify(dom, pki), 0);
    }

    @Test
    void theSignedElementMovedIntoAWrapperWithADecoyInItsPlaceIsWrapping(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = signed(pki);
        Element hdon = dom.getDocumentElement();
        Element real = TestXml.first(dom, "HDon/DLHDon");
        Element fake = decoy(dom);
        hdon.replaceChild(fake, real);
        Element wrapper = dom.createElement("Extensions");
        wrapper.appendChild(real);
        hdon.appendChild(wrapper);
        VerifiedXml v = verify(dom, pki);
        assertWrapping(v, 0);
        assertWrapping(v, 1);
    }

    @Test
    void theSignedElementMovedIntoTheSignaturesOwnObjectIsWrapping(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = signed(pki);
        Element hdon = dom.getDocumentElement();
        Element real = TestXml.first(dom, "HDon/DLHDon");
        hdon.replaceChild(decoy(dom), real);
        Element cqt = TestXml.first(dom, "HDon/DSCKS/CQT/Signature");
        Element object = dom.createElementNS(TestXml.DSIG, "Object");
        object.appendChild(real);
        cqt.appendChild(object);
        VerifiedXml v = verify(dom, pki);
        assertWrapping(v, 1);
        assertWrapping(v, 0);
    }

    @Test
    void anUnsignedTwinNextToTheSignedElementIsWrapping(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = signed(pki);
        Element real = TestXml.first(dom, "HDon/DLHDon");
        dom.getDocumentElement().insertBefore(decoy(dom), real);
        VerifiedXml v = verify(dom, pki);
        assertWrapping(v, 0);
        assertWrapping(v, 1);
    }

    @Test
    void anUnsignedTwinInAnotherNamespaceIsWrappingToo(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = signed(pki);
        Element fake = dom.createElementNS("urn:example:other", "x:DLHDon");
        fake.setTextContent("9000000");
        dom.getDocumentElement().insertBefore(fake, TestXml.first(dom, "HDon/DLHDon"));
        assertWrapping(verify(dom, pki), 0);
    }

    @Test
    void aForgedSignatureOverADecoyTwinVouchesForNothing(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = signed(pki);
        Element fake = decoy(dom);
        fake.setAttributeNS(null, "Id", "decoy");
        dom.getDocumentElement().insertBefore(fake, TestXml.first(dom, "HDon/DLHDon"));
        TestXml.registerIds(dom.getDocumentElement());
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        java.security.KeyPair forger = g.generateKeyPair();
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=Forger,C=VN");
        java.security.cert.X509Certificate cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.TEN,
                        java.util.Date.from(TestPki.ISSUED_AT), java.util.Date.from(TestPki.EXPIRES_AT), name, forger.getPublic())
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA").build(forger.getPrivate())));
        TestXml.sign(TestXml.first(dom, "HDon/DSCKS/CCKSKhac"), forger.getPrivate(), "forged", TestXml.RSA_SHA256,
                TestXml.C14N, false, (sig, d) -> {
                    sig.addDocument("#decoy", null, TestXml.SHA256);
                    TestXml.keyInfo(sig, d, List.of(cert));
                });
        VerifiedXml v = verify(dom, pki);
        assertEquals("forged", v.signatures().get(1).report().id());
        assertTrue(v.signatures().get(1).report().chainStatus() != vn.kyso.SignatureReport.ChainStatus.TRUSTED);
        assertWrapping(v, 0);
        assertWrapping(v, 1);
        assertWrapping(v, 2);
    }

    @Test
    void siblingElementsEachSignedByTheirOwnSignatureAreNoTwins(TestPki pki) throws Exception {
        String batch = "<Vouchers><Voucher Id=\"v1\"><Amount>100</Amount></Voucher><Voucher Id=\"v2\"><Amount>200</Amount>"
                + "</Voucher><Signatures><S1></S1><S2></S2></Signatures></Vouchers>";
        org.w3c.dom.Document dom = TestXml.parse(batch);
        for (String n : List.of("1", "2")) {
            TestXml.sign(TestXml.first(dom, "Vouchers/Signatures/S" + n), pki.organization().privateKey(), "sig" + n,
                    TestXml.RSA_SHA256, TestXml.C14N, false, (sig, d) -> {
                        sig.addDocument("#v" + n, null, TestXml.SHA256);
                        TestXml.keyInfo(sig, d, List.of(pki.organization().certificate()));
                    });
        }
        VerifiedXml both = verify(dom, pki);
        assertTrue(both.report().allPassed(), both.report().toText());
        Node second = TestXml.first(dom, "Vouchers/Signatures/S2");
        second.removeChild(second.getFirstChild());
        VerifiedXml one = verify(dom, pki);
        assertTrue(one.signatures().get(0).report().has("SIGNATURE_WRAPPING"),
                "an unsigned voucher beside the signed one is what a decoy looks like");
    }

    @Test
    void aReferenceToAMissingElementIsSignedDataNotFound(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = signed(pki);
        TestXml.first(dom, "HDon/MCCQT").removeAttribute("Id");
        SignatureReport r = verify(dom, pki).signatures().get(1).report();
        assertEquals(Indication.INDETERMINATE, r.indication());
        assertEquals(SubIndication.SIGNED_DATA_NOT_FOUND, r.subIndication().orElseThrow());
    }

    private static SignatureReport withFirstReference(TestPki pki, java.util.function.Consumer<Element> change)
            throws Exception {
        org.w3c.dom.Document dom = TestXml.parse(TestXml.seller(pki.invoiceSeller(), TestXml.Seller.common()));
        change.accept((Element) dom.getElementsByTagNameNS(TestXml.DSIG, "Reference").item(0));
        return XmlVerifierTest.first(TestXml.serialize(dom), XmlVerifierTest.online(pki));
    }

    @Test
    void referencesOutsideTheDocumentAreRefusedWithoutFetchingAnything(TestPki pki) throws Exception {
        pki.services().resetCounters();
        for (String uri : List.of(pki.services().caIssuersUri(pki.vnptCa()).toString(), "file:///etc/passwd",
                "../../etc/hostname")) {
            SignatureReport r = withFirstReference(pki, ref -> ref.setAttribute("URI", uri));
            assertTrue(r.has("EXTERNAL_REFERENCE"), uri + ": " + r.findings());
            assertEquals(Indication.TOTAL_FAILED, r.indication());
            assertEquals(SubIndication.FORMAT_FAILURE, r.subIndication().orElseThrow());
        }
        assertEquals(0, pki.services().caIssuersRequests() + pki.services().ocspRequests() + pki.services().crlRequests());
    }

    @Test
    void xpointerAndMissingUrisAreRefused(TestPki pki) throws Exception {
        SignatureReport xpointer = withFirstReference(pki, ref -> ref.setAttribute("URI", "#xpointer(id('_593651'))"));
        assertTrue(xpointer.has("UNSUPPORTED_REFERENCE"), xpointer.findings().toString());
        SignatureReport none = withFirstReference(pki, ref -> ref.removeAttribute("URI"));
        assertTrue(none.has("UNSUPPORTED_REFERENCE"), none.findings().toString());
        assertEquals(Indication.TOTAL_FAILED, none.indication());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://www.w3.org/TR/1999/REC-xslt-19991116", "http://www.w3.org/TR/1999/REC-xpath-19991116",
            "http://www.w3.org/2002/06/xmldsig-filter2", "http://www.w3.org/2000/09/xmldsig#base64"})
    void transformsOtherThanEnvelopedAndCanonicalizationAreRefused(String algorithm, TestPki pki) throws Exception {
        SignatureReport r = withFirstReference(pki, ref -> {
            Element transform = (Element) ref.getElementsByTagNameNS(TestXml.DSIG, "Transform").item(0);
            Element extra = (Element) transform.cloneNode(false);
            extra.setAttribute("Algorithm", algorithm);
            if (algorithm.contains("xslt")) {
                Element stylesheet = ref.getOwnerDocument().createElementNS("http://www.w3.org/1999/XSL/Transform", "xsl:stylesheet");
                stylesheet.setAttribute("version", "1.0");
                extra.appendChild(stylesheet);
            }
            transform.getParentNode().appendChild(extra);
        });
        assertTrue(r.has("UNSUPPORTED_TRANSFORM"), r.findings().toString());
        assertEquals(SubIndication.FORMAT_FAILURE, r.subIndication().orElseThrow());
    }

    @Test
    void referencesAndTransformsAreBounded(TestPki pki) throws Exception {
        SignatureReport references = withFirstReference(pki, ref -> {
            for (int i = 0; i < SignedTargets.MAX_REFERENCES; i++) {
                ref.getParentNode().appendChild(ref.cloneNode(true));
            }
        });
        assertTrue(references.has("TOO_MANY_REFERENCES"), references.findings().toString());
        SignatureReport transforms = withFirstReference(pki, ref -> {
            Element transform = (Element) ref.getElementsByTagNameNS(TestXml.DSIG, "Transform").item(0);
            for (int i = 0; i < SignedTargets.MAX_TRANSFORMS; i++) {
                Element c14n = (Element) transform.cloneNode(false);
                c14n.setAttribute("Algorithm", TestXml.C14N);
                transform.getParentNode().appendChild(c14n);
            }
        });
        assertTrue(transforms.has("TOO_MANY_TRANSFORMS"), transforms.findings().toString());
        assertFalse(transforms.intact());
    }

    @Test
    void idsRegisteredForOneSignatureNeverRedirectAnother(TestPki pki) throws Exception {
        // verifying twice in one DOM-independent run gives the same verdicts: no registration leaks between calls
        org.w3c.dom.Document dom = signed(pki);
        String xml = TestXml.serialize(dom);
        ValidationPolicy policy = XmlVerifierTest.offline(pki);
        VerificationReport a = XmlVerifierTest.verify(xml, policy);
        VerificationReport b = XmlVerifierTest.verify(xml, policy);
        assertEquals(a.toText(), b.toText());
        VerifiedXml v = verify(dom, pki);
        Element sellerObject = v.signatures().get(0).elements().get(1);
        Element cqtObject = v.signatures().get(1).elements().get(1);
        assertNotEquals(sellerObject, cqtObject);
        assertEquals("Obj-seller", sellerObject.getAttribute("Id"));
        assertTrue(cqtObject.getAttribute("Id").startsWith("SigningTime-"));
    }
}
