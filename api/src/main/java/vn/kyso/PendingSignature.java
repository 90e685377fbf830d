package vn.kyso;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A document prepared for signing: the format has computed the digest to be signed and holds
 * what it needs to embed the signature value. This is the middle of the three steps (prepare,
 * sign the digest, complete) that let tokens, PKI SIMs and batches share one path.
 *
 * <p>Not thread-safe. Close it when done: it may hold a temporary file.
 */
public interface PendingSignature extends AutoCloseable {

    /** The request to give the {@link Signer}: one digest, its algorithm and display text. */
    SignRequest request();

    /**
     * Embeds the signature value the signer returned and writes the signed document. Formats check
     * all they can before writing, but a file-backed input that changed on disk is found only while
     * it is copied: when this fails, discard {@code out} (write to a temporary file moved into place
     * on success, as {@link SignatureFormat}'s methods do).
     *
     * @throws KysoException when the value does not verify against the certificate, or adding a
     *     timestamp or revocation data fails
     * @throws IllegalStateException when called twice
     */
    void complete(byte[] signatureValue, OutputStream out) throws KysoException, IOException;

    /** Deletes anything temporary; idempotent. */
    @Override
    void close();
}
