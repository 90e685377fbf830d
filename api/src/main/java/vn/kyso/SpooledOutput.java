package vn.kyso;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Holds a signed document until all of it is written and checked, in memory up to
 * {@link #IN_MEMORY} bytes and in a temporary file beyond, so a failure found while writing (the
 * input file changed on disk) leaves the caller's stream untouched. {@link #close()} deletes the
 * file. Not thread-safe.
 */
final class SpooledOutput extends OutputStream {
    /** Invoices and letters are tens of kilobytes; a 20 MB file goes to disk instead of the heap. */
    static final int IN_MEMORY = 1 << 20;

    private final ByteArrayOutputStream memory;
    private Path file;
    private OutputStream fileOut;

    /** @param expected the likely size, to size the memory buffer once */
    SpooledOutput(long expected) {
        this.memory = new ByteArrayOutputStream((int) Math.min(Math.max(expected, 256), IN_MEMORY));
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (fileOut == null && memory.size() + (long) len > IN_MEMORY) {
            file = Files.createTempFile("kyso-signed-", ".part");
            fileOut = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            memory.writeTo(fileOut);
            memory.reset();
        }
        if (fileOut != null) {
            fileOut.write(b, off, len);
        } else {
            memory.write(b, off, len);
        }
    }

    /** Copies everything written to {@code out}. */
    void copyTo(OutputStream out) throws IOException {
        if (fileOut == null) {
            memory.writeTo(out);
            return;
        }
        fileOut.close();
        Files.copy(file, out);
    }

    @Override
    public void close() throws IOException {
        try {
            if (fileOut != null) {
                fileOut.close();
            }
        } finally {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }
}
