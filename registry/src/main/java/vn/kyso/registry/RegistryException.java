package vn.kyso.registry;

/**
 * The register's database could not be read or written (unreachable, full, schema newer than
 * this kyso). Unchecked because {@link vn.kyso.CertificateRegistry} is; the message says what
 * was being done, and the cause is the driver's exception.
 */
public final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
