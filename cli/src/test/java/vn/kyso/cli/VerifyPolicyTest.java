package vn.kyso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Certificates;
import vn.kyso.CredentialCallback;
import vn.kyso.Document;
import vn.kyso.KeySource;
import vn.kyso.Kyso;
import vn.kyso.SignOptions;
import vn.kyso.Signer;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

/**
 * kyso verify's revocation and strictness options against the test PKI's live OCSP responder and
 * CRL on loopback: PDFs signed at level B, so they carry no revocation data of their own.
 */
@ExtendWith(TestPkiExtension.class)
class VerifyPolicyTest {
    private static final char[] PASSWORD = "123456".toCharArray();

    @TempDir
    Path dir;

    private Path signed(TestIdentity identity) throws Exception {
        Path p12 = Files.write(dir.resolve(identity.alias() + ".p12"), identity.toPkcs12(PASSWORD));
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage());
            doc.save(pdf);
        }
        Path out = dir.resolve(identity.alias() + ".pdf");
        Kyso kyso = Kyso.discover();
        try (KeySource keys = kyso.connect("pkcs12", Map.of("file", p12.toString()), CredentialCallback.of(PASSWORD));
             Signer signer = keys.open(keys.keys().get(0).id())) {
            kyso.format("pades").sign(Document.of(pdf.toByteArray(), "to-trinh.pdf"), signer, SignOptions.defaults(), out);
        }
        return out;
    }

    private String[] verify(TestPki pki, Path file, String... options) throws Exception {
        Path roots = dir.resolve("roots.pem");
        Files.writeString(roots, pki.roots().stream().map(Certificates::toPem).reduce("", String::concat));
        String[] args = new String[options.length + 5];
        args[0] = "verify";
        args[1] = file.toString();
        args[2] = "--json";
        System.arraycopy(options, 0, args, 3, options.length);
        args[options.length + 3] = "--trust";
        args[options.length + 4] = roots.toString();
        return args;
    }

    private static String run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            KysoCommand.run(args);
            return bytes.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void onlineAsksTheLiveResponderEmbeddedFindsNothingAndOffSaysItDidNotCheck(TestPki pki) throws Exception {
        Path file = signed(pki.person());
        String online = run(verify(pki, file, "--revocation", "online"));
        assertTrue(online.contains("\"revocation\":{\"status\":\"GOOD\",\"source\":\"ONLINE_"), online);
        assertTrue(online.contains("\"outcome\":\"TOTAL_PASSED\""), online);
        String embedded = run(verify(pki, file, "--revocation", "embedded"));
        assertTrue(embedded.contains("\"outcome\":\"INDETERMINATE\""), embedded);
        assertTrue(embedded.contains("\"code\":\"REVOCATION_UNKNOWN\""), embedded);
        String off = run(verify(pki, file, "--revocation", "off"));
        assertTrue(off.contains("\"revocation\":{\"status\":\"NOT_CHECKED\",\"source\":\"NONE\"}"), off);
    }

    @Test
    void aRevokedSignerIsCaughtOnlineAndNeverPassesWithoutRevocationData(TestPki pki) throws Exception {
        Path file = signed(pki.revoked());
        String online = run(verify(pki, file, "--revocation", "online"));
        assertTrue(online.contains("\"revocation\":{\"status\":\"REVOKED\""), online);
        assertTrue(!online.contains("\"outcome\":\"TOTAL_PASSED\""), online);
        String embedded = run(verify(pki, file, "--revocation", "embedded"));
        assertTrue(!embedded.contains("\"outcome\":\"TOTAL_PASSED\""), embedded);
    }

    @Test
    void strictFailsALegacyKeyThatTheDefaultPassesWithAWarning(TestPki pki) throws Exception {
        Path file = signed(pki.legacySha1());
        String lenient = run(verify(pki, file, "--revocation", "online"));
        assertTrue(lenient.contains("\"outcome\":\"TOTAL_PASSED\""), lenient);
        assertTrue(lenient.contains("\"weak\":{\"weak\":true"), lenient);
        String strict = run(verify(pki, file, "--revocation", "online", "--strict"));
        assertTrue(strict.contains("\"outcome\":\"TOTAL_FAILED\""), strict);
        assertTrue(strict.contains("\"strict\":true"), strict);
    }
}
