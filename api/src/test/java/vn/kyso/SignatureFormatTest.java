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
}
