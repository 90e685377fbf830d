package vn.kyso.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import vn.kyso.CredentialCallback;
import vn.kyso.DriverNotFoundException;
import vn.kyso.KeyDescriptor;
import vn.kyso.KeyNotFoundException;
import vn.kyso.KeySource;
import vn.kyso.KysoException;
import vn.kyso.SignRequest;
import vn.kyso.Signer;
import vn.kyso.TokenAbsentException;
import vn.kyso.pkcs11.Pkcs11SignerProvider;

/**
 * Every key on every token of every known driver, through pkcs11-provider. One key source per
 * driver is kept for the agent's life, so polling for tokens does not load drivers again. The
 * PIN reaches the driver only during one signing operation and is wiped after it.
 */
final class Tokens implements AutoCloseable {
    /** A key as the page sees it: an opaque id and the certificate chain. */
    record Key(String id, KeyDescriptor descriptor) {
    }

    private final List<Path> drivers;
    private final KeySource[] sources;
    private final Pkcs11SignerProvider provider = new Pkcs11SignerProvider();
    /** The PIN of the operation under way (one at a time), handed to the driver when it asks. */
    private char[] pin;

    Tokens(List<Path> drivers) {
        this.drivers = List.copyOf(drivers);
        this.sources = new KeySource[drivers.size()];
    }

    private synchronized KeySource source(int index) throws KysoException {
        if (sources[index] == null) {
            CredentialCallback fromOperation = request -> {
                synchronized (this) {
                    return pin == null ? null : pin.clone();
                }
            };
            sources[index] = provider.connect(Map.of("library", drivers.get(index).toString()), fromOperation);
        }
        return sources[index];
    }

    /** Every signing key on every plugged-in token; drivers that are not installed are skipped. */
    List<Key> keys() throws KysoException {
        List<Key> out = new ArrayList<>();
        for (int i = 0; i < drivers.size(); i++) {
            List<KeyDescriptor> keys;
            try {
                keys = source(i).keys();
            } catch (DriverNotFoundException | TokenAbsentException none) {
                continue;
            }
            for (KeyDescriptor k : keys) {
                out.add(new Key(i + ":" + k.id(), k));
            }
        }
        return out;
    }

    /** The key with this id, or TOKEN_ABSENT / CERTIFICATE_NOT_FOUND as a typed exception. */
    Key find(String id) throws KysoException {
        int colon = id.indexOf(':');
        int driver;
        try {
            driver = Integer.parseInt(id.substring(0, Math.max(colon, 0)));
        } catch (NumberFormatException e) {
            throw new KeyNotFoundException("agent", "'" + id + "' is not a certificate id from 'certificates'");
        }
        if (driver < 0 || driver >= drivers.size()) {
            throw new KeyNotFoundException("agent", "'" + id + "' is not a certificate id from 'certificates'");
        }
        String keyId = id.substring(colon + 1);
        List<KeyDescriptor> keys = source(driver).keys();
        for (KeyDescriptor k : keys) {
            if (k.id().equals(keyId)) {
                return new Key(id, k);
            }
        }
        String serial = keyId.contains("/") ? keyId.substring(0, keyId.indexOf('/')) : keyId;
        boolean tokenThere = keys.stream().anyMatch(k -> k.id().startsWith(serial + "/"));
        if (!tokenThere) {
            throw new TokenAbsentException("agent", "the token holding this certificate is not plugged in");
        }
        throw new KeyNotFoundException("agent", "the token holds no certificate with id " + id);
    }

    /** Signs under one login with the PIN the user gave; the PIN array is wiped before returning. */
    List<byte[]> sign(Key key, SignRequest request, char[] userPin) throws KysoException {
        int driver = Integer.parseInt(key.id().substring(0, key.id().indexOf(':')));
        synchronized (this) {
            pin = userPin;
        }
        try (Signer signer = source(driver).open(key.descriptor().id())) {
            if (!signer.algorithms().contains(request.algorithm())) {
                throw new UnsupportedAlgorithm(request.algorithm() + " is not possible with this key; it makes "
                        + signer.algorithms());
            }
            return signer.sign(request);
        } finally {
            synchronized (this) {
                pin = null;
            }
            Arrays.fill(userPin, '\0');
        }
    }

    /** Work done with an open signer while the user's PIN is at the driver's disposal. */
    interface SignerWork<T> {
        T run(Signer signer) throws KysoException, java.io.IOException;
    }

    /**
     * Opens the key's signer for {@code work} (a whole-document signature, which asks the token
     * once) under the PIN the user gave; the PIN array is wiped before returning.
     */
    <T> T withSigner(Key key, char[] userPin, SignerWork<T> work) throws KysoException, java.io.IOException {
        int driver = Integer.parseInt(key.id().substring(0, key.id().indexOf(':')));
        synchronized (this) {
            pin = userPin;
        }
        try (Signer signer = source(driver).open(key.descriptor().id())) {
            return work.run(signer);
        } finally {
            synchronized (this) {
                pin = null;
            }
            Arrays.fill(userPin, '\0');
        }
    }

    /** The key cannot make the requested algorithm. */
    static final class UnsupportedAlgorithm extends KysoException {
        private static final long serialVersionUID = 1L;

        UnsupportedAlgorithm(String message) {
            super("agent", message, null);
        }
    }

    @Override
    public synchronized void close() {
        for (KeySource s : sources) {
            if (s != null) {
                s.close();
            }
        }
    }
}
