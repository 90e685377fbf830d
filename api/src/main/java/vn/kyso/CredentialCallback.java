package vn.kyso;

/**
 * Asks the user for a PIN or password at the moment a provider needs it, so kyso never keeps
 * a secret longer than one login.
 *
 * <p>kyso clears the returned array as soon as it has used it; return a fresh array each time.
 */
@FunctionalInterface
public interface CredentialCallback {

    /**
     * @return the secret, or null when the user cancels (the operation then fails with
     *     {@link UserRejectedException})
     */
    char[] secret(CredentialRequest request);

    /** A callback that always answers with a copy of {@code secret}; for servers, tests and demos. */
    static CredentialCallback of(char[] secret) {
        char[] kept = secret.clone();
        return request -> kept.clone();
    }

    /** A callback for keys that need no secret (a PKI SIM confirms on the phone): any request is refused. */
    static CredentialCallback none() {
        return request -> null;
    }
}
