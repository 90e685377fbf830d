package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.BaselineLevel;
import vn.kyso.Document;
import vn.kyso.Kyso;
import vn.kyso.PendingSignature;
import vn.kyso.PendingStateException;
import vn.kyso.SignOptions;
import vn.kyso.SignatureFormat;
import vn.kyso.Signer;
import vn.kyso.SigningFailedException;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.spi.PendingState;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

/**
 * A PDF prepared in one {@link Kyso}, its state saved, and completed from a second {@link Kyso}
 * that shares nothing with the first but the state bytes and the document, as a server node that
 * restarted while the phone was asking for a PIN would.
 */
@ExtendWith(TestPkiExtension.class)
class PadesResumeTest {
    private static TestPki pki;
    private static ValidationPolicy policy;

    @TempDir
    Path dir;

    @BeforeAll
    static void start(TestPki shared) {
        pki = shared;
        policy = ValidationPolicy.builder().trustAnchors(pki.roots()).revocation(ValidationPolicy.Revocation.NONE)
                .build();
    }

    private static SignatureFormat pades() throws Exception {
        return Kyso.builder().noScanning().add(new PadesFormat()).build().format("pades");
    }

    private SignOptions visibleB() {
        return SignOptions.builder().displayText("Ký công văn 12/UBND")
                .formatOptions(PadesOptions.builder().role(PadesOptions.Role.OFFICIAL).place(1, 300, 100, 200, 80)
                        .reason("Phê duyệt").location("Hà Nội").build())
                .build();
    }

    /** What completing in the same process writes, and what a second instance writes from the saved state. */
    private record Both(byte[] sameProcess, byte[] resumed, byte[] state) {
    }

    private Both signBothWays(byte[] pdf, SignOptions options) throws Exception {
        try (Signer signer = TestPdfs.signer(pki.person(), dir)) {
            PendingSignature first = pades().prepare(Document.of(pdf, "letter.pdf"), signer.chain(),
                    SignatureFormat.algorithmFor(signer, options), options);
            byte[] state = first.save();
            byte[] value = signer.sign(first.request()).get(0);
            ByteArrayOutputStream same = new ByteArrayOutputStream();
            first.complete(value, same);
            first.close();

            ByteArrayOutputStream resumed = new ByteArrayOutputStream();
            try (PendingSignature second = pades().resume(Document.of(pdf.clone(), "letter.pdf"), state.clone())) {
                assertArrayEquals(first.request().digest(0), second.request().digest(0));
                assertEquals(first.request().displayText(), second.request().displayText());
                second.complete(value, resumed);
            }
            return new Both(same.toByteArray(), resumed.toByteArray(), state);
        }
    }

    @Test
    void aLevelBSignatureCompletedFromTheSavedStateIsByteForByteTheSameAndVerifies() throws Exception {
        byte[] pdf = TestPdfs.letter(2, "Cong van so 12/UBND");
        Both both = signBothWays(pdf, visibleB());
        assertArrayEquals(both.sameProcess(), both.resumed());
        VerificationReport report = pades().verify(Document.of(both.resumed(), "signed.pdf"), policy);
        assertTrue(report.allPassed(), report.toText());
        // the state is small: the empty /Contents is not kept as it is in the update
        assertTrue(both.state().length < 32_000, "state of " + both.state().length + " bytes");
        if (Pdfsig.available()) {
            assertTrue(Pdfsig.integrity(Files.write(dir.resolve("resumed.pdf"), both.resumed())).stream()
                    .allMatch(b -> b));
        }
    }

    @Test
    void aLevelTSignatureGetsItsTimestampWhenCompletedAndDiffersOnlyInsideContents() throws Exception {
        byte[] pdf = TestPdfs.letter(1, "Quyet dinh 7/QD");
        SignOptions options = SignOptions.builder().level(BaselineLevel.T)
                .timestampUrl(pki.services().tsaUri()).build();
        Both both = signBothWays(pdf, options);
        // two timestamps are two tokens: everything but the /Contents hole is the same
        int[] range = TestPdfsByteRange.of(both.resumed());
        assertEquals(both.sameProcess().length, both.resumed().length);
        assertTrue(Arrays.equals(both.sameProcess(), 0, range[1], both.resumed(), 0, range[1]));
        assertTrue(Arrays.equals(both.sameProcess(), range[2], both.sameProcess().length, both.resumed(), range[2],
                both.resumed().length));
        VerificationReport report = pades().verify(Document.of(both.resumed(), "signed.pdf"), policy);
        assertTrue(report.allPassed(), report.toText());
        assertTrue(report.signatures().get(0).timestampTime().isPresent(), report.toText());
    }

