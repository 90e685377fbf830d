package vn.kyso.spi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import vn.kyso.Document;
import vn.kyso.PendingStateException.Reason;
import vn.kyso.PendingStateException;

/**
 * The envelope of a saved {@link vn.kyso.PendingSignature}, shared by the formats so that every
 * state is checked the same way on resume: a magic, the envelope version, the format id and the
 * format's own encoding version, the SHA-256 and length of the original document, the format's
 * body, and a SHA-256 of all that, which refuses a truncated or altered state before anything is
 * parsed. For format plugins; applications use {@code save()} and {@code resume()}.
 */
public final class PendingState {
    private static final byte[] MAGIC = {'K', 'Y', 'S', 'O', '-', 'P', 'S'};
    private static final int ENVELOPE_VERSION = 1;
    private static final int DIGEST_LENGTH = 32;

    /** A state opened and checked against its document: the format's version and body. */
    public record Opened(int formatVersion, Reader body) {
    }

    private PendingState() {
    }

    /**
     * Seals {@code body} for {@code original}, reading the whole document to digest it. A format
     * whose document is a file checks first that it did not change since it was prepared.
     */
    public static byte[] seal(String formatId, int formatVersion, Document original, Writer body)
            throws IOException {
        Digested document = digest(original);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeByte(ENVELOPE_VERSION);
        byte[] id = formatId.getBytes(StandardCharsets.UTF_8);
        out.writeInt(id.length);
        out.write(id);
        out.writeInt(formatVersion);
        out.writeLong(document.length());
        out.write(document.sha256());
        byte[] b = body.toByteArray();
        out.writeInt(b.length);
        out.write(b);
        out.flush();
        byte[] sealed = bytes.toByteArray();
        byte[] check = sha256().digest(sealed);
        byte[] result = Arrays.copyOf(sealed, sealed.length + DIGEST_LENGTH);
        System.arraycopy(check, 0, result, sealed.length, DIGEST_LENGTH);
        return result;
    }

    /**
     * {@code url} as text for a state, which must hold no secret: a URL with user-info (a password
     * for the timestamp service) is refused rather than saved in the clear.
     *
     * @throws IllegalStateException when {@code url} carries user-info
     */
    public static String publicUrl(java.net.URI url) {
        if (url.getRawUserInfo() != null) {
            throw new IllegalStateException("the URL " + url.getHost() + " carries a user name or password, which a"
                    + " saved state would hold in the clear: give the service's credentials another way");
        }
        return url.toString();
    }

