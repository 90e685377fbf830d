package vn.kyso.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;
import vn.kyso.Indication;
import vn.kyso.KysoException;
import vn.kyso.SignOptions;
import vn.kyso.SignRequest;
import vn.kyso.SignatureFormat;
import vn.kyso.SignatureReport;
import vn.kyso.Signer;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;

/**
 * The contract every {@link SignatureFormat} keeps. A format proves itself by extending this
 * class in a JUnit 5 test; the inherited tests check that what it signs verifies as
 * TOTAL_PASSED, that tampering is caught, that garbage is a typed error, that a batch costs one
 * signer call, that a signer's failure leaves no output, and that signing from several threads works.
 */
public abstract class SignatureFormatContract {

    @TempDir
    protected Path workDir;

    /** The format under test. */
    protected abstract SignatureFormat format();

    /** A fresh unsigned document the format signs with {@link #options()}. */
    protected abstract Document unsignedDocument() throws Exception;

    /** A signer whose certificate {@link #policy()} trusts; the subclass owns its life cycle. */
    protected abstract Signer signer() throws Exception;

    /** A policy under which a correct signature of {@link #signer()} is TOTAL_PASSED. */
    protected abstract ValidationPolicy policy() throws Exception;

    /** Changes the signed content of {@code signed} without touching the signature itself. */
    protected abstract byte[] tamper(byte[] signed);

    /** The options used for every signature here. */
    protected SignOptions options() throws Exception {
        return SignOptions.defaults();
    }

    private byte[] sign(Document document, Signer signer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format().sign(document, signer, options(), out);
        return out.toByteArray();
    }

    private VerificationReport verify(byte[] signed) throws Exception {
        return format().verify(Document.of(signed, "signed"), policy());
    }

    @Test
    void whatItSignsVerifiesAsTotalPassed() throws Exception {
        VerificationReport report = verify(sign(unsignedDocument(), signer()));
        assertFalse(report.signatures().isEmpty());
        for (SignatureReport s : report.signatures()) {
            assertEquals(Indication.TOTAL_PASSED, s.indication(), report.toText());
            assertTrue(s.intact());
            assertEquals(signer().certificate(), s.signerCertificate().orElseThrow());
        }
        assertEquals(format().id(), report.formatId());
    }

    @Test
    void tamperingWithSignedContentIsDetected() throws Exception {
        byte[] signed = sign(unsignedDocument(), signer());
        byte[] tampered = tamper(signed.clone());
        assertFalse(java.util.Arrays.equals(signed, tampered), "tamper() must change something");
        VerificationReport report = verify(tampered);
        assertFalse(report.allPassed(), report.toText());
    }

    @Test
    void itAcceptsItsOwnOutput() throws Exception {
        assertTrue(format().accepts(Document.of(sign(unsignedDocument(), signer()), "signed")));
    }

    @Test
    void garbageIsADocumentMalformedError() throws Exception {
        Document garbage = Document.of("this is not a document \u0000\u0001".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "garbage");
        assertThrows(DocumentMalformedException.class, () -> format().prepare(garbage, signer().chain(),
                SignatureFormat.algorithmFor(signer(), options()), options()).close());
        assertThrows(DocumentMalformedException.class, () -> format().verify(garbage, policy()));
    }

    @Test
    void aBatchCostsOneSignerCallAndEveryDocumentVerifies() throws Exception {
        CountingSigner counting = new CountingSigner(signer(), false);
        List<Document> docs = List.of(unsignedDocument(), unsignedDocument(), unsignedDocument());
        List<Path> targets = List.of(workDir.resolve("b1"), workDir.resolve("b2"), workDir.resolve("b3"));
        format().signBatch(docs, targets, counting, options());
        assertEquals(1, counting.calls.get(), "one PIN entry / one phone confirmation for the whole batch");
        for (Path t : targets) {
            assertTrue(verify(Files.readAllBytes(t)).allPassed());
        }
    }

    @Test
    void aSignerReturningGarbageLeavesNoOutputAndTheInputUntouched() throws Exception {
        Path input = workDir.resolve("input");
        Files.write(input, unsignedDocument().readAllBytes());
        byte[] before = Files.readAllBytes(input);
        Path target = workDir.resolve("output");
        assertThrows(KysoException.class,
                () -> format().sign(Document.of(input), new CountingSigner(signer(), true), options(), target));
        assertFalse(Files.exists(target));
        assertArrayEquals(before, Files.readAllBytes(input));
        try (Stream<Path> files = Files.list(workDir)) {
            assertEquals(Set.of("input"), Set.copyOf(files.map(p -> p.getFileName().toString()).toList()));
        }
    }

    @Test
    void asynchronousSigningWritesAVerifyingDocument() throws Exception {
        Path target = workDir.resolve("async");
        format().signAsync(unsignedDocument(), signer(), options(), target).toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        assertTrue(verify(Files.readAllBytes(target)).allPassed());
    }

    @Test
    void signsFromSeveralThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(pool.submit(() -> sign(unsignedDocument(), signer())));
            }
            for (Future<byte[]> r : results) {
                assertTrue(verify(r.get(120, TimeUnit.SECONDS)).allPassed());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Counts signer calls; optionally answers with a corrupted value, as a faulty device would. */
    private static final class CountingSigner extends ForwardingSigner {
        private final boolean corrupt;
        final AtomicInteger calls = new AtomicInteger();

        CountingSigner(Signer delegate, boolean corrupt) {
            super(delegate);
            this.corrupt = corrupt;
        }

        @Override
        public List<byte[]> sign(SignRequest request) throws KysoException {
            calls.incrementAndGet();
            List<byte[]> values = delegate().sign(request);
            if (!corrupt) {
                return values;
            }
            List<byte[]> broken = new ArrayList<>();
            for (byte[] v : values) {
                byte[] b = v.clone();
                b[b.length / 2] ^= 0x5A;
                assertNotEquals(v[v.length / 2], b[b.length / 2]);
                broken.add(b);
            }
            return broken;
        }
    }
}
