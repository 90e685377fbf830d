package vn.kyso.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.kyso.agent.RawClient.errorCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Document;
import vn.kyso.InMemoryUsageReporter;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.SoftHsm2;
import vn.kyso.testkit.TestPki;
import vn.kyso.xml.XadesFormat;

/** The signXml operation behind the shim's vgca_sign_xml, over a raw socket, with a SoftHSM2 token. */
class SignXmlTest {
    private static final String DMS = AgentTest.DMS;
    private static final String DATA = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<data><test>Bảng điểm học kỳ I</test></data>";
    private static TestPki pki;

    @TempDir
    Path dir;
    private Agent agent;
    private final ScriptedConsent consent = new ScriptedConsent(AgentTokens.PIN);

    @BeforeAll
    static void tokens() throws Exception {
        pki = AgentTokens.pki();
    }

    @BeforeEach
    void start() throws Exception {
        agent = Agent.start(new Agent.Settings(0, List.of(DMS), List.of(SoftHsm2.MODULE), null, dir.resolve("audit.log"),
                Duration.ofSeconds(60)), consent, new InMemoryUsageReporter());
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    private Map<String, Object> call(String message) throws Exception {
        try (RawClient ws = RawClient.webSocket(agent.port(), DMS)) {
            return ws.call(message);
        }
    }

    private static String request(String xml, String extra) {
        return "{\"v\":1,\"id\":\"x\",\"op\":\"signXml\",\"document\":{\"title\":\"bang-diem.xml\"},\"xml\":\""
                + Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8)) + "\"" + extra + "}";
    }

    @Test
    @SuppressWarnings("unchecked")
    void aWholeXmlDocumentIsSignedEnvelopedAndVerifiesWithKysoAndXmlsec1() throws Exception {
        consent.choice = 0;
        Map<String, Object> reply = call(request(DATA, ""));
        assertEquals(Boolean.TRUE, reply.get("ok"), reply::toString);
        byte[] signed = Base64.getDecoder().decode((String) ((Map<String, Object>) reply.get("result")).get("xml"));
        String text = new String(signed, StandardCharsets.UTF_8);
        assertTrue(text.contains("Bảng điểm học kỳ I"), text);
        assertTrue(text.matches("(?s).*<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\".*</Signature></data>\\s*"),
                "enveloped, the last child of the root: " + text);
        VerificationReport report = new XadesFormat().verify(Document.of(signed, "signed.xml"), ValidationPolicy
                .builder().trustAnchors(pki.roots()).intermediates(List.of(pki.person().issuer(),
                        pki.organization().issuer())).revocation(ValidationPolicy.Revocation.NONE).build());
        assertTrue(report.allPassed(), report.toString());
        Path file = Files.write(dir.resolve("signed.xml"), signed);
        Process xmlsec;
        try {
            xmlsec = new ProcessBuilder("xmlsec1", "--verify", "--insecure", "--enabled-key-data", "x509",
                    file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("xmlsec1 is missing: install the Debian package xmlsec1", e);
        }
        String out = new String(xmlsec.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(xmlsec.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, xmlsec.exitValue(), out);
        assertEquals(1, consent.prompts.size());
        assertEquals(List.of(new Consent.Document("bang-diem.xml", null, "Ký XML / XML signature")),
                consent.prompts.get(0).documents());
    }

    @Test
    void aDtdAWeakHashAndAnOversizedDocumentAreRefusedBeforeTheUserIsAsked() throws Exception {
        // the entity expansion a parser with DTDs on would turn into gigabytes
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;"
                + "&a;&a;&a;&a;\">]><d>&b;&b;&b;</d>";
        assertEquals("DOCUMENT_MALFORMED", errorCode(call(request(bomb, ""))));
        assertEquals("DOCUMENT_MALFORMED", errorCode(call(request("not xml at all", ""))));
        assertEquals("UNSUPPORTED_ALGORITHM", errorCode(call(request(DATA, ",\"digest\":\"SHA1\""))));
        String big = "{\"v\":1,\"id\":\"x\",\"op\":\"signXml\",\"document\":{\"title\":\"t\"},\"xml\":\""
                + "A".repeat(4 * ((DocumentSigning.MAX_DOCUMENT + 2) / 3) + 4) + "\"}";
        assertEquals("DOCUMENT_TOO_LARGE", errorCode(call(big)));
        assertEquals(0, consent.questions() - consent.originQuestions.size());
    }
}