    @Test
    void aFileBackedDocumentResumesLikeTheSameBytesInMemory() throws Exception {
        byte[] pdf = TestPdfs.letter(1, "To trinh");
        Path file = Files.write(dir.resolve("to-trinh.pdf"), pdf);
        try (Signer signer = TestPdfs.signer(pki.person(), dir)) {
            SignOptions options = visibleB();
            PendingSignature first = pades().prepare(Document.of(file), signer.chain(),
                    SignatureFormat.algorithmFor(signer, options), options);
            byte[] state = first.save();
            byte[] value = signer.sign(first.request()).get(0);
            ByteArrayOutputStream same = new ByteArrayOutputStream();
            first.complete(value, same);
            ByteArrayOutputStream resumed = new ByteArrayOutputStream();
            pades().resume(Document.of(file), state).complete(value, resumed);
            assertArrayEquals(same.toByteArray(), resumed.toByteArray());
        }
    }

    @Test
    void anotherDocumentIsRefusedAsOtherDocument() throws Exception {
        byte[] pdf = TestPdfs.letter(1, "Cong van so 12/UBND");
        byte[] other = TestPdfs.letter(1, "Cong van so 13/UBND");
        try (Signer signer = TestPdfs.signer(pki.person(), dir)) {
            SignOptions options = visibleB();
            byte[] state = pades().prepare(Document.of(pdf, "a.pdf"), signer.chain(),
                    SignatureFormat.algorithmFor(signer, options), options).save();
            PendingStateException e = assertThrows(PendingStateException.class,
                    () -> pades().resume(Document.of(other, "b.pdf"), state));
            assertEquals(PendingStateException.Reason.OTHER_DOCUMENT, e.reason());
            // one byte appended: the same prefix is not the same document either
            byte[] longer = Arrays.copyOf(pdf, pdf.length + 1);
            assertEquals(PendingStateException.Reason.OTHER_DOCUMENT, assertThrows(PendingStateException.class,
                    () -> pades().resume(Document.of(longer, "a.pdf"), state)).reason());
        }
    }

    @Test
    void aTamperedOrTruncatedStateIsRefusedAsCorrupt() throws Exception {
        byte[] pdf = TestPdfs.letter(1, "Cong van");
        try (Signer signer = TestPdfs.signer(pki.person(), dir)) {
            SignOptions options = visibleB();
            byte[] state = pades().prepare(Document.of(pdf, "a.pdf"), signer.chain(),
                    SignatureFormat.algorithmFor(signer, options), options).save();
            byte[] flipped = state.clone();
            flipped[state.length / 2] ^= 0x01;
            assertEquals(PendingStateException.Reason.CORRUPT, assertThrows(PendingStateException.class,
                    () -> pades().resume(Document.of(pdf, "a.pdf"), flipped)).reason());
            assertEquals(PendingStateException.Reason.CORRUPT, assertThrows(PendingStateException.class,
                    () -> pades().resume(Document.of(pdf, "a.pdf"), Arrays.copyOf(state, state.length - 1)))
                    .reason());
            assertEquals(PendingStateException.Reason.CORRUPT, assertThrows(PendingStateException.class,
                    () -> pades().resume(Document.of(pdf, "a.pdf"), new byte[0])).reason());
        }
    }

    @Test
    void aStateSealedByAnotherFormatIsRefusedAsOtherFormat() throws Exception {
        byte[] pdf = TestPdfs.letter(1, "Cong van");
        byte[] xadesState = PendingState.seal("xades", 1, Document.of(pdf, "a.pdf"),
                new PendingState.Writer().string("anything"));
        assertEquals(PendingStateException.Reason.OTHER_FORMAT, assertThrows(PendingStateException.class,
                () -> pades().resume(Document.of(pdf, "a.pdf"), xadesState)).reason());
        byte[] future = PendingState.seal("pades", 99, Document.of(pdf, "a.pdf"), new PendingState.Writer());
        assertEquals(PendingStateException.Reason.UNSUPPORTED_VERSION, assertThrows(PendingStateException.class,
                () -> pades().resume(Document.of(pdf, "a.pdf"), future)).reason());
    }

    /** What an attacker who can rewrite a stored state does to the state's body before resealing it. */
    interface BodyChange {
        void apply(byte[] update, List<byte[]> chain) throws Exception;
    }

