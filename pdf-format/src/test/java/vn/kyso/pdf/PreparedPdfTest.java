package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.Calendar;
import java.util.List;
import java.util.Random;
import java.util.TimeZone;
import java.util.stream.Stream;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.ExternalSigningSupport;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import vn.kyso.DigestAlgorithm;
import vn.kyso.Document;
import vn.kyso.KysoException;
import vn.kyso.PendingSignature;
import vn.kyso.SignOptions;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;
import vn.kyso.SigningFailedException;
import vn.kyso.ValidationPolicy;
import vn.kyso.testkit.TestPki;

/**
 * The prepared update is exactly what PDFBox's own external signing writes, on every kind of
 * input, and a file that changes before completion never gets a signed update.
 */
class PreparedPdfTest {
    private static final long DOCUMENT_ID = 20_250_314L;
    private static TestPki pki;
    private static Signer signer;
    private static Path dir;

    @BeforeContainer
    static void start() throws Exception {
        pki = TestPki.start();
        dir = Files.createTempDirectory("kyso-prepared");
        signer = TestPdfs.signer(pki.person(), dir);
    }

    @AfterContainer
    static void stop() throws IOException {
        signer.close();
        pki.close();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Property(tries = 40)
    void theSignedPdfIsByteForByteWhatPdfboxExternalSigningWrites(@ForAll @IntRange(min = 1, max = 30) int pages,
            @ForAll boolean xrefStream, @ForAll @IntRange(min = 0, max = 2) int earlierSignatures,
            @ForAll boolean visible, @ForAll boolean encrypted, @ForAll boolean fromFile, @ForAll long seed)
            throws Exception {
        byte[] input = generated(pages, xrefStream, encrypted, earlierSignatures);
        byte[] cms = new byte[3000 + new Random(seed).nextInt(3000)];
        new Random(seed).nextBytes(cms);
        byte[] template = visible ? template() : null;

        Document document = fromFile ? Document.of(Files.write(dir.resolve("in-" + seed + ".pdf"), input))
                : Document.of(input, "in.pdf");
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        byte[] ourDigest;
        int[] ourRange;
        try (PdfSource source = PdfSource.open(document); PDDocument doc = source.load();
                SignatureOptions reserve = reserve(template)) {
            PDSignature signature = addSignature(doc, reserve);
            PreparedPdf prepared = PreparedPdf.save(doc, signature, source, DigestAlgorithm.SHA256);
            ourDigest = prepared.contentDigest();
            ourRange = prepared.byteRange();
            prepared.writeSigned(cms, ours);
        }

        ByteArrayOutputStream theirs = new ByteArrayOutputStream();
        byte[] theirDigest;
        int[] theirRange;
        try (PDDocument doc = Loader.loadPDF(input); SignatureOptions reserve = reserve(template)) {
            PDSignature signature = addSignature(doc, reserve);
            ExternalSigningSupport external = doc.saveIncrementalForExternalSigning(theirs);
            theirDigest = MessageDigest.getInstance("SHA-256").digest(external.getContent().readAllBytes());
            theirRange = signature.getByteRange();
            external.setSignature(cms);
        }
        assertArrayEquals(theirRange, ourRange);
        assertArrayEquals(theirDigest, ourDigest);
        assertArrayEquals(theirs.toByteArray(), ours.toByteArray());
    }

    @Example
    void aHandWrittenPdfWithAnXrefTableSignsAndVerifies() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PadesFormat().sign(Document.of(handWritten(), "hand.pdf"), signer, SignOptions.defaults(), out);
        byte[] signed = out.toByteArray();
        assertTrue(new String(signed, StandardCharsets.ISO_8859_1).contains("\nxref\n"), "the update keeps the xref table style");
        assertTrue(new PadesFormat().verify(Document.of(signed, "s.pdf"), policy()).allPassed());
        assertEquals(List.of(true), Pdfsig.integrity(Files.write(dir.resolve("hand-signed.pdf"), signed)));
    }

