package vn.kyso;

/** No answer came in time (the phone was not confirmed, or the service did not reply); nothing was signed. */
public class SigningTimeoutException extends KysoException {
    private static final long serialVersionUID = 1L;

    public SigningTimeoutException(String source, String message) {
        super(source, message, null);
    }

    public SigningTimeoutException(String source, String message, Throwable cause) {
        super(source, message, cause);
    }
}