    /**
     * {@code state} with its body rewritten and sealed again: the seal's digest is no secret, so only
     * recomputing the digest from the document and the update can catch this.
     */
    private static byte[] resealed(byte[] pdf, byte[] state, BodyChange change) throws Exception {
        PendingState.Reader in = PendingState.open("pades", 1, Document.of(pdf, "a.pdf"), state).body();
        PendingState.Writer out = new PendingState.Writer();
        out.string(in.string()).string(in.string()).string(in.string()).longValue(in.longValue())
                .string(in.string()).string(in.string());
        int n = in.integer();
        List<byte[]> chain = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            chain.add(in.bytes());
        }
        int[] range = {in.integer(), in.integer(), in.integer(), in.integer()};
        int length = in.integer();
        java.util.zip.Inflater inflater = new java.util.zip.Inflater();
        inflater.setInput(in.bytes());
        byte[] update = new byte[length];
        assertEquals(length, inflater.inflate(update));
        inflater.end();
        byte[] digest = in.bytes();
        change.apply(update, chain);
        out.integer(chain.size());
        chain.forEach(out::bytes);
        for (int v : range) {
            out.integer(v);
        }
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        deflater.setInput(update);
        deflater.finish();
        byte[] buffer = new byte[update.length + 1024];
        int deflated = deflater.deflate(buffer);
        deflater.end();
        out.integer(update.length).bytes(Arrays.copyOf(buffer, deflated)).bytes(digest);
        return PendingState.seal("pades", 1, Document.of(pdf, "a.pdf"), out);
    }

    @Test
    void aResealedStateWhoseUpdateOrCertificateWasChangedIsRefused() throws Exception {
        byte[] pdf = TestPdfs.letter(1, "Cong van");
        try (Signer signer = TestPdfs.signer(pki.person(), dir)) {
            SignOptions options = visibleB();
            byte[] state = pades().prepare(Document.of(pdf, "a.pdf"), signer.chain(),
                    SignatureFormat.algorithmFor(signer, options), options).save();
            // unchanged, the rewritten state still resumes: the test's rewriting itself is faithful
            pades().resume(Document.of(pdf, "a.pdf"), resealed(pdf, state, (update, chain) -> { })).close();
            // the signing location a viewer shows changed in the update
            byte[] otherReason = resealed(pdf, state, (update, chain) -> {
                String text = new String(update, java.nio.charset.StandardCharsets.ISO_8859_1);
                int at = text.indexOf("/Location");
                assertTrue(at > 0, "the update has a /Location");
                update[at + 12] ^= 0x01;
            });
            assertEquals(PendingStateException.Reason.CORRUPT, assertThrows(PendingStateException.class,
                    () -> pades().resume(Document.of(pdf, "a.pdf"), otherReason)).reason());
            // another person's certificate put in as the signer's
            byte[] otherSigner = resealed(pdf, state, (update, chain) -> chain.set(0,
                    pki.organization().certificate().getEncoded()));
            assertEquals(PendingStateException.Reason.CORRUPT, assertThrows(PendingStateException.class,
                    () -> pades().resume(Document.of(pdf, "a.pdf"), otherSigner)).reason());
        }
    }

    @Test
    void aValueNotMadeOverTheResumedDigestWritesNothing() throws Exception {
        byte[] pdf = TestPdfs.letter(1, "Cong van");
        try (Signer signer = TestPdfs.signer(pki.person(), dir)) {
            SignOptions options = visibleB();
            PendingSignature first = pades().prepare(Document.of(pdf, "a.pdf"), signer.chain(),
                    SignatureFormat.algorithmFor(signer, options), options);
            byte[] state = first.save();
            byte[] value = signer.sign(first.request()).get(0);
            value[value.length - 1] ^= 0x01;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PendingSignature second = pades().resume(Document.of(pdf, "a.pdf"), state);
            assertThrows(SigningFailedException.class, () -> second.complete(value, out));
            assertEquals(0, out.size());
        }
    }

    @Test
    void aStateIsSavedBeforeCompletionOnly() throws Exception {
        byte[] pdf = TestPdfs.letter(1, "Cong van");
        try (Signer signer = TestPdfs.signer(pki.person(), dir)) {
            SignOptions options = SignOptions.defaults();
            PendingSignature p = pades().prepare(Document.of(pdf, "a.pdf"), signer.chain(),
                    SignatureFormat.algorithmFor(signer, options), options);
            p.complete(signer.sign(p.request()).get(0), new ByteArrayOutputStream());
            assertThrows(IllegalStateException.class, p::save);
        }
    }

    @Test
    void aTimestampUrlWithAPasswordIsNotSavedInTheState() throws Exception {
        byte[] pdf = TestPdfs.letter(1, "Cong van");
        try (Signer signer = TestPdfs.signer(pki.person(), dir)) {
            SignOptions options = SignOptions.builder().level(BaselineLevel.T)
                    .timestampUrl(java.net.URI.create("http://kyso:s3cret@127.0.0.1:9/tsa")).build();
            PendingSignature p = pades().prepare(Document.of(pdf, "a.pdf"), signer.chain(),
                    SignatureFormat.algorithmFor(signer, options), options);
            IllegalStateException e = assertThrows(IllegalStateException.class, p::save);
            assertTrue(!e.getMessage().contains("s3cret"), e.getMessage());
        }
    }

    /** The ByteRange of the last signature, read from the signed bytes. */
    static final class TestPdfsByteRange {
        static int[] of(byte[] signed) throws Exception {
            try (var doc = org.apache.pdfbox.Loader.loadPDF(signed)) {
                List<org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature> s = doc.getSignatureDictionaries();
                return s.get(s.size() - 1).getByteRange();
            }
        }
    }
}
