package vn.kyso.internal.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.kyso.DigestAlgorithm;
import vn.kyso.ServiceUnavailableException;

/**
 * The network calls of signing and verifying: RFC 3161 timestamps, OCSP, CRLs and missing issuer
 * certificates, each bounded in time and size. Internal to kyso's formats.
 */
public final class Net {
    private static final Logger LOG = LoggerFactory.getLogger(Net.class);
    private static final int MAX_RESPONSE = 10 << 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Net() {
    }

    /** A timestamp token (DER ContentInfo) over {@code imprint}, checked against the request. */
    public static byte[] timestamp(String source, URI tsa, DigestAlgorithm alg, byte[] imprint, Duration timeout)
            throws ServiceUnavailableException {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        TimeStampRequest request = generator.generate(new org.bouncycastle.asn1.ASN1ObjectIdentifier(alg.oid()),
                imprint, new java.math.BigInteger(64, RANDOM));
        try {
            byte[] answer = post(tsa, "application/timestamp-query", request.getEncoded(), timeout);
            TimeStampResponse response = new TimeStampResponse(answer);
            response.validate(request);
            if (response.getTimeStampToken() == null) {
                throw new ServiceUnavailableException(source, "the timestamp authority " + tsa + " refused: "
                        + response.getStatusString() + "; try again later or use another TSA");
            }
            return response.getTimeStampToken().getEncoded();
        } catch (IOException | TSPException e) {
            throw new ServiceUnavailableException(source, "no timestamp from " + tsa + ": " + e.getMessage()
                    + "; check the TSA URL and the network, or sign at level B", e);
        }
    }

    /** An OCSP response (DER) for {@code cert}, from the responder its AIA names, if it answers successfully. */
    public static Optional<byte[]> ocsp(X509Certificate cert, X509Certificate issuer, Duration timeout) {
        return ocsp(cert, issuer, NetworkBudget.of(timeout));
    }

