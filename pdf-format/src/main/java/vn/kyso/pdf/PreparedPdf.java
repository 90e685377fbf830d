package vn.kyso.pdf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.pdfwriter.COSWriter;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import vn.kyso.DigestAlgorithm;
import vn.kyso.Document;
import vn.kyso.SigningFailedException;

/**
 * A document with its signature's incremental update written and the /Contents hole still zero:
 * the original bytes are not copied, only the update (a few kilobytes) is kept, and the signed
 * document is the original followed by the update with the CMS filled in. Single use, not
 * thread-safe.
 *
 * <p>The update is what {@link PDDocument#saveIncrementalForExternalSigning} writes, through a
 * {@link COSWriter} that writes the zero placeholder in one piece (PDFBox writes it a hex digit
 * at a time, which was most of the time spent saving). Fonts loaded into the signed document with
 * subsetting must be subset by the caller first: PDFBox's own save does that, this one cannot.
 */
final class PreparedPdf {
    private static final byte[] RESERVED_BYTE_RANGE = "[0 1000000000 1000000000 1000000000]"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final int BUFFER = 1 << 16;

    private final Document original;
    private final long originalLength;
    private final boolean checkOriginal;
    private final long originalChecksum;
    private final byte[] update;
    private final int[] byteRange;
    private final byte[] contentDigest;
    private boolean written;

    private PreparedPdf(Document original, long originalLength, boolean checkOriginal, long originalChecksum,
            byte[] update, int[] byteRange, byte[] contentDigest) {
        this.original = original;
        this.originalLength = originalLength;
        this.checkOriginal = checkOriginal;
        this.originalChecksum = originalChecksum;
        this.update = update;
        this.byteRange = byteRange;
        this.contentDigest = contentDigest;
    }

    /**
     * Writes the incremental update for {@code signature}, just added to {@code doc} (loaded from
     * {@code source}), and digests what its ByteRange covers.
     */
    static PreparedPdf save(PDDocument doc, PDSignature signature, PdfSource source, DigestAlgorithm digest)
            throws IOException {
        COSString contents = (COSString) signature.getCOSObject().getDictionaryObject(COSName.CONTENTS);
        COSArray byteRangeArray = signature.getCOSObject().getCOSArray(COSName.BYTERANGE);
        long originalLength = source.length();
        PlaceholderWriter writer = new PlaceholderWriter(source.reader(), contents, byteRangeArray,
                doc.isEncrypted() && !doc.isAllSecurityToBeRemoved());
        writer.write(doc);
        byte[] update = writer.update();
        int[] byteRange = signature.getByteRange();
        long end = originalLength + update.length;
        if (writer.contentsStart < originalLength || writer.byteRangeStart < originalLength || byteRange[0] != 0
                || byteRange[1] != writer.contentsStart || byteRange[2] != writer.contentsEnd
                || (long) byteRange[2] + byteRange[3] != end) {
            throw new IllegalStateException("the signature's ByteRange " + Arrays.toString(byteRange)
                    + " does not match where its /Contents was written; this is a kyso bug, please report it");
        }
        int at = (int) (writer.byteRangeStart - originalLength);
        if (!Arrays.equals(update, at, at + RESERVED_BYTE_RANGE.length, RESERVED_BYTE_RANGE, 0,
                RESERVED_BYTE_RANGE.length)) {
            throw new IllegalStateException("the reserved ByteRange is not where it was written; this is a kyso bug");
        }
        // the same text PDFBox puts in its own copy: "[0 a b c]" padded with spaces to the reserved width
        byte[] text = ("[0 " + byteRange[1] + " " + byteRange[2] + " " + byteRange[3] + "]")
                .getBytes(StandardCharsets.US_ASCII);
        Arrays.fill(update, at, at + RESERVED_BYTE_RANGE.length, (byte) ' ');
        System.arraycopy(text, 0, update, at, text.length);

        MessageDigest md = messageDigest(digest);
        long checksum = source.digest(md);
        int holeStart = (int) (byteRange[1] - originalLength);
        int holeEnd = (int) (byteRange[2] - originalLength);
        md.update(update, 0, holeStart);
        md.update(update, holeEnd, update.length - holeEnd);
        return new PreparedPdf(source.document(), originalLength, !source.immutable(), checksum, update, byteRange,
                md.digest());
    }

