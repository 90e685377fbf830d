package vn.kyso;

/** No token (or not the requested one) is plugged in. */
public class TokenAbsentException extends KeyAccessException {
    private static final long serialVersionUID = 1L;

    public TokenAbsentException(String source, String message) {
        super(source, message, null);
    }

    public TokenAbsentException(String source, String message, Throwable cause) {
        super(source, message, cause);
    }
}
