package vn.kyso.remotesim;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import vn.kyso.CredentialCallback;
import vn.kyso.CredentialRequest;
import vn.kyso.KeyNotFoundException;
import vn.kyso.KeySource;
import vn.kyso.KysoException;
import vn.kyso.UserRejectedException;
import vn.kyso.spi.SignerProvider;

/**
 * Provider "remote-sim": keys held by a remote signing service, a PKI SIM or a cloud
 * certificate, where the person confirms each signing on the phone.
 *
 * <p>Settings (see remote-sim-provider/README.md): {@code dialect} ({@code sp769}, the default,
 * {@code csc} or {@code mss}), {@code url}; for sp769 {@code sp_id}, {@code user_id} and optionally
 * {@code serial_number}; for csc {@code client_id}, {@code user_id} and optionally
 * {@code credential_id}; for mss {@code ap_id}, {@code msisdn}, {@code certificate} and optionally
 * {@code signature_profile}; and
 * {@code confirmation_timeout} (default 3 min), {@code request_timeout} (30 s),
 * {@code first_poll} (the poll interval), {@code poll_interval} (2 s), {@code max_poll_interval} (10 s),
 * {@code webhook_poll_interval} (30 s, sp769 with a {@link RemoteSimWebhook}), {@code retries} (3)
 * and {@code max_concurrent_requests} (64).
 * The service secret ({@code sp_password}, {@code client_secret}, {@code AP_PWD}) is asked once from the
 * credential callback at connect time and kept until the source is closed, because the dialect
 * sends it with every call (sp769, mss) or logs in again with it when a token cannot be refreshed (csc).
 */
public final class RemoteSimProvider implements SignerProvider {
    static final String ID = "remote-sim";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public KeySource connect(Map<String, String> settings, CredentialCallback credentials) throws KysoException {
        RemoteSettings parsed = RemoteSettings.parse(settings);
        char[] password = credentials.secret(new CredentialRequest(ID, parsed.serviceId() + " at " + parsed.url().getHost(),
                CredentialRequest.Kind.PASSWORD, -1));
        if (password == null) {
            throw new UserRejectedException(ID, "the password for " + parsed.serviceId() + " was not given");
        }
        javax.net.ssl.SSLContext tls;
        try {
            tls = TlsSettings.context(parsed, credentials);
        } catch (KysoException | RuntimeException e) {
            Arrays.fill(password, '\0');
            throw e;
        }
        Transport transport = new Transport(parsed, parsed.dialect().equals("mss") ? MssService::transientAnswer
                : Transport::json5xx, tls);
        try {
            RemoteService service = switch (parsed.dialect()) {
                case "csc" -> new CscService(parsed, transport, password);
                case "mss" -> new MssService(parsed, transport, password,
                        settings.getOrDefault("signature_profile", "http://mobile-id.vn/digitalSignature"));
                default -> new Sp769Service(parsed, transport, password);
            };
            List<RemoteService.Credential> found = service.credentials();
            if (found.isEmpty()) {
                throw new KeyNotFoundException(ID, "user " + parsed.userId() + " has no certificate at " + parsed.url()
                        + (parsed.serialNumber() == null ? "" : " with serial " + parsed.serialNumber())
                        + ": check 'user_id' and 'serial_number'");
            }
            return new RemoteKeySource(parsed, transport, service, found);
        } catch (KysoException | RuntimeException e) {
            transport.close();
            throw e;
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
