package vn.kyso.examples.dms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Document;
import vn.kyso.Kyso;
import vn.kyso.SignOptions;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;

/**
 * The example DMS keeps nothing in memory between prepare and complete: a second instance that
 * shares only the data folder (a restart, another node) completes the letter the first prepared.
 */
class LetterDmsTest {
    private static TestPki pki;

    @TempDir
    Path data;

    @BeforeAll
    static void pki() {
        pki = TestPki.start();
    }

    @AfterAll
    static void stop() {
        pki.close();
    }

    @Test
    void aSecondInstanceSharingOnlyTheDataFolderCompletesTheLetterTheFirstPrepared() throws Exception {
        Kyso kyso = Kyso.discover();
        TestIdentity signer = pki.ecPerson();
        HttpClient http = HttpClient.newBuilder().sslContext(trusting(data.resolve("dms-tls.crt"))).build();
        String prepared;
        try (LetterDms first = start(kyso)) {
            prepared = post(http, first.url().resolve("/prepare"), "chain=" + signer.chain().stream()
                    .map(c -> encode(Base64.getEncoder().encodeToString(der(c)))).collect(Collectors.joining("%2C")), 200);
        }
        String id = member(prepared, "id");
        assertEquals("ECDSA_SHA256", member(prepared, "algorithm"));
        // what the agent does on the user's PC: the raw signature of the digest with the token's key
        Signature ecdsa = Signature.getInstance("NONEwithECDSA");
        ecdsa.initSign(signer.privateKey());
        ecdsa.update(Base64.getDecoder().decode(member(prepared, "digest")));
        String value = encode(Base64.getEncoder().encodeToString(ecdsa.sign()));

        try (LetterDms second = start(kyso)) {
            // a malformed request is refused and leaves the signing under way for the real answer
            assertTrue(post(http, second.url().resolve("/complete"), "id=" + id + "&signature=%25%25", 400)
                    .contains("not base64"));
            String completed = post(http, second.url().resolve("/complete"), "id=" + id + "&signature=" + value, 200);
            assertEquals("/signed/" + id + ".pdf", member(completed, "url"));
            byte[] signed = http.send(HttpRequest.newBuilder(second.url().resolve("/signed/" + id + ".pdf")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            VerificationReport report = kyso.format("pades").verify(Document.of(signed, "signed.pdf"),
                    ValidationPolicy.builder().trustAnchors(pki.roots())
                            .revocation(ValidationPolicy.Revocation.NONE).build());
            assertTrue(report.allPassed(), report.toString());
            assertEquals(1, report.signatures().size(), report.toString());

            // the saved state was taken out on completion: the same value cannot complete it twice
            assertTrue(post(http, second.url().resolve("/complete"), "id=" + id + "&signature=" + value, 400)
                    .contains("no signing under way"));
            try (Stream<Path> left = Files.list(data.resolve("pending"))) {
                assertEquals(List.of(), left.toList(), "nothing is left of the signing under way");
            }
        }
    }

    @Test
    void anIdThatIsNotOneTheServerMadeIsRefusedWithoutTouchingAFile() throws Exception {
        Kyso kyso = Kyso.discover();
        HttpClient http = HttpClient.newBuilder().sslContext(trusting(data.resolve("dms-tls.crt"))).build();
        // a state file planted beside the data folder, which an id like "../x" would reach
        Files.writeString(data.resolve("x.state"), "not a state");
        try (LetterDms dms = start(kyso)) {
            assertTrue(post(http, dms.url().resolve("/complete"), "id=..%2Fx&signature=AA%3D%3D", 400)
                    .contains("no signing under way"));
        }
        assertTrue(Files.exists(data.resolve("x.state")));
    }

    /**
     * One instance as {@code LetterDmsMain} starts it: its TLS key and its letter from the data
     * folder (a letter made again at each start would differ in its document id, and the saved
     * signing could not resume with it).
     */
    private LetterDms start(Kyso kyso) throws Exception {
        return LetterDms.start(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), LetterDmsMain.tls(data),
                kyso.format("pades"), Files.readAllBytes(LetterDmsMain.madeLetter(data)), SignOptions.defaults(), data);
    }

    private static String post(HttpClient http, URI uri, String form, int status) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), response.body());
        return response.body();
    }

    private static String member(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static byte[] der(java.security.cert.X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trusts the page's self-signed certificate, as a browser would once the user accepted it. */
    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        if (!Files.exists(certificate)) {
            LetterDmsMain.tls(certificate.getParent());
        }
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("dms", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
