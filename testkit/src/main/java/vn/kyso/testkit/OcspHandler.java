package vn.kyso.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * RFC 6960 OCSP responder over HTTP (appendix A: POST, and GET with the URL-encoded Base64
 * request in the path). Knows every certificate of the PKI: good, revoked once the clock has
 * reached the revocation time, unknown for serials its CA never issued; answers
 * "unauthorized" when no CertID names a CA of the PKI. The nonce extension is echoed.
 */
final class OcspHandler implements HttpHandler {

    static final String REQUEST_TYPE = "application/ocsp-request";
    static final String RESPONSE_TYPE = "application/ocsp-response";

    /** How long a response may be cached (nextUpdate - thisUpdate). */
    static final Duration VALIDITY = Duration.ofHours(1);

    private final TestServices services;
    private final Directory directory;
    private final Clock clock;

    OcspHandler(TestServices services, Directory directory, Clock clock) {
        this.services = services;
        this.directory = directory;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        byte[] request;
        if (method.equals("POST") && path.equals("/ocsp")) {
            services.ocspCount.incrementAndGet();
            if (!Http.hasContentType(exchange, REQUEST_TYPE)) {
                Http.sendError(exchange, 415, "Content-Type must be " + REQUEST_TYPE);
                return;
            }
            request = Http.readBody(exchange);
            if (request == null) {
                Http.sendError(exchange, 413, "request larger than " + Http.MAX_BODY + " bytes");
                return;
            }
        } else if (method.equals("GET") && path.startsWith("/ocsp/")) {
            services.ocspCount.incrementAndGet();
            request = decodeGet(path.substring("/ocsp/".length()));
        } else if (path.equals("/ocsp") || path.startsWith("/ocsp/")) {
            exchange.getResponseHeaders().set("Allow", "GET, POST");
            Http.sendError(exchange, 405, "POST to /ocsp or GET /ocsp/<base64 request>");
            return;
        } else {
            Http.sendError(exchange, 404, "no such path; the OCSP responder is at /ocsp");
            return;
        }
        if (!services.pause()) {
            return;
        }
        switch (services.ocspMode()) {
            case HTTP_ERROR -> Http.sendError(exchange, 503, "OCSP responder switched off by the test");
            case PROTOCOL_ERROR -> Http.send(exchange, 200, RESPONSE_TYPE, status(OCSPRespBuilder.TRY_LATER));
            default -> Http.send(exchange, 200, RESPONSE_TYPE, respond(request));
        }
    }

    /** Decodes the GET form; null if it is not Base64 (answered as a malformed request). */
    private static byte[] decodeGet(String rawSegment) {
        String text = Http.percentDecode(rawSegment).replace('-', '+').replace('_', '/').trim();
        try {
            return Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private byte[] respond(byte[] der) throws IOException {
        OCSPReq request;
        try {
            request = new OCSPReq(der);
            if (request.getRequestList().length == 0) {
                return status(OCSPRespBuilder.MALFORMED_REQUEST);
            }
        } catch (IOException | RuntimeException e) {
            return status(OCSPRespBuilder.MALFORMED_REQUEST);
        }
        try {
            DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
            TestIdentity ca = null;
            for (Req one : request.getRequestList()) {
                ca = issuerOf(one.getCertID(), digests).orElse(null);
                if (ca != null) {
                    break;
                }
            }
            if (ca == null) {
                return status(OCSPRespBuilder.UNAUTHORIZED);
            }
            TestIdentity responder = directory.responderFor(ca);
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(
                    X500Name.getInstance(responder.certificate().getSubjectX500Principal().getEncoded())));
            for (Req one : request.getRequestList()) {
                CertificateID id = one.getCertID();
                builder.addResponse(id, statusOf(ca, id, digests, now), Date.from(now),
                        Date.from(now.plus(VALIDITY)), null);
            }
            Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null) {
                builder.setResponseExtensions(new Extensions(nonce));
            }
            X509CertificateHolder[] certs = responder == ca
                    ? new X509CertificateHolder[0]
                    : new X509CertificateHolder[] {new JcaX509CertificateHolder(responder.certificate())};
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL,
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(responder.privateKey()),
                            certs, Date.from(now))).getEncoded();
        } catch (OCSPException | OperatorCreationException | CertificateEncodingException e) {
            return status(OCSPRespBuilder.INTERNAL_ERROR);
        }
    }

    private Optional<TestIdentity> issuerOf(CertificateID id, DigestCalculatorProvider digests)
            throws OCSPException, CertificateEncodingException {
        for (TestIdentity ca : directory.cas()) {
            if (id.matchesIssuer(new JcaX509CertificateHolder(ca.certificate()), digests)) {
                return Optional.of(ca);
            }
        }
        return Optional.empty();
    }

    private CertificateStatus statusOf(TestIdentity ca, CertificateID id, DigestCalculatorProvider digests,
                                       Instant now) throws OCSPException, CertificateEncodingException {
        if (!id.matchesIssuer(new JcaX509CertificateHolder(ca.certificate()), digests)) {
            return new UnknownStatus(); // another CA than the one this response speaks for
        }
        Optional<TestIdentity> subject = directory.issuedBy(ca, id.getSerialNumber());
        if (subject.isEmpty()) {
            return new UnknownStatus();
        }
        Optional<Instant> revokedAt = subject.get().revokedAt().filter(t -> !t.isAfter(now));
        if (revokedAt.isPresent()) {
            return new RevokedStatus(Date.from(revokedAt.get()),
                    subject.get().revocationReason().orElseThrow().ordinal());
        }
        return CertificateStatus.GOOD;
    }

    private static byte[] status(int status) throws IOException {
        try {
            return new OCSPRespBuilder().build(status, null).getEncoded();
        } catch (OCSPException e) {
            throw new IOException("cannot encode OCSP status " + status, e);
        }
    }
}
