package vn.kyso.spi;

import java.util.Map;
import vn.kyso.CredentialCallback;
import vn.kyso.KeySource;
import vn.kyso.KysoException;

/**
 * A place keys live (PKCS#11 tokens, PKI SIM service, PKCS#12 files), found with
 * {@link java.util.ServiceLoader}. Implementations need a public no-argument constructor,
 * keep no mutable static state and are thread-safe; vendors prove theirs with the testkit's
 * {@code SignerProviderContract}.
 */
public interface SignerProvider {

    /** A stable id: "pkcs11", "remote-sim", "pkcs12". Two providers with one id is an error. */
    String id();

    /**
     * Opens a key source with this provider's settings (each provider documents its keys, e.g.
     * {@code file} for pkcs12, {@code library} for pkcs11). Secrets never travel in settings:
     * they come from {@code credentials} when needed.
     *
     * @throws IllegalArgumentException when a setting is missing or malformed
     * @throws vn.kyso.KysoException when the keys cannot be reached; the subtype says why
     */
    KeySource connect(Map<String, String> settings, CredentialCallback credentials) throws KysoException;
}
