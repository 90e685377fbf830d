package vn.kyso;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One private key, wherever it lives (USB token, PKI SIM, file), with its certificate chain.
 * It signs digests only: formats compute what is to be signed, so every kind of key signs
 * every kind of document the same way.
 *
 * <p>Implementations are thread-safe. After {@link #close()} every signing call throws
 * {@link IllegalStateException}. Obtain one from a {@link KeySource}.
 */
public interface Signer extends AutoCloseable {

    /** The signing certificate; never null. */
    X509Certificate certificate();

    /** The chain from the signing certificate (first) towards, possibly excluding, the root; never empty. */
    List<X509Certificate> chain();

    /** The algorithms this key can produce; never empty. */
    Set<SignatureAlgorithm> algorithms();

    /** Id of the provider holding the key ("pkcs12", "pkcs11", "remote-sim"). */
    String providerId();

    /** What holds the key: decides how usage is reported and how slow signing may be. */
    DeviceKind deviceKind();

    /**
     * Signs every digest of the request under one authorization (one PIN entry, one phone
     * confirmation) and returns the signature values in the same order.
     *
     * @throws IllegalArgumentException when the key cannot make {@code request.algorithm()}
     * @throws IllegalStateException when this signer is closed
     * @throws KysoException when the key refuses or cannot be reached; the subtype says why
     */
    List<byte[]> sign(SignRequest request) throws KysoException;

    /** Signs one digest; a shorthand for a one-digest {@link #sign(SignRequest)}. */
    default byte[] sign(SignatureAlgorithm algorithm, byte[] digest, String displayText) throws KysoException {
        return sign(SignRequest.of(algorithm, digest, displayText)).get(0);
    }

    /**
     * Signs without blocking the caller, for keys that answer in seconds to minutes (a PKI SIM
     * waits for the person to confirm on the phone). The default signs in the calling thread
     * and returns a completed stage; remote providers override it.
     *
     * <p>The stage fails with the same exceptions {@link #sign(SignRequest)} throws.
     */
    default CompletionStage<List<byte[]>> signAsync(SignRequest request) {
        try {
            return CompletableFuture.completedFuture(sign(request));
        } catch (KysoException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Releases the key (logs out of the token, drops the session); idempotent. */
    @Override
    void close();
}
