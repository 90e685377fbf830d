package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.kyso.xml.TestXml.RSA_SHA1;
import static vn.kyso.xml.TestXml.RSA_SHA256;
import static vn.kyso.xml.TestXml.SHA1;
import static vn.kyso.xml.TestXml.SHA256;
import static vn.kyso.xml.TestXml.utf8;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import vn.kyso.Certificates;
import vn.kyso.Document;
import vn.kyso.Indication;
import vn.kyso.SignatureReport;
import vn.kyso.SignatureReport.ChainStatus;
import vn.kyso.SignatureReport.RevocationSource;
import vn.kyso.SignatureReport.RevocationStatus;
import vn.kyso.SubIndication;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

@ExtendWith(TestPkiExtension.class)
class XmlVerifierTest {

    /** The caller's roots, revocation from embedded data then the certificates' own OCSP/CRL (on loopback). */
    static ValidationPolicy online(TestPki pki) {
        return ValidationPolicy.builder().trustAnchors(pki.roots()).networkTimeout(Duration.ofSeconds(5)).build();
    }

    /** Roots and both intermediates trusted, no revocation: offline checks of everything else. */
    static ValidationPolicy offline(TestPki pki) {
        return ValidationPolicy.builder()
                .trustAnchors(List.of(pki.cipherRoot().certificate(), pki.nationalRoot().certificate(),
                        pki.cipherCa().certificate(), pki.vnptCa().certificate()))
                .revocation(ValidationPolicy.Revocation.NONE).build();
    }

    static ValidationPolicy strict(TestPki pki) {
        return ValidationPolicy.builder().trustAnchors(offline(pki).trustAnchors())
                .revocation(ValidationPolicy.Revocation.NONE).strictAlgorithms(true).build();
    }

    static VerificationReport verify(String xml, ValidationPolicy policy) throws Exception {
        return XmlVerifier.verify(Document.of(utf8(xml), "hd.xml"), policy);
    }

    static SignatureReport first(String xml, ValidationPolicy policy) throws Exception {
        return verify(xml, policy).signatures().get(0);
    }

    private static String seller(TestPki pki, TestXml.Seller shape) throws Exception {
        return TestXml.seller(pki.invoiceSeller(), shape);
    }

    @Test
    void allSignaturesOfADocumentShareOneNetworkTime(TestPki pki) throws Exception {
        // an invoice signed by the seller and the tax authority, while the OCSP responder hangs longer than the
        // whole network time: the first signature's fetch uses it up, the second does not wait again
        String xml = TestXml.taxAuthorityInvoice(pki.invoiceSeller(), pki.taxAuthority());
        ValidationPolicy policy = ValidationPolicy.builder().trustAnchors(pki.roots())
                .intermediates(List.of(pki.cipherCa().certificate(), pki.vnptCa().certificate()))
                .networkTimeout(Duration.ofMillis(1500)).build();
        pki.services().setResponseDelay(Duration.ofSeconds(4));
        try {
            int before = pki.services().ocspRequests();
            int crlsBefore = pki.services().crlRequests();
            VerificationReport report = verify(xml, policy);
            assertEquals(2, report.signatures().size());
            for (SignatureReport s : report.signatures()) {
                assertEquals(SubIndication.TRY_LATER, s.subIndication().orElseThrow(), s.findings().toString());
            }
            assertEquals(1, pki.services().ocspRequests() - before, "one fetch, then the document's network time is spent");
            assertEquals(crlsBefore, pki.services().crlRequests());
        } finally {
            pki.services().setResponseDelay(Duration.ZERO);
        }
    }

