package vn.kyso.remotesim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import vn.kyso.CredentialCallback;
import vn.kyso.CredentialRequest;
import vn.kyso.KeyNotFoundException;
import vn.kyso.KysoException;
import vn.kyso.PinIncorrectException;
import vn.kyso.UserRejectedException;

/**
 * The TLS context of an https connection when the settings ask for more than the JDK's defaults:
 * {@code tls_trust} (a PEM or DER file of the roots the service's certificate chains to) and
 * {@code tls_client_certificate} (the AP's PKCS#12 file for client authentication, whose password
 * is asked from the credential callback).
 */
final class TlsSettings {
    private TlsSettings() {
    }

    /** The context, or null when neither setting is given. */
    static SSLContext context(RemoteSettings settings, CredentialCallback credentials) throws KysoException {
        if (settings.tlsTrust() == null && settings.tlsClientCertificate() == null) {
            return null;
        }
        try {
            TrustManagerFactory tmf = null;
            if (settings.tlsTrust() != null) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int n = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(
                        new ByteArrayInputStream(read(settings.tlsTrust(), "tls_trust")))) {
                    trust.setCertificateEntry("root-" + n++, c);
                }
                if (n == 0) {
                    throw new IllegalArgumentException("remote-sim setting 'tls_trust' holds no certificate");
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (settings.tlsClientCertificate() != null) {
                Path file = Path.of(settings.tlsClientCertificate());
                if (!Files.isRegularFile(file)) {
                    throw new KeyNotFoundException(RemoteSimProvider.ID, "no client certificate file at " + file.toAbsolutePath()
                            + ": check the 'tls_client_certificate' setting");
                }
                char[] password = credentials.secret(new CredentialRequest(RemoteSimProvider.ID, file.getFileName().toString(),
                        CredentialRequest.Kind.PASSWORD, -1));
                if (password == null) {
                    throw new UserRejectedException(RemoteSimProvider.ID, "the password of " + file.getFileName()
                            + " was not given");
                }
                try (InputStream in = Files.newInputStream(file)) {
                    KeyStore keys = KeyStore.getInstance("PKCS12");
                    keys.load(in, password);
                    kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    kmf.init(keys, password);
                } catch (IOException e) {
                    throw new PinIncorrectException(RemoteSimProvider.ID, "cannot open the client certificate "
                            + file.getFileName() + " (" + e.getMessage() + "): check its password", -1, e);
                } finally {
                    Arrays.fill(password, '\0');
                }
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("remote-sim TLS settings cannot be used: " + e.getMessage(), e);
        }
    }

    private static byte[] read(String path, String key) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new IllegalArgumentException("remote-sim setting '" + key + "' is not a readable file: " + path, e);
        }
    }
}
