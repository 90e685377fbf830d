package vn.kyso;

/**
 * An expected failure a caller must handle: the subtype says what went wrong, and the message
 * says what failed, where, and what the user should do next.
 *
 * <p>Programming mistakes (null arguments, empty digests, a closed signer) are not
 * {@code KysoException}s but {@link IllegalArgumentException}, {@link NullPointerException}
 * or {@link IllegalStateException}.
 */
public abstract class KysoException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String source;

    /**
     * @param source the provider or format id that failed ("pkcs11", "pades"), or "kyso"
     * @param message what failed and what to do next
     */
    protected KysoException(String source, String message, Throwable cause) {
        super("[" + source + "] " + message, cause);
        this.source = source;
    }

    /** The id of the provider or format that failed, or "kyso" for the library itself. */
    public String source() {
        return source;
    }
}
