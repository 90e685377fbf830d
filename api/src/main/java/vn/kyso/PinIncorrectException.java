package vn.kyso;

import java.util.OptionalInt;

/**
 * The PIN or password was wrong. kyso never retries it: each wrong try costs the user one of
 * few attempts before the token locks.
 */
public class PinIncorrectException extends KeyAccessException {
    private static final long serialVersionUID = 1L;
    private final int triesLeft;

    /** @param triesLeft tries left before the PIN locks, or -1 when the token does not say */
    public PinIncorrectException(String source, String message, int triesLeft, Throwable cause) {
        super(source, message, cause);
        this.triesLeft = triesLeft;
    }

    /** Tries left before the PIN locks, when the token reports it (1 means the next wrong try locks it). */
    public OptionalInt triesLeft() {
        return triesLeft < 0 ? OptionalInt.empty() : OptionalInt.of(triesLeft);
    }
}
