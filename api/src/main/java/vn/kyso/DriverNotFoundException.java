package vn.kyso;

/** The token's driver (PKCS#11 module) is missing, not loadable, or built for another architecture. */
public class DriverNotFoundException extends KeyAccessException {
    private static final long serialVersionUID = 1L;
    private final boolean wrongArchitecture;

    public DriverNotFoundException(String source, String message, boolean wrongArchitecture, Throwable cause) {
        super(source, message, cause);
        this.wrongArchitecture = wrongArchitecture;
    }

    /** True when the driver exists but is built for another architecture (a 32-bit DLL under a 64-bit JVM). */
    public boolean wrongArchitecture() {
        return wrongArchitecture;
    }
}
