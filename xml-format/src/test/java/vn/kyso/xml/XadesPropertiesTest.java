package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Element;
import vn.kyso.Indication;
import vn.kyso.SignatureReport;
import vn.kyso.SignatureReport.ChainStatus;
import vn.kyso.SignatureReport.RevocationSource;
import vn.kyso.SignatureReport.RevocationStatus;
import vn.kyso.SubIndication;
import vn.kyso.ValidationPolicy;
import vn.kyso.internal.validation.Net;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

@ExtendWith(TestPkiExtension.class)
class XadesPropertiesTest {

    private static SignatureReport verify(org.w3c.dom.Document dom, ValidationPolicy policy) throws Exception {
        return XmlVerifierTest.first(TestXml.serialize(dom), policy);
    }

    private static org.w3c.dom.Document xades(TestIdentity who, TestXml.Xades x) throws Exception {
        return TestXml.xades(who, List.of(who.certificate()), x);
    }

    @Test
    void baselineBWithMatchingSigningCertificateV2PassesWithItsSigningTime(TestPki pki) throws Exception {
        SignatureReport r = verify(xades(pki.invoiceSeller(), TestXml.Xades.of(pki.invoiceSeller())),
                XmlVerifierTest.offline(pki));
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.findings().toString());
        assertEquals(List.of("DLHDon#_593651 (HDon/DLHDon)",
                "SignedProperties#xades-sig-sp (HDon/DSCKS/NBan/Signature/Object/QualifyingProperties/SignedProperties)"), r.covers());
        assertEquals(OffsetDateTime.parse("2025-07-10T17:54:31+07:00"), r.claimedSigningTime().orElseThrow());
        assertTrue(r.timestampTime().isEmpty());
    }

    @Test
    void signingCertificateV2NamingAnotherCertificateIsAMismatch(TestPki pki) throws Exception {
        TestXml.Xades other = TestXml.Xades.of(pki.invoiceSeller())
                .naming(pki.person().certificate(), pki.person().certificate().getSerialNumber(), false);
        SignatureReport r = verify(xades(pki.invoiceSeller(), other), XmlVerifierTest.offline(pki));
        assertTrue(r.intact(), "the signature itself is good; the property binds another certificate");
        assertTrue(r.has("SIGNING_CERTIFICATE_MISMATCH"), r.findings().toString());
        assertEquals(Indication.TOTAL_FAILED, r.indication());
        assertEquals(SubIndication.SIG_CONSTRAINTS_FAILURE, r.subIndication().orElseThrow());
    }

    @Test
    void signingCertificateVersion1IsCheckedByDigestAndIssuerSerial(TestPki pki) throws Exception {
        TestIdentity seller = pki.invoiceSeller();
        TestXml.Xades v1 = TestXml.Xades.of(seller).naming(seller.certificate(), seller.certificate().getSerialNumber(), true);
        SignatureReport good = verify(xades(seller, v1), XmlVerifierTest.offline(pki));
        assertEquals(Indication.TOTAL_PASSED, good.indication(), good.findings().toString());
        TestXml.Xades wrongSerial = v1.naming(seller.certificate(), BigInteger.valueOf(42), true);
        SignatureReport bad = verify(xades(seller, wrongSerial), XmlVerifierTest.offline(pki));
        assertTrue(bad.has("SIGNING_CERTIFICATE_MISMATCH"), bad.findings().toString());
        assertEquals(Indication.TOTAL_FAILED, bad.indication());
    }

    @Test
    void signedPropertiesThatNoReferenceCoversAreRefusedAndTheirTimeIsNotUsed(TestPki pki) throws Exception {
        SignatureReport r = verify(xades(pki.invoiceSeller(), TestXml.Xades.of(pki.invoiceSeller()).uncovered()),
                XmlVerifierTest.offline(pki));
        assertTrue(r.has("XADES_MALFORMED"), r.findings().toString());
        assertTrue(r.has("SIGNING_TIME_NOT_SIGNED"));
        assertTrue(r.claimedSigningTime().isEmpty());
        assertEquals(Indication.TOTAL_FAILED, r.indication());
    }

    @Test
    void qualifyingPropertiesTargetingAnotherSignatureAreRefused(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = xades(pki.invoiceSeller(), TestXml.Xades.of(pki.invoiceSeller()));
        ((Element) dom.getElementsByTagNameNS(TestXml.XADES, "QualifyingProperties").item(0))
                .setAttributeNS(null, "Target", "#other");
        SignatureReport r = verify(dom, XmlVerifierTest.offline(pki));
        assertTrue(r.intact(), "Target is not under the signature");
        assertTrue(r.has("XADES_MALFORMED"), r.findings().toString());
        assertEquals(Indication.TOTAL_FAILED, r.indication());
    }

    @Test
    void signatureTimestampOverTheSignatureValueGivesTheTimestampTime(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = xades(pki.invoiceSeller(), TestXml.Xades.of(pki.invoiceSeller()));
        Instant before = Instant.now().minusSeconds(5);
        TestXml.addTimestamp(dom, pki.services().tsaUri(), TestXml.signatureValueC14n(dom));
        SignatureReport r = verify(dom, XmlVerifierTest.offline(pki));
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.findings().toString());
        Instant stamped = r.timestampTime().orElseThrow();
        assertTrue(!stamped.isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)), stamped + " vs " + before);
        assertEquals(OffsetDateTime.parse("2025-07-10T17:54:31+07:00"), r.claimedSigningTime().orElseThrow());
    }

    @Test
    void aTimestampThatDoesNotCoverTheSignatureValueIsInvalid(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = xades(pki.invoiceSeller(), TestXml.Xades.of(pki.invoiceSeller()));
        TestXml.addTimestamp(dom, pki.services().tsaUri(), TestXml.utf8("something else"));
        SignatureReport r = verify(dom, XmlVerifierTest.offline(pki));
        assertTrue(r.has("TIMESTAMP_INVALID"), r.findings().toString());
        assertTrue(r.timestampTime().isEmpty());
        assertEquals(Indication.TOTAL_FAILED, r.indication());
    }

    @Test
    void anUnreadableTimestampTokenIsInvalid(TestPki pki) throws Exception {
        org.w3c.dom.Document dom = xades(pki.invoiceSeller(), TestXml.Xades.of(pki.invoiceSeller()));
        TestXml.addTimestamp(dom, pki.services().tsaUri(), TestXml.signatureValueC14n(dom));
        dom.getElementsByTagNameNS(TestXml.XADES, "EncapsulatedTimeStamp").item(0).setTextContent("MIIBAAAA");
        SignatureReport r = verify(dom, XmlVerifierTest.offline(pki));
        assertTrue(r.has("TIMESTAMP_INVALID"), r.findings().toString());
        assertEquals(Indication.TOTAL_FAILED, r.indication());
    }

    @Test
    void theTimestampTimeIsTheSigningTimeCheckedAgainstTheCertificatesValidity(TestPki pki) throws Exception {
        TestIdentity expired = pki.expired();
        TestXml.Xades inValidity = TestXml.Xades.of(expired).at("2022-06-01T10:00:00+07:00");
        SignatureReport claimedOnly = verify(xades(expired, inValidity), XmlVerifierTest.offline(pki));
        // a claimed SigningTime inside the validity is the signer's word: it does not rescue an expired certificate
        assertEquals(Indication.INDETERMINATE, claimedOnly.indication(), claimedOnly.findings().toString());
        assertEquals(SubIndication.OUT_OF_BOUNDS_NO_POE, claimedOnly.subIndication().orElseThrow());
        assertTrue(claimedOnly.has("CERT_EXPIRED_NO_POE"), claimedOnly.findings().toString());
        org.w3c.dom.Document stamped = xades(expired, inValidity);
        TestXml.addTimestamp(stamped, pki.services().tsaUri(), TestXml.signatureValueC14n(stamped));
        SignatureReport proof = verify(stamped, XmlVerifierTest.offline(pki));
        assertTrue(proof.timestampTime().isPresent());
        assertEquals(Indication.TOTAL_FAILED, proof.indication(), proof.findings().toString());
        assertEquals(SubIndication.EXPIRED, proof.subIndication().orElseThrow());
    }

    @Test
    void aTimestampFromAnUntrustedAuthorityIsNoProof(TestPki pki) throws Exception {
        TestIdentity person = pki.person();
        org.w3c.dom.Document dom = xades(person, TestXml.Xades.of(person));
        TestXml.addTimestamp(dom, pki.services().tsaUri(), TestXml.signatureValueC14n(dom));
        ValidationPolicy cipherOnly = ValidationPolicy.builder()
                .trustAnchors(List.of(pki.cipherRoot().certificate(), pki.cipherCa().certificate()))
                .revocation(ValidationPolicy.Revocation.NONE).build();
        SignatureReport r = verify(dom, cipherOnly);
        assertTrue(r.has("TIMESTAMP_UNTRUSTED"), r.findings().toString());
        assertTrue(r.timestampTime().isEmpty());
        assertEquals(Indication.TOTAL_PASSED, r.indication(), "the claimed time stands, without proof");
    }

    @Test
    void embeddedCertificateAndOcspValuesValidateOfflineWithEmbeddedOnlyRevocation(TestPki pki) throws Exception {
        TestIdentity seller = pki.invoiceSeller();
        org.w3c.dom.Document dom = xades(seller, TestXml.Xades.of(seller));
        TestXml.addCertificateValues(dom, List.of(pki.vnptCa().certificate()));
        TestXml.addOcspValue(dom, Net.ocsp(seller.certificate(), pki.vnptCa().certificate(), Duration.ofSeconds(5)).orElseThrow());
        // the intermediate's status too: every certificate of the path below the anchor is checked
        TestXml.addOcspValue(dom, Net.ocsp(pki.vnptCa().certificate(), pki.nationalRoot().certificate(),
                Duration.ofSeconds(5)).orElseThrow());
        pki.services().resetCounters();
        ValidationPolicy embedded = ValidationPolicy.builder().trustAnchors(pki.roots())
                .revocation(ValidationPolicy.Revocation.EMBEDDED_ONLY).build();
        SignatureReport r = verify(dom, embedded);
        assertEquals(Indication.TOTAL_PASSED, r.indication(), r.findings().toString());
        assertEquals(ChainStatus.TRUSTED, r.chainStatus());
        assertEquals(List.of(seller.certificate(), pki.vnptCa().certificate()), r.chain());
        assertEquals(RevocationStatus.GOOD, r.revocationStatus());
        assertEquals(RevocationSource.EMBEDDED_OCSP, r.revocationSource());
        assertEquals(0, pki.services().ocspRequests() + pki.services().caIssuersRequests());
        assertFalse(r.has("REVOCATION_UNKNOWN"));
        assertFalse(r.has("CA_REVOCATION_UNKNOWN"));
    }

    @Test
    void aTimestampFromAnUntrustedAuthorityDoesNotKeepTheSignatureValidAfterTheCertificateExpires(TestPki pki)
            throws Exception {
        // judged in 2045, after person()'s certificate ended (2044): only a trusted timestamp proves it signed in time
        TestIdentity person = pki.person();
        org.w3c.dom.Document dom = xades(person, TestXml.Xades.of(person));
        TestXml.addTimestamp(dom, pki.services().tsaUri(), TestXml.signatureValueC14n(dom));
        Instant later = TestPki.EXPIRES_AT.plus(Duration.ofDays(365));
        List<java.security.cert.X509Certificate> cas = List.of(pki.cipherCa().certificate());
        ValidationPolicy cipherOnly = ValidationPolicy.builder().trustAnchors(List.of(pki.cipherRoot().certificate()))
                .intermediates(cas).revocation(ValidationPolicy.Revocation.NONE).validationTime(later).build();
        SignatureReport untrusted = verify(dom, cipherOnly);
        assertTrue(untrusted.has("TIMESTAMP_UNTRUSTED"), untrusted.findings().toString());
        assertEquals(Indication.INDETERMINATE, untrusted.indication(), untrusted.findings().toString());
        assertEquals(SubIndication.OUT_OF_BOUNDS_NO_POE, untrusted.subIndication().orElseThrow());
        SignatureReport trusted = verify(dom, ValidationPolicy.builder().trustAnchors(pki.roots()).intermediates(cas)
                .revocation(ValidationPolicy.Revocation.NONE).validationTime(later).build());
        assertEquals(Indication.TOTAL_PASSED, trusted.indication(), trusted.findings().toString());
        assertTrue(trusted.timestampTime().isPresent());
    }

    @Test
    void aTimestampLaterThanTheValidationTimeIsNoProofAsOfThatTime(TestPki pki) throws Exception {
        // timestamped today, judged as of 2023-06-01 (before the certificate was issued): the token did not exist then
        TestIdentity person = pki.person();
        org.w3c.dom.Document dom = xades(person, TestXml.Xades.of(person));
        TestXml.addTimestamp(dom, pki.services().tsaUri(), TestXml.signatureValueC14n(dom));
        List<java.security.cert.X509Certificate> cas = List.of(pki.cipherCa().certificate());
        SignatureReport r = verify(dom, ValidationPolicy.builder().trustAnchors(pki.roots()).intermediates(cas)
                .revocation(ValidationPolicy.Revocation.NONE)
                .validationTime(TestPki.ISSUED_AT.minus(Duration.ofDays(214))).build());
        assertTrue(r.has("TIMESTAMP_AFTER_VALIDATION_TIME"), r.findings().toString());
        assertTrue(r.timestampTime().isEmpty(), "a token that did not exist yet is not reported as proof");
        assertEquals(SubIndication.NOT_YET_VALID, r.subIndication().orElseThrow(), r.findings().toString());
        SignatureReport now = verify(dom, ValidationPolicy.builder().trustAnchors(pki.roots()).intermediates(cas)
                .revocation(ValidationPolicy.Revocation.NONE).build());
        assertFalse(now.has("TIMESTAMP_AFTER_VALIDATION_TIME"), now.findings().toString());
        assertTrue(now.timestampTime().isPresent());
        assertEquals(Indication.TOTAL_PASSED, now.indication(), now.findings().toString());
    }

    @Test
    void anOcspValueOlderThanTheTimestampDoesNotHideARevocation(TestPki pki) throws Exception {
        // revoked() signs with a trusted timestamp (today, after its revocation in 2024), and the OCSPValues hold a
        // genuine "good" answer from before the revocation: it says nothing about the time the timestamp proves
        TestIdentity revoked = pki.revoked();
        org.w3c.dom.Document dom = xades(revoked, TestXml.Xades.of(revoked));
        TestXml.addTimestamp(dom, pki.services().tsaUri(), TestXml.signatureValueC14n(dom));
        Instant before = TestPki.REVOKED_AT.minus(Duration.ofDays(1));
        TestXml.addOcspValue(dom, vn.kyso.testkit.TestEvidence.ocsp(pki.ocspResponder(pki.cipherCa()),
                pki.cipherCa().certificate(), revoked.certificate(), null, null, before, before.plusSeconds(3600)));
        SignatureReport r = verify(dom, ValidationPolicy.builder().trustAnchors(pki.roots())
                .intermediates(List.of(pki.cipherCa().certificate()))
                .revocation(ValidationPolicy.Revocation.EMBEDDED_ONLY).build());
        assertTrue(r.timestampTime().isPresent(), r.findings().toString());
        assertEquals(Indication.INDETERMINATE, r.indication(), r.findings().toString());
        assertEquals(SubIndication.TRY_LATER, r.subIndication().orElseThrow());
        assertEquals(RevocationStatus.UNKNOWN, r.revocationStatus());
    }
}
