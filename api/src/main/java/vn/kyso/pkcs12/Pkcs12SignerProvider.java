package vn.kyso.pkcs12;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import vn.kyso.CredentialCallback;
import vn.kyso.CredentialRequest;
import vn.kyso.KeySource;
import vn.kyso.KeyNotFoundException;
import vn.kyso.KysoException;
import vn.kyso.PinIncorrectException;
import vn.kyso.UserRejectedException;
import vn.kyso.spi.SignerProvider;

/**
 * Provider "pkcs12": keys in a PKCS#12 file (.p12, .pfx), the embedded default for demos,
 * tests and server-side organization seals.
 *
 * <p>Settings: {@code file} (required), the path of the PKCS#12 file. The file's password is
 * asked from the credential callback once, at connect time, and cleared right after the keys
 * are read.
 */
public final class Pkcs12SignerProvider implements SignerProvider {
    static final String ID = "pkcs12";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public KeySource connect(Map<String, String> settings, CredentialCallback credentials) throws KysoException {
        String file = settings.get("file");
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("pkcs12 needs the setting 'file': the path of a .p12/.pfx file");
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new KeyNotFoundException(ID, "no PKCS#12 file at " + path.toAbsolutePath()
                    + ": check the 'file' setting");
        }
        char[] password = credentials.secret(new CredentialRequest(ID, path.getFileName().toString(),
                CredentialRequest.Kind.PASSWORD, -1));
        if (password == null) {
            throw new UserRejectedException(ID, "password entry for " + path.getFileName() + " was cancelled");
        }
        try {
            return new Pkcs12KeySource(readKeys(path, password));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static List<Pkcs12KeySource.Entry> readKeys(Path path, char[] password) throws KysoException {
        KeyStore store;
        try (InputStream in = Files.newInputStream(path)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new PinIncorrectException(ID, "wrong password for " + path.getFileName()
                        + ": enter the password the file was exported with", -1, e);
            }
            throw new KeyNotFoundException(ID, path.getFileName() + " is not a readable PKCS#12 file ("
                    + e.getMessage() + "): export the key again as .p12/.pfx", e);
        } catch (GeneralSecurityException e) {
            throw new KeyNotFoundException(ID, path.getFileName() + " cannot be read (" + e.getMessage()
                    + "): export the key again as .p12/.pfx", e);
        }
        List<Pkcs12KeySource.Entry> entries = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                PrivateKey key = (PrivateKey) store.getKey(alias, password);
                Certificate[] chain = store.getCertificateChain(alias);
                if (key == null || chain == null || chain.length == 0) {
                    continue;
                }
                List<X509Certificate> certs = new ArrayList<>();
                for (Certificate c : chain) {
                    certs.add((X509Certificate) c);
                }
                entries.add(new Pkcs12KeySource.Entry(alias, key, certs));
            }
        } catch (UnrecoverableKeyException e) {
            throw new PinIncorrectException(ID, "the key in " + path.getFileName()
                    + " has another password than the file; kyso needs them equal: export it again", -1, e);
        } catch (GeneralSecurityException e) {
            throw new KeyNotFoundException(ID, "cannot read keys from " + path.getFileName() + ": " + e.getMessage(), e);
        }
        if (entries.isEmpty()) {
            throw new KeyNotFoundException(ID, path.getFileName() + " holds no private key with a certificate: "
                    + "export the key together with its certificate");
        }
        return entries;
    }
}
