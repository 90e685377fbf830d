package vn.kyso.examples.dms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Document;
import vn.kyso.Kyso;
import vn.kyso.SignOptions;
import vn.kyso.UsageReporter;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.agent.Agent;
import vn.kyso.agent.Consent;
import vn.kyso.testkit.HeadlessChromium;
import vn.kyso.testkit.SoftHsm2;
import vn.kyso.testkit.TestPki;

/**
 * The example DMS page signs a letter end to end in Debian's headless Chromium, through
 * kyso-agent and a SoftHSM2 token, with Local Network Access in force; the PDF verifies with
 * kyso and with poppler's pdfsig. Run by {@code mvn verify} (failsafe; it needs the Debian package
 * chromium, and runs {@code npm ci} in agent/src/test/js first).
 */
class LetterDmsBrowserIT {
    private static final Path SCRIPTS = Path.of("../agent/src/test/js");
    private static final String PIN = "123456";
    private static TestPki pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void token() throws Exception {
        pki = TestPki.start();
        SoftHsm2 hsm = SoftHsm2.fromEnvironment();
        hsm.initToken("token-van-phong", PIN);
        hsm.importKey("token-van-phong", PIN, pki.person(), "01", false);
        hsm.importCertificate("token-van-phong", PIN, pki.person().issuer(), null, "CA");
    }

    @AfterAll
    static void stop() {
        pki.close();
    }

    @Test
    void theDmsPageSignsALetterThroughTheAgentAndThePdfVerifiesWithKysoAndPdfsig() throws Exception {
        Kyso kyso = Kyso.discover();
        List<Consent.SigningPrompt> prompts = new CopyOnWriteArrayList<>();
        Consent user = new Consent() {
            @Override
            public boolean allowOrigin(String origin) {
                return true;
            }

            @Override
            public int chooseCertificate(String origin, List<Choice> choices) {
                return 0;
            }

            @Override
            public char[] approve(SigningPrompt prompt) {
                prompts.add(prompt);
                return PIN.toCharArray();
            }
        };
        try (LetterDms dms = LetterDms.start(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0),
                HeadlessChromium.pageTls(dir),
                kyso.format("pades"), letter(), SignOptions.defaults(), dir.resolve("dms"));
                Agent agent = Agent.start(new Agent.Settings(0, List.of(dms.url().toString().replaceAll("/$", "")),
                        List.of(SoftHsm2.MODULE), null, null, Duration.ofSeconds(60)), user, UsageReporter.none())) {
            String pageUrl = dms.url() + "?agent=" + agent.port();
            String result = HeadlessChromium.run(SCRIPTS, "browser-test.mjs", pageUrl, "granted");
            assertTrue(result.contains("\"ok\":true"), result);
            Matcher id = Pattern.compile("\"id\":\"([0-9a-f]+)\"").matcher(result);
            assertTrue(id.find(), result);
            byte[] signed = dms.signed(id.group(1)).orElseThrow();

            assertEquals(1, prompts.size());
            assertEquals(List.of(new Consent.Document("Công văn số 12/UBND-VP", "12/UBND-VP", "approved")),
                    prompts.get(0).documents(), "the user saw what the server prepared");
            VerificationReport report = kyso.format("pades").verify(Document.of(signed, "signed.pdf"),
                    ValidationPolicy.builder().trustAnchors(pki.roots())
                            .revocation(ValidationPolicy.Revocation.NONE).build());
            assertTrue(report.allPassed(), report.toString());
            Path file = Files.write(dir.resolve("cong-van-12-signed.pdf"), signed);
            Process pdfsig = new ProcessBuilder("pdfsig", file.toString()).redirectErrorStream(true).start();
            String checked = new String(pdfsig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(pdfsig.waitFor(60, TimeUnit.SECONDS));
            assertTrue(checked.contains("Signature Validation: Signature is Valid."), checked);
        }
    }

    @Test
    void onASiteTheAgentDoesNotAllowThePageSaysTheAgentIsNotRunningOrTheSiteIsNotAllowedAndNobodyIsAsked()
            throws Exception {
        Kyso kyso = Kyso.discover();
        AtomicInteger questions = new AtomicInteger();
        Consent user = new Consent() {
            @Override
            public boolean allowOrigin(String origin) {
                questions.incrementAndGet();
                return true;
            }

            @Override
            public int chooseCertificate(String origin, List<Choice> choices) {
                questions.incrementAndGet();
                return 0;
            }

            @Override
            public char[] approve(SigningPrompt prompt) {
                questions.incrementAndGet();
                return PIN.toCharArray();
            }
        };
        try (LetterDms dms = LetterDms.start(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0),
                HeadlessChromium.pageTls(dir),
                kyso.format("pades"), letter(), SignOptions.defaults(), dir.resolve("dms"));
                Agent agent = Agent.start(new Agent.Settings(0, List.of("https://dms.example.gov.vn"),
                        List.of(SoftHsm2.MODULE), null, null, Duration.ofSeconds(60)), user, UsageReporter.none())) {
            String origin = dms.url().toString().replaceAll("/$", "");
            // the agent answers this page 403, which the browser hides from it: to the page's script
            // the refusal looks like an agent that is not running, so the text must name both
            String result = HeadlessChromium.run(SCRIPTS, "browser-test.mjs", dms.url() + "?agent=" + agent.port(),
                    "granted");
            assertTrue(result.contains("\"code\":\"AGENT_UNREACHABLE\""), result);
            assertTrue(result.contains("chưa chạy") && result.contains("not running"), result);
            assertTrue(result.contains("allowedOrigins") && result.contains("agent.properties")
                    && result.contains("--allow-origin") && result.contains("(" + origin + ")"), result);
            assertEquals(0, questions.get(), "nobody is asked");
        }
    }

    private static byte[] letter() throws Exception {
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }
}
