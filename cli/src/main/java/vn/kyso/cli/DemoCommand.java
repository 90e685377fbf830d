package vn.kyso.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import vn.kyso.Certificates;
import vn.kyso.CredentialCallback;
import vn.kyso.InMemoryUsageReporter;
import vn.kyso.KeySource;
import vn.kyso.Kyso;
import vn.kyso.KysoException;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;
import vn.kyso.UsageEvent;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;

/**
 * {@code kyso demo [OUT_DIR]}: the library's main job end to end on embedded defaults. It starts
 * a test PKI with its TSA, OCSP and CRL on 127.0.0.1, signs with keys in PKCS#12 files through
 * the public API, verifies, prints a short report, and leaves every file in OUT_DIR.
 */
@Command(name = "demo", description = "Chạy thử toàn bộ / Run the end-to-end demo on a test PKI.")
final class DemoCommand implements Callable<Integer> {
    static final char[] DEMO_PASSWORD = "123456".toCharArray();

    @Parameters(paramLabel = "OUT_DIR", arity = "0..1", defaultValue = "kyso-demo-out",
            description = "Where every document, certificate and report is written (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Files.createDirectories(outDir.resolve("trust"));
        Files.createDirectories(outDir.resolve("keys"));
        InMemoryUsageReporter usage = new InMemoryUsageReporter();
        Kyso kyso = Kyso.builder().usageReporter(usage).build();
        out.println("kyso demo → " + outDir.toAbsolutePath());
        out.println("  providers: " + kyso.providerIds() + ", formats: " + kyso.formatIds());
        try (TestPki pki = TestPki.start()) {
            out.println("  test PKI with TSA, OCSP and CRL at " + pki.services().baseUri());
            Files.writeString(outDir.resolve("trust/cipher-root.pem"), pki.cipherRoot().certificatePem());
            Files.writeString(outDir.resolve("trust/national-root.pem"), pki.nationalRoot().certificatePem());
            DemoKeys keys = new DemoKeys(kyso, pki, outDir.resolve("keys"));
            boolean ok = digestRoundTrip(keys, out);
            Files.writeString(outDir.resolve("usage.csv"), usageCsv(usage), StandardCharsets.UTF_8);
            out.println("  usage events: " + usage.events().size() + " (usage.csv)");
            out.println(ok ? "Demo hoàn tất / demo complete: every signature verified."
                    : "Demo KHÔNG đạt / demo FAILED: see the reports above.");
            return ok ? 0 : 1;
        }
    }

    /** Signs a digest with the leader's key file and checks it with the certificate's public key. */
    private boolean digestRoundTrip(DemoKeys keys, PrintStream out) throws Exception {
        byte[] document = "Công văn số 2806/SCT-VP về việc triển khai chữ ký số".getBytes(StandardCharsets.UTF_8);
        try (KeySource source = keys.connect(keys.pki.person()); Signer signer = source.open(source.keys().get(0).id())) {
            byte[] value = signer.sign(SignatureAlgorithm.RSA_SHA256, SignatureAlgorithm.RSA_SHA256.digest().digest(document),
                    "Ký văn bản 2806/SCT-VP");
            Signature check = Signature.getInstance("SHA256withRSA");
            check.initVerify(signer.certificate());
            check.update(document);
            boolean valid = check.verify(value);
            Files.write(outDir.resolve("digest-document.txt"), document);
            Files.write(outDir.resolve("digest-document.sig"), value);
            Files.writeString(outDir.resolve("digest-signer.pem"), Certificates.toPem(signer.certificate()));
            out.println("  digest round trip by " + Certificates.commonName(signer.certificate()) + ": "
                    + (valid ? "hợp lệ / valid" : "KHÔNG hợp lệ / INVALID"));
            return valid;
        }
    }

    private static String usageCsv(InMemoryUsageReporter usage) {
        StringBuilder csv = new StringBuilder("at,signer,format,document_type,provider,device,outcome,signatures,millis\n");
        for (UsageEvent e : usage.events()) {
            csv.append(e.at()).append(',').append('"').append(e.signerName()).append('"').append(',')
                    .append(e.formatId()).append(',').append('"').append(e.documentType()).append('"').append(',')
                    .append(e.providerId()).append(',').append(e.deviceKind()).append(',').append(e.outcome())
                    .append(',').append(e.signatures()).append(',').append(e.duration().toMillis()).append('\n');
        }
        return csv.toString();
    }

    /** The demo's key files: each test identity exported to PKCS#12 and opened through the public API. */
    static final class DemoKeys {
        final Kyso kyso;
        final TestPki pki;
        private final Path dir;

        DemoKeys(Kyso kyso, TestPki pki, Path dir) {
            this.kyso = kyso;
            this.pki = pki;
            this.dir = dir;
        }

        KeySource connect(TestIdentity identity) throws IOException, KysoException {
            Path file = dir.resolve(identity.alias() + ".p12");
            Files.write(file, identity.toPkcs12(DEMO_PASSWORD));
            return kyso.connect("pkcs12", Map.of("file", file.toString()), CredentialCallback.of(DEMO_PASSWORD));
        }
    }
}
