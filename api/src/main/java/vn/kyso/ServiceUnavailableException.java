package vn.kyso;

/** A remote service (signing service, TSA, OCSP responder) could not be reached or refused the request; retrying later may work. */
public class ServiceUnavailableException extends KysoException {
    private static final long serialVersionUID = 1L;

    public ServiceUnavailableException(String source, String message) {
        super(source, message, null);
    }

    public ServiceUnavailableException(String source, String message, Throwable cause) {
        super(source, message, cause);
    }
}
