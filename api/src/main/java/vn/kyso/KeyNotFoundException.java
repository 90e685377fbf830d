package vn.kyso;

/** The requested key is not in the key source (wrong id, or the token holds no key matching a certificate). */
public class KeyNotFoundException extends KeyAccessException {
    private static final long serialVersionUID = 1L;

    public KeyNotFoundException(String source, String message) {
        super(source, message, null);
    }

    public KeyNotFoundException(String source, String message, Throwable cause) {
        super(source, message, cause);
    }
}
