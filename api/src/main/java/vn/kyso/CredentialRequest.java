package vn.kyso;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a provider asks the user for: which key or token, and how many tries are left, so a
 * PIN dialog can warn before the try that locks the token.
 *
 * @param providerId the asking provider
 * @param target the token, file or key the secret unlocks, as the user knows it
 * @param kind PIN of a token, the second PIN some tokens ask before every signing, or password of a file
 * @param triesLeft tries left before locking, or -1 when unknown
 */
public record CredentialRequest(String providerId, String target, Kind kind, int triesLeft) {

    /** The kind of secret asked for. */
    public enum Kind {
        /** The token's user PIN, asked once when a key is opened. */
        PIN,
        /**
         * The PIN a token asks again for each signing authorization (keys marked
         * CKA_ALWAYS_AUTHENTICATE; some tokens hold a separate signature PIN): asked once per
         * {@link Signer#sign(SignRequest)} call, so a batch still costs one entry.
         */
        SIGNATURE_PIN,
        /** The password of a key file. */
        PASSWORD
    }

    public CredentialRequest {
        Objects.requireNonNull(providerId, "providerId must not be null");
        Objects.requireNonNull(target, "target must not be null");
        Objects.requireNonNull(kind, "kind must not be null");
    }

    /** Tries left before the secret locks, when the device reports it. */
    public OptionalInt triesLeftIfKnown() {
        return triesLeft < 0 ? OptionalInt.empty() : OptionalInt.of(triesLeft);
    }

    /** True when one more wrong try locks the token: ask the user to be sure. */
    public boolean isFinalTry() {
        return triesLeft == 1;
    }
}