    /**
     * Opens a state for format {@code formatId}, refusing it unless it is whole, of that format, of
     * a version at most {@code maxFormatVersion}, and made for {@code original} (read once here).
     */
    public static Opened open(String formatId, int maxFormatVersion, Document original, byte[] state)
            throws PendingStateException, IOException {
        if (state == null || state.length < MAGIC.length + 1 + DIGEST_LENGTH
                || !Arrays.equals(state, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new PendingStateException(formatId, Reason.CORRUPT, "this is not a saved kyso signature state"
                    + " (it is empty, truncated or something else); nothing was written: prepare the document again");
        }
        if (state[MAGIC.length] != ENVELOPE_VERSION) {
            throw unsupported(formatId, "envelope " + state[MAGIC.length]);
        }
        int end = state.length - DIGEST_LENGTH;
        MessageDigest md = sha256();
        md.update(state, 0, end);
        if (!MessageDigest.isEqual(md.digest(), Arrays.copyOfRange(state, end, state.length))) {
            throw corrupt(formatId);
        }
        Reader in = new Reader(formatId, ByteBuffer.wrap(state, MAGIC.length + 1, end - MAGIC.length - 1));
        String savedFormat = in.string();
        if (!savedFormat.equals(formatId)) {
            throw new PendingStateException(formatId, Reason.OTHER_FORMAT, "this state was saved by format \""
                    + savedFormat + "\", not \"" + formatId + "\": resume it with kyso.format(\"" + savedFormat
                    + "\"); nothing was written");
        }
        int version = in.integer();
        if (version < 1 || version > maxFormatVersion) {
            throw unsupported(formatId, formatId + " " + version);
        }
        long length = in.longValue();
        byte[] documentDigest = in.fixed(DIGEST_LENGTH);
        Digested document = digest(original);
        if (length != document.length() || !MessageDigest.isEqual(documentDigest, document.sha256())) {
            throw new PendingStateException(formatId, Reason.OTHER_DOCUMENT, original.name() + " is not the document"
                    + " this signature was prepared for (or it changed since): give the original, unchanged document;"
                    + " nothing was written");
        }
        Reader body = new Reader(formatId, ByteBuffer.wrap(in.bytes()));
        return new Opened(version, body);
    }

    private static PendingStateException unsupported(String formatId, String version) {
        return new PendingStateException(formatId, Reason.UNSUPPORTED_VERSION, "this state was saved in an encoding"
                + " (" + version + ") this kyso version does not read: complete it with the version that saved it,"
                + " or prepare the document again; nothing was written");
    }

    static PendingStateException corrupt(String formatId) {
        return new PendingStateException(formatId, Reason.CORRUPT, "this saved signature state is damaged or was"
                + " altered (its digest does not match); nothing was written: prepare the document again");
    }

    /** The SHA-256 and length of a document, from one read of it. */
    private record Digested(byte[] sha256, long length) {
    }

    private static Digested digest(Document document) throws IOException {
        MessageDigest md = sha256();
        byte[] buffer = new byte[1 << 16];
        long length = 0;
        try (InputStream in = document.open()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
                length += n;
            }
        }
        return new Digested(md.digest(), length);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Writes a format's body: numbers, strings and length-prefixed bytes. */
    public static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        /** A 32-bit number. */
        public Writer integer(int v) {
            return run(() -> out.writeInt(v));
        }

        /** A 64-bit number. */
        public Writer longValue(long v) {
            return run(() -> out.writeLong(v));
        }

        /** A flag. */
        public Writer bool(boolean v) {
            return run(() -> out.writeBoolean(v));
        }

        /** A string of any length, UTF-8. */
        public Writer string(String v) {
            return bytes(v.getBytes(StandardCharsets.UTF_8));
        }

        /** A certificate chain: its length, then each certificate's DER. */
        public Writer certificates(List<X509Certificate> chain) {
            integer(chain.size());
            for (X509Certificate c : chain) {
                try {
                    bytes(c.getEncoded());
                } catch (CertificateEncodingException e) {
                    throw new IllegalStateException("the signer's certificate cannot be encoded: " + e.getMessage(), e);
                }
            }
            return this;
        }

        /** Bytes, preceded by their length. */
        public Writer bytes(byte[] v) {
            return run(() -> {
                out.writeInt(v.length);
                out.write(v);
            });
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }

        private Writer run(IoAction action) {
            try {
                action.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        private interface IoAction {
            void run() throws IOException;
        }
    }

    /** Reads a body; anything missing or out of bounds is a {@link Reason#CORRUPT} state. */
    public static final class Reader {
        private static final int MAX_CHAIN = 32;
        private final String formatId;
        private final ByteBuffer in;

        Reader(String formatId, ByteBuffer in) {
            this.formatId = formatId;
            this.in = in;
        }

        /** What {@link Writer#integer} wrote. */
        public int integer() throws PendingStateException {
            need(4);
            return in.getInt();
        }

        /** What {@link Writer#longValue} wrote. */
        public long longValue() throws PendingStateException {
            need(8);
            return in.getLong();
        }

        /** What {@link Writer#bool} wrote. */
        public boolean bool() throws PendingStateException {
            need(1);
            byte b = in.get();
            if (b != 0 && b != 1) {
                throw corrupt(formatId);
            }
            return b == 1;
        }

        /** What {@link Writer#string} wrote. */
        public String string() throws PendingStateException {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        /** What {@link Writer#bytes} wrote; a length beyond the state is refused before anything is allocated. */
        public byte[] bytes() throws PendingStateException {
            int n = integer();
            if (n < 0) {
                throw corrupt(formatId);
            }
            return fixed(n);
        }

        /** What {@link Writer#certificates} wrote: one to {@value #MAX_CHAIN} certificates. */
        public List<X509Certificate> certificates() throws PendingStateException {
            int n = integer();
            if (n < 1 || n > MAX_CHAIN) {
                throw corrupt(formatId);
            }
            List<X509Certificate> chain = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] der = bytes();
                try {
                    chain.add((X509Certificate) CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der)));
                } catch (CertificateException | RuntimeException e) {
                    throw corrupt(formatId);
                }
            }
            return chain;
        }

        /** A value of an enum by its name. */
        public <E extends Enum<E>> E enumValue(Class<E> type) throws PendingStateException {
            String name = string();
            try {
                return Enum.valueOf(type, name);
            } catch (IllegalArgumentException e) {
                throw corrupt(formatId);
            }
        }

        /** Checks that the whole body was read. */
        public void end() throws PendingStateException {
            if (in.hasRemaining()) {
                throw corrupt(formatId);
            }
        }

        byte[] fixed(int n) throws PendingStateException {
            need(n);
            byte[] b = new byte[n];
            in.get(b);
            return b;
        }

        private void need(int n) throws PendingStateException {
            if (in.remaining() < n) {
                throw corrupt(formatId);
            }
        }
    }
}
