package vn.kyso.remotesim;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import vn.kyso.KeyNotFoundException;
import vn.kyso.KysoException;
import vn.kyso.PinIncorrectException;
import vn.kyso.PinLockedException;
import vn.kyso.ServiceUnavailableException;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.SigningFailedException;
import vn.kyso.SigningTimeoutException;
import vn.kyso.UserRejectedException;
import vn.kyso.internal.json.Json;

/**
 * The Cloud Signature Consortium API v1 dialect (Viettel MySign / Ascertia RAS): a bearer token
 * from {@code auth/login} (HTTP Basic client credentials; refreshed with the refresh token before
 * it expires), {@code credentials/list} and {@code credentials/info} at connect time, then per
 * signing {@code credentials/authorize} (the service answers once the person approves in the
 * app, with the SAD for exactly these hashes) and {@code signatures/signHash}.
 */
final class CscService implements RemoteService {
    static final int DISPLAY_LIMIT = 200;
    private static final String JSON = "application/json; charset=utf-8";

    private final RemoteSettings settings;
    private final Transport transport;
    private final String basicAuth;
    private final AtomicReference<CompletableFuture<Token>> token = new AtomicReference<>();

    /** A bearer token with its refresh token and the moment to renew it. */
    private record Token(String access, String refresh, long renewAtNanos) {
        boolean fresh() {
            return System.nanoTime() - renewAtNanos < 0;
        }
    }

    CscService(RemoteSettings settings, Transport transport, char[] clientSecret) {
        this.settings = settings;
        this.transport = transport;
        this.basicAuth = "Basic " + Base64.getEncoder().encodeToString(
                (settings.serviceId() + ":" + new String(clientSecret)).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int displayLimit() {
        return DISPLAY_LIMIT;
    }

    @Override
    public List<Credential> credentials() throws KysoException {
        List<String> ids = new ArrayList<>();
        if (settings.serialNumber() != null) {
            ids.add(settings.serialNumber());
        } else {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("userID", settings.userId());
            body.put("maxResults", 20);
            Map<String, Object> listed = await(call("credentials/list", body, transport.requestTimeout(), true,
                    "credentials/list"));
            try {
                for (Object o : Json.array(listed, "credentialIDs")) {
                    ids.add(String.valueOf(o));
                }
            } catch (IllegalArgumentException e) {
                throw malformed("credentials/list", e);
            }
        }
        List<Credential> out = new ArrayList<>();
        for (String id : ids) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("credentialID", id);
            body.put("certificates", "chain");
            body.put("certInfo", true);
            body.put("authInfo", true);
            Map<String, Object> info = await(call("credentials/info", body, transport.requestTimeout(), true,
                    "credentials/info"));
            try {
                Map<String, Object> cert = Json.object(info, "cert");
                List<X509Certificate> chain = new ArrayList<>();
                for (Object c : Json.array(cert, "certificates")) {
                    chain.add(Transport.certificate(String.valueOf(c), "a certificate is not base64 DER"));
                }
                if (chain.isEmpty()) {
                    throw new IllegalArgumentException("cert.certificates is empty");
                }
                String status = Json.optString(cert, "status");
                out.add(new Credential(id, chain.get(0).getSubjectX500Principal().getName() + " (" + id
                        + (status == null ? "" : ", " + status) + ")", chain));
            } catch (IllegalArgumentException e) {
                throw malformed("credentials/info", e);
            }
        }
        return out;
    }

    @Override
    public CompletableFuture<List<byte[]>> sign(Job job, BooleanSupplier cancelled) {
        List<Object> hashes = new ArrayList<>();
        for (byte[] d : job.digests()) {
            hashes.add(Base64.getEncoder().encodeToString(d));
        }
        Map<String, Object> authorize = new LinkedHashMap<>();
        authorize.put("credentialID", job.credential().id());
        authorize.put("numSignatures", job.digests().size());
        authorize.put("hash", hashes);
        authorize.put("description", job.displayText());
        // the idempotency key: a retried authorize with the same clientData is the same request
        authorize.put("clientData", job.transactionId());
        long left = job.deadlineNanos() - System.nanoTime();
        Duration window = Duration.ofNanos(Math.max(left, 1_000_000));
        return call("credentials/authorize", authorize, window, true, "credentials/authorize")
                .handle((answer, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(answer);
                    }
                    KysoException k = Transport.failure(settings.url(), error, "credentials/authorize");
                    if (k instanceof SigningTimeoutException) {
                        cancel(job);
                        k = new SigningTimeoutException(RemoteSimProvider.ID, "no confirmation from user "
                                + settings.userId() + " within " + settings.confirmationTimeout().toSeconds()
                                + " s: ask the person to open the signing app and try again", k);
                    }
                    return CompletableFuture.<Map<String, Object>>failedFuture(k);
                }).thenCompose(f -> f)
                .thenCompose(answer -> {
                    if (cancelled.getAsBoolean()) {
                        return new CompletableFuture<List<byte[]>>();
                    }
                    String sad;
                    try {
                        sad = Json.string(answer, "SAD");
                    } catch (IllegalArgumentException e) {
                        return CompletableFuture.failedFuture(malformed("credentials/authorize", e));
                    }
                    Map<String, Object> sign = new LinkedHashMap<>();
                    sign.put("credentialID", job.credential().id());
                    sign.put("SAD", sad);
                    sign.put("hash", hashes);
                    sign.put("hashAlgo", job.algorithm().digest().oid());
                    sign.put("signAlgo", signAlgo(job.algorithm()));
                    sign.put("clientData", job.transactionId());
                    return call("signatures/signHash", sign, transport.requestTimeout(), true, "signatures/signHash")
                            .thenApply(signed -> values(signed, job.digests().size()));
                });
    }

