package vn.kyso.remotesim;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import vn.kyso.KeyNotFoundException;
import vn.kyso.KysoException;
import vn.kyso.PinIncorrectException;
import vn.kyso.PinLockedException;
import vn.kyso.ServiceUnavailableException;
import vn.kyso.SigningFailedException;
import vn.kyso.SigningTimeoutException;
import vn.kyso.UserRejectedException;
import vn.kyso.internal.json.Json;

/**
 * The SP769 / NEAC eSign dialect (VNPT SmartCA; Circular 15/2025/TT-BKHCN Appendix III):
 * {@code v1/credentials/get_certificate}, {@code v1/signatures/sign} and polling of
 * {@code v1/signatures/sign/{transaction_id}/status}, with {@code sp_id}/{@code sp_password} in
 * every body. The hash goes as hex with {@code sign_type "hash"}; several hashes are several
 * {@code sign_files} of one transaction, which the person confirms once.
 */
final class Sp769Service implements RemoteService {
    static final int DISPLAY_LIMIT = 200;
    private static final String JSON = "application/json; charset=utf-8";
    private static final DateTimeFormatter TIME_STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    /** Consecutive failed polls tolerated before the service is declared unavailable. */
    private static final int MAX_POLL_FAILURES = 5;
    /** The message of a transaction that waits for the person: keep polling. */
    static final String WAITING = "sig_wait_for_user_confirm";

    private final RemoteSettings settings;
    private final Transport transport;
    private final String spPassword;
    /** Transactions waiting for the person, by transaction_id, for webhook deliveries; bounded by the pending requests. */
    private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();
    private volatile boolean webhook;

    Sp769Service(RemoteSettings settings, Transport transport, char[] spPassword) {
        this.settings = settings;
        this.transport = transport;
        this.spPassword = new String(spPassword);
    }

    @Override
    public int displayLimit() {
        return DISPLAY_LIMIT;
    }

