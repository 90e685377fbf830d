package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;
import vn.kyso.Indication;
import vn.kyso.SignatureReport;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;

class XmlVerifierTest {
    private static KeyPair keys;
    private static X509Certificate cert;
    private static final String INVOICE = "<HDon><DLHDon Id=\"_593651\"><NBan><MST>0101234567</MST></NBan>"
            + "<Tien>1000</Tien></DLHDon><DSCKS><NBan></NBan></DSCKS></HDon>";

    @BeforeAll
    static void pki() throws Exception {
        org.apache.xml.security.Init.init();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
        X500Name name = new X500Name("CN=Cong ty A,UID=MST:0101234567,C=VN");
        Date now = new Date();
        cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, new Date(now.getTime() - 86_400_000L), new Date(now.getTime() + 86_400_000L),
                name, keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    }

    static String signSeller(String xml) throws Exception {
        return signSeller(xml, XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256);
    }

    private static String signSeller(String xml, String method) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        org.w3c.dom.Document dom = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element dl = (Element) dom.getElementsByTagName("DLHDon").item(0);
        dl.setIdAttribute("Id", true);
        Element slot = (Element) ((Element) dom.getElementsByTagName("DSCKS").item(0)).getElementsByTagName("NBan").item(0);
        XMLSignature sig = new XMLSignature(dom, "", method,
                "http://www.w3.org/TR/2001/REC-xml-c14n-20010315");
        sig.setId("seller");
        slot.appendChild(sig.getElement());
        Transforms t = new Transforms(dom);
        t.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
        sig.addDocument("#_593651", t, "http://www.w3.org/2001/04/xmlenc#sha256");
        sig.addKeyInfo(cert);
        sig.sign(keys.getPrivate());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TransformerFactory.newInstance().newTransformer().transform(new DOMSource(dom), new StreamResult(out));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The .NET producer's shape: Reference 2 to a same-signature Object carrying the enveloped transform. */
    private static String signQuirk(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        org.w3c.dom.Document dom = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element dl = (Element) dom.getElementsByTagName("DLHDon").item(0);
        dl.setIdAttribute("Id", true);
        Element slot = (Element) ((Element) dom.getElementsByTagName("DSCKS").item(0)).getElementsByTagName("NBan").item(0);
        XMLSignature sig = new XMLSignature(dom, "", XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256,
                "http://www.w3.org/TR/2001/REC-xml-c14n-20010315");
        sig.setId("seller");
        slot.appendChild(sig.getElement());
        org.apache.xml.security.signature.ObjectContainer obj = new org.apache.xml.security.signature.ObjectContainer(dom);
        obj.setId("Obj-seller");
        Element time = dom.createElementNS(null, "SigningTime");
        time.setTextContent("2025-07-10T17:54:31");
        obj.appendChild(time);
        sig.appendObject(obj);
        Transforms t = new Transforms(dom);
        t.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
        sig.addDocument("#_593651", t, "http://www.w3.org/2001/04/xmlenc#sha256");
        sig.addDocument("#Obj-seller", null, "http://www.w3.org/2001/04/xmlenc#sha256");
        sig.addKeyInfo(cert);
        sig.sign(keys.getPrivate());
        String ds = "http://www.w3.org/2000/09/xmldsig#";
        Element ref2 = (Element) sig.getElement().getElementsByTagNameNS(ds, "Reference").item(1);
        Element transforms = dom.createElementNS(ds, "ds:Transforms");
        Element tr = dom.createElementNS(ds, "ds:Transform");
        tr.setAttributeNS(null, "Algorithm", Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
        transforms.appendChild(tr);
        ref2.insertBefore(transforms, ref2.getElementsByTagNameNS(ds, "DigestMethod").item(0));
        Element si = (Element) sig.getElement().getElementsByTagNameNS(ds, "SignedInfo").item(0);
        ByteArrayOutputStream c14n = new ByteArrayOutputStream();
        org.apache.xml.security.c14n.Canonicalizer.getInstance(
                org.apache.xml.security.c14n.Canonicalizer.ALGO_ID_C14N_OMIT_COMMENTS).canonicalizeSubtree(si, c14n);
        java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
        rsa.initSign(keys.getPrivate());
        rsa.update(c14n.toByteArray());
        sig.getElement().getElementsByTagNameNS(ds, "SignatureValue").item(0)
                .setTextContent(java.util.Base64.getEncoder().encodeToString(rsa.sign()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TransformerFactory.newInstance().newTransformer().transform(new DOMSource(dom), new StreamResult(out));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void verifyReportsSameSignatureObjectQuirkIntactWithWarningAndFailsItWhenTampered() throws Exception {
        String quirk = signQuirk(INVOICE);
        SignatureReport r = verify(quirk).signatures().get(0);
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.toString());
        assertTrue(r.has("NONSTANDARD_TRANSFORM_SAME_SIGNATURE_OBJECT"));
        SignatureReport time = verify(quirk.replace("17:54:31", "17:54:32")).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, time.indication(), time.toString());
        SignatureReport value = verify(quirk.replace("<Tien>1000<", "<Tien>9000<")).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, value.indication(), value.toString());
    }

    private static VerificationReport verify(String xml) throws Exception {
        return XmlVerifier.verify(Document.of(xml.getBytes(StandardCharsets.UTF_8), "hd.xml"),
                ValidationPolicy.builder().trustAnchors(List.of(cert)).build());
    }

    @Test
    void verifyPassesSantuarioSignedSellerInvoiceAndNamesWhatItCovers() throws Exception {
        SignatureReport r = verify(signSeller(INVOICE)).signatures().get(0);
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.toString());
        assertTrue(r.covers().contains("DLHDon#_593651"));
        assertTrue(r.has("TAX_CODE_MATCHES"));
    }

