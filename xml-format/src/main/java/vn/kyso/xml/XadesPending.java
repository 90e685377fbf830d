package vn.kyso.xml;

import java.io.IOException;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import vn.kyso.BaselineLevel;
import vn.kyso.DigestAlgorithm;
import vn.kyso.Document;
import vn.kyso.PendingStateException;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.spi.PendingState;
import vn.kyso.KysoException;
import vn.kyso.PendingSignature;
import vn.kyso.SignOptions;
import vn.kyso.SignRequest;
import vn.kyso.SigningFailedException;
import vn.kyso.internal.validation.Net;

/**
 * An XML document scanned for signing: the digest of its canonical SignedInfo is the request; on
 * completion the signature is checked, timestamped if asked, and written into the copy of the
 * input at the slot, every other byte unchanged. Every check that can fail is made before the first
 * byte is written, except for a file-backed input, whose copy is compared with the CRC-32C of the
 * bytes scanned: an input changed since (even with its size and modification time kept) fails at the
 * end of the copy, and {@link vn.kyso.SignatureFormat} discards the output. Holds no temporary file.
 */
final class XadesPending implements PendingSignature {
    static final int STATE_VERSION = 1;
    private final Document document;
    private final long size;
    private final FileTime modified;
    /** CRC-32C of the input as scanned: a change that keeps size and modification time is caught too. */
    private final long checksum;
    private final SlotLocator.Insertion insertion;
    private final String slotQname;
    private final SignatureTemplate template;
    private final List<X509Certificate> chain;
    private final SignRequest request;
    private final SignOptions options;
    private final boolean timestamp;
    private final XmlOptions xml;
    private final Instant signingTime;
    private boolean completed;

    XadesPending(Document document, long size, FileTime modified, long checksum, SlotLocator.Insertion insertion,
            String slotQname, SignatureTemplate template, List<X509Certificate> chain, SignRequest request,
            SignOptions options, boolean timestamp, XmlOptions xml, Instant signingTime) {
        this.document = document;
        this.size = size;
        this.modified = modified;
        this.checksum = checksum;
        this.insertion = insertion;
        this.slotQname = slotQname;
        this.template = template;
        this.chain = List.copyOf(chain);
        this.request = request;
        this.options = options;
        this.timestamp = timestamp;
        this.xml = xml;
        this.signingTime = signingTime;
    }

    @Override
    public SignRequest request() {
        return request;
    }

    @Override
    public void complete(byte[] signatureValue, OutputStream out) throws KysoException, IOException {
        if (completed) {
            throw new IllegalStateException("this signature is already completed");
        }
        completed = true;
        java.util.Objects.requireNonNull(signatureValue, "signatureValue must not be null");
        java.util.Objects.requireNonNull(out, "out must not be null");
        X509Certificate leaf = chain.get(0);
        if (!XmlAlgorithms.verifies(request.algorithm(), leaf.getPublicKey(), template.signedInfo(), signatureValue)) {
            throw new SigningFailedException(XadesFormat.ID, "the signature value returned for "
                    + leaf.getSubjectX500Principal().getName() + " does not verify with its certificate: the key and"
                    + " certificate do not match, or the device answered garbage; nothing was written");
        }
        template.signatureValue(XmlAlgorithms.xmlValue(request.algorithm(), leaf.getPublicKey(), signatureValue));
        if (timestamp) {
            byte[] imprint = options.digest().digest(template.canonicalSignatureValue());
            template.signatureTimeStamp(Net.timestamp(XadesFormat.ID, options.timestampUrl().orElseThrow(),
                    options.digest(), imprint, options.networkTimeout()));
        }
        checkSizeAndTime();
        byte[] signature = template.bytes();
        if (document.file().isEmpty()) {
            // bytes in memory cannot change: check the place once, then nothing can fail half-way
            try (InputStream in = document.open()) {
                in.skipNBytes(insertion.offset());
                checkSlot(in);
            }
            try (InputStream in = document.open()) {
                writeSigned(in, out, signature);
            }
            return;
        }
        // a file can change at any time: every byte copied must be the input that was scanned and digested;
        // a difference is known only at the end, so the caller discards what was written (SignatureFormat
        // holds the output back, or writes a temporary file)
        try (CheckedInputStream in = new CheckedInputStream(document.open(), new CRC32C())) {
            writeSigned(in, out, signature);
            if (in.getChecksum().getValue() != checksum) {
                throw changed();
            }
        }
    }

    /** The input with the signature inserted at the slot; {@code in} is at its start. */
    private void writeSigned(InputStream in, OutputStream out, byte[] signature) throws IOException,
            SigningFailedException {
        copy(in, out, insertion.offset());
        byte[] seen = checkSlot(in);
        if (insertion.empty()) {
            out.write('>');
            out.write(signature);
            out.write(("</" + slotQname + ">").getBytes(StandardCharsets.UTF_8));
        } else {
            out.write(signature);
            out.write(seen);
        }
        in.transferTo(out);
    }

    /** Reads what must stand at the slot (the empty element's {@code />}, or its end tag's start) and returns it. */
    private byte[] checkSlot(InputStream in) throws IOException, SigningFailedException {
        byte[] want = insertion.empty() ? "/>".getBytes(StandardCharsets.US_ASCII)
                : ("</" + slotQname).getBytes(StandardCharsets.UTF_8);
        byte[] seen = in.readNBytes(want.length);
        if (!Arrays.equals(seen, want)) {
            throw changed();
        }
        return seen;
    }

