package vn.kyso;

/**
 * A saved pending signature ({@link PendingSignature#save()}) cannot be resumed: it was saved for
 * another document, by another format or version, or it is damaged. Nothing was written; prepare
 * the document again (and have it signed again).
 */
public class PendingStateException extends KysoException {
    private static final long serialVersionUID = 1L;

    /** Why the state was refused. */
    public enum Reason {
        /** The document given is not the one the state was prepared for. */
        OTHER_DOCUMENT,
        /** The state was saved by another format (e.g. "xades" state given to "pades"). */
        OTHER_FORMAT,
        /** The state was saved by a kyso version whose encoding this one does not read. */
        UNSUPPORTED_VERSION,
        /** The state is truncated, altered or not a kyso state at all. */
        CORRUPT
    }

    private final Reason reason;

    public PendingStateException(String source, Reason reason, String message) {
        super(source, message, null);
        this.reason = reason;
    }

    /** Why the state was refused. */
    public Reason reason() {
        return reason;
    }
}
