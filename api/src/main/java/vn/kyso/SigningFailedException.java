package vn.kyso;

/** Signing failed for a reason none of the other types names; the message says what the provider reported. */
public class SigningFailedException extends KysoException {
    private static final long serialVersionUID = 1L;

    public SigningFailedException(String source, String message) {
        super(source, message, null);
    }

    public SigningFailedException(String source, String message, Throwable cause) {
        super(source, message, cause);
    }
}