    /** The cheap checks first: a different size or modification time fails before anything is read. */
    private void checkSizeAndTime() throws IOException, SigningFailedException {
        if (document.size() != size) {
            throw changed();
        }
        if (modified != null) {
            Path file = document.file().orElseThrow();
            if (!Files.getLastModifiedTime(file).equals(modified)) {
                throw changed();
            }
        }
    }

    private SigningFailedException changed() {
        return new SigningFailedException(XadesFormat.ID, document.name() + " changed between preparing and"
                + " completing its signature, so the signature would not match it; nothing was written: sign it again");
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new java.io.EOFException("input ended before the signature's place");
            }
            out.write(buf, 0, r);
            left -= r;
        }
    }

    /**
     * The state (format version 1) is what {@link XadesFormat#prepare} needs to build the same
     * signature again: the signer's chain, algorithm, options (profile, level, TSA URL, texts), the
     * signing time and the random part of the Ids, plus the digest it gave, checked on resume.
     */
    @Override
    public byte[] save() throws KysoException, IOException {
        if (completed) {
            throw new IllegalStateException("this signature is already completed: save it before completing it");
        }
        if (document.file().isPresent()) {
            try (CheckedInputStream in = new CheckedInputStream(document.open(), new CRC32C())) {
                in.transferTo(OutputStream.nullOutputStream());
                if (in.getChecksum().getValue() != checksum) {
                    throw changed();
                }
            }
        }
        PendingState.Writer body = new PendingState.Writer()
                .string(request.algorithm().name())
                .string(options.level().name())
                .string(options.digest().name())
                .string(options.timestampUrl().map(PendingState::publicUrl).orElse(""))
                .longValue(options.networkTimeout().toMillis())
                .string(options.displayText())
                .string(options.documentType())
                .string(xml.profile().name())
                .string(xml.signedElementId().orElse(""))
                .bool(xml.wholeDocument())
                .string(xml.signatureParentPath().orElse(""))
                .string(xml.signatureParentId().orElse(""))
                .bool(xml.xades())
                .bool(xml.includeChain())
                .string(xml.signatureId().orElse(""))
                .string(template.uuid)
                .longValue(signingTime.getEpochSecond())
                .integer(signingTime.getNano())
                .certificates(chain);
        body.bytes(request.digest(0));
        return PendingState.seal(XadesFormat.ID, STATE_VERSION, document, body);
    }

    /** Prepares {@code original} again as the state says and checks that it gives the digest saved. */
    static XadesPending resume(XadesFormat format, Document original, byte[] state) throws KysoException, IOException {
        PendingState.Reader in = PendingState.open(XadesFormat.ID, STATE_VERSION, original, state).body();
        SignatureAlgorithm algorithm = in.enumValue(SignatureAlgorithm.class);
        BaselineLevel level = in.enumValue(BaselineLevel.class);
        DigestAlgorithm digest = in.enumValue(DigestAlgorithm.class);
        String tsa = in.string();
        long timeoutMillis = in.longValue();
        String displayText = in.string();
        String documentType = in.string();
        XmlOptions.Profile profile = in.enumValue(XmlOptions.Profile.class);
        String signedElementId = in.string();
        boolean wholeDocument = in.bool();
        String parentPath = in.string();
        String parentId = in.string();
        boolean xades = in.bool();
        boolean includeChain = in.bool();
        String signatureId = in.string();
        String uuid = in.string();
        long seconds = in.longValue();
        int nanos = in.integer();
        if (nanos < 0 || nanos > 999_999_999) {
            throw corrupt();
        }
        List<X509Certificate> chain = in.certificates();
        byte[] saved = in.bytes();
        in.end();
        SignOptions options;
        try {
            XmlOptions.Builder x = XmlOptions.builder(profile).xades(xades).includeChain(includeChain);
            if (!signedElementId.isEmpty()) {
                x.signedElementId(signedElementId);
            }
            if (wholeDocument) {
                x.wholeDocument();
            }
            if (!parentPath.isEmpty()) {
                x.signatureParentPath(parentPath);
            }
            if (!parentId.isEmpty()) {
                x.signatureParentId(parentId);
            }
            if (!signatureId.isEmpty()) {
                x.signatureId(signatureId);
            }
            SignOptions.Builder b = SignOptions.builder().level(level).digest(digest)
                    .networkTimeout(Duration.ofMillis(timeoutMillis)).displayText(displayText)
                    .documentType(documentType).clock(Clock.fixed(Instant.ofEpochSecond(seconds, nanos), ZoneOffset.UTC))
                    .formatOptions(x.build());
            if (!tsa.isEmpty()) {
                b.timestampUrl(URI.create(tsa));
            }
            options = b.build();
        } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
            throw corrupt();
        }
        XadesPending pending;
        try {
            pending = format.prepare(original, chain, algorithm, options, uuid);
        } catch (IllegalArgumentException e) {
            throw corrupt();
        }
        if (!MessageDigest.isEqual(pending.request.digest(0), saved)) {
            throw corrupt();
        }
        return pending;
    }

    private static PendingStateException corrupt() {
        return new PendingStateException(XadesFormat.ID, PendingStateException.Reason.CORRUPT, "this saved signature"
                + " state does not describe a signature of this document (it was altered); nothing was written:"
                + " prepare the document again");
    }


    @Override
    public void close() {
        // nothing temporary: the input is read again on completion
    }
}
