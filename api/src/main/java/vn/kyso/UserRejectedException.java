package vn.kyso;

/** The person refused to sign (declined on the phone, or cancelled the PIN prompt). */
public class UserRejectedException extends KysoException {
    private static final long serialVersionUID = 1L;

    public UserRejectedException(String source, String message) {
        super(source, message, null);
    }

    public UserRejectedException(String source, String message, Throwable cause) {
        super(source, message, cause);
    }
}