    @Test
    void sellerNacencommStyleWithNoNamespacePropertiesPassesOnlineWithItsSigningTime(TestPki pki) throws Exception {
        String xml = seller(pki, TestXml.Seller.nacencomm());
        assertTrue(xml.contains("<SignatureProperties xmlns=\"\" Id=\"TimeStamp-sig-nacencomm\">"), xml);
        SignatureReport r = first(xml, online(pki));
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.findings().toString());
        assertEquals(List.of("DLHDon#_593651 (HDon/DLHDon)",
                "SignatureProperties#TimeStamp-sig-nacencomm (HDon/DSCKS/NBan/Signature/Object/SignatureProperties)"), r.covers());
        assertEquals(OffsetDateTime.parse("2025-07-10T17:54:31+07:00"), r.claimedSigningTime().orElseThrow());
        assertTrue(r.has("TAX_CODE_MATCHES"));
        assertEquals(RevocationStatus.GOOD, r.revocationStatus());
        assertEquals(RevocationSource.ONLINE_OCSP, r.revocationSource());
        assertEquals(List.of(pki.invoiceSeller().certificate(), pki.vnptCa().certificate()), r.chain());
        assertEquals(pki.nationalRoot().certificate(), r.trustAnchor().orElseThrow());
    }

    @Test
    void sellerWithReferenceToItsSigningTimeObjectPassesAndFailsWhenTheTimeIsChanged(TestPki pki) throws Exception {
        String xml = seller(pki, TestXml.Seller.common());
        SignatureReport r = first(xml, offline(pki));
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.findings().toString());
        assertEquals(List.of("DLHDon#_593651 (HDon/DLHDon)", "Object#Obj-seller (HDon/DSCKS/NBan/Signature/Object)"), r.covers());
        SignatureReport changed = first(xml.replace("17:54:31", "17:54:32"), offline(pki));
        assertEquals(Indication.TOTAL_FAILED, changed.indication());
        assertEquals(SubIndication.HASH_FAILURE, changed.subIndication().orElseThrow());
    }

    @Test
    void taxAuthorityShapeVerifiesWithTheSellersSignatureStillIntact(TestPki pki) throws Exception {
        String xml = TestXml.taxAuthorityInvoice(pki.invoiceSeller(), pki.taxAuthority());
        VerificationReport v = verify(xml, online(pki));
        assertEquals(2, v.signatures().size());
        SignatureReport seller = v.signatures().get(0);
        SignatureReport cqt = v.signatures().get(1);
        assertEquals(Indication.TOTAL_PASSED, seller.indication(), seller.findings().toString());
        assertEquals(Indication.TOTAL_PASSED, cqt.indication(), cqt.findings().toString());
        assertEquals(List.of("DLHDon#_593651 (HDon/DLHDon)",
                "Object#SigningTime-7c9e6679-7425-40de-944b-e07fc1f90ae7 (HDon/DSCKS/CQT/Signature/Object)",
                "MCCQT#Id-6f1e2d3c (HDon/MCCQT)"), cqt.covers());
        assertEquals(OffsetDateTime.parse("2025-07-10T18:02:05+07:00"), cqt.claimedSigningTime().orElseThrow());
        assertEquals(List.of(pki.taxAuthority().certificate(), pki.cipherCa().certificate()), cqt.chain());
        SignatureReport code = verify(xml.replace("M1-25-KYSO1-00000000123", "M1-25-KYSO1-00000000999"), online(pki))
                .signatures().get(1);
        assertEquals(SubIndication.HASH_FAILURE, code.subIndication().orElseThrow());
    }

    @Test
    void leafOnlyKeyInfoChainsThroughAnIntermediateGivenAsTrustAnchor(TestPki pki) throws Exception {
        String xml = TestXml.taxAuthorityInvoice(pki.invoiceSeller(), pki.taxAuthority());
        ValidationPolicy intermediate = ValidationPolicy.builder()
                .trustAnchors(List.of(pki.cipherCa().certificate())).revocation(ValidationPolicy.Revocation.NONE).build();
        SignatureReport cqt = verify(xml, intermediate).signatures().get(1);
        assertEquals(Indication.TOTAL_PASSED, cqt.indication(), cqt.findings().toString());
        assertEquals(pki.cipherCa().certificate(), cqt.trustAnchor().orElseThrow());
        assertEquals(RevocationStatus.NOT_CHECKED, cqt.revocationStatus());
    }

    @Test
    void leafOnlyKeyInfoWithOnlyTheRootTrustedIsIncompleteOfflineAndFetchesTheIntermediateOnline(TestPki pki)
            throws Exception {
        String xml = TestXml.taxAuthorityInvoice(pki.invoiceSeller(), pki.taxAuthority());
        List<X509Certificate> root = List.of(pki.cipherRoot().certificate(), pki.nationalRoot().certificate());
        pki.services().resetCounters();
        for (ValidationPolicy.Revocation offline : List.of(ValidationPolicy.Revocation.NONE,
                ValidationPolicy.Revocation.EMBEDDED_ONLY)) {
            SignatureReport cqt = verify(xml, ValidationPolicy.builder().trustAnchors(root).revocation(offline).build())
                    .signatures().get(1);
            assertEquals(Indication.INDETERMINATE, cqt.indication(), cqt.findings().toString());
            assertEquals(SubIndication.NO_CERTIFICATE_CHAIN_FOUND, cqt.subIndication().orElseThrow());
            assertEquals(ChainStatus.INCOMPLETE, cqt.chainStatus());
        }
        assertEquals(0, pki.services().caIssuersRequests() + pki.services().ocspRequests(), "offline means offline");
        SignatureReport cqt = verify(xml, online(pki)).signatures().get(1);
        assertEquals(Indication.TOTAL_PASSED, cqt.indication(), cqt.findings().toString());
        assertEquals(pki.cipherRoot().certificate(), cqt.trustAnchor().orElseThrow());
        assertTrue(pki.services().caIssuersRequests() > 0);
        assertEquals(RevocationSource.ONLINE_OCSP, cqt.revocationSource());
    }

    @Test
    void revocationIsCheckedAtTheSigningTime(TestPki pki) throws Exception {
        TestIdentity revoked = pki.revoked();
        String after = TestXml.seller(revoked, TestXml.Seller.common());
        SignatureReport r = first(after, online(pki));
        assertEquals(Indication.TOTAL_FAILED, r.indication(), r.findings().toString());
        assertEquals(SubIndication.REVOKED, r.subIndication().orElseThrow());
        assertEquals(RevocationStatus.REVOKED, r.revocationStatus());
        // a claimed time before the revocation is the signer's word only: a stolen key could backdate it
        SignatureReport backdated = first(TestXml.seller(revoked, TestXml.Seller.common().withTime("2024-03-01T08:00:00")),
                online(pki));
        assertEquals(Indication.INDETERMINATE, backdated.indication(), backdated.findings().toString());
        assertEquals(SubIndication.REVOKED_NO_POE, backdated.subIndication().orElseThrow());
    }

    @Test
    void revocationFromEmbeddedDataOnlyIsUnknownWhenNothingIsEmbedded(TestPki pki) throws Exception {
        ValidationPolicy embedded = ValidationPolicy.builder().trustAnchors(offline(pki).trustAnchors())
                .revocation(ValidationPolicy.Revocation.EMBEDDED_ONLY).build();
        SignatureReport r = first(seller(pki, TestXml.Seller.common()), embedded);
        assertEquals(Indication.INDETERMINATE, r.indication());
        assertEquals(SubIndication.TRY_LATER, r.subIndication().orElseThrow());
        assertTrue(r.has("REVOCATION_UNKNOWN"));
    }

    @Test
    void theSigningTimeMustLieWithinTheCertificatesValidity(TestPki pki) throws Exception {
        SignatureReport expired = first(TestXml.seller(pki.expired(), TestXml.Seller.common()), offline(pki));
        assertEquals(Indication.INDETERMINATE, expired.indication(), expired.findings().toString());
        assertEquals(SubIndication.OUT_OF_BOUNDS_NO_POE, expired.subIndication().orElseThrow());
        assertTrue(expired.has("CERT_EXPIRED_AT_SIGNING"));
        // a SigningTime inside the validity, with no timestamp, is the signer's word: it does not rescue the expired certificate
        SignatureReport inTime = first(TestXml.seller(pki.expired(), TestXml.Seller.common().withTime("2022-06-01T10:00:00")),
                offline(pki));
        assertEquals(Indication.INDETERMINATE, inTime.indication(), inTime.findings().toString());
        assertEquals(SubIndication.OUT_OF_BOUNDS_NO_POE, inTime.subIndication().orElseThrow());
        assertTrue(inTime.has("CERT_EXPIRED_NO_POE"), inTime.findings().toString());
        SignatureReport early = first(TestXml.seller(pki.notYetValid(), TestXml.Seller.common()), offline(pki));
        assertEquals(Indication.TOTAL_FAILED, early.indication());
        assertEquals(SubIndication.NOT_YET_VALID, early.subIndication().orElseThrow());
    }

    @Test
    void rsaSha1WithSha256DigestsPassesWithWeakWarningAndStrictPolicyFailsIt(TestPki pki) throws Exception {
        String xml = seller(pki, TestXml.Seller.common().withAlgorithms(RSA_SHA1, SHA256, SHA256));
        SignatureReport r = first(xml, offline(pki));
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.findings().toString());
        assertTrue(r.has("WEAK_ALGORITHM"));
        SignatureReport strict = first(xml, strict(pki));
        assertEquals(Indication.TOTAL_FAILED, strict.indication());
        assertEquals(SubIndication.CRYPTO_CONSTRAINTS_FAILURE, strict.subIndication().orElseThrow());
    }

    @Test
    void signedInfoMixingSha256AndSha1DigestsPassesWithWeakWarningAndStrictPolicyFailsIt(TestPki pki) throws Exception {
        String xml = seller(pki, TestXml.Seller.common().withAlgorithms(RSA_SHA256, SHA256, SHA1));
        SignatureReport r = first(xml, offline(pki));
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.findings().toString());
        assertEquals(1, r.findings().stream().filter(f -> f.code().equals("WEAK_ALGORITHM")).count());
        assertEquals(Indication.TOTAL_FAILED, first(xml, strict(pki)).indication());
    }

    @Test
    void allSha1With1024BitKeyPassesWithWeakWarningsAndStrictPolicyFailsIt(TestPki pki) throws Exception {
        TestIdentity legacy = pki.legacySha1();
        assertEquals(1024, ((RSAPublicKey) legacy.publicKey()).getModulus().bitLength());
        String xml = TestXml.seller(legacy, TestXml.Seller.common().withAlgorithms(RSA_SHA1, SHA1, SHA1));
        SignatureReport r = first(xml, offline(pki));
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.findings().toString());
        assertTrue(r.findings().stream().anyMatch(f -> f.code().equals("WEAK_ALGORITHM") && f.english().contains("1024 bits")),
                r.findings().toString());
        SignatureReport strict = first(xml, strict(pki));
        assertEquals(Indication.TOTAL_FAILED, strict.indication());
        assertEquals(SubIndication.CRYPTO_CONSTRAINTS_FAILURE, strict.subIndication().orElseThrow());
    }

    @Test
    void sameSignatureObjectQuirkIsIntactWithNamedWarningAndFailsWhenAnythingCoveredChanges(TestPki pki) throws Exception {
        String quirk = TestXml.quirk(pki.invoiceSeller());
        SignatureReport r = first(quirk, offline(pki));
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.findings().toString());
        assertTrue(r.intact());
        assertTrue(r.has("NONSTANDARD_TRANSFORM_SAME_SIGNATURE_OBJECT"));
        SignatureReport time = first(quirk.replace("17:54:31", "17:54:32"), offline(pki));
        assertEquals(Indication.TOTAL_FAILED, time.indication());
        assertEquals(SubIndication.HASH_FAILURE, time.subIndication().orElseThrow());
        SignatureReport value = first(quirk.replace("<ThTien>1000000<", "<ThTien>9000000<"), offline(pki));
        assertEquals(SubIndication.HASH_FAILURE, value.subIndication().orElseThrow());
    }

    @Test
    void reindentedAfterSigningFailsSayingOnlyWhitespaceChanged(TestPki pki) throws Exception {
        String signed = seller(pki, TestXml.Seller.common());
        String reindented = TestXml.serialize(TestXml.parse(signed), true);
        assertNotEquals(signed, reindented);
        SignatureReport r = first(reindented, offline(pki));
        assertEquals(Indication.TOTAL_FAILED, r.indication());
        assertTrue(r.has("REFORMATTED_AFTER_SIGNING"), r.findings().toString());
        SignatureReport altered = first(reindented.replace("<ThTien>1000000<", "<ThTien>9000000<"), offline(pki));
        assertEquals(Indication.TOTAL_FAILED, altered.indication());
        assertFalse(altered.has("REFORMATTED_AFTER_SIGNING"));
    }

    @Test
    void envelopeWithSellerAndTaxpayerSignaturesVerifiesEachOnItsOwn(TestPki pki) throws Exception {
        String xml = TestXml.envelopeSigned(pki.invoiceSeller(), pki.organization());
        VerificationReport v = verify(xml, offline(pki));
        assertEquals(2, v.signatures().size());
        SignatureReport seller = v.signatures().get(0);
        SignatureReport taxpayer = v.signatures().get(1);
        assertEquals(Indication.TOTAL_PASSED, seller.indication(), seller.findings().toString());
        assertEquals(Indication.TOTAL_PASSED, taxpayer.indication(), taxpayer.findings().toString());
        assertTrue(seller.has("TAX_CODE_MATCHES"));
        assertEquals(List.of("whole document (TDiep)", "Object#Obj-NNT (TDiep/CKSNNT/Signature/Object)"), taxpayer.covers());
        assertTrue(taxpayer.coversWholeDocument());
        VerificationReport changed = verify(xml.replace("<MLTDiep>200<", "<MLTDiep>202<"), offline(pki));
        assertEquals(Indication.TOTAL_PASSED, changed.signatures().get(0).indication(), "the seller did not sign TTChung");
        assertEquals(SubIndication.HASH_FAILURE, changed.signatures().get(1).subIndication().orElseThrow());
    }

    @Test
    void twoSignaturesCarryingTheSameIdValueEachVerifyAgainstTheirOwnObject(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = TestXml.parse(TestXml.invoice("0312345678"));
        TestXml.Seller same = TestXml.Seller.common().withId("Signature", "SigningTime");
        TestXml.signSeller(dom, "HDon/DSCKS/NBan", pki.invoiceSeller(), List.of(pki.invoiceSeller().certificate()), same);
        // Santuario refuses to sign with a duplicate ID registered; the producers in circulation do not care
        ((org.w3c.dom.Element) dom.getElementsByTagNameNS(TestXml.DSIG, "Object").item(0)).setIdAttributeNS(null, "Id", false);
        TestXml.signSeller(dom, "HDon/DSCKS/NMua", pki.organization(), List.of(pki.organization().certificate()),
                same.withTime("2025-07-11T08:00:00"));
        String xml = TestXml.serialize(dom);
        VerificationReport v = verify(xml, offline(pki));
        assertEquals("Signature (HDon/DSCKS/NBan)", v.signatures().get(0).id());
        assertEquals("Signature (HDon/DSCKS/NMua)", v.signatures().get(1).id());
        for (SignatureReport r : v.signatures()) {
            assertEquals(Indication.TOTAL_PASSED, r.indication(), r.id() + " " + r.findings());
            assertTrue(r.has("DUPLICATE_ID_IN_OTHER_SIGNATURE"));
        }
        assertEquals(OffsetDateTime.parse("2025-07-11T08:00:00+07:00"), v.signatures().get(1).claimedSigningTime().orElseThrow());
        VerificationReport buyerTime = verify(xml.replace("2025-07-11T08:00:00", "2025-07-11T09:00:00"), offline(pki));
        assertEquals(Indication.TOTAL_PASSED, buyerTime.signatures().get(0).indication());
        assertEquals(SubIndication.HASH_FAILURE, buyerTime.signatures().get(1).subIndication().orElseThrow());
    }

    @Test
    void signingTimeWithTabsAndNewlinesIsReadWhetherSignedSoOrReformattedLater(TestPki pki) throws Exception {
        OffsetDateTime expected = OffsetDateTime.parse("2025-07-10T17:54:31+07:00");
        SignatureReport signedSo = first(seller(pki, TestXml.Seller.common().withTime("\n\t\t2025-07-10T17:54:31\n\t")),
                offline(pki));
        assertEquals(Indication.TOTAL_PASSED, signedSo.indication(), signedSo.findings().toString());
        assertEquals(expected, signedSo.claimedSigningTime().orElseThrow());
        String later = seller(pki, TestXml.Seller.common()).replace(">2025-07-10T17:54:31<", ">\n\t\t2025-07-10T17:54:31\n\t<");
        SignatureReport reformatted = first(later, offline(pki));
        assertEquals(Indication.TOTAL_FAILED, reformatted.indication());
        assertTrue(reformatted.has("REFORMATTED_AFTER_SIGNING"), reformatted.findings().toString());
        assertEquals(expected, reformatted.claimedSigningTime().orElseThrow());
    }

    @Test
    void taxDeclarationWithCommentsC14nAndKeyValueVerifies(TestPki pki) throws Exception {
        String xml = TestXml.taxDeclaration(pki.organization(), RSA_SHA256, SHA256);
        assertTrue(xml.contains("<CKyDTu><Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\""), xml);
        SignatureReport r = first(xml, offline(pki));
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.findings().toString());
        assertEquals(List.of("HSoKhaiThue#_NODE_TO_SIGN (HSoThueDTu/HSoKhaiThue)"), r.covers());
        SignatureReport comment = first(xml.replace("<!-- HTKK 5.3.0 -->", "<!-- HTKK 5.3.1 -->"), offline(pki));
        assertEquals(Indication.TOTAL_PASSED, comment.indication(), "a #id reference excludes comments (XMLDSig 4.4.3.2)");
        SignatureReport figure = first(xml.replace("<ct23>15000000<", "<ct23>25000000<"), offline(pki));
        assertEquals(SubIndication.HASH_FAILURE, figure.subIndication().orElseThrow());
    }

    @Test
    void keyValueThatIsNotTheCertificatesKeyFails(TestPki pki) throws Exception {
        String xml = TestXml.taxDeclaration(pki.organization(), RSA_SHA256, SHA256);
        String otherModulus = java.util.Base64.getEncoder().encodeToString(
                ((RSAPublicKey) pki.person().publicKey()).getModulus().toByteArray());
        String swapped = xml.replaceAll("<Modulus>[^<]*</Modulus>", "<Modulus>" + otherModulus + "</Modulus>");
        assertNotEquals(xml, swapped);
        SignatureReport r = first(swapped, offline(pki));
        assertEquals(Indication.TOTAL_FAILED, r.indication());
        assertTrue(r.has("KEY_VALUE_MISMATCH"));
    }

    @Test
    void certificateThatIsNotTheSigningKeyIsASignatureCryptoFailure(TestPki pki) throws Exception {
        String xml = seller(pki, TestXml.Seller.common());
        String good = java.util.Base64.getEncoder().encodeToString(pki.invoiceSeller().certificate().getEncoded());
        String bad = java.util.Base64.getEncoder().encodeToString(pki.ecPerson().certificate().getEncoded());
        String swapped = xml.replaceAll("<X509Certificate>[^<]*</X509Certificate>", "<X509Certificate>" + bad + "</X509Certificate>");
        assertNotEquals(xml, swapped);
        assertFalse(swapped.contains(good));
        SignatureReport r = first(swapped, offline(pki));
        assertEquals(Indication.TOTAL_FAILED, r.indication());
        assertEquals(SubIndication.SIG_CRYPTO_FAILURE, r.subIndication().orElseThrow());
        assertFalse(r.intact());
    }

    @Test
    void sellerTaxCodeOtherThanTheCertificatesFails(TestPki pki) throws Exception {
        String xml = TestXml.seller(pki.organization(), TestXml.Seller.common());
        assertEquals("3600123456", Certificates.taxCode(pki.organization().certificate()).orElseThrow());
        SignatureReport r = first(xml, offline(pki));
        assertTrue(r.has("TAX_CODE_MISMATCH"), r.findings().toString());
        assertEquals(Indication.TOTAL_FAILED, r.indication());
        assertEquals(SubIndication.SIG_CONSTRAINTS_FAILURE, r.subIndication().orElseThrow());
    }

    /** An invoice with seller tax code 0312345678 changed by {@code edit}, signed in NBan by the organization (3600123456). */
    private static SignatureReport signedByOrganization(TestPki pki, java.util.function.UnaryOperator<String> edit)
            throws Exception {
        org.w3c.dom.Document dom = TestXml.parse(edit.apply(TestXml.invoice("0312345678")));
        TestXml.signSeller(dom, "HDon/DSCKS/NBan", pki.organization(), List.of(pki.organization().certificate()),
                TestXml.Seller.common());
        return first(TestXml.serialize(dom), offline(pki));
    }

    @Test
    void theSellersTaxCodeIsReadAtNdhdonNbanMstNotAtADecoyNbanEarlierInTheInvoice(TestPki pki) throws Exception {
        // a reader of the invoice sees seller 0312345678; the certificate is 3600123456's, and an NBan/MST
        // with that code sits first in document order, in TTChung/TTKhac
        SignatureReport r = signedByOrganization(pki, xml -> xml.replace("<DVTTe>VND</DVTTe></TTChung>",
                "<DVTTe>VND</DVTTe><TTKhac><NBan><MST>3600123456</MST></NBan></TTKhac></TTChung>"));
        assertTrue(r.has("TAX_CODE_MISMATCH"), r.findings().toString());
        assertFalse(r.has("TAX_CODE_MATCHES"));
        assertNotEquals(Indication.TOTAL_PASSED, r.indication());
    }

    @Test
    void twoTaxCodesInTheSellerAreAnError(TestPki pki) throws Exception {
        SignatureReport r = signedByOrganization(pki, xml -> xml.replace("<NBan><Ten>",
                "<NBan><MST>3600123456</MST><Ten>"));
        assertTrue(r.has("SELLER_TAX_CODE_AMBIGUOUS"), r.findings().toString());
        assertFalse(r.has("TAX_CODE_MATCHES"));
        assertEquals(Indication.TOTAL_FAILED, r.indication());
    }

    @Test
    void plainSantuarioSignatureWithDsPrefixVerifies(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = TestXml.parse(TestXml.invoice("0312345678"));
        TestXml.sign(TestXml.first(dom, "HDon/DSCKS/NBan"), pki.invoiceSeller().privateKey(), "s1", RSA_SHA256,
                TestXml.C14N, true, (sig, d) -> {
                    sig.addDocument("#_593651", TestXml.enveloped(d), SHA256);
                    sig.addKeyInfo(pki.invoiceSeller().certificate());
                });
        String xml = TestXml.serialize(dom);
        assertTrue(xml.contains("<ds:Signature"), xml);
        SignatureReport r = first(xml, offline(pki));
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.findings().toString());
        assertEquals(List.of("DLHDon#_593651 (HDon/DLHDon)"), r.covers());
        assertTrue(r.claimedSigningTime().isEmpty());
    }

    @Test
    void ecdsaSignaturesInXmlDsigFormVerify(TestPki pki) throws Exception {
        String xml = TestXml.seller(pki.ecPerson(), TestXml.Seller.common()
                .withAlgorithms("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", SHA256, SHA256));
        SignatureReport r = first(xml, offline(pki));
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.findings().toString());
        assertFalse(r.has("WEAK_ALGORITHM"));
        SignatureReport tampered = first(xml.replace("<ThTien>1000000<", "<ThTien>9000000<"), offline(pki));
        assertEquals(SubIndication.HASH_FAILURE, tampered.subIndication().orElseThrow());
    }

    @Test
    void withoutTrustAnchorsNothingIsTrusted(TestPki pki) throws Exception {
        SignatureReport r = first(seller(pki, TestXml.Seller.common()),
                ValidationPolicy.builder().revocation(ValidationPolicy.Revocation.NONE).build());
        assertEquals(Indication.INDETERMINATE, r.indication());
        assertEquals(ChainStatus.NO_TRUSTED_ANCHOR, r.chainStatus());
    }

    // ---- the real Vietnamese CA certificates (public data, no keys): trust is the caller's choice ----

    private static X509Certificate vietnamese(String name) throws Exception {
        try (var in = XmlVerifierTest.class.getResourceAsStream("/trust/vietnam/" + name)) {
            return Certificates.parse(in.readAllBytes()).get(0);
        }
    }

    /** A leaf naming {@code issuer} as its issuer but signed by a key of the test's own, as a forger or an unknown CA would. */
    private static TestIdentityLike leafNamedUnder(X500Name issuer, String subject) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(20250710L), Date.from(TestPki.ISSUED_AT), Date.from(TestPki.EXPIRES_AT),
                new X500Name(subject), keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        return new TestIdentityLike(keys, cert);
    }

    private record TestIdentityLike(KeyPair keys, X509Certificate certificate) {
    }

    private static String signedBy(TestIdentityLike who, List<X509Certificate> keyInfo) throws Exception {
        org.w3c.dom.Document dom = TestXml.parse(TestXml.invoice("0312345678"));
        TestXml.sign(TestXml.first(dom, "HDon/DSCKS/CQT"), who.keys().getPrivate(), "cqt", RSA_SHA256, TestXml.C14N, false,
                (sig, d) -> {
                    sig.addDocument("#_593651", null, SHA256);
                    TestXml.keyInfo(sig, d, keyInfo);
                });
        return TestXml.serialize(dom);
    }

    @Test
    void aForgedLeafNamingTheRealG2IntermediateIsNotTrustedUnderTheRealG2Root(TestPki pki) throws Exception {
        X509Certificate cpcag2 = vietnamese("cpcag2.pem");
        X509Certificate rootcag2 = vietnamese("rootcag2.pem");
        TestIdentityLike forged = leafNamedUnder(X500Name.getInstance(cpcag2.getSubjectX500Principal().getEncoded()),
                "C=VN,O=BỘ TÀI CHÍNH,CN=CỤC THUẾ (forged)");
        ValidationPolicy g2 = ValidationPolicy.builder().trustAnchors(List.of(rootcag2))
                .revocation(ValidationPolicy.Revocation.NONE).build();
        SignatureReport r = first(signedBy(forged, List.of(forged.certificate(), cpcag2)), g2);
        assertTrue(r.intact(), "the forger's own key verifies the XML");
        assertEquals(Indication.INDETERMINATE, r.indication(), r.findings().toString());
        assertNotEquals(ChainStatus.TRUSTED, r.chainStatus());
    }

    @Test
    void aLeafOfAPublicCaWhoseIntermediateIsNotGivenEndsAsIncompleteChain(TestPki pki) throws Exception {
        TestIdentityLike viettel = leafNamedUnder(new X500Name("C=VN,O=Viettel Group,CN=Viettel-CA (not included)"),
                "C=VN,CN=Công ty TNHH Thương mại (test),UID=MST:0109999999");
        ValidationPolicy roots = ValidationPolicy.builder()
                .trustAnchors(List.of(vietnamese("vnrca256.pem"), vietnamese("rootcag2.pem")))
                .revocation(ValidationPolicy.Revocation.EMBEDDED_ONLY).build();
        SignatureReport r = first(signedBy(viettel, List.of(viettel.certificate())), roots);
        assertEquals(Indication.INDETERMINATE, r.indication(), r.findings().toString());
        assertEquals(ChainStatus.INCOMPLETE, r.chainStatus());
        assertEquals(SubIndication.NO_CERTIFICATE_CHAIN_FOUND, r.subIndication().orElseThrow());
    }

    // ---- interoperability with libxmlsec1 ----

    @Test
    void whatXmlsec1SignsFromATemplateVerifiesTotalPassed(TestPki pki) throws Exception {
        Path dir = Files.createTempDirectory("kyso-xmlsec1");
        TestIdentity seller = pki.invoiceSeller();
        Path key = Files.writeString(dir.resolve("key.pem"), seller.privateKeyPem());
        Path cert = Files.writeString(dir.resolve("cert.pem"), seller.certificatePem());
        String template = TestXml.invoice("0312345678").replace("<DSCKS><NBan></NBan>", "<DSCKS><NBan>"
                + "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"seller\"><SignedInfo>"
                + "<CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>"
                + "<SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>"
                + "<Reference URI=\"#_593651\"><Transforms><Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
                + "</Transforms><DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><DigestValue/></Reference>"
                + "</SignedInfo><SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo></Signature></NBan>");
        Path in = Files.writeString(dir.resolve("template.xml"), template);
        Path out = dir.resolve("signed.xml");
        Process p = new ProcessBuilder("xmlsec1", "--sign", "--privkey-pem", key + "," + cert, "--id-attr:Id", "DLHDon",
                "--output", out.toString(), in.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        SignatureReport r = XmlVerifier.verify(Document.of(out), online(pki)).signatures().get(0);
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.findings().toString());
        assertEquals(seller.certificate(), r.signerCertificate().orElseThrow());
        assertTrue(r.has("TAX_CODE_MATCHES"));
    }

    /** A fixture for xmlsec1: the file, which signature to check (XPath) and the elements whose Id attribute is an ID. */
    private record Fixture(String xml, String signature, String... idElements) {
    }

    @Test
    void xmlsec1AgreesThatTheStandardFixturesAreValidSignatures(TestPki pki) throws Exception {
        Path dir = Files.createTempDirectory("kyso-xmlsec1-fixtures");
        List<String> trust = new ArrayList<>();
        for (TestIdentity ca : List.of(pki.cipherRoot(), pki.nationalRoot(), pki.cipherCa(), pki.vnptCa())) {
            Path pem = Files.writeString(dir.resolve(ca.alias() + ".pem"), ca.certificatePem());
            trust.add(ca.certificate().equals(ca.root()) ? "--trusted-pem" : "--untrusted-pem");
            trust.add(pem.toString());
        }
        String second = "(//*[local-name()='Signature'])[2]";
        String firstSig = "(//*[local-name()='Signature'])[1]";
        String cqt = TestXml.taxAuthorityInvoice(pki.invoiceSeller(), pki.taxAuthority());
        String envelope = TestXml.envelopeSigned(pki.invoiceSeller(), pki.organization());
        List<Fixture> fixtures = List.of(
                new Fixture(seller(pki, TestXml.Seller.nacencomm()), firstSig, "DLHDon", "SignatureProperties"),
                new Fixture(seller(pki, TestXml.Seller.common()), firstSig, "DLHDon"),
                new Fixture(cqt, firstSig, "DLHDon"),
                new Fixture(cqt, second, "DLHDon", "MCCQT"),
                new Fixture(envelope, firstSig, "DLHDon"),
                new Fixture(envelope, second, "DLHDon"),
                new Fixture(TestXml.taxDeclaration(pki.organization(), RSA_SHA256, SHA256), firstSig,
                        "http://kekhaithue.gdt.gov.vn/TKhaiThue:HSoKhaiThue"));
        int n = 0;
        for (Fixture f : fixtures) {
            Path file = Files.writeString(dir.resolve("f" + n + ".xml"), f.xml());
            List<String> command = new ArrayList<>(List.of("xmlsec1", "--verify"));
            command.addAll(trust);
            command.addAll(List.of("--enabled-reference-uris", "same-doc,empty", "--node-xpath", f.signature()));
            for (String e : f.idElements()) {
                command.add(e.startsWith("http") ? "--id-attr:id" : "--id-attr:Id");
                command.add(e);
            }
            command.add(file.toString());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "xmlsec1 on fixture " + n + ": " + log);
            n++;
        }
    }
}
