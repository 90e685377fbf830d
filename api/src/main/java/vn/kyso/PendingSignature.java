package vn.kyso;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A document prepared for signing: the format has computed the digest to be signed and holds
 * what it needs to embed the signature value. This is the middle of the three steps (prepare,
 * sign the digest, complete) that let tokens, PKI SIMs and batches share one path.
 *
 * <p>A pending signature can outlive the JVM that prepared it: {@link #save()} gives a small value
 * which, with the original document, {@link SignatureFormat#resume} turns back into a pending
 * signature in another process or on another node, so a confirmation that takes minutes survives
 * a restart.
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

    /**
     * The prepared state as a small value to store (a database column, a message) until the signer
     * answers: {@link SignatureFormat#resume} with the same original document turns it back into a
     * pending signature whose {@link #complete} writes byte for byte what this one would. It holds
     * the format id and encoding version, a SHA-256 digest of the original document (checked on
     * resume), the signing time, identifiers and layout chosen at preparation, the signer's
     * certificates, the display text and the timestamp service URL, and a digest of itself. It holds
     * no secret and no key; it is not encrypted (anyone who can read it sees the certificates and the
     * display text). A state cannot make kyso sign something other than the document: resume
     * recomputes the digest from the document and refuses a state that does not match it, and
     * completion embeds only a value that verifies over that digest.
     *
     * <p>Save before {@link #complete}; the original document is read again to digest it.
     *
     * @throws UnsupportedOperationException when the format cannot save its state
     * @throws IllegalStateException when already completed or closed, or when the timestamp URL
     *     carries a password (user-info), which the state would hold in the clear
     * @throws KysoException when a file-backed document changed since it was prepared
     */
    default byte[] save() throws KysoException, IOException {
        throw new UnsupportedOperationException(getClass().getName() + " cannot save its state");
    }

    /** Deletes anything temporary; idempotent. */
    @Override
    void close();
}
