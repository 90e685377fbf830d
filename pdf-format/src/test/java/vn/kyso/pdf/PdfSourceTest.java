package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.zip.CRC32C;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;

/** The document being signed is read once for PDFBox and digested exactly as it is on disk or in memory. */
class PdfSourceTest {
    @TempDir
    Path dir;

    @Test
    void aFileDigestsLikeItsBytesAndGivesItsCrc() throws Exception {
        byte[] pdf = TestPdfs.letter(3, "Thong bao");
        Path file = Files.write(dir.resolve("a.pdf"), pdf);
        MessageDigest fromFile = MessageDigest.getInstance("SHA-256");
        MessageDigest fromMemory = MessageDigest.getInstance("SHA-256");
        long crc;
        try (PdfSource source = PdfSource.open(Document.of(file))) {
            assertFalse(source.immutable());
            assertEquals(pdf.length, source.length());
            crc = source.digest(fromFile);
        }
        try (PdfSource source = PdfSource.open(Document.of(pdf, "a.pdf"))) {
            assertTrue(source.immutable());
            assertEquals(0, source.digest(fromMemory));
        }
        CRC32C expected = new CRC32C();
        expected.update(pdf);
        assertEquals(expected.getValue(), crc);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(pdf), fromFile.digest());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(pdf), fromMemory.digest());
    }

    @Test
    void aFileThatGrowsAfterOpeningFailsToDigest() throws Exception {
        Path file = Files.write(dir.resolve("b.pdf"), TestPdfs.letter(1, "x"));
        try (PdfSource source = PdfSource.open(Document.of(file))) {
            Files.write(file, new byte[] {'\n'}, StandardOpenOption.APPEND);
            IOException e = assertThrows(IOException.class, () -> source.digest(MessageDigest.getInstance("SHA-256")));
            assertTrue(e.getMessage().contains("changed on disk"), e.getMessage());
        }
    }

    @Test
    void garbageIsADocumentMalformedErrorAndTheReaderIsClosed() throws Exception {
        Path file = Files.write(dir.resolve("c.pdf"), "%PDF-1.7\nnot really a pdf".getBytes());
        for (Document document : new Document[] {Document.of(file), Document.of(Files.readAllBytes(file), "c.pdf")}) {
            PdfSource source = PdfSource.open(document);
            assertThrows(DocumentMalformedException.class, source::load);
            source.close();
            assertTrue(source.reader().isClosed());
        }
    }

    @Test
    void theLoadedDocumentReadsTheSamePages() throws Exception {
        Path file = Files.write(dir.resolve("d.pdf"), TestPdfs.letter(4, "Bao cao"));
        try (PdfSource source = PdfSource.open(Document.of(file)); PDDocument doc = source.load()) {
            assertEquals(4, doc.getNumberOfPages());
        }
    }
}
