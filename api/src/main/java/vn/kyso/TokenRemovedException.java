package vn.kyso;

/** The token was pulled out while it was in use; nothing was signed. */
public class TokenRemovedException extends KeyAccessException {
    private static final long serialVersionUID = 1L;

    public TokenRemovedException(String source, String message) {
        super(source, message, null);
    }

    public TokenRemovedException(String source, String message, Throwable cause) {
        super(source, message, cause);
    }
}
