package vn.kyso;

/** The key could not be used: the token, its PIN, its driver or the key itself is the problem. */
public abstract class KeyAccessException extends KysoException {
    private static final long serialVersionUID = 1L;

    protected KeyAccessException(String source, String message, Throwable cause) {
        super(source, message, cause);
    }
}
