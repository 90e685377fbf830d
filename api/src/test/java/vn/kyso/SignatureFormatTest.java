package vn.kyso;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signing paths every format inherits: single, batch (one signer call), async, and atomic output. */
class SignatureFormatTest {

    /** A minimal real format: the document followed by its signature value; enough to exercise the defaults. */
    static final class AppendedSignatureFormat implements SignatureFormat {
        @Override
        public String id() {
            return "appended";
        }

        @Override
        public boolean accepts(Document document) {
            return true;
        }

        @Override
        public PendingSignature prepare(Document document, List<X509Certificate> chain, SignatureAlgorithm algorithm,
                SignOptions options) throws IOException {
            byte[] content = document.readAllBytes();
            if (content.length > 0 && content[0] == '!') {
                throw new IOException("unreadable test document");
            }
            SignRequest request = SignRequest.of(algorithm, algorithm.digest().digest(content), options.displayText())
                    .forDocument(id(), options.documentType());
            return new PendingSignature() {
                @Override
                public SignRequest request() {
                    return request;
                }

                @Override
                public void complete(byte[] value, OutputStream out) throws IOException {
                    out.write(content);
                    if (value.length == 0) {
                        throw new IOException("empty signature value");
                    }
                    if (content.length > 0 && content[0] == '?') {
                        // what a format finds only at the end of its copy: the input file changed on disk
                        throw new IOException("the test document changed while it was copied");
                    }
                    out.write(value);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public VerificationReport verify(Document document, ValidationPolicy policy) {
            throw new UnsupportedOperationException("not needed here");
        }
    }

    @TempDir
    Path dir;

    private Signer signer(Kyso kyso) throws Exception {
        Path file = TestKeys.pkcs12(dir, TestKeys.rsa(), "CN=Văn thư,C=VN");
        KeySource source = kyso.connect("pkcs12", Map.of("file", file.toString()), CredentialCallback.of(TestKeys.PASSWORD));
        return source.open("key");
    }

    @Test
    void signingToAFileWritesItWholeAndLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("out.bin");
        try (Signer signer = signer(Kyso.discover())) {
            new AppendedSignatureFormat().sign(Document.of("văn bản".getBytes(StandardCharsets.UTF_8), "a.txt"),
                    signer, SignOptions.defaults(), target);
        }
        byte[] written = Files.readAllBytes(target);
        assertEquals("văn bản".getBytes(StandardCharsets.UTF_8).length + 256, written.length);
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".part")));
        }
    }

    @Test
    void aBatchMakesOneSignerCallAndFailsWithoutWritingAnyTarget() throws Exception {
        InMemoryUsageReporter reporter = new InMemoryUsageReporter();
        Kyso kyso = Kyso.builder().usageReporter(reporter).build();
        List<Path> targets = List.of(dir.resolve("1.bin"), dir.resolve("2.bin"), dir.resolve("3.bin"));
        List<Document> docs = List.of(Document.of(new byte[] {1}, "1"), Document.of(new byte[] {2}, "2"),
                Document.of(new byte[] {3}, "3"));
        try (Signer signer = signer(kyso)) {
            new AppendedSignatureFormat().signBatch(docs, targets, signer,
                    SignOptions.builder().documentType("Công văn").build());
            assertEquals(1, reporter.events().size());
            assertEquals(3, reporter.events().get(0).signatures());
            assertEquals("appended", reporter.events().get(0).formatId());
            for (Path t : targets) {
                assertTrue(Files.size(t) > 1);
            }
            List<Path> others = List.of(dir.resolve("4.bin"), dir.resolve("5.bin"));
            assertThrows(IOException.class, () -> new AppendedSignatureFormat().signBatch(
                    List.of(Document.of(new byte[] {4}, "4"), Document.of(new byte[] {'!'}, "bad")), others, signer,
                    SignOptions.defaults()));
            assertFalse(Files.exists(others.get(0)), "no target may be written when the batch fails");
        }
    }

    @Test
    void aFailedSignatureNeverReplacesAnExistingTarget() throws Exception {
        Path target = Files.write(dir.resolve("keep.bin"), new byte[] {42});
        try (Signer signer = signer(Kyso.discover())) {
            assertThrows(IOException.class, () -> new AppendedSignatureFormat().sign(
                    Document.of(new byte[] {'!'}, "bad"), signer, SignOptions.defaults(), target));
        }
        assertArrayEquals(new byte[] {42}, Files.readAllBytes(target));
    }

    @Test
    void asynchronousSigningWritesTheTargetWhenTheSignerAnswers() throws Exception {
        Path target = dir.resolve("async.bin");
        try (Signer signer = signer(Kyso.discover())) {
            Path written = new AppendedSignatureFormat().signAsync(Document.of(new byte[] {9}, "9"), signer,
                    SignOptions.defaults(), target).toCompletableFuture().get();
            assertEquals(target, written);
            assertEquals(1 + 256, Files.size(target));
        }
    }

    @Test
    void anInputFileIsNeverModified() throws Exception {
        Path input = Files.write(dir.resolve("in.bin"), new byte[] {5, 6, 7});
        AtomicInteger calls = new AtomicInteger();
        try (Signer signer = signer(Kyso.discover())) {
            new AppendedSignatureFormat().sign(Document.of(input), signer, SignOptions.defaults(), dir.resolve("o.bin"));
            calls.incrementAndGet();
        }
        assertArrayEquals(new byte[] {5, 6, 7}, Files.readAllBytes(input));
        assertEquals(1, calls.get());
    }

    /** A real signer whose answer is disturbed as a faulty device or remote service might: values dropped or added. */
    private static Signer answering(Signer real, java.util.function.UnaryOperator<List<byte[]>> disturb) {
        return new Signer() {
            @Override
            public List<byte[]> sign(SignRequest request) throws KysoException {
                return disturb.apply(new java.util.ArrayList<>(real.sign(request)));
            }

            @Override
            public X509Certificate certificate() {
                return real.certificate();
            }

            @Override
            public List<X509Certificate> chain() {
                return real.chain();
            }

            @Override
            public java.util.Set<SignatureAlgorithm> algorithms() {
                return real.algorithms();
            }

            @Override
            public String providerId() {
                return real.providerId();
            }

            @Override
            public DeviceKind deviceKind() {
                return real.deviceKind();
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aBatchWhoseSignerReturnsTooFewOrTooManyValuesFailsNamingTheProviderAndWritesNothing() throws Exception {
        List<Document> docs = List.of(Document.of(new byte[] {1}, "1"), Document.of(new byte[] {2}, "2"),
                Document.of(new byte[] {3}, "3"));
        List<Path> targets = List.of(dir.resolve("1.bin"), dir.resolve("2.bin"), dir.resolve("3.bin"));
        try (Signer real = signer(Kyso.discover())) {
            // two values for three documents: without the check the third document's failure would come
            // from an index error, and a service that reorders or drops values could sign the wrong file
            Signer dropsOne = answering(real, v -> v.subList(0, v.size() - 1));
            var e = assertThrows(SigningFailedException.class, () -> new AppendedSignatureFormat().signBatch(docs,
                    targets, dropsOne, SignOptions.defaults()));
            assertTrue(e.getMessage().contains("returned 2 signature value(s) for 3 digest(s)"), e.getMessage());
            assertTrue(e.getMessage().contains("pkcs12"), e.getMessage());
            // four values for three documents: silently using the first three would hide a confused device
            Signer addsOne = answering(real, v -> {
                v.add(v.get(0));
                return v;
            });
            var f = assertThrows(SigningFailedException.class, () -> new AppendedSignatureFormat().signBatch(docs,
                    targets, addsOne, SignOptions.defaults()));
            assertTrue(f.getMessage().contains("returned 4 signature value(s) for 3 digest(s)"), f.getMessage());
        }
        for (Path t : targets) {
            assertFalse(Files.exists(t), "no target may be written when the signer's answer is wrong: " + t);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".part")));
        }
    }

    @Test
    void aSingleSignatureWhoseSignerReturnsNothingFailsWithATypedErrorAndWritesNothing() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Path target = dir.resolve("async.bin");
        try (Signer real = signer(Kyso.discover())) {
            Signer answersNothing = answering(real, v -> List.of());
            var e = assertThrows(SigningFailedException.class, () -> new AppendedSignatureFormat().sign(
                    Document.of(new byte[] {7}, "7"), answersNothing, SignOptions.defaults(), out));
            assertTrue(e.getMessage().contains("returned 0 signature value(s) for 1 digest(s)"), e.getMessage());
            var async = assertThrows(java.util.concurrent.ExecutionException.class, () -> new AppendedSignatureFormat()
                    .signAsync(Document.of(new byte[] {7}, "7"), answersNothing, SignOptions.defaults(), target)
                    .toCompletableFuture().get());
            assertTrue(async.getCause() instanceof SigningFailedException, String.valueOf(async.getCause()));
        }
        assertEquals(0, out.size());
        assertFalse(Files.exists(target));
    }

    @Test
    void aFileWhoseCompletionFailsLateLeavesTheStreamUntouched() throws Exception {
        // the format has already copied the document when it finds the failure: before, those bytes were in
        // the caller's stream, a document that looks whole but carries no signature
        Path input = Files.write(dir.resolve("changing.bin"), "?văn bản".getBytes(StandardCharsets.UTF_8));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (Signer signer = signer(Kyso.discover())) {
            assertThrows(IOException.class, () -> new AppendedSignatureFormat().sign(Document.of(input), signer,
                    SignOptions.defaults(), out));
            assertEquals(0, out.size());
            // a file that completes is written whole
            Path good = Files.write(dir.resolve("good.bin"), new byte[] {1, 2, 3});
            new AppendedSignatureFormat().sign(Document.of(good), signer, SignOptions.defaults(), out);
            assertEquals(3 + 256, out.size());
        }
    }
}
