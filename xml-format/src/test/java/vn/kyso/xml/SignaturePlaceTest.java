package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Element;
import vn.kyso.Finding;
import vn.kyso.Indication;
import vn.kyso.SignatureReport;
import vn.kyso.SubIndication;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

/** Where a signature sits decides whose it is and what it must cover. */
@ExtendWith(TestPkiExtension.class)
class SignaturePlaceTest {

    private static VerificationReport verify(org.w3c.dom.Document dom, TestPki pki) throws Exception {
        return XmlVerifierTest.verify(TestXml.serialize(dom), XmlVerifierTest.offline(pki));
    }

    /** A signature in {@code slotPath} with its SigningTime Object and a reference to each of {@code uris} then to that Object. */
    private static void sign(org.w3c.dom.Document dom, String slotPath, TestIdentity who, String id, List<String> uris)
            throws Exception {
        TestXml.sign(TestXml.first(dom, slotPath), who.privateKey(), id, TestXml.RSA_SHA256, TestXml.C14N, false,
                (sig, d) -> {
                    TestXml.signingTimeObject(sig, d, "Obj-" + id, null, "#" + id, TestXml.SIGNING_TIME, false);
                    for (String uri : uris) {
                        sig.addDocument(uri, TestXml.enveloped(d), TestXml.SHA256);
                    }
                    sig.addDocument("#Obj-" + id, null, TestXml.SHA256);
                    TestXml.keyInfo(sig, d, List.of(who.certificate()));
                });
    }

    @Test
    void aSignatureCoveringOnlyItsOwnObjectIsNotASignatureOnTheDocument(TestPki pki) throws Exception {
        // the seller's slot holds a valid signature of the seller's key, over its own SigningTime only:
        // a reader seeing "signed by the seller" would take the invoice for signed
        org.w3c.dom.Document dom = TestXml.parse(TestXml.invoice("0312345678"));
        sign(dom, "HDon/DSCKS/NBan", pki.invoiceSeller(), "seller", List.of());
        SignatureReport r = verify(dom, pki).signatures().get(0);
        assertTrue(r.intact());
        assertTrue(r.has("NO_DOCUMENT_DATA_COVERED"), r.findings().toString());
        assertEquals(Indication.TOTAL_FAILED, r.indication());
        // the same outside any slot of a profile
        org.w3c.dom.Document other = TestXml.parse("<ChungTu><DLieu Id=\"CT-1\">1</DLieu><Ky></Ky></ChungTu>");
        sign(other, "ChungTu/Ky", pki.organization(), "ct", List.of());
        SignatureReport generic = verify(other, pki).signatures().get(0);
        assertTrue(generic.has("NO_DOCUMENT_DATA_COVERED"), generic.findings().toString());
        assertNotEquals(Indication.TOTAL_PASSED, generic.indication());
        // covering the element it names, the same signature passes
        sign(other, "ChungTu/Ky", pki.organization(), "ct2", List.of("#CT-1"));
        assertEquals(Indication.TOTAL_PASSED, verify(other, pki).signatures().get(1).indication());
    }

    @Test
    void theSignedDataMovedBesideItsInvoiceWithAForgeryInItsPlaceIsWrapping(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = TestXml.parse(TestXml.envelopeSigned(pki.invoiceSeller(), pki.organization()));
        Element cksnnt = TestXml.first(dom, "TDiep/CKSNNT");
        cksnnt.removeChild(cksnnt.getFirstChild());
        Element hdon = TestXml.first(dom, "TDiep/DLieu/HDon");
        Element real = TestXml.first(dom, "TDiep/DLieu/HDon/DLHDon");
        Element fake = (Element) real.cloneNode(true);
        fake.removeAttribute("Id");
        fake.getElementsByTagName("ThTien").item(0).setTextContent("9000000");
        // TDiep/DLieu/HDon/DLHDon is now the forgery; the signed one sits beside HDon, an ancestor's child
        hdon.replaceChild(fake, real);
        hdon.getParentNode().insertBefore(real, hdon);
        SignatureReport r = verify(dom, pki).signatures().get(0);
        assertTrue(r.has("SIGNATURE_WRAPPING"), r.findings().toString());
        assertEquals(SubIndication.FORMAT_FAILURE, r.subIndication().orElseThrow());
    }

    @Test
    void aSignatureInTheOtherSignaturesSlotIsReportedAsSuchAndNeverTakenForTheSellers(TestPki pki) throws Exception {
        // the organization (tax code 3600123456) signs an invoice of seller 0312345678 in DSCKS/CCKSKhac
        org.w3c.dom.Document dom = TestXml.parse(TestXml.invoice("0312345678"));
        sign(dom, "HDon/DSCKS/CCKSKhac", pki.organization(), "other", List.of("#" + TestXml.DLHDON_ID));
        SignatureReport alone = verify(dom, pki).signatures().get(0);
        Finding outside = alone.findings().stream().filter(f -> f.code().equals("SIGNATURE_OUTSIDE_PROFILE_SLOTS"))
                .findFirst().orElseThrow(() -> new AssertionError(alone.findings().toString()));
        assertTrue(outside.english().contains("HDon/DSCKS/CCKSKhac") && outside.english().contains("3600123456")
                && outside.english().contains("0312345678"), outside.english());
        assertFalse(alone.has("TAX_CODE_MATCHES"));
        assertTrue(alone.has("SIGNATURE_WRAPPING"), "nobody owning the invoice signed it: " + alone.findings());
        assertNotEquals(Indication.TOTAL_PASSED, alone.indication());
        // beside the seller's own signature it is a valid extra signature, still not the seller's
        TestXml.signSeller(dom, "HDon/DSCKS/NBan", pki.invoiceSeller(), List.of(pki.invoiceSeller().certificate()),
                TestXml.Seller.common());
        VerificationReport both = verify(dom, pki);
        assertTrue(both.allPassed(), both.toText());
        assertTrue(both.signatures().get(0).has("TAX_CODE_MATCHES"));
        assertTrue(both.signatures().get(1).has("SIGNATURE_OUTSIDE_PROFILE_SLOTS"));
        assertFalse(both.signatures().get(1).has("TAX_CODE_MATCHES"));
    }

    @Test
    void aSignatureIsNamedByItsPlaceNotOnlyByTheIdItsSignerChose(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = TestXml.parse(TestXml.invoice("0312345678"));
        TestXml.sign(TestXml.first(dom, "HDon/DSCKS/NBan"), pki.invoiceSeller().privateKey(), null, TestXml.RSA_SHA256,
                TestXml.C14N, false, (sig, d) -> {
                    sig.addDocument("#" + TestXml.DLHDON_ID, TestXml.enveloped(d), TestXml.SHA256);
                    TestXml.keyInfo(sig, d, List.of(pki.invoiceSeller().certificate()));
                });
        SignatureReport r = verify(dom, pki).signatures().get(0);
        assertEquals("signature-1 (HDon/DSCKS/NBan)", r.id());
        Finding place = r.findings().stream().filter(f -> f.code().equals("SIGNATURE_PLACE")).findFirst().orElseThrow();
        assertEquals("Signature at HDon/DSCKS/NBan (the seller's slot); covers: DLHDon#_593651 (HDon/DLHDon)",
                place.english());
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.findings().toString());
    }
}