    private static String signAlgo(SignatureAlgorithm algorithm) {
        return switch (algorithm) {
            case RSA_SHA256 -> "1.2.840.113549.1.1.11";
            case RSA_SHA384 -> "1.2.840.113549.1.1.12";
            case RSA_SHA512 -> "1.2.840.113549.1.1.13";
            case ECDSA_SHA256 -> "1.2.840.10045.4.3.2";
            case ECDSA_SHA384 -> "1.2.840.10045.4.3.3";
            case ECDSA_SHA512 -> "1.2.840.10045.4.3.4";
            default -> throw new IllegalArgumentException("CSC signing does not offer " + algorithm);
        };
    }

    private static List<byte[]> values(Map<String, Object> signed, int expected) {
        try {
            List<byte[]> out = new ArrayList<>();
            for (Object o : Json.array(signed, "signatures")) {
                out.add(Base64.getDecoder().decode(String.valueOf(o).trim()));
            }
            if (out.size() != expected) {
                throw new IllegalArgumentException(out.size() + " signatures for " + expected + " hashes");
            }
            return out;
        } catch (IllegalArgumentException e) {
            throw new CompletionException(malformed("signatures/signHash", e));
        }
    }

    @Override
    public void cancel(Job job) {
        // CSC v1 has no cancel; services that offer credentials/cancel (the simulator does) drop the prompt
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("credentialID", job.credential().id());
        body.put("clientData", job.transactionId());
        transport.finishBeforeClose(call("credentials/cancel", body, transport.requestTimeout(), false,
                "the cancel request"));
    }

    /** A valid bearer token, logging in (or refreshing) once for all callers when it is due. */
    private CompletableFuture<Token> bearer(boolean forceNew) {
        while (true) {
            CompletableFuture<Token> current = token.get();
            if (current != null && !forceNew) {
                if (!current.isDone() || !current.isCompletedExceptionally() && current.join().fresh()) {
                    return current;
                }
            }
            CompletableFuture<Token> next = new CompletableFuture<>();
            if (token.compareAndSet(current, next)) {
                Token old = current != null && current.isDone() && !current.isCompletedExceptionally() ? current.join() : null;
                login(old == null ? null : old.refresh()).whenComplete((t, e) -> {
                    if (e != null) {
                        next.completeExceptionally(e);
                    } else {
                        next.complete(t);
                    }
                });
                return next;
            }
            forceNew = false;
        }
    }

    private CompletableFuture<Token> login(String refreshToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, String> headers = Map.of();
        if (refreshToken != null) {
            body.put("refresh_token", refreshToken);
        } else {
            headers = Map.of("Authorization", basicAuth);
            body.put("rememberMe", false);
        }
        long sent = System.nanoTime();
        return transport.post(settings.url().resolve("auth/login"), JSON, Json.write(body), headers,
                transport.requestTimeout(), true, "auth/login").thenCompose(answer -> {
                    if (answer.status() == 401 && refreshToken != null) {
                        return login(null);
                    }
                    Map<String, Object> parsed = parsed(answer, "auth/login");
                    try {
                        int expiresIn = Json.integer(parsed, "expires_in", 3600);
                        long lifetime = TimeUnit.SECONDS.toNanos(Math.max(1, expiresIn));
                        long margin = Math.min(TimeUnit.SECONDS.toNanos(30), lifetime / 4);
                        return CompletableFuture.completedFuture(new Token(Json.string(parsed, "access_token"),
                                Json.optString(parsed, "refresh_token"), sent + lifetime - margin));
                    } catch (IllegalArgumentException e) {
                        throw new CompletionException(malformed("auth/login", e));
                    }
                });
    }