    @Override
    public List<Credential> credentials() throws KysoException {
        Map<String, Object> body = base();
        body.put("user_id", settings.userId());
        if (settings.serialNumber() != null) {
            body.put("serial_number", settings.serialNumber());
        }
        body.put("transaction_id", RemoteSigner.newTransactionId());
        Map<String, Object> answer = await(call("v1/credentials/get_certificate", body, true, "get_certificate"));
        List<Credential> out = new ArrayList<>();
        try {
            Map<String, Object> data = Json.object(answer, "data");
            for (Object o : Json.array(data, "user_certificates")) {
                if (!(o instanceof Map<?, ?>)) {
                    throw new IllegalArgumentException("a user_certificates entry is not an object");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> c = (Map<String, Object>) o;
                String serial = Json.string(c, "serial_number");
                List<X509Certificate> chain = new ArrayList<>();
                chain.add(Transport.certificate(Json.string(c, "cert_data"), "cert_data is not a base64 DER certificate"));
                if (c.get("chain_data") instanceof Map<?, ?> chainData) {
                    Object ca = chainData.get("ca_cert");
                    if (ca instanceof String s && !s.isBlank()) {
                        chain.add(Transport.certificate(s, "cert_data is not a base64 DER certificate"));
                    }
                }
                String status = Json.optString(c, "cert_status");
                String label = chain.get(0).getSubjectX500Principal().getName() + " (" + serial
                        + (status == null ? "" : ", " + status) + ")";
                out.add(new Credential(serial, label, chain));
            }
        } catch (IllegalArgumentException e) {
            throw malformed("get_certificate", e);
        }
        return out;
    }

    @Override
    public CompletableFuture<List<byte[]>> sign(Job job, BooleanSupplier cancelled) {
        Map<String, Object> body = base();
        body.put("user_id", settings.userId());
        body.put("transaction_id", job.transactionId());
        body.put("transaction_desc", job.displayText());
        body.put("serial_number", job.credential().id());
        body.put("time_stamp", LocalDateTime.now(ZoneOffset.UTC).format(TIME_STAMP));
        List<Object> files = new ArrayList<>();
        List<String> docIds = new ArrayList<>();
        for (int i = 0; i < job.digests().size(); i++) {
            Map<String, Object> f = new LinkedHashMap<>();
            String docId = docId(job, i);
            docIds.add(docId);
            f.put("data_to_be_signed", HexFormat.of().formatHex(job.digests().get(i)));
            f.put("doc_id", docId);
            f.put("file_type", job.fileType());
            f.put("sign_type", "hash");
            files.add(f);
        }
        body.put("sign_files", files);
        Waiter waiter = new Waiter(job, docIds, cancelled);
        waiting.put(job.transactionId(), waiter);
        waiter.result.whenComplete((v, e) -> waiting.remove(job.transactionId(), waiter));
        // the same body (same transaction_id) is resent on a retry: the service recognises it
        call("v1/signatures/sign", body, true, "the sign request").whenComplete((answer, error) -> {
            if (error != null) {
                waiter.result.completeExceptionally(Transport.failure(settings.url(), error, "the sign request"));
            } else {
                waiter.scheduleNext();
            }
        });
        return waiter.result;
    }

    /** From now on results also arrive by webhook: status queries become a rare safety net. */
    void webhookAttached() {
        webhook = true;
    }

    /**
     * A result the service POSTed to the webhook. Values that verify against the digests and the
     * certificate complete the signature at once; anything else (a refusal, an unknown message, a
     * value that does not verify) only brings the next status query forward, so an unauthenticated
     * POST can neither forge nor fail a signature. False when no pending transaction has that id.
     */
    boolean delivered(String transactionId, Map<String, Object> answer) {
        Waiter waiter = waiting.get(transactionId);
        if (waiter == null) {
            return false;
        }
        if ("SUCCESS".equals(Json.optString(answer, "message"))) {
            try {
                List<byte[]> values = result(waiter.job, waiter.docIds, answer);
                if (RemoteSigner.allVerify(waiter.job, values)) {
                    waiter.result.complete(new VerifiedValues(values));
                    return true;
                }
            } catch (KysoException e) {
                // malformed: the status query decides
            }
        }
        waiter.queryNow();
        return true;
    }

    /**
     * One transaction waiting for the person: status queries on the poll schedule (or, with a
     * webhook, the safety-net interval), one at a time, brought forward by a webhook delivery.
     */
    private final class Waiter {
        final Job job;
        final List<String> docIds;
        final BooleanSupplier cancelled;
        final CompletableFuture<List<byte[]>> result = new CompletableFuture<>();
        private int polls;
        private int failures;
        private ScheduledFuture<?> timer;
        private boolean querying;
        private boolean again;

        Waiter(Job job, List<String> docIds, BooleanSupplier cancelled) {
            this.job = job;
            this.docIds = docIds;
            this.cancelled = cancelled;
        }

        synchronized void scheduleNext() {
            if (result.isDone() || stopIfCancelled()) {
                return;
            }
            long left = job.deadlineNanos() - System.nanoTime();
            if (left <= 0) {
                cancel(job);
                result.completeExceptionally(new SigningTimeoutException(RemoteSimProvider.ID, "no confirmation from user "
                        + settings.userId() + " within " + settings.confirmationTimeout().toSeconds()
                        + " s: ask the person to open the signing app and try again"));
                return;
            }
            long delay = webhook ? (long) (settings.webhookPollInterval().toNanos()
                    * (0.9 + 0.2 * ThreadLocalRandom.current().nextDouble())) : settings.polls().delayNanos(polls);
            try {
                timer = transport.schedule(this::queryNow, Math.min(delay, left));
            } catch (RejectedExecutionException e) {
                result.completeExceptionally(new SigningFailedException(RemoteSimProvider.ID,
                        "the remote-sim key source was closed while the signature was pending; nothing was signed", e));
            }
        }

        /** Sends a status query now, or right after the one in flight. */
        void queryNow() {
            synchronized (this) {
                if (result.isDone() || stopIfCancelled()) {
                    return;
                }
                if (querying) {
                    again = true;
                    return;
                }
                querying = true;
                again = false;
                if (timer != null) {
                    timer.cancel(false);
                }
                polls++;
            }
            call("v1/signatures/sign/" + URLEncoder.encode(job.transactionId(), StandardCharsets.UTF_8) + "/status",
                    base(), true, true, "the status query").whenComplete(this::answered);
        }

        private void answered(Map<String, Object> answer, Throwable error) {
            boolean now;
            synchronized (this) {
                querying = false;
                now = again;
            }
            if (error != null) {
                KysoException k = Transport.failure(settings.url(), error, "the status query");
                if ((k instanceof ServiceUnavailableException || k instanceof SigningTimeoutException)
                        && ++failures < MAX_POLL_FAILURES) {
                    scheduleNext();
                } else {
                    result.completeExceptionally(k);
                }
                return;
            }
            failures = 0;
            if (WAITING.equals(Json.optString(answer, "message"))) {
                if (now) {
                    queryNow();
                } else {
                    scheduleNext();
                }
                return;
            }
            try {
                result.complete(result(job, docIds, answer));
            } catch (KysoException e) {
                result.completeExceptionally(e);
            }
        }

        /** The caller gave up: stop querying; the signer tells the service. */
        private boolean stopIfCancelled() {
            if (!cancelled.getAsBoolean()) {
                return false;
            }
            if (timer != null) {
                timer.cancel(false);
            }
            waiting.remove(job.transactionId(), this);
            return true;
        }
    }

    private List<byte[]> result(Job job, List<String> docIds, Map<String, Object> answer) throws KysoException {
        String message = String.valueOf(Json.optString(answer, "message"));
        String user = "user " + settings.userId();
        switch (message) {
            case "SUCCESS" -> {
                try {
                    Map<String, Object> data = Json.object(answer, "data");
                    List<Object> signatures = Json.array(data, "signatures");
                    byte[][] values = new byte[docIds.size()][];
                    for (Object o : signatures) {
                        if (!(o instanceof Map<?, ?>)) {
                            throw new IllegalArgumentException("a signatures entry is not an object");
                        }
                        @SuppressWarnings("unchecked")
                        Map<String, Object> s = (Map<String, Object>) o;
                        int index = docIds.indexOf(Json.string(s, "doc_id"));
                        if (index < 0 || values[index] != null) {
                            throw new IllegalArgumentException("signature for an unknown or repeated doc_id "
                                    + Json.optString(s, "doc_id"));
                        }
                        values[index] = Base64.getDecoder().decode(Json.string(s, "signature_value").trim());
                    }
                    if (Arrays.asList(values).contains(null)) {
                        throw new IllegalArgumentException("signatures are missing for some doc_id");
                    }
                    return List.of(values);
                } catch (IllegalArgumentException e) {
                    throw malformed("the status query", e);
                }
            }
            case "sig_rejected_by_user" -> throw new UserRejectedException(RemoteSimProvider.ID, user
                    + " declined the signing request on the phone; nothing was signed");
            case "sig_transaction_expired" -> throw new SigningTimeoutException(RemoteSimProvider.ID, user
                    + " did not confirm before the service's transaction expired: ask the person to open the app and try again");
            case "sig_pin_locked" -> throw new PinLockedException(RemoteSimProvider.ID, "the signing PIN of " + user
                    + " is locked: the person must have it unlocked by the CA before signing");
            case "sig_user_unreachable" -> throw new ServiceUnavailableException(RemoteSimProvider.ID, "the phone of "
                    + user + " cannot be reached (off or out of coverage): ask the person to switch it on and retry");
            case "sig_transaction_cancelled" -> throw new UserRejectedException(RemoteSimProvider.ID,
                    "the transaction was cancelled at the service; nothing was signed");
            default -> throw new SigningFailedException(RemoteSimProvider.ID, "the status query answered an unknown message '"
                    + message + "'; nothing was signed");
        }
    }

    @Override
    public void cancel(Job job) {
        Waiter waiter = waiting.remove(job.transactionId());
        if (waiter != null) {
            synchronized (waiter) {
                if (waiter.timer != null) {
                    waiter.timer.cancel(false);
                }
            }
        }
        // not in the public SP769 documentation; the simulator and services that offer it drop the prompt
        transport.finishBeforeClose(call("v1/signatures/sign/" + URLEncoder.encode(job.transactionId(),
                StandardCharsets.UTF_8) + "/cancel", base(), false, true, "the cancel request"));
    }

    private String docId(Job job, int index) {
        return job.digests().size() == 1 ? job.transactionId().substring(0, 8)
                : job.transactionId().substring(0, 8) + "-" + (index + 1);
    }

    private Map<String, Object> base() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sp_id", settings.serviceId());
        body.put("sp_password", spPassword);
        return body;
    }