    @Test
    void verifyFailsWhenSignedValueIsAltered() throws Exception {
        SignatureReport r = verify(signSeller(INVOICE).replace("<Tien>1000<", "<Tien>9000<")).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, r.indication());
        assertTrue(!r.intact());
    }

    @Test
    void verifySaysOnlyWhitespaceChangedWhenReindentedAfterSigning() throws Exception {
        String signed = signSeller(INVOICE).replace("<Tien>", "\n    <Tien>");
        SignatureReport r = verify(signed).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, r.indication());
        assertTrue(r.has("REFORMATTED_AFTER_SIGNING"), r.toString());
        SignatureReport altered = verify(signed.replace("<Tien>1000<", "<Tien>9000<")).signatures().get(0);
        assertTrue(!altered.has("REFORMATTED_AFTER_SIGNING"));
    }

    @Test
    void verifyFailsWhenCertificateIsNotTheSigningKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair other = g.generateKeyPair();
        X500Name name = new X500Name("CN=Mallory,C=VN");
        Date now = new Date();
        X509Certificate wrong = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.TWO, new Date(now.getTime() - 86_400_000L), new Date(now.getTime() + 86_400_000L),
                name, other.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(other.getPrivate())));
        String signed = signSeller(INVOICE);
        String good = java.util.Base64.getEncoder().encodeToString(cert.getEncoded());
        String bad = java.util.Base64.getEncoder().encodeToString(wrong.getEncoded());
        String swapped = signed.replaceAll("<ds:X509Certificate>[^<]*</ds:X509Certificate>",
                "<ds:X509Certificate>" + bad + "</ds:X509Certificate>");
        assertNotEquals(signed, swapped);
        SignatureReport r = verify(swapped).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, r.indication(), r.toString());
        assertNotEquals(good, bad);
    }

    @Test
    void verifyPassesRsaSha1WithSha256DigestsWithWeakWarningAndStrictPolicyFailsIt() throws Exception {
        String signed = signSeller(INVOICE, XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA1);
        SignatureReport r = verify(signed).signatures().get(0);
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.toString());
        assertTrue(r.has("WEAK_ALGORITHM"));
        SignatureReport strict = XmlVerifier.verify(Document.of(signed.getBytes(StandardCharsets.UTF_8), "hd.xml"),
                ValidationPolicy.builder().trustAnchors(List.of(cert)).strictAlgorithms(true).build()).signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, strict.indication());
    }

    @Test
    void verifyFlagsWrappingWhenSignedIdOccursTwice() throws Exception {
        String signed = signSeller(INVOICE).replace("</HDon>", "<X><DLHDon Id=\"_593651\"/></X></HDon>");
        SignatureReport r = verify(signed).signatures().get(0);
        assertNotEquals(Indication.TOTAL_PASSED, r.indication());
        assertTrue(r.has("SIGNATURE_WRAPPING"));
    }

    @Test
    void verifyIsIndeterminateWithoutTrustedAnchor() throws Exception {
        VerificationReport v = XmlVerifier.verify(Document.of(signSeller(INVOICE).getBytes(StandardCharsets.UTF_8), "hd.xml"),
                ValidationPolicy.builder().build());
        assertEquals(Indication.INDETERMINATE, v.signatures().get(0).indication());
    }

    @Test
    void verifyRefusesXxeAndBillionLaughs() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>";
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;"
                + "&a;&a;&a;&a;\">]><l>&b;</l>";
        assertThrows(DocumentMalformedException.class, () -> verify(xxe));
        assertThrows(DocumentMalformedException.class, () -> verify(laughs));
    }
}
