package vn.kyso.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TsaHandlerTest {

    private static final Instant NOW = Instant.parse("2025-03-14T02:30:00Z");
    private static TestPki pki;

    @BeforeAll
    static void startPki() {
        pki = TestPki.start(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stopPki() {
        pki.close();
    }

    @AfterEach
    void restoreService() {
        pki.services().setTsaMode(TestServices.Mode.AVAILABLE);
    }

    private static TimeStampResponse stamp(TimeStampRequest request) throws Exception {
        HttpResponse<byte[]> http = Loopback.post(pki.services().tsaUri(), TsaHandler.QUERY_TYPE, request.getEncoded());
        assertEquals(200, http.statusCode());
        assertEquals(TsaHandler.REPLY_TYPE, http.headers().firstValue("Content-Type").orElse(""));
        return new TimeStampResponse(http.body());
    }

    @Test
    void tokenValidatesAgainstTheTsaCertificateForSha256Sha384AndSha512Imprints() throws Exception {
        Map<ASN1ObjectIdentifier, String> digests = Map.of(TSPAlgorithms.SHA256, "SHA-256",
                TSPAlgorithms.SHA384, "SHA-384", TSPAlgorithms.SHA512, "SHA-512");
        for (Map.Entry<ASN1ObjectIdentifier, String> digest : digests.entrySet()) {
            byte[] imprint = MessageDigest.getInstance(digest.getValue()).digest("công văn".getBytes("UTF-8"));
            TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
            generator.setCertReq(true);
            TimeStampRequest request = generator.generate(digest.getKey(), imprint, BigInteger.valueOf(42));
            TimeStampResponse response = stamp(request);
            response.validate(request);
            assertEquals(PKIStatus.GRANTED, response.getStatus());
            TimeStampToken token = response.getTimeStampToken();
            token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(pki.tsa().certificate()));
            assertArrayEquals(imprint, token.getTimeStampInfo().getMessageImprintDigest());
            assertEquals(digest.getKey(), token.getTimeStampInfo().getMessageImprintAlgOID());
            assertEquals(BigInteger.valueOf(42), token.getTimeStampInfo().getNonce());
            assertEquals(TestPki.TSA_POLICY, token.getTimeStampInfo().getPolicy().getId());
            assertEquals(NOW, token.getTimeStampInfo().getGenTime().toInstant());
        }
    }

    @Test
    void certificatesAreIncludedOnlyWhenRequested() throws Exception {
        byte[] imprint = MessageDigest.getInstance("SHA-256").digest(new byte[] {1});
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        TimeStampToken with = stamp(generator.generate(TSPAlgorithms.SHA256, imprint)).getTimeStampToken();
        assertEquals(2, with.getCertificates().getMatches(null).size());
        generator.setCertReq(false);
        TimeStampToken without = stamp(generator.generate(TSPAlgorithms.SHA256, imprint)).getTimeStampToken();
        assertTrue(without.getCertificates().getMatches(null).isEmpty());
        assertNull(without.getTimeStampInfo().getNonce());
        assertNotNull(without.getTimeStampInfo().getSerialNumber());
    }

    @Test
    void sha1ImprintIsRejectedAsBadAlgorithm() throws Exception {
        byte[] imprint = MessageDigest.getInstance("SHA-1").digest(new byte[] {1});
        TimeStampResponse response = stamp(new TimeStampRequestGenerator().generate(TSPAlgorithms.SHA1, imprint));
        assertEquals(PKIStatus.REJECTION, response.getStatus());
        assertEquals(PKIFailureInfo.badAlg, response.getFailInfo().intValue());
    }

    @Test
    void unknownPolicyIsRejected() throws Exception {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setReqPolicy(new ASN1ObjectIdentifier("2.999.1"));
        TimeStampResponse response = stamp(generator.generate(TSPAlgorithms.SHA256, new byte[32]));
        assertEquals(PKIStatus.REJECTION, response.getStatus());
        assertEquals(PKIFailureInfo.unacceptedPolicy, response.getFailInfo().intValue());
    }

    @Test
    void garbageRequestGetsBadDataFormat() throws Exception {
        HttpResponse<byte[]> http = Loopback.post(pki.services().tsaUri(), TsaHandler.QUERY_TYPE, new byte[] {1, 2, 3});
        TimeStampResponse response = new TimeStampResponse(http.body());
        assertEquals(PKIStatus.REJECTION, response.getStatus());
        assertEquals(PKIFailureInfo.badDataFormat, response.getFailInfo().intValue());
    }

    @Test
    void switchedOffTsaAnswersHttp503AndStillCounts() throws Exception {
        pki.services().setTsaMode(TestServices.Mode.HTTP_ERROR);
        int before = pki.services().tsaRequests();
        byte[] request = new TimeStampRequestGenerator().generate(TSPAlgorithms.SHA256, new byte[32]).getEncoded();
        assertEquals(503, Loopback.post(pki.services().tsaUri(), TsaHandler.QUERY_TYPE, request).statusCode());
        assertEquals(before + 1, pki.services().tsaRequests());
    }

    @Test
    void failingTsaAnswersAWellFormedRejection() throws Exception {
        pki.services().setTsaMode(TestServices.Mode.PROTOCOL_ERROR);
        TimeStampResponse response = stamp(new TimeStampRequestGenerator().generate(TSPAlgorithms.SHA256, new byte[32]));
        assertEquals(PKIStatus.REJECTION, response.getStatus());
        assertEquals(PKIFailureInfo.systemFailure, response.getFailInfo().intValue());
        assertNull(response.getTimeStampToken());
    }

    @Test
    void wrongMethodAndContentTypeAreRefusedOverHttp() throws Exception {
        byte[] request = new TimeStampRequestGenerator().generate(TSPAlgorithms.SHA256, new byte[32]).getEncoded();
        assertEquals(415, Loopback.post(pki.services().tsaUri(), "application/octet-stream", request).statusCode());
        assertEquals(405, Loopback.get(pki.services().tsaUri()).statusCode());
        assertEquals(404, Loopback.post(pki.services().baseUri().resolve("tsa/x"), TsaHandler.QUERY_TYPE, request)
                .statusCode());
    }
}
