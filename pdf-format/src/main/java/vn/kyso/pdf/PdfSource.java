package vn.kyso.pdf;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.zip.CRC32C;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;

/**
 * The document being signed, opened once for PDFBox to parse and for the incremental update to
 * follow. In-memory documents are parsed from one copy of their bytes; file-backed ones through a
 * buffered reader, so a scan of hundreds of megabytes never has to fit in the heap. Not thread-safe.
 * Closing it, or the {@link PDDocument} it loaded, closes the reader.
 */
final class PdfSource implements Closeable {
    /**
     * Streams PDFBox creates while signing (an xref stream, appearance streams) stay in the heap up
     * to this many bytes, then spill to a temp file: small documents never touch the disk.
     */
    static final long STREAM_CACHE_IN_MEMORY = 4L << 20;
    private static final int BUFFER = 1 << 16;

    private final Document document;
    private final byte[] bytes;
    private final RandomAccessRead reader;

    private PdfSource(Document document, byte[] bytes, RandomAccessRead reader) {
        this.document = document;
        this.bytes = bytes;
        this.reader = reader;
    }

    /** Opens {@code document}; an unreadable file fails as PadesFormat.load would. */
    static PdfSource open(Document document) throws DocumentMalformedException, IOException {
        try {
            if (document.file().isPresent()) {
                return new PdfSource(document, null, new RandomAccessReadBufferedFile(document.file().get().toFile()));
            }
            byte[] bytes = document.readAllBytes();
            return new PdfSource(document, bytes, new RandomAccessReadBuffer(bytes));
        } catch (IOException e) {
            throw PadesFormat.unreadable(document, e);
        }
    }

    Document document() {
        return document;
    }

    /** The reader PDFBox parses and appends to. */
    RandomAccessRead reader() {
        return reader;
    }

    /** Whether the bytes cannot change until the signed copy is written (an in-memory document). */
    boolean immutable() {
        return bytes != null;
    }

    long length() throws IOException {
        return reader.length();
    }

    /** Parses the document; the returned document closes the reader too. */
    PDDocument load() throws DocumentMalformedException, IOException {
        try {
            return Loader.loadPDF(reader, "", MemoryUsageSetting.setupMixed(STREAM_CACHE_IN_MEMORY).streamCache);
        } catch (IOException e) {
            throw PadesFormat.unreadable(document, e);
        }
    }

    /**
     * Feeds every byte of the original document to {@code md}, without holding a file in the heap,
     * and returns their CRC-32C when they come from a file, to notice a change before the signed
     * copy is written (not a security check: a changed file could not match the signature anyway).
     */
    long digest(MessageDigest md) throws IOException {
        if (bytes != null) {
            md.update(bytes);
            return 0;
        }
        CRC32C crc = new CRC32C();
        long read = 0;
        try (InputStream in = Files.newInputStream(document.file().get())) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
                crc.update(buffer, 0, n);
                read += n;
            }
        }
        if (read != length()) {
            throw new IOException(document.name() + " changed on disk while it was being read for signing: sign it again");
        }
        return crc.getValue();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
