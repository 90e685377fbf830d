package vn.kyso.remotesim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.CredentialCallback;
import vn.kyso.DeviceKind;
import vn.kyso.Document;
import vn.kyso.KeySource;
import vn.kyso.Kyso;
import vn.kyso.SignOptions;
import vn.kyso.SignatureFormat;
import vn.kyso.Signer;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.PhoneBehaviour;
import vn.kyso.testkit.RemoteSigningSimulator;
import vn.kyso.testkit.TestPki;
import vn.kyso.xml.XmlOptions;

/** PDF and XML signed through remote-sim (found by ServiceLoader) and the simulator verify with kyso, pdfsig and xmlsec1. */
class RemoteSimEndToEndTest {
    private static TestPki pki;
    private static RemoteSigningSimulator sim;
    private static final Kyso KYSO = Kyso.discover();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        pki = TestPki.start();
        sim = RemoteSigningSimulator.builder()
                .user("leader", pki.person(), PhoneBehaviour.approveAfter(Duration.ofMillis(100)))
                .start();
    }

    @AfterAll
    static void stop() {
        sim.close();
        pki.close();
    }

    private static KeySource connect() throws Exception {
        return connect("sp769");
    }

    private static KeySource connect(String dialect) throws Exception {
        return KYSO.connect("remote-sim", RemoteSignerTest.settings(sim, dialect, "leader"),
                CredentialCallback.of(RemoteSignerTest.secret(sim, dialect).toCharArray()));
    }

    private static ValidationPolicy policy() {
        return ValidationPolicy.builder().trustAnchors(pki.roots()).build();
    }

    static byte[] letter(String text) throws Exception {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
                s.beginText();
                s.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                s.newLineAtOffset(72, 720);
                s.showText(text);
                s.endText();
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"sp769", "csc", "mss"})
    void aPdfSignedThroughTheSimulatorVerifies(String dialect) throws Exception {
        assertTrue(KYSO.providerIds().contains("remote-sim"), KYSO.providerIds() + " " + KYSO.problems());
        try (KeySource source = connect(dialect); Signer signer = source.open(source.keys().get(0).id())) {
            assertEquals(DeviceKind.PKI_SIM, signer.deviceKind());
            SignatureFormat pades = KYSO.format("pades");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pades.sign(Document.of(letter("QUYET DINH so 12/QD-UBND"), "qd.pdf"), signer,
                    SignOptions.builder().displayText("Ký Quyết định 12/QĐ-UBND").build(), out);
            VerificationReport report = pades.verify(Document.of(out.toByteArray(), "qd-signed.pdf"), policy());
            assertTrue(report.allPassed(), report.toText());
            assertEquals("Ký Quyết định 12/QĐ-UBND", sim.lastDisplayText("leader"));
            Path signed = Files.write(dir.resolve("qd-signed-" + dialect + ".pdf"), out.toByteArray());
            assertEquals(List.of(true), IndependentVerifiers.pdfsig(signed), "pdfsig on the " + dialect + " signature");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"sp769", "csc", "mss"})
    void anXmlSignedAsynchronouslyThroughTheSimulatorVerifies(String dialect) throws Exception {
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><VanBan><NoiDung Id=\"ND-15\">"
                + "<SoKyHieu>15/TTr-SKHCN</SoKyHieu><TrichYeu>Tờ trình về việc ký số</TrichYeu></NoiDung><ChuKy/></VanBan>").getBytes(StandardCharsets.UTF_8);
        Path in = Files.write(dir.resolve("tt.xml"), xml);
        Path target = dir.resolve("tt-signed.xml");
        try (KeySource source = connect(dialect); Signer signer = source.open(source.keys().get(0).id())) {
            SignatureFormat xades = KYSO.format("xades");
            SignOptions options = SignOptions.builder().formatOptions(XmlOptions.builder(XmlOptions.Profile.GENERIC)
                    .signedElementId("ND-15").signatureParentPath("/VanBan/ChuKy").build()).build();
            xades.signAsync(Document.of(in), signer, options, target).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
        }
        VerificationReport report = KYSO.format("xades").verify(Document.of(target), policy());
        assertTrue(report.allPassed(), report.toText());
        IndependentVerifiers.xmlsec1(target, pki.roots(), List.of(pki.cipherCa().certificate()), dir,
                "Id", "NoiDung", "Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties");
    }

    @Test
    void threePdfsInABatchCostOnePromptAndAllVerify() throws Exception {
        List<Document> documents = new ArrayList<>();
        List<Path> targets = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            documents.add(Document.of(Files.write(dir.resolve("cv" + i + ".pdf"), letter("CONG VAN so " + i))));
            targets.add(dir.resolve("cv" + i + "-signed.pdf"));
        }
        int before = sim.prompts("leader");
        try (KeySource source = connect(); Signer signer = source.open(source.keys().get(0).id())) {
            KYSO.format("pades").signBatch(documents, targets, signer, SignOptions.defaults());
        }
        assertEquals(before + 1, sim.prompts("leader"));
        for (Path t : targets) {
            VerificationReport report = KYSO.format("pades").verify(Document.of(t), policy());
            assertTrue(report.allPassed(), report.toText());
            assertEquals(List.of(true), IndependentVerifiers.pdfsig(t), "pdfsig on " + t.getFileName());
        }
    }
}
