package vn.kyso;

import java.util.List;

/**
 * The keys one provider can reach with one configuration: the tokens of a PKCS#11 module, a
 * PKCS#12 file, a user's PKI SIM. Obtained from {@link Kyso#connect}; thread-safe.
 */
public interface KeySource extends AutoCloseable {

    /** Id of the provider behind this source. */
    String providerId();

    /** The keys that can sign, each with its certificate; never null, may be empty. */
    List<KeyDescriptor> keys() throws KysoException;

    /**
     * Opens one key for signing, asking the credential callback given at connect time for a PIN
     * when the key needs one. A wrong PIN is never retried.
     *
     * @param keyId an id from {@link #keys()}
     * @throws KeyNotFoundException when no key has this id
     * @throws PinIncorrectException, PinLockedException, TokenAbsentException ... as the key's holder reports
     */
    Signer open(String keyId) throws KysoException;

    /** Releases the module, file or connection; signers opened from it are closed too. Idempotent. */
    @Override
    void close();
}