    @Example
    void anEncryptedPdfWithoutAUserPasswordSignsAndVerifies() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PadesFormat().sign(Document.of(generated(3, true, true, 0), "enc.pdf"), signer, SignOptions.defaults(), out);
        byte[] signed = out.toByteArray();
        assertTrue(new PadesFormat().verify(Document.of(signed, "s.pdf"), policy()).allPassed());
        assertEquals(List.of(true), Pdfsig.integrity(Files.write(dir.resolve("enc-signed.pdf"), signed)));
    }

    @Example
    void aFileChangedWhileItsSignatureIsMadeFailsAndNoTargetIsWritten() throws Exception {
        Path input = Files.write(dir.resolve("changing.pdf"), TestPdfs.letter(2, "Cong van"));
        byte[] edited = Files.readAllBytes(input);
        int at = new String(edited, StandardCharsets.ISO_8859_1).indexOf("/MediaBox");
        edited[at + 1] = 'X';
        Path target = dir.resolve("changing-signed.pdf");
        Signer editing = new EditingSigner(signer, input, edited);
        SigningFailedException e = assertThrows(SigningFailedException.class,
                () -> new PadesFormat().sign(Document.of(input), editing, SignOptions.defaults(), target));
        assertTrue(e.getMessage().contains("changed on disk"), e.getMessage());
        assertFalse(Files.exists(target));
    }

    @Example
    void aFileChangedBeforeCompleteGetsNoSignedUpdateOnAStream() throws Exception {
        byte[] original = TestPdfs.letter(2, "Cong van");
        Path input = Files.write(dir.resolve("changing-stream.pdf"), original);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PendingSignature pending = new PadesFormat().prepare(Document.of(input), signer.chain(),
                SignatureAlgorithm.RSA_SHA256, SignOptions.defaults())) {
            byte[] value = signer.sign(pending.request()).get(0);
            Files.write(input, TestPdfs.letter(2, "Cong vam"));
            assertThrows(SigningFailedException.class, () -> pending.complete(value, out));
        }
        assertTrue(out.size() <= original.length, "the update with the signature was not written");
    }

    @Example
    void aFileBackedDocumentSignsToTheSameBytesAsInMemoryAndIsLeftUntouched() throws Exception {
        byte[] original = TestPdfs.letter(5, "Quyet dinh");
        Path input = Files.write(dir.resolve("same.pdf"), original);
        SignOptions options = SignOptions.builder().clock(java.time.Clock.fixed(TestPki.REFERENCE_TIME,
                TestPki.VIETNAM)).build();
        ByteArrayOutputStream fromFile = new ByteArrayOutputStream();
        ByteArrayOutputStream fromMemory = new ByteArrayOutputStream();
        signPending(Document.of(input), options, fromFile);
        signPending(Document.of(original, "same.pdf"), options, fromMemory);
        assertArrayEquals(original, Files.readAllBytes(input));
        byte[] a = fromFile.toByteArray();
        byte[] b = fromMemory.toByteArray();
        assertEquals(a.length, b.length);
        assertArrayEquals(java.util.Arrays.copyOf(a, original.length), original);
        assertTrue(new PadesFormat().verify(Document.of(a, "a.pdf"), policy()).allPassed());
        assertTrue(new PadesFormat().verify(Document.of(b, "b.pdf"), policy()).allPassed());
    }

    @Example
    void completingAfterCloseIsRefused() throws Exception {
        PendingSignature pending = new PadesFormat().prepare(Document.of(TestPdfs.letter(1, "x"), "x.pdf"),
                signer.chain(), SignatureAlgorithm.RSA_SHA256, SignOptions.defaults());
        byte[] value = signer.sign(pending.request()).get(0);
        pending.close();
        assertThrows(IllegalStateException.class, () -> pending.complete(value, new ByteArrayOutputStream()));
    }

    private static void signPending(Document document, SignOptions options, ByteArrayOutputStream out) throws Exception {
        try (PendingSignature pending = new PadesFormat().prepare(document, signer.chain(), SignatureAlgorithm.RSA_SHA256,
                options)) {
            pending.complete(signer.sign(pending.request()).get(0), out);
        }
    }

    private static ValidationPolicy policy() {
        return ValidationPolicy.builder().trustAnchors(pki.roots()).revocation(ValidationPolicy.Revocation.NONE).build();
    }

    /** A letter in the asked style, optionally encrypted (no user password), with earlier kyso signatures. */
    private static byte[] generated(int pages, boolean xrefStream, boolean encrypted, int signatures) throws Exception {
        byte[] pdf = TestPdfs.letter(pages, "Van ban " + pages);
        if (!xrefStream || encrypted) {
            try (PDDocument doc = Loader.loadPDF(pdf)) {
                if (encrypted) {
                    StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", "", new AccessPermission());
                    policy.setEncryptionKeyLength(128);
                    doc.protect(policy);
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                doc.save(out, xrefStream ? CompressParameters.DEFAULT_COMPRESSION : CompressParameters.NO_COMPRESSION);
                pdf = out.toByteArray();
            }
        }
        for (int i = 0; i < signatures; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new PadesFormat().sign(Document.of(pdf, "earlier.pdf"), signer, SignOptions.defaults(), out);
            pdf = out.toByteArray();
        }
        return pdf;
    }

    private static byte[] template() throws IOException {
        PadesOptions options = PadesOptions.builder().place(1, 330, 120, 180, 60).text("Giám đốc\nNguyễn Văn Ánh").build();
        return Appearance.template(org.apache.pdfbox.pdmodel.common.PDRectangle.A4, options,
                OffsetDateTime.of(2025, 3, 14, 9, 30, 0, 0, TestPki.VIETNAM), "Nguyễn Văn Ánh").readAllBytes();
    }

    private static SignatureOptions reserve(byte[] template) throws IOException {
        SignatureOptions reserve = new SignatureOptions();
        reserve.setPreferredSignatureSize(9000);
        if (template != null) {
            reserve.setVisualSignature(new ByteArrayInputStream(template));
            reserve.setPage(0);
        }
        return reserve;
    }

    private static PDSignature addSignature(PDDocument doc, SignatureOptions reserve) throws IOException {
        PDSignature signature = new PDSignature();
        signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
        signature.setSubFilter(COSName.getPDFName("ETSI.CAdES.detached"));
        signature.setName("Nguyễn Văn Ánh");
        Calendar time = Calendar.getInstance(TimeZone.getTimeZone(PadesFormat.VIETNAM));
        time.setTimeInMillis(TestPki.REFERENCE_TIME.toEpochMilli());
        signature.setSignDate(time);
        doc.setDocumentId(DOCUMENT_ID);
        doc.addSignature(signature, reserve);
        return signature;
    }

    /** A one-page PDF written by hand as another producer would: classic xref table, no PDFBox. */
    private static byte[] handWritten() {
        String[] objects = {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
            "<< /Length 17 >>\nstream\n0 0 m 100 100 l S\nendstream",
        };
        StringBuilder pdf = new StringBuilder("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        int[] offsets = new int[objects.length];
        for (int i = 0; i < objects.length; i++) {
            offsets[i] = pdf.length();
            pdf.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
        }
        int xref = pdf.length();
        pdf.append("xref\n0 ").append(objects.length + 1).append("\n0000000000 65535 f \n");
        for (int offset : offsets) {
            pdf.append(String.format("%010d 00000 n \n", offset));
        }
        pdf.append("trailer\n<< /Size ").append(objects.length + 1).append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        return pdf.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A real signer whose user edits the file while the signature is being confirmed. */
    private static final class EditingSigner extends vn.kyso.testkit.ForwardingSigner {
        private final Path file;
        private final byte[] edited;

        EditingSigner(Signer delegate, Path file, byte[] edited) {
            super(delegate);
            this.file = file;
            this.edited = edited;
        }

        @Override
        public List<byte[]> sign(SignRequest request) throws KysoException {
            try {
                Files.write(file, edited);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return delegate().sign(request);
        }
    }
}
