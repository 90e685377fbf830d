package vn.kyso.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OcspHandlerTest {

    private static TestPki pki;

    @BeforeAll
    static void startPki() {
        pki = TestPki.start();
    }

    @AfterAll
    static void stopPki() {
        pki.close();
    }

    @AfterEach
    void restoreService() {
        pki.services().setOcspMode(TestServices.Mode.AVAILABLE);
    }

    private static OCSPResp post(TestPki on, OCSPReq request) throws Exception {
        HttpResponse<byte[]> http = Loopback.post(on.services().ocspUri(), OcspHandler.REQUEST_TYPE,
                request.getEncoded());
        assertEquals(200, http.statusCode());
        assertEquals(OcspHandler.RESPONSE_TYPE, http.headers().firstValue("Content-Type").orElse(""));
        return new OCSPResp(http.body());
    }

    /** Checks the response is successful and signed by {@code signer}, and returns its single answer. */
    private static SingleResp single(OCSPResp response, X509Certificate signer) throws Exception {
        assertEquals(OCSPResp.SUCCESSFUL, response.getStatus());
        BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
        assertTrue(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer)));
        assertEquals(1, basic.getResponses().length);
        return basic.getResponses()[0];
    }

    @Test
    void revokedCertificateIsReportedRevokedWithTimeAndReason() throws Exception {
        TestIdentity revoked = pki.revoked();
        OCSPResp response = post(pki, Loopback.ocspRequest(revoked.issuer(),
                revoked.certificate().getSerialNumber(), null));
        SingleResp answer = single(response, pki.ocspResponder(pki.cipherCa()).certificate());
        RevokedStatus status = assertInstanceOf(RevokedStatus.class, answer.getCertStatus());
        assertEquals(TestPki.REVOKED_AT, status.getRevocationTime().toInstant());
        assertEquals(CRLReason.keyCompromise, status.getRevocationReason());
        assertEquals(revoked.certificate().getSerialNumber(), answer.getCertID().getSerialNumber());
    }

    @Test
    void responseCarriesTheDelegatedResponderCertificateIssuedByTheCa() throws Exception {
        OCSPResp response = post(pki, Loopback.ocspRequest(pki.vnptCa().certificate(),
                pki.ecPerson().certificate().getSerialNumber(), null));
        BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
        X509CertificateHolder[] certs = basic.getCerts();
        assertEquals(1, certs.length);
        assertEquals(new JcaX509CertificateHolder(pki.ocspResponder(pki.vnptCa()).certificate()), certs[0]);
        assertTrue(certs[0].isSignatureValid(new org.bouncycastle.operator.jcajce
                .JcaContentVerifierProviderBuilder().build(pki.vnptCa().certificate())));
        assertEquals(CertificateStatus.GOOD, single(response, pki.ocspResponder(pki.vnptCa()).certificate())
                .getCertStatus());
        assertTrue(single(response, pki.ocspResponder(pki.vnptCa()).certificate()).getNextUpdate()
                .after(new java.util.Date()));
    }

    @Test
    void intermediatesAreAnsweredByTheirRootDirectly() throws Exception {
        OCSPResp response = post(pki, Loopback.ocspRequest(pki.nationalRoot().certificate(),
                pki.vnptCa().certificate().getSerialNumber(), null));
        assertEquals(CertificateStatus.GOOD, single(response, pki.nationalRoot().certificate()).getCertStatus());
    }

    @Test
    void serialTheCaNeverIssuedIsUnknown() throws Exception {
        OCSPResp response = post(pki, Loopback.ocspRequest(pki.cipherCa().certificate(), BigInteger.valueOf(7), null));
        assertInstanceOf(UnknownStatus.class,
                single(response, pki.ocspResponder(pki.cipherCa()).certificate()).getCertStatus());
    }

    @Test
    void issuerOutsideThePkiIsUnauthorized() throws Exception {
        X509Certificate stranger = pki.person().certificate(); // not a CA: no CertID names it as issuer
        OCSPResp response = post(pki, Loopback.ocspRequest(stranger, BigInteger.ONE, null));
        assertEquals(OCSPResp.UNAUTHORIZED, response.getStatus());
    }

    @Test
    void nonceIsEchoed() throws Exception {
        byte[] nonce = "nonce-0123456789".getBytes(StandardCharsets.US_ASCII);
        OCSPResp response = post(pki, Loopback.ocspRequest(pki.person().issuer(),
                pki.person().certificate().getSerialNumber(), nonce));
        BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
        byte[] echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue().getOctets();
        assertArrayEquals(nonce, ASN1OctetString.getInstance(echoed).getOctets());

        OCSPResp plain = post(pki, Loopback.ocspRequest(pki.person().issuer(),
                pki.person().certificate().getSerialNumber(), null));
        assertNull(((BasicOCSPResp) plain.getResponseObject()).getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce));
    }

    @Test
    void getRequestWithUrlEncodedBase64IsAnswered() throws Exception {
        OCSPReq request = Loopback.ocspRequest(pki.revoked().issuer(),
                pki.revoked().certificate().getSerialNumber(), null);
        String encoded = URLEncoder.encode(Base64.getEncoder().encodeToString(request.getEncoded()),
                StandardCharsets.US_ASCII);
        int before = pki.services().ocspRequests();
        HttpResponse<byte[]> http = Loopback.get(URI.create(pki.services().ocspUri() + "/" + encoded));
        assertEquals(200, http.statusCode());
        assertInstanceOf(RevokedStatus.class, single(new OCSPResp(http.body()),
                pki.ocspResponder(pki.cipherCa()).certificate()).getCertStatus());
        assertEquals(before + 1, pki.services().ocspRequests());
    }

    @Test
    void revocationIsNotReportedBeforeItHappened() throws Exception {
        Instant before = TestPki.REVOKED_AT.minusSeconds(3600);
        try (TestPki past = TestPki.start(Clock.fixed(before, ZoneOffset.UTC))) {
            OCSPResp response = post(past, Loopback.ocspRequest(past.revoked().issuer(),
                    past.revoked().certificate().getSerialNumber(), null));
            SingleResp answer = single(response, past.ocspResponder(past.cipherCa()).certificate());
            assertEquals(CertificateStatus.GOOD, answer.getCertStatus());
            assertEquals(before, answer.getThisUpdate().toInstant());
        }
    }

    @Test
    void switchedOffResponderAnswersHttp503() throws Exception {
        pki.services().setOcspMode(TestServices.Mode.HTTP_ERROR);
        OCSPReq request = Loopback.ocspRequest(pki.person().issuer(), pki.person().certificate().getSerialNumber(), null);
        assertEquals(503, Loopback.post(pki.services().ocspUri(), OcspHandler.REQUEST_TYPE, request.getEncoded())
                .statusCode());
    }

    @Test
    void failingResponderAnswersTryLater() throws Exception {
        pki.services().setOcspMode(TestServices.Mode.PROTOCOL_ERROR);
        OCSPResp response = post(pki, Loopback.ocspRequest(pki.person().issuer(),
                pki.person().certificate().getSerialNumber(), null));
        assertEquals(OCSPResp.TRY_LATER, response.getStatus());
    }

    @Test
    void malformedRequestsGetMalformedRequestStatus() throws Exception {
        HttpResponse<byte[]> http = Loopback.post(pki.services().ocspUri(), OcspHandler.REQUEST_TYPE, new byte[] {0x30, 0});
        assertEquals(OCSPResp.MALFORMED_REQUEST, new OCSPResp(http.body()).getStatus());
        HttpResponse<byte[]> get = Loopback.get(URI.create(pki.services().ocspUri() + "/not%20base64!"));
        assertEquals(OCSPResp.MALFORMED_REQUEST, new OCSPResp(get.body()).getStatus());
        assertEquals(415, Loopback.post(pki.services().ocspUri(), "text/plain", new byte[] {1}).statusCode());
        assertEquals(405, Loopback.get(pki.services().ocspUri()).statusCode());
    }
}
