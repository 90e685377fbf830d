package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.kyso.Document;
import vn.kyso.Indication;
import vn.kyso.SignatureReport;
import vn.kyso.SubIndication;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

/**
 * Signature wrapping across the whole tree: a reader takes the first DLHDon, HDon or MCCQT it
 * meets, wherever it is, so every such element must be the one its owner's signature covers.
 */
@ExtendWith(TestPkiExtension.class)
class DocumentDataTest {

    private static VerificationReport verify(org.w3c.dom.Document dom, TestPki pki) throws Exception {
        return XmlVerifier.verify(Document.of(TestXml.utf8(TestXml.serialize(dom)), "attacked.xml"),
                XmlVerifierTest.offline(pki));
    }

    private static void assertWrapping(SignatureReport r) {
        assertNotEquals(Indication.TOTAL_PASSED, r.indication(), r.findings().toString());
        assertTrue(r.has("SIGNATURE_WRAPPING"), r.findings().toString());
        assertEquals(SubIndication.FORMAT_FAILURE, r.subIndication().orElseThrow());
    }

    /** A copy of {@code real} without Id and with a total of 9,000,000: what the attacker wants read. */
    private static Element forged(Element real) {
        Element fake = (Element) real.cloneNode(true);
        fake.removeAttribute("Id");
        for (String amount : List.of("ThTien", "TgTCThue")) {
            fake.getElementsByTagName(amount).item(0).setTextContent("9000000");
        }
        return fake;
    }

    private static String total(Element dlhdon) {
        return dlhdon.getElementsByTagName("TgTCThue").item(0).getTextContent();
    }

    /** The seller's signature in {@code hdonPath}/DSCKS/NBan over its DLHDon of Id {@code id}, as issuing software writes it. */
    private static void signInvoice(Element hdon, String id, TestIdentity who) throws Exception {
        signInvoice(hdon, id, new Key(who.privateKey(), who.certificate()));
    }

    /** A signing key and its certificate. */
    private record Key(java.security.PrivateKey privateKey, java.security.cert.X509Certificate certificate) {
    }

    private static void signInvoice(Element hdon, String id, Key who) throws Exception {
        String sigId = "seller" + id;
        Element slot = (Element) ((Element) hdon.getElementsByTagName("DSCKS").item(0)).getElementsByTagName("NBan").item(0);
        TestXml.sign(slot, who.privateKey(), sigId, TestXml.RSA_SHA256,
                TestXml.C14N, false, (sig, d) -> {
                    TestXml.signingTimeObject(sig, d, "Obj-" + sigId, null, "#" + sigId, TestXml.SIGNING_TIME, false);
                    sig.addDocument("#" + id, TestXml.enveloped(d), TestXml.SHA256);
                    sig.addDocument("#Obj-" + sigId, null, TestXml.SHA256);
                    TestXml.keyInfo(sig, d, List.of(who.certificate()));
                });
    }

    /** A TDiep (type 200) carrying {@code invoices} invoices of the same seller, each in its own HDon, unsigned. */
    private static org.w3c.dom.Document envelope(int invoices) throws Exception {
        StringBuilder hdons = new StringBuilder();
        for (int i = 1; i <= invoices; i++) {
            hdons.append(TestXml.invoice("0312345678").replace(TestXml.DLHDON_ID, "_59365" + i)
                    .replace("<SHDon>123<", "<SHDon>12" + i + "<"));
        }
        return TestXml.parse("<TDiep><TTChung><PBan>2.0.1</PBan><MNGui>K0312345678</MNGui><MNNhan>TCT</MNNhan>"
                + "<MLTDiep>200</MLTDiep><MST>0312345678</MST><SLuong>" + invoices + "</SLuong></TTChung><DLieu>"
                + hdons + "</DLieu></TDiep>");
    }

    private static Element hdon(org.w3c.dom.Document dom, int n) {
        return (Element) dom.getElementsByTagName("HDon").item(n - 1);
    }

