package vn.kyso;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A document format kyso signs and verifies ("pades" for PDF, "xades" for XML). Plugins
 * implement {@link #prepare} and {@link #verify}; signing one document, a batch, or
 * asynchronously is built on those here, the same for every format.
 *
 * <p>Implementations are stateless and thread-safe, found with {@link java.util.ServiceLoader}
 * through {@link Kyso}.
 */
public interface SignatureFormat {

    /** A stable id: "pades", "xades". */
    String id();

    /** Whether this format can read {@code document} (by its first bytes, not its name). */
    boolean accepts(Document document) throws IOException;

    /**
     * Computes what must be signed for {@code document} by the holder of {@code chain}.
     *
     * @param chain the signer's certificate first
     * @throws DocumentMalformedException when the document cannot be read as this format
     */
    PendingSignature prepare(Document document, List<X509Certificate> chain, SignatureAlgorithm algorithm,
            SignOptions options) throws KysoException, IOException;

    /**
     * Turns a state saved by {@link PendingSignature#save()} back into a pending signature of
     * {@code original}, in this or another process: nothing else is shared. Its request is the one
     * first prepared (send it to the signer if that was not done yet, or complete it with the value
     * the signer returned for it), and completing it writes byte for byte what the first would have.
     *
     * @param original the document that was prepared, unchanged
     * @throws PendingStateException when the state belongs to another document or format, has an
     *     encoding this version does not read, or is damaged; nothing is written
     */
    default PendingSignature resume(Document original, byte[] state) throws KysoException, IOException {
        throw new UnsupportedOperationException("format " + id() + " cannot resume a saved signature");
    }

    /**
     * Verifies every signature in {@code document} against {@code policy}.
     *
     * @throws DocumentMalformedException when the document cannot be read as this format; a
     *     readable document with broken signatures gets a report, not an exception
     */
    VerificationReport verify(Document document, ValidationPolicy policy) throws KysoException, IOException;

    /**
     * Signs {@code document} and writes the signed document to {@code out}. When signing a file
     * fails, nothing has been written to {@code out}: the file can change on disk until the
     * signature is complete, so its signed copy is held back (in memory up to a megabyte, in a
     * temporary file beyond) until it is whole. A document in memory cannot change and is written
     * as it is completed.
     */
    default void sign(Document document, Signer signer, SignOptions options, OutputStream out)
            throws KysoException, IOException {
        Objects.requireNonNull(out, "out must not be null");
        try (PendingSignature pending = prepare(document, signer.chain(), algorithmFor(signer, options), options)) {
            byte[] value = valuesFor(pending.request(), signer, signer.sign(pending.request())).get(0);
            if (document.file().isEmpty()) {
                pending.complete(value, out);
                return;
            }
            try (SpooledOutput held = new SpooledOutput(document.size())) {
                pending.complete(value, held);
                held.copyTo(out);
            }
        }
    }

    /**
     * Signs {@code document} into {@code target}, written to a temporary file beside it and moved
     * into place only when complete: a failure leaves no partial file and never touches the input.
     */
    default void sign(Document document, Signer signer, SignOptions options, Path target)
            throws KysoException, IOException {
        AtomicOutput.write(target, out -> sign(document, signer, options, out));
    }

    /**
     * Signs every document with one call to the signer: one PIN entry or one phone confirmation
     * for the whole set. {@code targets.get(i)} receives {@code documents.get(i)} signed; if
     * anything fails, no target is written.
     *
     * @throws SigningFailedException when the signer does not return exactly one value per document
     */
    default void signBatch(List<Document> documents, List<Path> targets, Signer signer, SignOptions options)
            throws KysoException, IOException {
        if (documents.size() != targets.size()) {
            throw new IllegalArgumentException(documents.size() + " documents but " + targets.size() + " targets");
        }
        if (documents.isEmpty()) {
            return;
        }
        SignatureAlgorithm algorithm = algorithmFor(signer, options);
        List<PendingSignature> pending = new ArrayList<>();
        try {
            List<byte[]> digests = new ArrayList<>();
            for (Document d : documents) {
                PendingSignature p = prepare(d, signer.chain(), algorithm, options);
                pending.add(p);
                digests.add(p.request().digest(0));
            }
            SignRequest first = pending.get(0).request();
            SignRequest batch = SignRequest.batch(algorithm, digests, options.displayText().isEmpty()
                    ? "Ký " + documents.size() + " văn bản" : options.displayText())
                    .forDocument(first.formatId(), first.documentType());
            List<byte[]> values = valuesFor(batch, signer, signer.sign(batch));
            AtomicOutput.writeAll(targets, (i, out) -> pending.get(i).complete(values.get(i), out));
        } finally {
            pending.forEach(PendingSignature::close);
        }
    }

    /**
     * Signs without blocking while a slow key (PKI SIM) waits for confirmation; the stage
     * completes when {@code target} is written, or fails with the signer's exception.
     */
    default CompletionStage<Path> signAsync(Document document, Signer signer, SignOptions options, Path target) {
        PendingSignature pending;
        try {
            pending = prepare(document, signer.chain(), algorithmFor(signer, options), options);
        } catch (KysoException | IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return signer.signAsync(pending.request()).thenApply(values -> {
            try {
                byte[] value = valuesFor(pending.request(), signer, values).get(0);
                AtomicOutput.write(target, out -> pending.complete(value, out));
                return target;
            } catch (KysoException | IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }).whenComplete((path, error) -> pending.close());
    }

    /**
     * The signer's answer to {@code request}, checked to hold one value per digest: a device or
     * service that drops or adds a value would otherwise put signatures into the wrong documents.
     */
    private static List<byte[]> valuesFor(SignRequest request, Signer signer, List<byte[]> values)
            throws SigningFailedException {
        int returned = values == null ? 0 : values.size();
        if (returned != request.size()) {
            throw new SigningFailedException(signer.providerId(), "the signer returned " + returned
                    + " signature value(s) for " + request.size() + " digest(s); nothing was written: the provider "
                    + signer.providerId() + " answered wrongly, report it to its vendor and sign again");
        }
        for (int i = 0; i < returned; i++) {
            if (values.get(i) == null || values.get(i).length == 0) {
                throw new SigningFailedException(signer.providerId(), "the signer returned no signature value for"
                        + " digest " + i + " of " + returned + "; nothing was written: the provider "
                        + signer.providerId() + " answered wrongly, report it to its vendor and sign again");
            }
        }
        return values;
    }

    /** The algorithm for this signer's key and the options' digest. */
    static SignatureAlgorithm algorithmFor(Signer signer, SignOptions options) {
        Objects.requireNonNull(signer, "signer must not be null");
        Objects.requireNonNull(options, "options must not be null");
        SignatureAlgorithm a = SignatureAlgorithm.forKey(signer.certificate().getPublicKey(), options.digest());
        if (!signer.algorithms().contains(a)) {
            throw new IllegalArgumentException("the key of " + signer.providerId() + " cannot sign " + a
                    + "; it supports " + signer.algorithms());
        }
        return a;
    }
}