    /**
     * A prepared document rebuilt from a saved state: the update as it was written, over
     * {@code original}, which is read once here to digest what the ByteRange covers (a file is read
     * again on completion and must not have changed in between).
     *
     * @return null when {@code update} and {@code byteRange} do not fit {@code original}
     */
    static PreparedPdf resumed(Document original, byte[] update, int[] byteRange, DigestAlgorithm digest)
            throws IOException {
        long originalLength = original.size();
        long end = originalLength + update.length;
        if (byteRange.length != 4 || byteRange[0] != 0 || byteRange[1] < originalLength || byteRange[2] <= byteRange[1]
                || (long) byteRange[2] + byteRange[3] != end || byteRange[3] < 0
                || (byteRange[2] - byteRange[1]) % 2 != 0) {
            return null;
        }
        MessageDigest md = messageDigest(digest);
        CRC32C crc = new CRC32C();
        long read = 0;
        try (InputStream in = original.open()) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
                crc.update(buffer, 0, n);
                read += n;
            }
        }
        if (read != originalLength) {
            return null;
        }
        int holeStart = (int) (byteRange[1] - originalLength);
        int holeEnd = (int) (byteRange[2] - originalLength);
        md.update(update, 0, holeStart);
        md.update(update, holeEnd, update.length - holeEnd);
        return new PreparedPdf(original, originalLength, original.file().isPresent(), crc.getValue(), update.clone(),
                byteRange.clone(), md.digest());
    }

    /** The update with its /Contents hole still empty, for a saved state; only before {@link #writeSigned}. */
    byte[] update() {
        if (written) {
            throw new IllegalStateException("this prepared document was already written");
        }
        return update.clone();
    }

    /** Whether the original's bytes are checked when copied (a file), and they still match now. */
    void checkUnchanged() throws IOException, SigningFailedException {
        if (checkOriginal) {
            copyOriginal(OutputStream.nullOutputStream());
        }
    }

    Document original() {
        return original;
    }

    int[] byteRange() {
        return byteRange.clone();
    }

    byte[] contentDigest() {
        return contentDigest.clone();
    }

    /** How many bytes of CMS fit in the /Contents hole. */
    int room() {
        return (byteRange[2] - byteRange[1] - 2) / 2;
    }

    /**
     * Writes the signed document to {@code out}: the original, then the update with {@code cms} in
     * its /Contents. A file that changed since {@link #save} fails before the update is written.
     */
    void writeSigned(byte[] cms, OutputStream out) throws IOException, SigningFailedException {
        if (written) {
            throw new IllegalStateException("this prepared document was already written");
        }
        if (cms.length > room()) {
            throw new IllegalArgumentException("the CMS needs " + cms.length + " bytes but " + room() + " were reserved");
        }
        written = true;
        int at = (int) (byteRange[1] - originalLength) + 1;
        for (byte b : cms) {
            update[at++] = HEX[(b >> 4) & 0xF];
            update[at++] = HEX[b & 0xF];
        }
        copyOriginal(out);
        out.write(update);
    }

    private void copyOriginal(OutputStream out) throws IOException, SigningFailedException {
        try (InputStream in = original.open()) {
            if (!checkOriginal) {
                in.transferTo(out);
                return;
            }
            CRC32C crc = new CRC32C();
            byte[] buffer = new byte[BUFFER];
            long copied = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
                out.write(buffer, 0, n);
                copied += n;
            }
            if (copied != originalLength || crc.getValue() != originalChecksum) {
                throw new SigningFailedException(PadesFormat.ID, original.name() + " changed on disk while its signature "
                        + "was being made, so the signature would not match it; nothing signed was written (discard any "
                        + "partial output) — sign it again");
            }
        }
    }

    private static MessageDigest messageDigest(DigestAlgorithm digest) {
        try {
            return MessageDigest.getInstance(digest.jcaName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(digest + " is missing from this JVM", e);
        }
    }

    /**
     * PDFBox's incremental writer, told where the signature's /Contents and /ByteRange go. The zero
     * placeholder is written in one call; in an encrypted document PDFBox writes it as usual.
     */
    private static final class PlaceholderWriter extends COSWriter {
        private final COSString contents;
        private final COSArray byteRange;
        private final boolean encrypted;
        long contentsStart = -1;
        long contentsEnd = -1;
        long byteRangeStart = -1;

        PlaceholderWriter(RandomAccessRead original, COSString contents, COSArray byteRange, boolean encrypted)
                throws IOException {
            // the output gets the original and the update only on writeExternalSignature, never called here
            super(OutputStream.nullOutputStream(), original);
            this.contents = contents;
            this.byteRange = byteRange;
            this.encrypted = encrypted;
        }

        @Override
        public void visitFromString(COSString string) throws IOException {
            if (string != contents) {
                super.visitFromString(string);
                return;
            }
            contentsStart = getStandardOutput().getPos();
            if (encrypted) {
                super.visitFromString(string);
            } else {
                byte[] zeros = new byte[2 * string.getBytes().length + 2];
                Arrays.fill(zeros, (byte) '0');
                zeros[0] = '<';
                zeros[zeros.length - 1] = '>';
                getStandardOutput().write(zeros);
            }
            contentsEnd = getStandardOutput().getPos();
        }

        @Override
        public void visitFromArray(COSArray array) throws IOException {
            if (array == byteRange) {
                byteRangeStart = getStandardOutput().getPos();
            }
            super.visitFromArray(array);
        }

        /** The bytes of the update as written, the ByteRange still reserved. */
        byte[] update() {
            return ((ByteArrayOutputStream) getOutput()).toByteArray();
        }
    }
}
