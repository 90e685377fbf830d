package vn.kyso;

/** The PIN must be changed before the token signs again. */
public class PinExpiredException extends KeyAccessException {
    private static final long serialVersionUID = 1L;

    public PinExpiredException(String source, String message) {
        super(source, message, null);
    }

    public PinExpiredException(String source, String message, Throwable cause) {
        super(source, message, cause);
    }
}
