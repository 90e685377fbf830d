package vn.kyso;

/** The document cannot be read as the format it claims to be, or is hostile (external entities, broken structure); nothing was written. */
public class DocumentMalformedException extends KysoException {
    private static final long serialVersionUID = 1L;

    public DocumentMalformedException(String source, String message) {
        super(source, message, null);
    }

    public DocumentMalformedException(String source, String message, Throwable cause) {
        super(source, message, cause);
    }
}
