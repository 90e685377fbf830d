package vn.kyso.pdf;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
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
 * A PDF with an empty /Contents of the right size, waiting for its signature value.
 *
 * <p>Its saved state (format version 1) holds the incremental update as written (deflated: the
 * empty /Contents is mostly zeros), its ByteRange, the signer's chain, the algorithm, level, TSA
 * URL and network timeout, the display text and document type, and the digest the signer is asked
 * to sign. On resume the content digest and the signed attributes are recomputed from the
 * document and the update, and must give that digest again.
 */
final class PadesPending implements PendingSignature {
    static final int STATE_VERSION = 1;
    /** An update holds the signature dictionary, its appearance and filled fields: far below this. */
    private static final int MAX_UPDATE = 64 << 20;

    private final PreparedPdf prepared;
    private final byte[] signedAttributes;
    private final List<X509Certificate> chain;
    private final SignRequest request;
    private final SignOptions options;
    private boolean completed;
    private boolean closed;

    PadesPending(PreparedPdf prepared, byte[] signedAttributes, List<X509Certificate> chain, SignRequest request,
            SignOptions options) {
        this.prepared = prepared;
        this.signedAttributes = signedAttributes.clone();
        this.chain = List.copyOf(chain);
        this.request = request;
        this.options = options;
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
        if (closed) {
            throw new IllegalStateException("this signature was closed before it was completed: prepare it again");
        }
        completed = true;
        if (!Cms.verifies(request.algorithm(), chain.get(0).getPublicKey(), signedAttributes, signatureValue)) {
            throw new SigningFailedException(PadesFormat.ID, "the signature value returned for "
                    + chain.get(0).getSubjectX500Principal().getName() + " does not verify with its certificate: "
                    + "the key and certificate do not match, or the device answered garbage; nothing was written");
        }
        byte[] unsigned = null;
        int tokenLength = 0;
        if (options.level() != BaselineLevel.B) {
            byte[] imprint = DigestAlgorithm.SHA256.digest(signatureValue);
            byte[] token = Net.timestamp("pades", options.timestampUrl().orElseThrow(), DigestAlgorithm.SHA256, imprint,
                    options.networkTimeout());
            tokenLength = token.length;
            unsigned = Cms.timestampAttribute(token).getEncoded(ASN1Encoding.DER);
        }
        byte[] cms = SignedDataDer.encode(signedAttributes, signatureValue, request.algorithm(), chain, unsigned);
        int room = prepared.room();
        if (cms.length > room) {
            throw new SigningFailedException(PadesFormat.ID, ContentsSize.overflow(cms.length, room, tokenLength,
                    options.timestampUrl().orElse(null)));
        }
        if (options.level() == BaselineLevel.B || options.level() == BaselineLevel.T) {
            prepared.writeSigned(cms, out);
            return;
        }
        Path signed = Files.createTempFile("kyso-pades-", ".pdf");
        try {
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(signed), 1 << 16)) {
                prepared.writeSigned(cms, file);
            }
            if (options.level() == BaselineLevel.LTA) {
                Path withDss = Files.createTempFile("kyso-pades-lt-", ".pdf");
                try {
                    try (OutputStream lt = Files.newOutputStream(withDss)) {
                        Dss.appendValidationData(signed, chain, options.networkTimeout(), lt);
                    }
                    DocTimestamp.append(withDss, options.timestampUrl().orElseThrow(), options.networkTimeout(), out);
                } finally {
                    Files.deleteIfExists(withDss);
                }
            } else {
                Dss.appendValidationData(signed, chain, options.networkTimeout(), out);
            }
        } finally {
            Files.deleteIfExists(signed);
        }
    }

    @Override
    public byte[] save() throws KysoException, IOException {
        if (completed) {
            throw new IllegalStateException("this signature is already completed: save it before completing it");
        }
        if (closed) {
            throw new IllegalStateException("this signature was closed: save it before closing it");
        }
        prepared.checkUnchanged();
        PendingState.Writer body = new PendingState.Writer()
                .string(request.algorithm().name())
                .string(options.level().name())
                .string(options.timestampUrl().map(PendingState::publicUrl).orElse(""))
                .longValue(options.networkTimeout().toMillis())
                .string(request.displayText())
                .string(request.documentType())
                .certificates(chain);
        for (int v : prepared.byteRange()) {
            body.integer(v);
        }
        byte[] update = prepared.update();
        body.integer(update.length).bytes(deflate(update)).bytes(request.digest(0));
        return PendingState.seal(PadesFormat.ID, STATE_VERSION, prepared.original(), body);
    }

    /** The pending signature a {@link #save}d state describes, checked against {@code original}. */
    static PadesPending resume(Document original, byte[] state) throws KysoException, IOException {
        PendingState.Reader in = PendingState.open(PadesFormat.ID, STATE_VERSION, original, state).body();
        SignatureAlgorithm algorithm = in.enumValue(SignatureAlgorithm.class);
        BaselineLevel level = in.enumValue(BaselineLevel.class);
        String tsa = in.string();
        long timeoutMillis = in.longValue();
        String displayText = in.string();
        String documentType = in.string();
        List<X509Certificate> chain = in.certificates();
        int[] byteRange = {in.integer(), in.integer(), in.integer(), in.integer()};
        int updateLength = in.integer();
        byte[] update = inflate(in.bytes(), updateLength);
        byte[] digest = in.bytes();
        in.end();
        SignOptions options;
        SignRequest request;
        try {
            if (!algorithm.fits(chain.get(0).getPublicKey())) {
                throw corrupt();
            }
            SignOptions.Builder b = SignOptions.builder().level(level).digest(algorithm.digest())
                    .networkTimeout(Duration.ofMillis(timeoutMillis)).displayText(displayText)
                    .documentType(documentType);
            if (!tsa.isEmpty()) {
                b.timestampUrl(URI.create(tsa));
            }
            options = b.build();
            request = SignRequest.of(algorithm, digest, displayText).forDocument(PadesFormat.ID, documentType);
        } catch (IllegalArgumentException e) {
            throw corrupt();
        }
        PreparedPdf prepared = update == null ? null
                : PreparedPdf.resumed(original, update, byteRange, algorithm.digest());
        if (prepared == null) {
            throw corrupt();
        }
        byte[] signedAttributes = Cms.signedAttributes(prepared.contentDigest(), chain.get(0));
        if (!MessageDigest.isEqual(algorithm.digest().digest(signedAttributes), digest)) {
            // the document matched its digest in the state, so the update or the chain was altered
            throw corrupt();
        }
        return new PadesPending(prepared, signedAttributes, chain, request, options);
    }

    private static PendingStateException corrupt() {
        return new PendingStateException(PadesFormat.ID, PendingStateException.Reason.CORRUPT, "this saved signature"
                + " state does not describe a signature of this document (it was altered); nothing was written:"
                + " prepare the document again");
    }


    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
            byte[] buffer = new byte[1 << 14];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** The inflated update, or null when it is not exactly {@code length} bytes of valid deflate data. */
    private static byte[] inflate(byte[] data, int length) {
        if (length < 0 || length > MAX_UPDATE) {
            return null;
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            byte[] out = new byte[length];
            int n = 0;
            while (n < length && !inflater.finished()) {
                int r = inflater.inflate(out, n, length - n);
                if (r == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                n += r;
            }
            byte[] extra = new byte[1];
            if (n != length || inflater.inflate(extra) != 0 || !inflater.finished() || inflater.getRemaining() != 0) {
                return null;
            }
            return out;
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    /** Temp files live only inside complete; closing just ends this signature's use. */
    @Override
    public void close() {
        closed = true;
    }
}
