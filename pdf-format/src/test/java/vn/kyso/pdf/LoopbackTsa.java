package vn.kyso.pdf;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import vn.kyso.testkit.TestPki;

/**
 * A real RFC 3161 timestamp authority on 127.0.0.1 signing with the test PKI's TSA key, whose
 * tokens can be made unusually large: each answer carries an extra certificate padded with
 * {@code padding.applyAsInt(requestNumber)} bytes (0-based request numbers; 0 for no extra).
 */
final class LoopbackTsa implements AutoCloseable {
    private static final AtomicLong SERIAL = new AtomicLong(1000);
    private final HttpServer server;

    LoopbackTsa(TestPki pki, IntUnaryOperator padding) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair filler = g.generateKeyPair();
        AtomicInteger requests = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/tsa", exchange -> {
            try {
                TimeStampRequest request = new TimeStampRequest(exchange.getRequestBody().readNBytes(1 << 16));
                TimeStampTokenGenerator generator = new TimeStampTokenGenerator(new JcaSimpleSignerInfoGeneratorBuilder()
                        .build("SHA256withRSA", pki.tsa().privateKey(), pki.tsa().certificate()),
                        new JcaDigestCalculatorProviderBuilder().build().get(
                                new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
                        new ASN1ObjectIdentifier(TestPki.TSA_POLICY));
                int extra = padding.applyAsInt(requests.getAndIncrement());
                List<X509Certificate> certs = extra <= 0 ? List.of(pki.tsa().certificate(), pki.tsa().issuer())
                        : List.of(pki.tsa().certificate(), pki.tsa().issuer(), certificate("CN=Chứng thư kèm theo,O=TSA (test)",
                                filler.getPublic(), "CN=Chứng thư kèm theo,O=TSA (test)", filler.getPrivate(), true, extra));
                generator.addCertificates(new JcaCertStore(certs));
                byte[] body = new TimeStampResponseGenerator(generator, Set.of(NISTObjectIdentifiers.id_sha256))
                        .generate(request, BigInteger.valueOf(SERIAL.incrementAndGet()), new Date()).getEncoded();
                exchange.getResponseHeaders().set("Content-Type", "application/timestamp-reply");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
                exchange.close();
            }
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/tsa");
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A certificate for {@code subjectKey} issued by {@code issuerKey}, with {@code padding} extra bytes in an extension. */
    static X509Certificate certificate(String subject, PublicKey subjectKey, String issuer, PrivateKey issuerKey,
            boolean ca, int padding) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(SERIAL.incrementAndGet()).shiftLeft(100), Date.from(now.minus(1, ChronoUnit.DAYS)),
                Date.from(now.plus(365, ChronoUnit.DAYS)), new X500Name(subject), subjectKey);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                : KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
        if (padding > 0) {
            byte[] filler = new byte[padding];
            new Random(padding).nextBytes(filler);
            b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), false, new DEROctetString(filler));
        }
        String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    }
}
