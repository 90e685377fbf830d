package vn.kyso.pkcs11;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import vn.kyso.CredentialCallback;
import vn.kyso.DriverNotFoundException;
import vn.kyso.KeySource;
import vn.kyso.KysoException;
import vn.kyso.spi.SignerProvider;

/**
 * Provider "pkcs11": USB tokens through their PKCS#11 driver, found without hand-written
 * configuration where possible.
 *
 * <p>Settings (all optional):
 * <ul>
 *   <li>{@code library}: the driver's path; without it, {@code libraries} is tried;</li>
 *   <li>{@code libraries}: paths separated by commas, tried in order; without it, a built-in table
 *       of the drivers Vietnamese tokens ship with (VNPT-CA, Viettel-CA, FPT-CA, BKAV, Newtel-CA,
 *       ePass, SafeNet, OpenSC, SoftHSM);</li>
 *   <li>{@code token}: the label or serial number of the token to use (never a slot number: slots
 *       change when tokens are plugged in and out).</li>
 * </ul>
 * The PIN is asked from the credential callback when a key is opened, and never retried.
 *
 * <p>The JVM needs {@code --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED}
 * (the kyso command-line jar declares it); without it connecting fails with a
 * {@link DriverNotFoundException} that says so.
 */
public final class Pkcs11SignerProvider implements SignerProvider {

    /**
     * The driver files looked for on this OS when no library is configured (the built-in table of
     * the drivers Vietnamese tokens ship with), whether installed or not: for a program that lists
     * every token of every known driver, such as the signing agent.
     */
    public static List<Path> knownDrivers() {
        return Pkcs11Module.candidates(null, null);
    }

    @Override
    public String id() {
        return Pkcs11Module.ID;
    }

    @Override
    public KeySource connect(Map<String, String> settings, CredentialCallback credentials) throws KysoException {
        java.util.Objects.requireNonNull(settings, "settings must not be null");
        java.util.Objects.requireNonNull(credentials, "credentials must not be null");
        List<Path> candidates = Pkcs11Module.candidates(settings.get("library"), settings.get("libraries"));
        List<String> tried = new ArrayList<>();
        DriverNotFoundException last = null;
        for (Path library : candidates) {
            try {
                Pkcs11Driver driver = Pkcs11Driver.of(library);
                String token = settings.get("token");
                return new TokenKeySource(driver, library, token == null || token.isBlank() ? null : token.trim(), credentials);
            } catch (DriverNotFoundException e) {
                if (candidates.size() == 1 || e.wrongArchitecture()) {
                    throw e;
                }
                tried.add(library.toString());
                last = e;
            }
        }
        throw new DriverNotFoundException(Pkcs11Module.ID, "no token driver found (tried " + tried.size()
                + " places: " + String.join(", ", tried) + "): install the token's software from its CA, or set "
                + "'library' to the driver's path", false, last);
    }
}
