package vn.kyso;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A document to sign or verify: bytes in memory or a file on disk. File-backed documents are
 * read as streams, so a scan of hundreds of megabytes never has to fit in the heap.
 *
 * <p>Immutable. kyso never writes to the file a document was made from.
 */
public final class Document {
    private final String name;
    private final byte[] bytes;
    private final Path file;

    private Document(String name, byte[] bytes, Path file) {
        this.name = name;
        this.bytes = bytes;
        this.file = file;
    }

    /** A document held in memory; the bytes are copied. */
    public static Document of(byte[] bytes, String name) {
        Objects.requireNonNull(bytes, "bytes must not be null");
        Objects.requireNonNull(name, "name must not be null");
        return new Document(name, bytes.clone(), null);
    }

    /** The most an upload read with {@link #of(InputStream, String)} may hold: larger ones belong in a file. */
    public static final int MAX_IN_MEMORY = 256 << 20;

    /**
     * A document read once from {@code in} (an upload, a message body) into memory, for callers
     * whose documents never touch a file; {@code in} is read to its end and not closed.
     *
     * @throws IOException when reading fails, or the stream holds more than {@link #MAX_IN_MEMORY} bytes
     */
    public static Document of(InputStream in, String name) throws IOException {
        return of(in, name, MAX_IN_MEMORY);
    }

    static Document of(InputStream in, String name, int max) throws IOException {
        Objects.requireNonNull(in, "in must not be null");
        Objects.requireNonNull(name, "name must not be null");
        byte[] bytes = in.readNBytes(max);
        if (bytes.length == max && in.read() != -1) {
            throw new IOException(name + " is larger than " + max + " bytes: save it to a file and use Document.of(Path)");
        }
        return new Document(name, bytes, null);
    }

    /**
     * A document read from {@code file} each time it is opened.
     *
     * @throws IllegalArgumentException when the file does not exist or is a directory
     */
    public static Document of(Path file) {
        Objects.requireNonNull(file, "file must not be null");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file.toAbsolutePath());
        }
        return new Document(file.getFileName().toString(), null, file);
    }

    /** The file or display name, e.g. {@code 2806-SCT-VP.pdf}. */
    public String name() {
        return name;
    }

    /** The file behind this document, when it is file-backed. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** Size in bytes. */
    public long size() throws IOException {
        return bytes != null ? bytes.length : Files.size(file);
    }

    /** A new stream over the whole content; the caller closes it. */
    public InputStream open() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    /** Up to {@code n} first bytes, for recognising a format without reading everything. */
    public byte[] head(int n) throws IOException {
        if (bytes != null) {
            return Arrays.copyOf(bytes, Math.min(n, bytes.length));
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        }
    }

    /**
     * The whole content. For file-backed documents this reads the file; formats that can
     * stream should prefer {@link #open()}.
     */
    public byte[] readAllBytes() throws IOException {
        return bytes != null ? bytes.clone() : Files.readAllBytes(file);
    }

    @Override
    public String toString() {
        return "Document[" + name + (file != null ? " at " + file : ", in memory") + "]";
    }
}
