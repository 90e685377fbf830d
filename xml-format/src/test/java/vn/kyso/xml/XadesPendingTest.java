package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Document;
import vn.kyso.KysoException;
import vn.kyso.PendingSignature;
import vn.kyso.SignOptions;
import vn.kyso.SignRequest;
import vn.kyso.SignatureFormat;
import vn.kyso.Signer;
import vn.kyso.SigningFailedException;
import vn.kyso.testkit.ForwardingSigner;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

/** Completion of an XML signature: what it writes when the input file changed after it was scanned. */
@ExtendWith(TestPkiExtension.class)
class XadesPendingTest {
    private static final SignOptions SELLER = SigningFixtures.options(XmlOptions.Profile.INVOICE_SELLER);

    @TempDir
    Path dir;

    private final XadesFormat format = new XadesFormat();

    /** Rewrites {@code file} with one same-length replacement and puts its modification time back. */
    private static void rewriteKeepingSizeAndTime(Path file, String from, String to) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            String xml = Files.readString(file, StandardCharsets.UTF_8);
            int at = xml.lastIndexOf(from);
            assertTrue(at >= 0 && from.length() == to.length(), from);
            Files.writeString(file, xml.substring(0, at) + to + xml.substring(at + from.length()), StandardCharsets.UTF_8);
            Files.setLastModifiedTime(file, modified);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A real signer during whose work (a person confirming on a phone) the input file is edited. */
    private static Signer editingWhileSigning(Signer real, Path file, String from, String to) {
        return new ForwardingSigner(real) {
            @Override
            public List<byte[]> sign(SignRequest request) throws KysoException {
                rewriteKeepingSizeAndTime(file, from, to);
                return delegate().sign(request);
            }
        };
    }

    /** The spooled copies present in the temporary directory now. */
    private static java.util.Set<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("kyso-signed-"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    /** Spooled copies made since {@code before} and not deleted. */
    private static java.util.Set<Path> leftSince(java.util.Set<Path> before) throws IOException {
        java.util.Set<Path> left = spoolFiles();
        left.removeAll(before);
        return left;
    }

    @Test
    void aFileChangedWithItsSizeAndModificationTimeKeptIsNotSigned(TestPki pki) throws Exception {
        // the price of the first goods line goes from 1,500,000 to 9,500,000 after the digest was computed,
        // with size and modification time kept: before, completion wrote the edited invoice with a
        // signature over the old one, which no verifier accepts
        Path input = Files.writeString(dir.resolve("hd.xml"), SigningFixtures.invoice(3), StandardCharsets.UTF_8);
        try (Signer real = SigningFixtures.signer(pki.invoiceSeller(), dir);
                PendingSignature pending = format.prepare(Document.of(input), real.chain(),
                        SignatureFormat.algorithmFor(real, SELLER), SELLER)) {
            byte[] value = real.sign(pending.request()).get(0);
            rewriteKeepingSizeAndTime(input, "<DGia>1500000</DGia>", "<DGia>9500000</DGia>");
            SigningFailedException e = assertThrows(SigningFailedException.class,
                    () -> pending.complete(value, OutputStream.nullOutputStream()));
            assertTrue(e.getMessage().contains("changed between preparing and completing"), e.getMessage());
        }
        // the same edit made while the signer works, signing into a file: no file appears
        Files.writeString(input, SigningFixtures.invoice(3), StandardCharsets.UTF_8);
        Path target = dir.resolve("hd-signed.xml");
        try (Signer real = SigningFixtures.signer(pki.invoiceSeller(), dir)) {
            Signer editing = editingWhileSigning(real, input, "<DGia>1500000</DGia>", "<DGia>9500000</DGia>");
            assertThrows(SigningFailedException.class, () -> format.sign(Document.of(input), editing, SELLER, target));
        }
        assertTrue(Files.notExists(target));
    }

    @Test
    void aSlotEditedWhileTheSignerWaitsFailsWithNothingWrittenToTheStream(TestPki pki) throws Exception {
        // the signature's place </NBan> becomes </NXan> while the signer works: before, the copy up to the
        // place was already in the caller's stream when completion found it, a half-written invoice
        Path input = Files.writeString(dir.resolve("hd.xml"), SigningFixtures.invoice(3), StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Signer real = SigningFixtures.signer(pki.invoiceSeller(), dir)) {
            Signer editing = editingWhileSigning(real, input, "<NBan></NBan>", "<NBan></NXan>");
            assertThrows(SigningFailedException.class, () -> format.sign(Document.of(input), editing, SELLER, out));
        }
        assertEquals(0, out.size(), "nothing may reach the stream");
    }

    @Test
    void aLargeFileChangedLateIsCaughtAfterTheWholeCopyAndStillNothingIsWritten(TestPki pki) throws Exception {
        // 7,000 goods lines (about 2.3 MB): the signed copy is held back in a temporary file, not the heap;
        // the change is found only when the copy ends, and the caller's stream still receives nothing
        Path input = Files.writeString(dir.resolve("hd-large.xml"), SigningFixtures.invoice(7000), StandardCharsets.UTF_8);
        assertTrue(Files.size(input) > 1 << 20, "more than SignatureFormat holds back in memory");
        java.util.Set<Path> spooledBefore = spoolFiles();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Signer real = SigningFixtures.signer(pki.invoiceSeller(), dir)) {
            Signer editing = editingWhileSigning(real, input, "<STT>6999</STT>", "<STT>6990</STT>");
            assertThrows(SigningFailedException.class, () -> format.sign(Document.of(input), editing, SELLER, out));
            assertEquals(0, out.size(), "nothing may reach the stream");
            assertEquals(java.util.Set.of(), leftSince(spooledBefore), "the temporary copy is deleted");
            // unchanged, the same large file signs through the same path and verifies
            format.sign(Document.of(input), real, SELLER, out);
        }
        assertTrue(format.verify(Document.of(out.toByteArray(), "hd-large.xml"), XadesFormatTest.policy(pki)).allPassed());
        assertEquals(java.util.Set.of(), leftSince(spooledBefore), "the temporary copy is deleted");
    }

    @Test
    void aDocumentInMemoryIsWrittenStraightToTheStreamAndVerifies(TestPki pki) throws Exception {
        // bytes in memory cannot change, so they need no held-back copy; the place is checked before writing
        byte[] xml = SigningFixtures.invoice(2).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Signer real = SigningFixtures.signer(pki.invoiceSeller(), dir)) {
            format.sign(Document.of(xml, "hd.xml"), real, SELLER, out);
        }
        assertTrue(format.verify(Document.of(out.toByteArray(), "hd.xml"), XadesFormatTest.policy(pki)).allPassed());
    }
}
