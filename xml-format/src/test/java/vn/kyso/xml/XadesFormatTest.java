package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tsp.TimeStampToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import vn.kyso.BaselineLevel;
import vn.kyso.CredentialCallback;
import vn.kyso.DigestAlgorithm;
import vn.kyso.Document;
import vn.kyso.Indication;
import vn.kyso.KeySource;
import vn.kyso.Kyso;
import vn.kyso.KysoException;
import vn.kyso.PendingSignature;
import vn.kyso.SignOptions;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.SignatureFormat;
import vn.kyso.SignatureReport;
import vn.kyso.Signer;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;
import vn.kyso.xml.XmlOptions.Profile;

/**
 * Every profile signed with the test PKI and verified three ways: plain Santuario (secure
 * validation), {@code xmlsec1 --verify} trusting the test roots, and kyso's own verifier.
 */
@ExtendWith(TestPkiExtension.class)
class XadesFormatTest {
    private static final Clock AT_REFERENCE_TIME = Clock.fixed(TestPki.REFERENCE_TIME, TestPki.VIETNAM);
    private static final String XADES_ID_ATTR = SignatureTemplate.XADES + ":SignedProperties";

    @TempDir
    Path dir;

    private final XadesFormat format = new XadesFormat();

    @Test
    void sellerSignatureHasTheShapeIssuingSoftwareWrites(TestPki pki) throws Exception {
        byte[] signed = sign(SigningFixtures.invoice(2), pki.invoiceSeller(), options(Profile.INVOICE_SELLER));
        Element sig = signature(signed, 0);
        assertEquals("Signature", sig.getTagName(), "unprefixed");
        assertEquals(SigningFixtures.DSIG, sig.getAttribute("xmlns"), "its own default namespace declaration");
        assertEquals("NBan", sig.getParentNode().getLocalName());
        assertEquals("DSCKS", sig.getParentNode().getParentNode().getLocalName());
        String id = sig.getAttribute("Id");
        assertFalse(id.isEmpty());
        assertEquals(XmlAlgorithms.C14N, child(sig, "SignedInfo", "CanonicalizationMethod").getAttribute("Algorithm"));
        assertEquals("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                child(sig, "SignedInfo", "SignatureMethod").getAttribute("Algorithm"));
        List<Element> refs = children(child(sig, "SignedInfo"), "Reference");
        assertEquals(2, refs.size());
        assertEquals("#_593651", refs.get(0).getAttribute("URI"));
        List<Element> transforms = children(child(refs.get(0), "Transforms"), "Transform");
        assertEquals(List.of(XmlAlgorithms.ENVELOPED), transforms.stream().map(t -> t.getAttribute("Algorithm")).toList());
        String objectId = refs.get(1).getAttribute("URI").substring(1);
        assertTrue(children(refs.get(1), "Transforms").isEmpty());
        Element object = children(sig, "Object").get(0);
        assertEquals(objectId, object.getAttribute("Id"));
        Element property = child(object, "SignatureProperties", "SignatureProperty");
        assertEquals("#" + id, property.getAttribute("Target"));
        assertEquals("2025-03-14T09:30:00", child(property, "SigningTime").getTextContent(),
                "Vietnam local time without offset");
        Element x509 = child(sig, "KeyInfo", "X509Data");
        assertTrue(child(x509, "X509SubjectName").getTextContent().contains("UID=MST:0312345678"));
        assertEquals(1, children(x509, "X509Certificate").size(), "leaf only");
        assertTrue(children(child(sig, "KeyInfo"), "KeyValue").isEmpty());
        assertVerifiesEverywhere(pki, signed, id, pki.invoiceSeller(), "Id", "DLHDon");
    }

    @Test
    void signingCopiesEveryInputByteAndInsertsOnlyTheSignature(TestPki pki) throws Exception {
        String xml = "\uFEFF<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\r\n" + SigningFixtures.invoice(1)
                .substring(SigningFixtures.invoice(1).indexOf("<HDon>")).replace("<NBan></NBan>", "<NBan>\r\n  </NBan>");
        byte[] input = xml.getBytes(StandardCharsets.UTF_8);
        byte[] signed = sign(input, pki.invoiceSeller(), options(Profile.INVOICE_SELLER));
        int at = indexOf(input, "\r\n  </NBan>".getBytes(StandardCharsets.UTF_8)) + 4;
        String inserted = new String(signed, at, signed.length - input.length, StandardCharsets.UTF_8);
        assertTrue(inserted.startsWith("<Signature xmlns=\"" + SigningFixtures.DSIG + "\"") && inserted.endsWith("</Signature>"),
                inserted);
        assertArrayEquals(Arrays.copyOf(input, at), Arrays.copyOf(signed, at));
        assertArrayEquals(Arrays.copyOfRange(input, at, input.length),
                Arrays.copyOfRange(signed, signed.length - (input.length - at), signed.length));
        assertVerifiesEverywhere(pki, signed, SigningFixtures.signatureIds(signed).get(0), pki.invoiceSeller(), "Id", "DLHDon");
    }

    @Test
    void sellerThenBuyerThenTaxAuthorityEachInItsSlotAndAllThreeVerify(TestPki pki) throws Exception {
        byte[] seller = sign(SigningFixtures.invoice(3), pki.invoiceSeller(), options(Profile.INVOICE_SELLER));
        byte[] buyer = sign(seller, pki.organization(), options(Profile.INVOICE_BUYER));
        // the tax authority's system adds the code it assigns before it signs
        String withCode = new String(buyer, StandardCharsets.UTF_8).replace("</DLHDon>",
                "</DLHDon><MCCQT Id=\"Id-7d1f0c9e-5b8a-4c3d-9e2f-1a2b3c4d5e6f\">M1-25-KYSO1-00000000123</MCCQT>");
        byte[] all = sign(withCode.getBytes(StandardCharsets.UTF_8), pki.taxAuthority(),
                options(Profile.INVOICE_TAX_AUTHORITY));
        List<String> ids = SigningFixtures.signatureIds(all);
        assertEquals(3, ids.size());
        assertEquals(List.of("NBan", "NMua", "CQT"), List.of(signature(all, 0).getParentNode().getLocalName(),
                signature(all, 1).getParentNode().getLocalName(), signature(all, 2).getParentNode().getLocalName()));
        assertVerifiesEverywhere(pki, all, ids.get(0), pki.invoiceSeller(), "Id", "DLHDon");
        assertVerifiesEverywhere(pki, all, ids.get(1), pki.organization(), "Id", "DLHDon");
        assertVerifiesEverywhere(pki, all, ids.get(2), pki.taxAuthority(), "Id", "DLHDon", "Id", "MCCQT");
        VerificationReport report = format.verify(Document.of(all, "hd.xml"), policy(pki));
        assertEquals(3, report.signatures().size());
        assertTrue(report.allPassed(), report.toText());

        Element cqt = signature(all, 2);
        List<Element> refs = children(child(cqt, "SignedInfo"), "Reference");
        assertEquals(List.of("#_593651", "#" + children(cqt, "Object").get(0).getAttribute("Id"),
                "#Id-7d1f0c9e-5b8a-4c3d-9e2f-1a2b3c4d5e6f"), refs.stream().map(r -> r.getAttribute("URI")).toList());
        for (Element r : refs) {
            assertTrue(children(r, "Transforms").isEmpty(), "the tax authority's references have no transforms");
        }
        assertTrue(children(cqt, "Object").get(0).getAttribute("Id").startsWith("SigningTime-"));
        assertEquals("signatureProperties", child(children(cqt, "Object").get(0), "SignatureProperties",
                "SignatureProperty").getAttribute("Target"));
    }

    @Test
    void taxAuthorityProfileRefusesAnInvoiceWithoutItsCode(TestPki pki) throws Exception {
        KysoException e = assertThrows(KysoException.class, () -> sign(SigningFixtures.invoice(1), pki.taxAuthority(),
                options(Profile.INVOICE_TAX_AUTHORITY)));
        assertTrue(e.getMessage().contains("MCCQT"), e.getMessage());
    }

    @Test
    void invoiceInsideATDiepEnvelopeVerifies(TestPki pki) throws Exception {
        byte[] signed = sign(SigningFixtures.tdiep(), pki.invoiceSeller(), options(Profile.INVOICE_SELLER));
        Element sig = signature(signed, 0);
        assertEquals("NBan", sig.getParentNode().getLocalName());
        assertEquals("HDon", sig.getParentNode().getParentNode().getParentNode().getLocalName());
        assertVerifiesEverywhere(pki, signed, sig.getAttribute("Id"), pki.invoiceSeller(), "Id", "DLHDon");
    }

    @Test
    void taxpayerNoticeInTheSchemaNamespaceIsSignedInItsNntSlotAndAnsweredInCqt(TestPki pki) throws Exception {
        byte[] signed = sign(SigningFixtures.notice(), pki.invoiceSeller(), options(Profile.INVOICE_SELLER));
        Element sig = signature(signed, 0);
        assertEquals("NNT", sig.getParentNode().getLocalName());
        assertVerifiesEverywhere(pki, signed, sig.getAttribute("Id"), pki.invoiceSeller(), "Id",
                "http://hoadondientu.gdt.gov.vn/schema:DLTBao");
        // the tax authority answers in DSCKS/CQT; a notice has no MCCQT, so two references
        byte[] both = sign(signed, pki.taxAuthority(), options(Profile.INVOICE_TAX_AUTHORITY));
        Element cqt = signature(both, 1);
        assertEquals("CQT", cqt.getParentNode().getLocalName());
        assertEquals(2, children(child(cqt, "SignedInfo"), "Reference").size());
        for (int i = 0; i < 2; i++) {
            assertVerifiesEverywhere(pki, both, SigningFixtures.signatureIds(both).get(i),
                    i == 0 ? pki.invoiceSeller() : pki.taxAuthority(), "Id", "http://hoadondientu.gdt.gov.vn/schema:DLTBao");
        }
    }

    @Test
    void minutesAreSignedBySellerThenBuyer(TestPki pki) throws Exception {
        byte[] seller = sign(SigningFixtures.minutes(), pki.invoiceSeller(), options(Profile.INVOICE_SELLER));
        byte[] both = sign(seller, pki.organization(), options(Profile.INVOICE_BUYER));
        List<String> ids = SigningFixtures.signatureIds(both);
        assertVerifiesEverywhere(pki, both, ids.get(0), pki.invoiceSeller(), "Id", "DLBBan");
        assertVerifiesEverywhere(pki, both, ids.get(1), pki.organization(), "Id", "DLBBan");
    }

    @Test
    void taxDeclarationIsSignedInCkydtuWithCommentsCanonicalizationAndKeyValue(TestPki pki) throws Exception {
        for (String slot : List.of("<CKyDTu></CKyDTu>", "<CKyDTu/>")) {
            byte[] signed = sign(SigningFixtures.taxDeclaration(slot), pki.organization(), options(Profile.TAX_DECLARATION));
            Element sig = signature(signed, 0);
            assertEquals("CKyDTu", sig.getParentNode().getLocalName());
            assertEquals(SigningFixtures.TAX_NS, sig.getParentNode().getNamespaceURI());
            assertEquals(XmlAlgorithms.C14N_WITH_COMMENTS,
                    child(sig, "SignedInfo", "CanonicalizationMethod").getAttribute("Algorithm"));
            Element ref = children(child(sig, "SignedInfo"), "Reference").get(0);
            assertEquals("#_NODE_TO_SIGN", ref.getAttribute("URI"));
            assertEquals(XmlAlgorithms.ENVELOPED, child(ref, "Transforms", "Transform").getAttribute("Algorithm"));
            Element keyInfo = child(sig, "KeyInfo");
            assertEquals("AQAB", child(keyInfo, "KeyValue", "RSAKeyValue", "Exponent").getTextContent());
            assertTrue(child(keyInfo, "X509Data", "X509SubjectName").getTextContent().contains("MST:3600123456"));
            assertVerifiesEverywhere(pki, signed, sig.getAttribute("Id"), pki.organization(), "id",
                    SigningFixtures.TAX_NS + ":HSoKhaiThue");
        }
    }

    @Test
    void taxDeclarationRefusesAnEcKeyBecauseEtaxExpectsRsaKeyValue(TestPki pki) throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sign(
                SigningFixtures.taxDeclaration("<CKyDTu/>"), pki.ecPerson(), options(Profile.TAX_DECLARATION)));
        assertTrue(e.getMessage().contains("RSA"), e.getMessage());
    }

    @Test
    void treasuryVoucherIsSignedWhereTheCallerSays(TestPki pki) throws Exception {
        SignOptions byPath = SignOptions.builder().clock(AT_REFERENCE_TIME).formatOptions(XmlOptions.builder(Profile.GENERIC)
                .signedElementId("CT-0001").signatureParentPath("/ChungTu/ChuKy/KeToanTruong").build()).build();
        byte[] first = sign(SigningFixtures.voucher(), pki.person(), byPath);
        SignOptions byId = SignOptions.builder().clock(AT_REFERENCE_TIME).formatOptions(XmlOptions.builder(Profile.GENERIC)
                .signedElementId("CT-0001").signatureParentPath("/ChungTu/ChuKy/ThuTruong").xades(true).build()).build();
        byte[] both = sign(first, pki.organization(), byId);
        List<String> ids = SigningFixtures.signatureIds(both);
        assertEquals("KeToanTruong", signature(both, 0).getParentNode().getLocalName());
        assertEquals("ThuTruong", signature(both, 1).getParentNode().getLocalName());
        assertVerifiesEverywhere(pki, both, ids.get(0), pki.person(), "Id", "urn:kbnn:test:ctu:NoiDung");
        assertVerifiesEverywhere(pki, both, ids.get(1), pki.organization(), "Id", "urn:kbnn:test:ctu:NoiDung",
                "Id", XADES_ID_ATTR);
    }

    @Test
    void genericProfileSignsTheWholeDocumentIntoAnElementNamedById(TestPki pki) throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?xml-stylesheet href=\"ctu.xsl\"?>\n<!-- ban in -->\n"
                + "<BangKe xmlns:x=\"urn:x\"><Dong x:so=\"1\">Nội dung &amp; ghi chú</Dong><Ky Id=\"ky-1\"/></BangKe>\n";
        SignOptions whole = SignOptions.builder().formatOptions(XmlOptions.builder(Profile.GENERIC).wholeDocument()
                .signatureParentId("ky-1").build()).build();
        byte[] signed = sign(xml, pki.person(), whole);
        Element sig = signature(signed, 0);
        Element ref = children(child(sig, "SignedInfo"), "Reference").get(0);
        assertEquals("", ref.getAttribute("URI"));
        assertEquals(XmlAlgorithms.ENVELOPED, child(ref, "Transforms", "Transform").getAttribute("Algorithm"));
        assertVerifiesEverywhere(pki, signed, sig.getAttribute("Id"), pki.person());
        byte[] tampered = new String(signed, StandardCharsets.UTF_8).replace("ghi chú", "ghi chu")
                .getBytes(StandardCharsets.UTF_8);
        assertFalse(SigningFixtures.santuario(tampered, sig.getAttribute("Id"), pki.person().certificate()));
    }

    @Test
    void xadesBaselineBCarriesSignedPropertiesWithSigningCertificateV2(TestPki pki) throws Exception {
        SignOptions o = SignOptions.builder().clock(AT_REFERENCE_TIME)
                .formatOptions(XmlOptions.builder(Profile.INVOICE_SELLER).xades(true).build()).build();
        byte[] signed = sign(SigningFixtures.invoice(1), pki.invoiceSeller(), o);
        Element sig = signature(signed, 0);
        Element ref = children(child(sig, "SignedInfo"), "Reference").get(2);
        assertEquals(SignatureTemplate.SIGNED_PROPERTIES_TYPE, ref.getAttribute("Type"));
        Element props = (Element) sig.getElementsByTagNameNS(SignatureTemplate.XADES, "SignedProperties").item(0);
        assertEquals(ref.getAttribute("URI"), "#" + props.getAttribute("Id"));
        assertEquals("2025-03-14T09:30:00+07:00", props.getElementsByTagNameNS(SignatureTemplate.XADES, "SigningTime")
                .item(0).getTextContent());
        Element certDigest = (Element) props.getElementsByTagNameNS(SignatureTemplate.XADES, "CertDigest").item(0);
        assertEquals(java.util.Base64.getEncoder().encodeToString(DigestAlgorithm.SHA256.digest(
                pki.invoiceSeller().certificate().getEncoded())), child(certDigest, "DigestValue").getTextContent());
        assertEquals(1, props.getElementsByTagNameNS(SignatureTemplate.XADES, "IssuerSerialV2").getLength());
        assertVerifiesEverywhere(pki, signed, sig.getAttribute("Id"), pki.invoiceSeller(), "Id", "DLHDon", "Id",
                XADES_ID_ATTR);
    }

    @Test
    void levelTAddsASignatureTimeStampOverTheCanonicalSignatureValue(TestPki pki) throws Exception {
        SignOptions o = SignOptions.builder().level(BaselineLevel.T).timestampUrl(pki.services().tsaUri())
                .formatOptions(XmlOptions.of(Profile.INVOICE_SELLER)).build();
        byte[] signed = sign(SigningFixtures.invoice(1), pki.invoiceSeller(), o);
        Element sig = signature(signed, 0);
        Element ts = (Element) sig.getElementsByTagNameNS(SignatureTemplate.XADES, "EncapsulatedTimeStamp").item(0);
        TimeStampToken token = new TimeStampToken(new org.bouncycastle.cms.CMSSignedData(
                java.util.Base64.getDecoder().decode(ts.getTextContent())));
        String value = child(sig, "SignatureValue").getTextContent();
        byte[] canonical = ("<SignatureValue xmlns=\"" + SigningFixtures.DSIG + "\">" + value + "</SignatureValue>")
                .getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(DigestAlgorithm.SHA256.digest(canonical), token.getTimeStampInfo().getMessageImprintDigest());
        assertVerifiesEverywhere(pki, signed, sig.getAttribute("Id"), pki.invoiceSeller(), "Id", "DLHDon", "Id",
                XADES_ID_ATTR);
    }

    @Test
    void levelsLtAndLtaAreRefusedSayingWhatIsSupported(TestPki pki) throws Exception {
        for (BaselineLevel level : List.of(BaselineLevel.LT, BaselineLevel.LTA)) {
            SignOptions o = SignOptions.builder().level(level).timestampUrl(pki.services().tsaUri()).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sign(SigningFixtures.invoice(1), pki.invoiceSeller(), o));
            assertTrue(e.getMessage().contains("level B or T"), e.getMessage());
        }
    }

    @Test
    void ecdsaP256ValuesAreRawRAndS(TestPki pki) throws Exception {
        byte[] signed = sign(SigningFixtures.minutes(), pki.ecPerson(), options(Profile.INVOICE_SELLER));
        Element sig = signature(signed, 0);
        assertEquals("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
                child(sig, "SignedInfo", "SignatureMethod").getAttribute("Algorithm"));
        assertEquals(64, java.util.Base64.getDecoder().decode(child(sig, "SignatureValue").getTextContent()).length);
        assertVerifiesEverywhere(pki, signed, sig.getAttribute("Id"), pki.ecPerson(), "Id", "DLBBan");
    }

    @Test
    void ecdsaP384AndRsaSha384AndSha512Verify(TestPki pki) throws Exception {
        KeyPair p384 = generate("EC", new ECGenParameterSpec("secp384r1"));
        X509Certificate cert = selfSigned(p384, "SHA384withECDSA");
        try (Signer signer = pkcs12(p384, cert)) {
            SignOptions o = SignOptions.builder().digest(DigestAlgorithm.SHA384)
                    .formatOptions(XmlOptions.of(Profile.INVOICE_SELLER)).build();
            byte[] signed = SigningFixtures.sign(SigningFixtures.minutes(), signer, o);
            Element sig = signature(signed, 0);
            assertEquals("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
                    child(sig, "SignedInfo", "SignatureMethod").getAttribute("Algorithm"));
            assertEquals(96, java.util.Base64.getDecoder().decode(child(sig, "SignatureValue").getTextContent()).length);
            assertTrue(SigningFixtures.santuario(signed, sig.getAttribute("Id"), cert, "DLBBan"));
            SigningFixtures.Xmlsec x = SigningFixtures.xmlsec1(signed, sig.getAttribute("Id"), List.of(cert), List.of(), dir, "Id", "DLBBan");
            assertTrue(x.ok(), x.output());
        }
        for (DigestAlgorithm d : List.of(DigestAlgorithm.SHA384, DigestAlgorithm.SHA512)) {
            SignOptions o = SignOptions.builder().digest(d).formatOptions(XmlOptions.of(Profile.INVOICE_SELLER)).build();
            byte[] signed = sign(SigningFixtures.invoice(1), pki.invoiceSeller(), o);
            Element sig = signature(signed, 0);
            assertEquals("http://www.w3.org/2001/04/xmldsig-more#rsa-" + d.jcaName().replace("-", "").toLowerCase(),
                    child(sig, "SignedInfo", "SignatureMethod").getAttribute("Algorithm"));
            assertEquals(d.xmlUri(), child(children(child(sig, "SignedInfo"), "Reference").get(0), "DigestMethod")
                    .getAttribute("Algorithm"));
            assertVerifiesEverywhere(pki, signed, sig.getAttribute("Id"), pki.invoiceSeller(), "Id", "DLHDon");
        }
    }

    @Test
    void rsaPssUsesTheRfc6931IdentifierAndVerifiesInSantuario(TestPki pki) throws Exception {
        try (Signer signer = SigningFixtures.signer(pki.person(), dir)) {
            PendingSignature p = format.prepare(Document.of(SigningFixtures.minutes().getBytes(StandardCharsets.UTF_8), "bb.xml"),
                    signer.chain(), SignatureAlgorithm.RSA_PSS_SHA256, SignOptions.defaults());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.complete(signer.sign(p.request()).get(0), out);
            byte[] signed = out.toByteArray();
            Element sig = signature(signed, 0);
            assertEquals("http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
                    child(sig, "SignedInfo", "SignatureMethod").getAttribute("Algorithm"));
            // Santuario maps this URI to the JCA name SHA256withRSAandMGF1, which Bouncy Castle provides
            java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
            assertTrue(SigningFixtures.santuario(signed, sig.getAttribute("Id"), pki.person().certificate(), "DLBBan"));
        }
    }

    @Test
    void tamperingAfterSigningFailsInEveryVerifier(TestPki pki) throws Exception {
        byte[] signed = sign(SigningFixtures.invoice(2), pki.invoiceSeller(), options(Profile.INVOICE_SELLER));
        String id = SigningFixtures.signatureIds(signed).get(0);
        String text = new String(signed, StandardCharsets.UTF_8);
        List<byte[]> tampered = List.of(
                text.replace("<ThTien>1500000</ThTien>", "<ThTien>1500001</ThTien>").getBytes(StandardCharsets.UTF_8),
                text.replace("<SigningTime>2025-03-14T09:30:00", "<SigningTime>2025-03-15T09:30:00")
                        .getBytes(StandardCharsets.UTF_8),
                text.replace("KHHDon>C25TKS", "KHHDon>C25TKX").getBytes(StandardCharsets.UTF_8));
        for (byte[] t : tampered) {
            assertFalse(Arrays.equals(signed, t));
            assertFalse(SigningFixtures.santuario(t, id, pki.invoiceSeller().certificate(), "DLHDon"));
            assertFalse(SigningFixtures.xmlsec1(t, id, pki.roots(), intermediates(pki), dir, "Id", "DLHDon").ok());
            assertFalse(format.verify(Document.of(t, "t.xml"), policy(pki)).allPassed());
        }
    }

    @Test
    void aBatchOfInvoicesCostsOneSignerCall(TestPki pki) throws Exception {
        try (Signer real = SigningFixtures.signer(pki.invoiceSeller(), dir)) {
            CountingSigner counting = new CountingSigner(real);
            List<Document> docs = new ArrayList<>();
            List<Path> targets = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                docs.add(Document.of(SigningFixtures.invoice(i + 1).replace("_593651", "_59365" + i)
                        .getBytes(StandardCharsets.UTF_8), "hd" + i + ".xml"));
                targets.add(dir.resolve("hd" + i + ".signed.xml"));
            }
            format.signBatch(docs, targets, counting, options(Profile.INVOICE_SELLER));
            assertEquals(1, counting.calls.get());
            assertEquals(5, counting.digests.get());
            for (int i = 0; i < 5; i++) {
                byte[] signed = Files.readAllBytes(targets.get(i));
                assertVerifiesEverywhere(pki, signed, SigningFixtures.signatureIds(signed).get(0), pki.invoiceSeller(), "Id",
                        "DLHDon");
            }
        }
    }

    @Test
    void aFileIsSignedIntoItsTargetAndTheInputIsLeftAsItWas(TestPki pki) throws Exception {
        Path input = dir.resolve("hd.xml");
        Files.writeString(input, SigningFixtures.invoice(3));
        byte[] before = Files.readAllBytes(input);
        Path target = dir.resolve("hd.signed.xml");
        try (Signer signer = SigningFixtures.signer(pki.invoiceSeller(), dir)) {
            format.sign(Document.of(input), signer, options(Profile.INVOICE_SELLER), target);
        }
        assertArrayEquals(before, Files.readAllBytes(input));
        byte[] signed = Files.readAllBytes(target);
        assertVerifiesEverywhere(pki, signed, SigningFixtures.signatureIds(signed).get(0), pki.invoiceSeller(), "Id", "DLHDon");
    }

    @Test
    void aLargeInvoiceIsStreamedFileToFileAndVerifies(TestPki pki) throws Exception {
        Path input = dir.resolve("hd-large.xml");
        try (java.io.BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            w.write(SigningFixtures.invoiceStart());
            w.write(SigningFixtures.dlhdonStart("_593651"));
            for (int i = 1; i <= 7000; i++) {
                w.write(SigningFixtures.goodsLine(i));
            }
            w.write(SigningFixtures.dlhdonEnd(7000));
            w.write(SigningFixtures.invoiceEnd());
        }
        Path target = dir.resolve("hd-large.signed.xml");
        try (Signer signer = SigningFixtures.signer(pki.invoiceSeller(), dir)) {
            format.sign(Document.of(input), signer, options(Profile.INVOICE_SELLER), target);
        }
        byte[] signed = Files.readAllBytes(target);
        assertTrue(signed.length > 2_000_000);
        assertVerifiesEverywhere(pki, signed, SigningFixtures.signatureIds(signed).get(0), pki.invoiceSeller(), "Id",
                "DLHDon");
    }

    @Test
    void acceptsXmlByItsFirstBytesButNotPdfOrText() throws Exception {
        for (String xml : List.of("<HDon/>", "<?xml version=\"1.0\"?><a/>", "\uFEFF<a/>", " \r\n\t<a/>", "<!-- c --><a/>")) {
            assertTrue(format.accepts(Document.of(xml.getBytes(StandardCharsets.UTF_8), "x")), xml);
        }
        assertTrue(format.accepts(Document.of("<a/>".getBytes(StandardCharsets.UTF_16), "utf16")));
        for (String other : List.of("%PDF-1.7\n", "hello <a/>", "", "<", "< a/>", "{\"json\": 1}")) {
            assertFalse(format.accepts(Document.of(other.getBytes(StandardCharsets.UTF_8), "x")), other);
        }
    }

    @Test
    void formatIsFoundByItsIdThroughTheServiceLoader() throws Exception {
        SignatureFormat found = Kyso.discover().format("xades");
        assertEquals(XadesFormat.class, found.getClass());
    }

    @Test
    void optionsMeantForAnotherFormatAreRefusedNamingXmlOptionsAndNothingIsWritten(TestPki pki) throws Exception {
        // stands for PadesOptions handed to the XML format: ignored, the invoice would be signed in the
        // seller's profile whatever the caller meant
        final class PdfLook implements vn.kyso.FormatOptions {
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Signer signer = SigningFixtures.signer(pki.invoiceSeller(), dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> format.sign(
                    Document.of(SigningFixtures.invoice(1).getBytes(StandardCharsets.UTF_8), "hd.xml"), signer,
                    SignOptions.builder().formatOptions(new PdfLook()).build(), out));
            assertTrue(e.getMessage().contains(XmlOptions.class.getName()), e.getMessage());
        }
        assertEquals(0, out.size());
    }

    /**
     * A document nested {@code depth} levels: root r (Id "data", the signed element) holding a chain of
     * e elements; the signature's place s (Id "slot") is the innermost element at {@code slotLevel}, or
     * a child of the root when that is 2.
     */
    private static byte[] nested(int depth, int slotLevel) {
        StringBuilder x = new StringBuilder("<r Id=\"data\">");
        if (slotLevel == 2) {
            x.append("<s Id=\"slot\"></s>");
        }
        int chain = slotLevel == 2 ? depth - 1 : slotLevel - 2;
        x.append("<e>".repeat(chain));
        if (slotLevel > 2) {
            x.append("<s Id=\"slot\"></s>");
        }
        x.append("</e>".repeat(chain)).append("</r>");
        return x.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static SignOptions nestedOptions() {
        return SignOptions.builder().clock(AT_REFERENCE_TIME).formatOptions(XmlOptions.builder(Profile.GENERIC)
                .signedElementId("data").signatureParentId("slot").build()).build();
    }

    @Test
    void aDocumentNestedDeeperThanVerificationAcceptsIsRefusedBeforeSigning(TestPki pki) throws Exception {
        // signed before, 300 levels deep: a signature that kyso's verifier (and any parser bounded the same
        // way) then refuses to read, so the recipient could never check it
        KysoException e = assertThrows(vn.kyso.DocumentMalformedException.class,
                () -> sign(nested(300, 2), pki.invoiceSeller(), nestedOptions()));
        assertTrue(e.getMessage().contains(String.valueOf(XmlLimits.MAX_DEPTH)), e.getMessage());
        assertEquals(XmlLimits.MAX_DEPTH, XmlVerifier.MAX_DEPTH, "signing and verification share one bound");
    }

    @Test
    void aDocumentNestedExactlyToTheLimitSignsAndVerifies(TestPki pki) throws Exception {
        byte[] signed = sign(nested(XmlLimits.MAX_DEPTH, 2), pki.invoiceSeller(), nestedOptions());
        VerificationReport report = format.verify(Document.of(signed, "deep.xml"), policy(pki));
        assertEquals(1, report.signatures().size());
        assertTrue(report.allPassed(), report.toText());
    }

    @Test
    void aSignaturePlacedSoDeepThatItsOwnElementsPassTheLimitIsRefused(TestPki pki) throws Exception {
        // the document itself is within the bound, but the Signature's SignedInfo/Reference/Transforms/
        // Transform under a slot at level 252 would reach level 257: verification would refuse it
        KysoException e = assertThrows(vn.kyso.DocumentMalformedException.class,
                () -> sign(nested(252, 252), pki.invoiceSeller(), nestedOptions()));
        assertTrue(e.getMessage().contains("nesting level 252"), e.getMessage());
        // one level nearer the root the signature ends exactly at the bound, and verifies
        byte[] signed = sign(nested(251, 251), pki.invoiceSeller(), nestedOptions());
        assertTrue(format.verify(Document.of(signed, "deep.xml"), policy(pki)).allPassed());
    }

    // ---------------------------------------------------------------------------------------

    private SignOptions options(Profile profile) {
        return SignOptions.builder().clock(AT_REFERENCE_TIME).formatOptions(XmlOptions.of(profile)).build();
    }

    private byte[] sign(String xml, TestIdentity identity, SignOptions options) throws Exception {
        return sign(xml.getBytes(StandardCharsets.UTF_8), identity, options);
    }

    private byte[] sign(byte[] xml, TestIdentity identity, SignOptions options) throws Exception {
        try (Signer signer = SigningFixtures.signer(identity, dir)) {
            return SigningFixtures.sign(xml, signer, options);
        }
    }

    /** Only the two test roots as anchors: the chain is built through the intermediate CAs. */
    static ValidationPolicy policy(TestPki pki) {
        return ValidationPolicy.builder().trustAnchors(pki.roots()).build();
    }

    static List<X509Certificate> intermediates(TestPki pki) {
        return List.of(pki.cipherCa().certificate(), pki.vnptCa().certificate());
    }

    /** Santuario, xmlsec1 with the test roots as trust anchors, and kyso's verifier all accept signature {@code id}. */
    private void assertVerifiesEverywhere(TestPki pki, byte[] signed, String id, TestIdentity signer, String... idAttrs)
            throws Exception {
        List<String> elements = new ArrayList<>(List.of("Object"));
        for (int i = 1; i < idAttrs.length; i += 2) {
            String e = idAttrs[i];
            elements.add(e.substring(e.lastIndexOf(':') + 1));
        }
        assertTrue(SigningFixtures.santuario(signed, id, signer.certificate(), elements.toArray(String[]::new)),
                "Santuario rejects " + id);
        SigningFixtures.Xmlsec x = SigningFixtures.xmlsec1(signed, id, pki.roots(), intermediates(pki), dir, idAttrs);
        assertTrue(x.ok(), x.output());
        VerificationReport report = format.verify(Document.of(signed, "signed.xml"), policy(pki));
        SignatureReport s = report.signatures().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
        assertEquals(Indication.TOTAL_PASSED, s.indication(), report.toText());
        assertEquals(signer.certificate(), s.signerCertificate().orElseThrow());
    }

    private static Element signature(byte[] xml, int n) throws Exception {
        return (Element) SigningFixtures.dom(xml).getElementsByTagNameNS(SigningFixtures.DSIG, "Signature").item(n);
    }

    private static Element child(Element e, String... path) {
        Element at = e;
        for (String p : path) {
            List<Element> c = children(at, p);
            assertEquals(1, c.size(), "one " + p + " under " + at.getLocalName());
            at = c.get(0);
        }
        return at;
    }

    private static List<Element> children(Element e, String local) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = e.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element c && c.getLocalName().equals(local)) {
                out.add(c);
            }
        }
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static KeyPair generate(String algorithm, java.security.spec.AlgorithmParameterSpec spec) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        g.initialize(spec);
        return g.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair keys, String algorithm) throws Exception {
        X500Name name = new X500Name("CN=Kho bạc Nhà nước (test P-384),C=VN");
        Date from = Date.from(TestPki.ISSUED_AT);
        Date until = Date.from(TestPki.EXPIRES_AT);
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.TEN,
                from, until, name, keys.getPublic()).build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
    }

    /** A pkcs12-provider signer around a key made here, the way an application would load its own file. */
    private Signer pkcs12(KeyPair keys, X509Certificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", keys.getPrivate(), SigningFixtures.PASSWORD, new X509Certificate[] {cert});
        Path file = dir.resolve("p384.p12");
        try (var out = Files.newOutputStream(file)) {
            ks.store(out, SigningFixtures.PASSWORD);
        }
        KeySource source = Kyso.discover().connect("pkcs12", Map.of("file", file.toString()),
                CredentialCallback.of(SigningFixtures.PASSWORD));
        return source.open(source.keys().get(0).id());
    }

    /** Counts calls and digests on the way to a real signer. */
    private static final class CountingSigner extends vn.kyso.testkit.ForwardingSigner {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger digests = new AtomicInteger();

        CountingSigner(Signer delegate) {
            super(delegate);
        }

        @Override
        public List<byte[]> sign(SignRequest request) throws KysoException {
            calls.incrementAndGet();
            digests.addAndGet(request.size());
            return delegate().sign(request);
        }
    }
}
