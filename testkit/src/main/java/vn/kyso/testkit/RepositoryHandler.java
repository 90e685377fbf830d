package vn.kyso.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The CA repository: {@code GET /crl/<alias>.crl} issues a fresh CRL for that CA (thisUpdate
 * now, nextUpdate {@link #NEXT_UPDATE} later, listing what it revoked by then), and
 * {@code GET /ca/<alias>.cer} serves the CA's certificate for AIA caIssuers.
 */
final class RepositoryHandler implements HttpHandler {

    static final String CRL_TYPE = "application/pkix-crl";
    static final String CERT_TYPE = "application/pkix-cert";
    static final Duration NEXT_UPDATE = Duration.ofDays(7);

    private final TestServices services;
    private final Directory directory;
    private final Clock clock;

    RepositoryHandler(TestServices services, Directory directory, Clock clock) {
        this.services = services;
        this.directory = directory;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        boolean crl = path.startsWith("/crl/") && path.endsWith(".crl");
        boolean cert = path.startsWith("/ca/") && path.endsWith(".cer");
        if (!crl && !cert) {
            Http.sendError(exchange, 404, "no such path; try /crl/<ca>.crl or /ca/<ca>.cer");
            return;
        }
        (crl ? services.crlCount : services.caIssuersCount).incrementAndGet();
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            Http.sendError(exchange, 405, "use GET");
            return;
        }
        String alias = path.substring(path.indexOf('/', 1) + 1, path.length() - 4);
        Optional<TestIdentity> ca = directory.ca(alias);
        if (ca.isEmpty()) {
            Http.sendError(exchange, 404, "no CA '" + alias + "' in this test PKI");
            return;
        }
        try {
            byte[] body = crl ? crl(ca.get()) : ca.get().certificate().getEncoded();
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Type", crl ? CRL_TYPE : CERT_TYPE);
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            Http.send(exchange, 200, crl ? CRL_TYPE : CERT_TYPE, body);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            Http.sendError(exchange, 500, "cannot produce " + path + ": " + e.getMessage());
        }
    }

    private byte[] crl(TestIdentity ca) throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(NEXT_UPDATE)));
        for (TestIdentity issued : directory.issuedBy(ca)) {
            Optional<Instant> revokedAt = issued.revokedAt().filter(t -> !t.isAfter(now));
            if (revokedAt.isPresent()) {
                builder.addCRLEntry(issued.certificate().getSerialNumber(), Date.from(revokedAt.get()),
                        issued.revocationReason().orElseThrow().ordinal());
            }
        }
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
        // CRL numbers must increase (RFC 5280 section 5.2.3); the issue second does.
        builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.getEpochSecond())));
        return builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.privateKey())).getEncoded();
    }
}
