package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.xml.security.signature.Manifest;
import org.apache.xml.security.signature.ObjectContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import vn.kyso.Indication;
import vn.kyso.SignatureReport;
import vn.kyso.SubIndication;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

/** References under a ds:Manifest that a signature covers are checked like its own. */
@ExtendWith(TestPkiExtension.class)
class ManifestCheckTest {

    /**
     * The seller signs its SigningTime Object and an Object holding a Manifest whose one reference
     * is {@code uri}: the invoice data is signed through the Manifest only.
     */
    private static String signedThroughManifest(TestPki pki, String uri) throws Exception {
        org.w3c.dom.Document dom = TestXml.parse(TestXml.invoice("0312345678"));
        TestXml.sign(TestXml.first(dom, "HDon/DSCKS/NBan"), pki.invoiceSeller().privateKey(), "seller", TestXml.RSA_SHA256,
                TestXml.C14N, false, (sig, d) -> {
                    TestXml.signingTimeObject(sig, d, "Obj-seller", null, "#seller", TestXml.SIGNING_TIME, false);
                    Manifest manifest = new Manifest(d);
                    manifest.setId("Manifest-seller");
                    manifest.addDocument("", "#" + TestXml.DLHDON_ID, null, TestXml.SHA256, null, null);
                    manifest.generateDigestValues();
                    ObjectContainer object = new ObjectContainer(d);
                    object.appendChild(manifest.getElement());
                    sig.appendObject(object);
                    sig.addDocument("#Obj-seller", null, TestXml.SHA256);
                    sig.addDocument("#Manifest-seller", null, TestXml.SHA256, null, TestXml.DSIG + "Manifest");
                    TestXml.keyInfo(sig, d, List.of(pki.invoiceSeller().certificate()));
                });
        if (!uri.equals("#" + TestXml.DLHDON_ID)) {
            // pointed elsewhere after the fact, then digested and signed again, as a producer would write it
            org.w3c.dom.Element m = (org.w3c.dom.Element) dom.getElementsByTagNameNS(TestXml.DSIG, "Manifest").item(0);
            ((org.w3c.dom.Element) m.getElementsByTagNameNS(TestXml.DSIG, "Reference").item(0)).setAttribute("URI", uri);
            java.io.ByteArrayOutputStream c14n = new java.io.ByteArrayOutputStream();
            org.apache.xml.security.c14n.Canonicalizer.getInstance(TestXml.C14N).canonicalizeSubtree(m, c14n);
            org.w3c.dom.Element signature = (org.w3c.dom.Element) dom.getElementsByTagNameNS(TestXml.DSIG, "Signature").item(0);
            org.w3c.dom.Element ref = (org.w3c.dom.Element) signature.getElementsByTagNameNS(TestXml.DSIG, "Reference").item(1);
            ref.getElementsByTagNameNS(TestXml.DSIG, "DigestValue").item(0).setTextContent(java.util.Base64.getEncoder()
                    .encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(c14n.toByteArray())));
            TestXml.resign(signature, pki.invoiceSeller().privateKey(), "SHA256withRSA");
        }
        return TestXml.serialize(dom);
    }

    private static SignatureReport verify(String xml, TestPki pki) throws Exception {
        return XmlVerifierTest.first(xml, XmlVerifierTest.offline(pki));
    }

    @Test
    void theInvoiceSignedThroughAManifestPassesAndFailsWhenItsTotalIsAltered(TestPki pki) throws Exception {
        String xml = signedThroughManifest(pki, "#" + TestXml.DLHDON_ID);
        SignatureReport r = verify(xml, pki);
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.findings().toString());
        assertTrue(r.covers().contains("DLHDon#_593651 (HDon/DLHDon) via Manifest"), r.covers().toString());
        assertTrue(r.has("TAX_CODE_MATCHES"), r.findings().toString());
        // the signature value and SignedInfo's digests still verify: only the Manifest's reference sees the change
        SignatureReport altered = verify(xml.replace("<TgTCThue>1000000<", "<TgTCThue>9000000<"), pki);
        assertEquals(Indication.TOTAL_FAILED, altered.indication(), altered.findings().toString());
        assertEquals(SubIndication.HASH_FAILURE, altered.subIndication().orElseThrow());
        assertTrue(altered.has("MANIFEST_REFERENCE_ALTERED"), altered.findings().toString());
    }

    @Test
    void aManifestThatCannotBeCheckedFailsTheSignature(TestPki pki) throws Exception {
        for (String uri : List.of("http://127.0.0.1:9/invoice.xml", "#missing", "#xpointer(/)")) {
            SignatureReport r = verify(signedThroughManifest(pki, uri), pki);
            assertEquals(Indication.TOTAL_FAILED, r.indication(), uri + ": " + r.findings());
            assertTrue(r.has("MANIFEST_NOT_CHECKED"), uri + ": " + r.findings());
            assertEquals(SubIndication.FORMAT_FAILURE, r.subIndication().orElseThrow());
        }
    }
}