    /** POSTs a JSON body and returns the answer object once it is a 200, else the typed error. */
    private CompletableFuture<Map<String, Object>> call(String path, Map<String, Object> body, boolean idempotent,
            String what) {
        return call(path, body, idempotent, false, what);
    }

    /** A call about a transaction already submitted ({@code followUp}: status, cancel) goes before new submits. */
    private CompletableFuture<Map<String, Object>> call(String path, Map<String, Object> body, boolean idempotent,
            boolean followUp, String what) {
        URI uri = settings.url().resolve(path);
        return transport.post(uri, JSON, Json.write(body), idempotent, followUp, what).thenApply(answer -> {
            Map<String, Object> parsed;
            try {
                parsed = Json.parseObject(answer.body());
            } catch (IllegalArgumentException e) {
                if (answer.status() != 200) {
                    throw new java.util.concurrent.CompletionException(httpError(answer.status(), null, answer.body(), what));
                }
                throw new java.util.concurrent.CompletionException(malformed(what, e));
            }
            if (answer.status() != 200) {
                throw new java.util.concurrent.CompletionException(httpError(answer.status(),
                        Json.optString(parsed, "message"), Json.optString(parsed, "error_detail"), what));
            }
            return parsed;
        });
    }

    private KysoException httpError(int status, String message, String detail, String what) {
        String said = (message == null ? "" : message) + (detail == null ? "" : " (" + Transport.shorten(detail) + ")");
        return switch (status) {
            case 401 -> new PinIncorrectException(RemoteSimProvider.ID, "the signing service refused sp_id '"
                    + settings.serviceId() + "' and its password: check the 'sp_id' setting and the password", -1, null);
            case 403 -> new SigningFailedException(RemoteSimProvider.ID, "the signing service refuses the certificate of user "
                    + settings.userId() + " (" + said.trim() + "): it is expired or revoked; renew it with the CA");
            case 404 -> new KeyNotFoundException(RemoteSimProvider.ID, "the signing service does not know "
                    + "user " + settings.userId() + " or this credential (" + said.trim() + "): check 'user_id' and 'serial_number'");
            default -> status >= 500 || status == 429
                    ? new ServiceUnavailableException(RemoteSimProvider.ID, "the signing service failed " + what + " with HTTP "
                            + status + " " + said.trim() + " after retries: try again later")
                    : new SigningFailedException(RemoteSimProvider.ID, "the signing service refused " + what + " with HTTP "
                            + status + " " + said.trim());
        };
    }


    private static SigningFailedException malformed(String what, IllegalArgumentException e) {
        return new SigningFailedException(RemoteSimProvider.ID, "the signing service answered " + what
                + " with a malformed message (" + e.getMessage() + "); nothing was signed", e);
    }


    /** Waits for a connect-time call, bounded by the request timeout and retries. */
    private <T> T await(CompletableFuture<T> stage) throws KysoException {
        long bound = settings.requestTimeout().toMillis() * (settings.retries() + 1) + 5_000;
        try {
            return stage.get(bound, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw Transport.failure(settings.url(), e.getCause(), "get_certificate");
        } catch (TimeoutException e) {
            stage.cancel(true);
            throw new SigningTimeoutException(RemoteSimProvider.ID, "the signing service did not answer get_certificate in "
                    + bound / 1000 + " s: try again later", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stage.cancel(true);
            throw new SigningFailedException(RemoteSimProvider.ID, "interrupted while reading the certificates", e);
        }
    }
}
