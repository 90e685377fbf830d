package vn.kyso.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * RFC 3161 timestamp authority over HTTP (RFC 3161 section 3.4), signing with the PKI's TSA
 * key (SHA256withRSA, ESS signing-certificate-v2). Accepts SHA-256, SHA-384 and SHA-512
 * imprints and only the policy {@link TestPki#TSA_POLICY}; anything else gets a rejection.
 */
final class TsaHandler implements HttpHandler {

    static final String QUERY_TYPE = "application/timestamp-query";
    static final String REPLY_TYPE = "application/timestamp-reply";

    private static final Set<ASN1ObjectIdentifier> ACCEPTED_DIGESTS =
            Set.of(NISTObjectIdentifiers.id_sha256, NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);
    private static final Set<ASN1ObjectIdentifier> ACCEPTED_POLICIES =
            Set.of(new ASN1ObjectIdentifier(TestPki.TSA_POLICY));

    private final TestServices services;
    private final TestIdentity tsa;
    private final Clock clock;
    private final AtomicLong serial = new AtomicLong();

    TsaHandler(TestServices services, TestIdentity tsa, Clock clock) {
        this.services = services;
        this.tsa = tsa;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/tsa")) {
            Http.sendError(exchange, 404, "no such path; the TSA is at /tsa");
            return;
        }
        services.tsaCount.incrementAndGet();
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            Http.sendError(exchange, 405, "POST an " + QUERY_TYPE);
            return;
        }
        if (!Http.hasContentType(exchange, QUERY_TYPE)) {
            Http.sendError(exchange, 415, "Content-Type must be " + QUERY_TYPE);
            return;
        }
        byte[] body = Http.readBody(exchange);
        if (body == null) {
            Http.sendError(exchange, 413, "request larger than " + Http.MAX_BODY + " bytes");
            return;
        }
        if (!services.pause()) {
            return;
        }
        switch (services.tsaMode()) {
            case HTTP_ERROR -> Http.sendError(exchange, 503, "TSA switched off by the test");
            case PROTOCOL_ERROR -> Http.send(exchange, 200, REPLY_TYPE,
                    fail(PKIFailureInfo.systemFailure, "TSA switched to failure by the test"));
            default -> Http.send(exchange, 200, REPLY_TYPE, respond(body));
        }
    }

    private byte[] respond(byte[] body) throws IOException {
        TimeStampRequest request;
        try {
            request = new TimeStampRequest(body);
        } catch (IOException | RuntimeException e) {
            return fail(PKIFailureInfo.badDataFormat, "request is not a DER TimeStampReq");
        }
        try {
            TimeStampResponseGenerator generator = new TimeStampResponseGenerator(tokenGenerator(),
                    ACCEPTED_DIGESTS, ACCEPTED_POLICIES);
            Date genTime = Date.from(clock.instant().truncatedTo(ChronoUnit.MILLIS));
            // generate() turns an unacceptable request (algorithm, policy, imprint length) into a rejection.
            TimeStampResponse response = generator.generate(request,
                    BigInteger.valueOf(serial.incrementAndGet()), genTime);
            return response.getEncoded();
        } catch (TSPException | GeneralSecurityException | OperatorCreationException e) {
            return fail(PKIFailureInfo.systemFailure, "TSA failed: " + e.getMessage());
        }
    }

    private TimeStampTokenGenerator tokenGenerator()
            throws OperatorCreationException, GeneralSecurityException, TSPException {
        SignerInfoGenerator signer = new JcaSimpleSignerInfoGeneratorBuilder()
                .build("SHA256withRSA", tsa.privateKey(), tsa.certificate());
        DigestCalculator sha256 = new JcaDigestCalculatorProviderBuilder().build()
                .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256));
        TimeStampTokenGenerator generator = new TimeStampTokenGenerator(signer, sha256,
                new ASN1ObjectIdentifier(TestPki.TSA_POLICY));
        generator.setAccuracySeconds(1);
        // Sent only when the request has certReq = true; BC leaves them out otherwise.
        generator.addCertificates(new JcaCertStore(List.of(tsa.certificate(), tsa.issuer())));
        return generator;
    }

    private static byte[] fail(int failInfo, String text) throws IOException {
        try {
            return new TimeStampResponseGenerator(null, ACCEPTED_DIGESTS)
                    .generateFailResponse(PKIStatus.REJECTION, failInfo, text).getEncoded();
        } catch (TSPException e) {
            throw new IOException("cannot encode a TSA failure response", e);
        }
    }
}
