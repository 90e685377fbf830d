package vn.kyso.remotesim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.kyso.CredentialCallback;
import vn.kyso.Document;
import vn.kyso.KeySource;
import vn.kyso.Kyso;
import vn.kyso.PendingSignature;
import vn.kyso.PendingStateException;
import vn.kyso.SignOptions;
import vn.kyso.SignatureFormat;
import vn.kyso.Signer;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.PhoneBehaviour;
import vn.kyso.testkit.RemoteSigningSimulator;
import vn.kyso.testkit.TestPki;
import vn.kyso.xml.XmlOptions;

/**
 * The restart a document-management server lives with: one node prepares a document, sends its
 * digest to the leader's phone through remote-sim and keeps only the saved state; the phone
 * answers later, and another node ({@link Kyso} instance), which never saw the prepared document,
 * completes it from the state, the original and the value.
 */
class RemoteSimResumeTest {
    private static TestPki pki;
    private static RemoteSigningSimulator sim;

    @BeforeAll
    static void start() {
        pki = TestPki.start();
        sim = RemoteSigningSimulator.builder()
                .user("leader", pki.person(), PhoneBehaviour.approveAfter(Duration.ofMillis(300)))
                .start();
    }

    @AfterAll
    static void stop() {
        sim.close();
        pki.close();
    }

    /** What one node keeps in its database while the phone asks: the state, then the value that came back. */
    private record Saved(byte[] state, CompletableFuture<List<byte[]>> answer) {
    }

    private static Saved prepareOnNodeA(Document original, String formatId, SignOptions options, String dialect)
            throws Exception {
        Kyso nodeA = Kyso.discover();
        KeySource source = nodeA.connect("remote-sim", RemoteSignerTest.settings(sim, dialect, "leader"),
                CredentialCallback.of(RemoteSignerTest.secret(sim, dialect).toCharArray()));
        Signer signer = source.open(source.keys().get(0).id());
        byte[] state;
        CompletableFuture<List<byte[]>> answer;
        try (PendingSignature pending = nodeA.format(formatId).prepare(original, signer.chain(),
                SignatureFormat.algorithmFor(signer, options), options)) {
            state = pending.save();
            answer = signer.signAsync(pending.request()).toCompletableFuture();
        }
        // node A forgets the prepared document at once: only the state and the answer remain
        answer.whenComplete((v, e) -> {
            signer.close();
            source.close();
        });
        return new Saved(state, answer);
    }

    private static byte[] completeOnNodeB(Document original, Saved saved) throws Exception {
        byte[] value = saved.answer().get(30, TimeUnit.SECONDS).get(0);
        Kyso nodeB = Kyso.discover();
        SignatureFormat format = nodeB.formatFor(original);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PendingSignature pending = format.resume(original, saved.state())) {
            pending.complete(value, out);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sp769", "csc", "mss"})
    void aPdfWhoseDigestWentToThePhoneIsCompletedByAnotherInstanceAndVerifies(String dialect) throws Exception {
        byte[] pdf = RemoteSimEndToEndTest.letter("QUYET DINH so 21/QD-UBND");
        long promptsBefore = sim.prompts("leader");
        Saved saved = prepareOnNodeA(Document.of(pdf, "qd.pdf"), "pades",
                SignOptions.builder().displayText("Ký Quyết định 21/QĐ-UBND").build(), dialect);
        assertFalse(saved.answer().isDone(), "the phone answers later, after node A has saved the state");
        byte[] signed = completeOnNodeB(Document.of(pdf.clone(), "qd.pdf"), saved);
        VerificationReport report = Kyso.discover().format("pades").verify(Document.of(signed, "qd-signed.pdf"),
                ValidationPolicy.builder().trustAnchors(pki.roots()).build());
        assertTrue(report.allPassed(), report.toText());
        assertEquals(pki.person().certificate(), report.signatures().get(0).signerCertificate().orElseThrow());
        assertEquals(promptsBefore + 1, sim.prompts("leader"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sp769"})
    void anXmlDocumentIsCompletedByAnotherInstanceAndAnotherDocumentIsRefused(String dialect) throws Exception {
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><VanBan><NoiDung Id=\"ND-21\">"
                + "<TrichYeu>Tờ trình 21</TrichYeu></NoiDung><ChuKy/></VanBan>").getBytes(StandardCharsets.UTF_8);
        SignOptions options = SignOptions.builder().displayText("Ký Tờ trình 21").formatOptions(
                XmlOptions.builder(XmlOptions.Profile.GENERIC).signedElementId("ND-21").signatureParentPath("/VanBan/ChuKy")
                        .xades(true).build()).build();
        Saved saved = prepareOnNodeA(Document.of(xml, "tt.xml"), "xades", options, dialect);
        byte[] other = new String(xml, StandardCharsets.UTF_8).replace("21", "22").getBytes(StandardCharsets.UTF_8);
        assertEquals(PendingStateException.Reason.OTHER_DOCUMENT, assertThrows(PendingStateException.class,
                () -> Kyso.discover().format("xades").resume(Document.of(other, "tt.xml"), saved.state())).reason());
        byte[] signed = completeOnNodeB(Document.of(xml, "tt.xml"), saved);
        VerificationReport report = Kyso.discover().format("xades").verify(Document.of(signed, "tt-signed.xml"),
                ValidationPolicy.builder().trustAnchors(pki.roots()).build());
        assertTrue(report.allPassed(), report.toText());
    }
}