    @Test
    void aForgedDlhdonWrappingTheSignedOneAndItsSignatureIsWrapping(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = TestXml.parse(TestXml.seller(pki.invoiceSeller(), TestXml.Seller.common()));
        Element hdon = dom.getDocumentElement();
        Element real = TestXml.first(dom, "HDon/DLHDon");
        Element dscks = TestXml.first(dom, "HDon/DSCKS");
        // HDon/DLHDon is now the forgery: a reader of /HDon/DLHDon/NDHDon/TToan sees 9,000,000; the signed
        // DLHDon and its DSCKS sit inside it, where the signature still verifies
        Element fake = forged(real);
        hdon.replaceChild(fake, real);
        fake.appendChild(real);
        fake.appendChild(dscks);
        assertEquals("9000000", total(TestXml.first(dom, "HDon/DLHDon")));
        SignatureReport r = verify(dom, pki).signatures().get(0);
        assertTrue(r.intact(), "the signed element itself is untouched");
        assertWrapping(r);
    }

    @Test
    void anUnsignedForgedInvoiceBeforeTheGenuineOneInAnEnvelopeIsWrapping(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = envelope(1);
        signInvoice(hdon(dom, 1), "_593651", pki.invoiceSeller());
        Element genuine = hdon(dom, 1);
        // a cousin of the signed DLHDon: the first HDon of the message, which a reader of TDiep/DLieu/HDon takes
        Element fake = (Element) genuine.cloneNode(true);
        Element fakeData = (Element) fake.getElementsByTagName("DLHDon").item(0);
        fake.replaceChild(forged(fakeData), fakeData);
        Node fakeSlot = fake.getElementsByTagName("NBan").item(1);
        fakeSlot.removeChild(fakeSlot.getFirstChild());
        genuine.getParentNode().insertBefore(fake, genuine);
        assertEquals("9000000", total((Element) dom.getElementsByTagName("DLHDon").item(0)));
        VerificationReport v = verify(dom, pki);
        assertEquals(1, v.signatures().size());
        assertWrapping(v.signatures().get(0));
    }

    @Test
    void anEnvelopeOfInvoicesEachSignedByItsSellerPassesAndOneUnsignedAmongThemFailsTheOthers(TestPki pki)
            throws Exception {
        org.w3c.dom.Document dom = envelope(3);
        for (int i = 1; i <= 3; i++) {
            signInvoice(hdon(dom, i), "_59365" + i, pki.invoiceSeller());
        }
        VerificationReport all = verify(dom, pki);
        assertEquals(3, all.signatures().size());
        assertTrue(all.allPassed(), all.toText());
        Element second = hdon(dom, 2);
        Node slot = second.getElementsByTagName("NBan").item(1);
        slot.removeChild(slot.getFirstChild());
        VerificationReport two = verify(dom, pki);
        assertEquals(2, two.signatures().size());
        two.signatures().forEach(DocumentDataTest::assertWrapping);
    }

    @Test
    void aTwinVouchedForByAnotherPartysValidSignatureInAnotherSlotIsWrapping(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = TestXml.parse(TestXml.seller(pki.invoiceSeller(), TestXml.Seller.common()));
        Element real = TestXml.first(dom, "HDon/DLHDon");
        Element fake = forged(real);
        fake.setAttributeNS(null, "Id", "decoy");
        dom.getDocumentElement().insertBefore(fake, real);
        TestXml.registerIds(dom.getDocumentElement());
        // a trusted certificate of another company signs the forgery in the buyer's slot: its signature passes,
        // but the buyer does not own the seller's data
        TestXml.sign(TestXml.first(dom, "HDon/DSCKS/NMua"), pki.organization().privateKey(), "buyer", TestXml.RSA_SHA256,
                TestXml.C14N, false, (sig, d) -> {
                    TestXml.signingTimeObject(sig, d, "Obj-buyer", null, "#buyer", TestXml.SIGNING_TIME, false);
                    sig.addDocument("#decoy", TestXml.enveloped(d), TestXml.SHA256);
                    sig.addDocument("#Obj-buyer", null, TestXml.SHA256);
                    TestXml.keyInfo(sig, d, List.of(pki.organization().certificate()));
                });
        VerificationReport v = verify(dom, pki);
        assertEquals(2, v.signatures().size());
        assertEquals(SignatureReport.ChainStatus.TRUSTED, v.signatures().get(1).chainStatus());
        assertWrapping(v.signatures().get(0));
        assertWrapping(v.signatures().get(1));
    }

