package vn.kyso;

/** The PIN is locked after too many wrong tries; only the issuing CA or the token's unlock PIN can unlock it. */
public class PinLockedException extends KeyAccessException {
    private static final long serialVersionUID = 1L;

    public PinLockedException(String source, String message) {
        super(source, message, null);
    }

    public PinLockedException(String source, String message, Throwable cause) {
        super(source, message, cause);
    }
}