    /**
     * Like {@link #ocsp(X509Certificate, X509Certificate, Duration)}, within what is left of
     * {@code budget}; a failure or a spent budget is logged with the URL and the reason.
     */
    public static Optional<byte[]> ocsp(X509Certificate cert, X509Certificate issuer, NetworkBudget budget) {
        Optional<URI> url = aiaUrl(cert, AccessDescription.id_ad_ocsp);
        if (url.isEmpty()) {
            LOG.debug("no OCSP URL in the certificate of {}", subject(cert));
            return Optional.empty();
        }
        try {
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                    .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer), cert.getSerialNumber());
            byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
            byte[] answer = post(url.get(), "application/ocsp-request", request, budget);
            OCSPResp resp = new OCSPResp(answer);
            if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
                LOG.warn("OCSP responder {} answered status {} (not successful) for {}", url.get(), resp.getStatus(),
                        subject(cert));
                return Optional.empty();
            }
            LOG.debug("OCSP response from {} for {}", url.get(), subject(cert));
            return Optional.of(answer);
        } catch (IOException | OCSPException | OperatorCreationException | CertificateEncodingException
                | RuntimeException e) {
            LOG.warn("no OCSP response from {} for {}: {}", url.get(), subject(cert), reason(e));
            return Optional.empty();
        }
    }

    /** The DER CRL from the certificate's first HTTP distribution point, if it can be fetched. */
    public static Optional<byte[]> crl(X509Certificate cert, Duration timeout) {
        return crl(cert, NetworkBudget.of(timeout));
    }

    /**
     * Like {@link #crl(X509Certificate, Duration)}, within what is left of {@code budget}; a
     * failure or a spent budget is logged with the URL and the reason.
     */
    public static Optional<byte[]> crl(X509Certificate cert, NetworkBudget budget) {
        Optional<URI> url = crlUrl(cert);
        if (url.isEmpty()) {
            LOG.debug("no HTTP CRL distribution point in the certificate of {}", subject(cert));
            return Optional.empty();
        }
        try {
            byte[] crl = get(url.get(), budget);
            LOG.debug("CRL from {} for {}", url.get(), subject(cert));
            return Optional.of(crl);
        } catch (IOException | RuntimeException e) {
            LOG.warn("no CRL from {} for {}: {}", url.get(), subject(cert), reason(e));
            return Optional.empty();
        }
    }

    /** The certificate's first HTTP CRL distribution point, the one {@link #crl} fetches. */
    static Optional<URI> crlUrl(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (ext == null) {
            return Optional.empty();
        }
        try {
            CRLDistPoint points = CRLDistPoint.getInstance(ASN1OctetString.getInstance(ext).getOctets());
            for (DistributionPoint p : points.getDistributionPoints()) {
                DistributionPointName name = p.getDistributionPoint();
                if (name == null || name.getType() != DistributionPointName.FULL_NAME) {
                    continue;
                }
                for (GeneralName g : GeneralNames.getInstance(name.getName()).getNames()) {
                    if (g.getTagNo() == GeneralName.uniformResourceIdentifier) {
                        URI uri = URI.create(g.getName().toString());
                        if ("http".equals(uri.getScheme())) {
                            return Optional.of(uri);
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("unreadable CRL distribution points in the certificate of {}: {}", subject(cert), reason(e));
        }
        return Optional.empty();
    }

    /** The issuer certificate named by the certificate's AIA caIssuers URL, if it can be fetched. */
    public static Optional<X509Certificate> caIssuer(X509Certificate cert, Duration timeout) {
        return caIssuer(cert, NetworkBudget.of(timeout));
    }

    /**
     * Like {@link #caIssuer(X509Certificate, Duration)}, within what is left of {@code budget};
     * a failure or a spent budget is logged with the URL and the reason.
     */
    public static Optional<X509Certificate> caIssuer(X509Certificate cert, NetworkBudget budget) {
        Optional<URI> url = aiaUrl(cert, AccessDescription.id_ad_caIssuers);
        if (url.isEmpty()) {
            LOG.debug("no caIssuers URL in the certificate of {}", subject(cert));
            return Optional.empty();
        }
        try {
            byte[] der = get(url.get(), budget);
            var factory = java.security.cert.CertificateFactory.getInstance("X.509");
            for (var c : factory.generateCertificates(new java.io.ByteArrayInputStream(der))) {
                X509Certificate candidate = (X509Certificate) c;
                if (candidate.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                    LOG.debug("issuer certificate from {} for {}", url.get(), subject(cert));
                    return Optional.of(candidate);
                }
            }
            LOG.warn("caIssuers {} for {} holds no certificate named {}", url.get(), subject(cert),
                    cert.getIssuerX500Principal().getName());
        } catch (IOException | java.security.cert.CertificateException | RuntimeException e) {
            LOG.warn("no issuer certificate from {} for {}: {}", url.get(), subject(cert), reason(e));
        }
        return Optional.empty();
    }

    public static Optional<URI> aiaUrl(X509Certificate cert, org.bouncycastle.asn1.ASN1ObjectIdentifier method) {
        byte[] ext = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (ext == null) {
            return Optional.empty();
        }
        try {
            AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
                    ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(ext).getOctets()));
            for (AccessDescription d : aia.getAccessDescriptions()) {
                if (d.getAccessMethod().equals(method)
                        && d.getAccessLocation().getTagNo() == GeneralName.uniformResourceIdentifier) {
                    URI uri = URI.create(d.getAccessLocation().getName().toString());
                    if ("http".equals(uri.getScheme())) {
                        return Optional.of(uri);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static byte[] post(URI uri, String type, byte[] body, Duration timeout) throws IOException {
        return post(uri, type, body, NetworkBudget.of(timeout));
    }

    private static byte[] post(URI uri, String type, byte[] body, NetworkBudget budget) throws IOException {
        HttpURLConnection c = open(uri, budget);
        c.setDoOutput(true);
        c.setRequestMethod("POST");
        c.setRequestProperty("Content-Type", type);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        return read(c, uri, budget);
    }

    private static byte[] get(URI uri, NetworkBudget budget) throws IOException {
        return read(open(uri, budget), uri, budget);
    }

    /** A connection whose connect and read waits are bounded by what is left of the budget. */
    private static HttpURLConnection open(URI uri, NetworkBudget budget) throws IOException {
        if (budget.spent()) {
            throw new IOException("not tried: the network time for this verification ("
                    + budget.total().toMillis() + " ms) is spent");
        }
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budget.remaining().toMillis()));
        c.setConnectTimeout(millis);
        c.setReadTimeout(millis);
        c.setInstanceFollowRedirects(false);
        return c;
    }

    /**
     * Reads the answer in chunks, giving up once the budget is spent, so a server that trickles
     * bytes cannot hold the verification longer than the budget plus one read's wait.
     */
    private static byte[] read(HttpURLConnection c, URI uri, NetworkBudget budget) throws IOException {
        try {
            if (c.getResponseCode() != 200) {
                throw new IOException("HTTP " + c.getResponseCode() + " from " + uri);
            }
            try (InputStream in = c.getInputStream()) {
                java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
                byte[] buffer = new byte[1 << 14];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    data.write(buffer, 0, n);
                    if (data.size() > MAX_RESPONSE) {
                        throw new IOException("answer from " + uri + " is larger than " + MAX_RESPONSE + " bytes");
                    }
                    if (budget.spent()) {
                        throw new IOException("answer from " + uri + " not complete when the network time ("
                                + budget.total().toMillis() + " ms) ran out");
                    }
                }
                return data.toByteArray();
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new IOException("timed out (" + budget.total().toMillis() + " ms of network time for this"
                    + " verification): " + e.getMessage(), e);
        } finally {
            c.disconnect();
        }
    }

    private static String subject(X509Certificate cert) {
        return cert.getSubjectX500Principal().getName();
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
