package vn.kyso.examples.dms;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import vn.kyso.Kyso;
import vn.kyso.SignOptions;

/**
 * Starts the example DMS by hand on {@code https://127.0.0.1:8443/} and prints the page's address
 * and the command that starts kyso-agent for it. From the repository root, after
 * {@code mvn -B -q install -DskipTests}:
 *
 * <pre>
 * java -cp examples/target/classes:agent/target/kyso-agent.jar vn.kyso.examples.dms.LetterDmsMain
 * </pre>
 *
 * <p>Options: {@code --port N} (the page, default 8443), {@code --agent-port N} (the agent's
 * {@code --port}, default 8989), {@code --data DIR} (default {@code kyso-dms-data}: the signings
 * under way, the signed letters, the page's TLS key and the letter), {@code --letter FILE.pdf}
 * (default: a one-page letter made at the first start, {@code DATA/cong-van-12.pdf}). The page's
 * certificate is self-signed for 127.0.0.1 (made at the first start, kept in the data folder): the
 * browser warns once, as for any test server.
 */
public final class LetterDmsMain {
    private static final char[] STORE_PASSWORD = "kyso-example-dms".toCharArray();

    private LetterDmsMain() {
    }

    public static void main(String[] args) throws Exception {
        // PDFBox says which system font stands in for Helvetica when it lays out the letter: noise here
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.pdfbox", "error");
        int port = 8443;
        int agentPort = 8989;
        Path data = Path.of("kyso-dms-data");
        Path letterFile = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                System.out.println("usage: LetterDmsMain [--port N] [--agent-port N] [--data DIR] [--letter FILE.pdf]");
                return;
            }
            if (i + 1 >= args.length) {
                fail(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--port" -> port = port(value);
                case "--agent-port" -> agentPort = port(value);
                case "--data" -> data = Path.of(value);
                case "--letter" -> letterFile = Path.of(value);
                default -> fail("unknown option " + option);
            }
        }
        Files.createDirectories(data);
        byte[] letter = Files.readAllBytes(letterFile != null ? letterFile : madeLetter(data));
        SSLContext tls = tls(data);
        LetterDms dms = LetterDms.start(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), tls,
                Kyso.discover().format("pades"), letter, SignOptions.defaults(), data.toAbsolutePath());
        String origin = dms.url().toString().replaceAll("/$", "");
        String agent = "java -jar agent/target/kyso-agent.jar --allow-origin " + origin
                + (agentPort == 8989 ? "" : " --port " + agentPort);
        System.out.println("The example DMS: " + dms.url() + (agentPort == 8989 ? "" : "?agent=" + agentPort));
        System.out.println();
        System.out.println("Start kyso-agent for it, in another terminal, from the repository root:");
        System.out.println("  " + agent);
        System.out.println();
        System.out.println("The page's certificate is self-signed (" + data.resolve("dms-tls.crt") + "): the browser");
        System.out.println("warns once; choose Advanced, then Proceed to 127.0.0.1. Then click \"Ký số\": the agent's");
        System.out.println("window asks to allow " + origin + ", then for consent and the token's PIN.");
        System.out.println("Signed letters are saved in " + data.resolve("signed") + ". Ctrl+C stops.");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dms.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        fail(value + " is not a TCP port");
        return 0;
    }

    private static void fail(String message) {
        System.err.println("LetterDmsMain: " + message + " (--help lists the options)");
        System.exit(2);
    }

    /**
     * The letter to sign, made at the first start and kept in the data folder: a saved pending
     * signature resumes only with the very document it was prepared for, and PDFBox writes a new
     * document id each time it saves.
     */
    static Path madeLetter(Path data) throws IOException {
        Path file = data.resolve("cong-van-12.pdf");
        if (!Files.exists(file)) {
            Path part = Files.createTempFile(data, ".cong-van-12", ".part");
            try {
                Files.write(part, letter());
                Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(part);
            }
        }
        return file;
    }

    /** A one-page letter (plain ASCII text: the standard fonts cannot write Vietnamese). */
    private static byte[] letter() throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream text = new PDPageContentStream(doc, page)) {
                text.beginText();
                text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD), 14);
                text.newLineAtOffset(72, 700);
                text.showText("UY BAN NHAN DAN - Cong van so 12/UBND-VP");
                text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                text.newLineAtOffset(0, -28);
                text.showText("V/v trien khai chu ky so trong hoat dong cua co quan nha nuoc.");
                text.endText();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    /**
     * The page's TLS key: made at the first start, a self-signed EC certificate for 127.0.0.1 and
     * localhost, kept in the data folder (with its certificate in PEM, to trust it in a browser) so
     * that a browser's exception survives a restart.
     */
    static SSLContext tls(Path data) throws IOException, GeneralSecurityException {
        Path store = data.resolve("dms-tls.p12");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        if (Files.exists(store)) {
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, STORE_PASSWORD);
            }
        } else {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X509Certificate certificate = selfSigned(pair);
            keys.load(null, null);
            keys.setKeyEntry("dms", pair.getPrivate(), STORE_PASSWORD, new Certificate[] {certificate});
            Path part = Files.createTempFile(data, ".dms-tls", ".part");
            try {
                try (OutputStream out = Files.newOutputStream(part)) {
                    keys.store(out, STORE_PASSWORD);
                }
                Files.move(part, store, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(part);
            }
            Files.writeString(data.resolve("dms-tls.crt"), "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance("SunX509");
        managers.init(keys, STORE_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.getKeyManagers(), null, null);
        return context;
    }

    private static X509Certificate selfSigned(KeyPair pair) throws IOException, GeneralSecurityException {
        X500Name name = new X500Name("CN=127.0.0.1, O=kyso example DMS");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                new BigInteger(64, new SecureRandom()).setBit(63), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(397))), name, pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the page's certificate", e);
        }
    }
}