    /** A key and self-made certificate of the attacker's, which no policy trusts. */
    private static Key forger() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        java.security.KeyPair keys = g.generateKeyPair();
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name(
                "CN=Công ty Cổ phần Giải pháp Kỳ Số,UID=MST:0312345678,C=VN");
        java.security.cert.X509Certificate cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                .getCertificate(new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.TEN,
                        java.util.Date.from(TestPki.ISSUED_AT), java.util.Date.from(TestPki.EXPIRES_AT), name, keys.getPublic())
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA")
                                .build(keys.getPrivate())));
        return new Key(keys.getPrivate(), cert);
    }

    @Test
    void aForgedInvoiceSignedInItsOwnSellerSlotByAnUntrustedKeyVouchesForNothing(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = envelope(2);
        signInvoice(hdon(dom, 2), "_593652", pki.invoiceSeller());
        Element fakeData = TestXml.first(dom, "TDiep/DLieu/HDon/DLHDon");
        fakeData.getParentNode().replaceChild(forged(fakeData), fakeData);
        ((Element) TestXml.first(dom, "TDiep/DLieu/HDon/DLHDon")).setAttributeNS(null, "Id", "_593651");
        TestXml.registerIds(dom.getDocumentElement());
        // the first invoice of the message is the attacker's, signed in its own NBan by a key naming the seller
        signInvoice(hdon(dom, 1), "_593651", forger());
        VerificationReport v = verify(dom, pki);
        assertNotEquals(Indication.TOTAL_PASSED, v.signatures().get(0).indication());
        assertWrapping(v.signatures().get(1));
    }

    @Test
    void aSecondDlhdonInTheSameInvoiceIsWrappingWhoeverSignedIt(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = TestXml.parse(TestXml.seller(pki.invoiceSeller(), TestXml.Seller.common()));
        Element real = TestXml.first(dom, "HDon/DLHDon");
        Element fake = forged(real);
        fake.setAttributeNS(null, "Id", "decoy");
        dom.getDocumentElement().insertBefore(fake, real);
        TestXml.registerIds(dom.getDocumentElement());
        // a second signature in the seller's own slot, by the attacker's key, covers the DLHDon a reader meets first
        Key attacker = forger();
        TestXml.sign(TestXml.first(dom, "HDon/DSCKS/NBan"), attacker.privateKey(), "seller2", TestXml.RSA_SHA256,
                TestXml.C14N, false, (sig, d) -> {
                    sig.addDocument("#decoy", TestXml.enveloped(d), TestXml.SHA256);
                    TestXml.keyInfo(sig, d, List.of(attacker.certificate()));
                });
        VerificationReport v = verify(dom, pki);
        assertEquals(2, v.signatures().size());
        v.signatures().forEach(DocumentDataTest::assertWrapping);
    }

    @Test
    void anUnsignedTaxAuthorityCodeBesideASellerSignedInvoiceIsWrapping(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = TestXml.parse(TestXml.seller(pki.invoiceSeller(), TestXml.Seller.common()));
        // a reader takes MCCQT as the tax authority's code: nobody signed this one
        Element code = dom.createElement("MCCQT");
        code.setTextContent("M1-25-FORGED-00000000001");
        dom.getDocumentElement().insertBefore(code, TestXml.first(dom, "HDon/DSCKS"));
        assertWrapping(verify(dom, pki).signatures().get(0));
    }

    @Test
    void theTaxAuthorityCodeInvoiceAndTheTaxDeclarationPassAsTheyAre(TestPki pki) throws Exception {
        VerificationReport cqt = XmlVerifierTest.verify(TestXml.taxAuthorityInvoice(pki.invoiceSeller(), pki.taxAuthority()),
                XmlVerifierTest.offline(pki));
        assertTrue(cqt.allPassed(), cqt.toText());
        VerificationReport declaration = XmlVerifierTest.verify(
                TestXml.taxDeclaration(pki.organization(), TestXml.RSA_SHA256, TestXml.SHA256), XmlVerifierTest.offline(pki));
        assertTrue(declaration.allPassed(), declaration.toText());
    }
}