    private CompletableFuture<Map<String, Object>> call(String method, Map<String, Object> body, Duration timeout,
            boolean idempotent, String what) {
        return call(method, body, timeout, idempotent, what, false);
    }

    private CompletableFuture<Map<String, Object>> call(String method, Map<String, Object> body, Duration timeout,
            boolean idempotent, String what, boolean renewed) {
        URI uri = settings.url().resolve(method);
        return bearer(renewed).thenCompose(t -> transport.post(uri, JSON, Json.write(body),
                Map.of("Authorization", "Bearer " + t.access()), timeout, idempotent, what))
                .thenCompose(answer -> {
                    if (answer.status() == 401 && !renewed) {
                        // the token expired or was revoked early: log in again once
                        return call(method, body, timeout, idempotent, what, true);
                    }
                    return CompletableFuture.completedFuture(parsed(answer, what));
                });
    }

    private Map<String, Object> parsed(Transport.Answer answer, String what) {
        Map<String, Object> parsed;
        try {
            parsed = answer.body().isBlank() && answer.status() / 100 == 2 ? new LinkedHashMap<>()
                    : Json.parseObject(answer.body());
        } catch (IllegalArgumentException e) {
            if (answer.status() / 100 != 2) {
                throw new CompletionException(httpError(answer.status(), null, answer.body(), what));
            }
            throw new CompletionException(malformed(what, e));
        }
        if (answer.status() / 100 != 2) {
            throw new CompletionException(httpError(answer.status(), Json.optString(parsed, "error"),
                    Json.optString(parsed, "error_description"), what));
        }
        return parsed;
    }

    private KysoException httpError(int status, String error, String description, String what) {
        String user = "user " + settings.userId();
        String said = (error == null ? "" : error) + (description == null ? "" : " (" + Transport.shorten(description) + ")");
        if (error != null) {
            switch (error) {
                case "access_denied":
                    return new UserRejectedException(RemoteSimProvider.ID, user
                            + " declined the signing request in the app; nothing was signed");
                case "expired_request":
                    return new SigningTimeoutException(RemoteSimProvider.ID, user
                            + " did not confirm before the service's request expired: ask the person to open the app and try again");
                case "pin_locked":
                    return new PinLockedException(RemoteSimProvider.ID, "the signing PIN of " + user
                            + " is locked: the person must have it unlocked by the CA before signing");
                case "user_unreachable":
                    return new ServiceUnavailableException(RemoteSimProvider.ID, "the device of " + user
                            + " cannot be reached (off or out of coverage): ask the person to switch it on and retry");
                case "cancelled":
                    return new UserRejectedException(RemoteSimProvider.ID,
                            "the request was cancelled at the service; nothing was signed");
                case "invalid_client":
                    return new PinIncorrectException(RemoteSimProvider.ID, "the CSC service refused client_id '"
                            + settings.serviceId() + "' and its secret: check the 'client_id' setting and the secret", -1, null);
                default:
                    break;
            }
        }
        if (status == 401) {
            return new ServiceUnavailableException(RemoteSimProvider.ID, "the CSC service refused a fresh token for "
                    + what + " " + said.trim() + ": try again later");
        }
        if (status == 404) {
            return new KeyNotFoundException(RemoteSimProvider.ID, "the CSC service has no " + what + " " + said.trim());
        }
        if (status >= 500 || status == 429) {
            return new ServiceUnavailableException(RemoteSimProvider.ID, "the CSC service failed " + what + " with HTTP "
                    + status + " " + said.trim() + " after retries: try again later");
        }
        return new SigningFailedException(RemoteSimProvider.ID, "the CSC service refused " + what + " with HTTP " + status
                + " " + said.trim());
    }


    private static SigningFailedException malformed(String what, IllegalArgumentException e) {
        return new SigningFailedException(RemoteSimProvider.ID, "the CSC service answered " + what
                + " with a malformed message (" + e.getMessage() + "); nothing was signed", e);
    }


    private <T> T await(CompletableFuture<T> stage) throws KysoException {
        long bound = settings.requestTimeout().toMillis() * (settings.retries() + 2) + 5_000;
        try {
            return stage.get(bound, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw Transport.failure(settings.url(), e.getCause(), "reading the credentials");
        } catch (TimeoutException e) {
            stage.cancel(true);
            throw new SigningTimeoutException(RemoteSimProvider.ID, "the CSC service did not answer in " + bound / 1000
                    + " s: try again later", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stage.cancel(true);
            throw new SigningFailedException(RemoteSimProvider.ID, "interrupted while reading the credentials", e);
        }
    }
}
