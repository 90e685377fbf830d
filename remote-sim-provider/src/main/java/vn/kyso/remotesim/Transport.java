package vn.kyso.remotesim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import vn.kyso.KysoException;
import vn.kyso.ServiceUnavailableException;
import vn.kyso.SigningFailedException;
import vn.kyso.SigningTimeoutException;

/**
 * HTTP for the dialects: one non-blocking {@link HttpClient} per key source, a bound on
 * exchanges in flight, a timeout per request, and retries only for requests the caller marks
 * idempotent (the same body, so the same transaction id, is sent again: the service recognises
 * it and the phone asks once). Failures become typed {@link KysoException}s wrapped in the
 * returned stage.
 */
final class Transport {
    /** Largest answer read (bytes); signing answers are a few kilobytes, a longer one fails the exchange. */
    static final int MAX_ANSWER = 1 << 20;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final java.util.concurrent.ExecutorService executor;
    private final ScheduledThreadPoolExecutor timers;
    private final HttpClient client;
    private final AsyncLimiter limiter;
    private final Duration requestTimeout;
    private final int retries;
    private final java.util.function.Predicate<Answer> transientAnswer;

    /** An answer: HTTP status and body text. */
    record Answer(int status, String body) {
    }

    /** A transport whose 5xx and 429 answers are worth the same request again (the JSON dialects). */
    static boolean json5xx(Answer a) {
        return a.status() >= 500 || a.status() == 429;
    }

    /**
     * @param transientAnswer which answers are worth the same request again
     * @param tls the TLS context for https (trust and client certificate), or null for the JDK's default
     */
    Transport(RemoteSettings settings, java.util.function.Predicate<Answer> transientAnswer, javax.net.ssl.SSLContext tls) {
        this.transientAnswer = transientAnswer;
        // two threads run the HTTP client's work; one more keeps the poll timers (cancellable, so a
        // webhook can bring a poll forward) apart from it, so the client's many short tasks do not
        // queue in the timers' heap behind thousands of pending polls
        this.executor = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "kyso-remote-sim-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kyso-remote-sim-timer-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.timers.setRemoveOnCancelPolicy(true);
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.client = builder.build();
        this.limiter = new AsyncLimiter(settings.maxConcurrentRequests(), 100_000);
        this.requestTimeout = settings.requestTimeout();
        this.retries = settings.retries();
    }

    ExecutorService executor() {
        return executor;
    }

    /** Runs {@code task} after {@code delayNanos} on the transport's threads; cancellable. */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return timers.schedule(() -> executor.execute(task), delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * POSTs {@code body}; when {@code idempotent}, a dropped connection, a timeout or a 5xx is
     * retried with the same body after a short backoff, up to the configured number of retries.
     */
    CompletableFuture<Answer> post(URI uri, String contentType, String body, boolean idempotent, String what) {
        return post(uri, contentType, body, Map.of(), requestTimeout, idempotent, false, what);
    }

    /**
     * Like {@link #post(URI, String, String, boolean, String)}; a {@code followUp} (a status query
     * or cancellation of a transaction already submitted) waits for a permit before new submits.
     */
    CompletableFuture<Answer> post(URI uri, String contentType, String body, boolean idempotent, boolean followUp,
            String what) {
        return post(uri, contentType, body, Map.of(), requestTimeout, idempotent, followUp, what);
    }

    /**
     * Like {@link #post(URI, String, String, boolean, String)} with extra headers (a bearer token)
     * and a timeout of its own (a request the service holds open until the person answers).
     * A timeout is never retried: the caller's deadline decides. A request with a timeout longer
     * than the request timeout is such a held request and bypasses the in-flight bound, so
     * pending confirmations never starve the other calls of permits.
     */
    CompletableFuture<Answer> post(URI uri, String contentType, String body, Map<String, String> headers, Duration timeout,
            boolean idempotent, String what) {
        return post(uri, contentType, body, headers, timeout, idempotent, false, what);
    }

    private CompletableFuture<Answer> post(URI uri, String contentType, String body, Map<String, String> headers,
            Duration timeout, boolean idempotent, boolean followUp, String what) {
        return attempt(uri, contentType, body, headers, timeout, idempotent ? retries : 0, 0, followUp, what);
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    private CompletableFuture<Answer> attempt(URI uri, String contentType, String body, Map<String, String> headers,
            Duration timeout, int retriesLeft, int attempt, boolean followUp, String what) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", contentType)
                .header("Accept", contentType.startsWith("application/json") ? "application/json" : "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(builder::header);
        HttpRequest request = builder.build();
        java.util.function.Supplier<CompletableFuture<Answer>> exchange = () -> client.sendAsync(request,
                BoundedBody.handler(MAX_ANSWER)).thenApply(r -> new Answer(r.statusCode(), decode(r.body())));
        CompletableFuture<Answer> sent = timeout.compareTo(requestTimeout) > 0 ? exchange.get() : limiter.submit(exchange, followUp);
        if (sent == null) {
            return CompletableFuture.failedFuture(new ServiceUnavailableException(RemoteSimProvider.ID,
                    "too many requests are waiting for the signing service: try again later"));
        }
        return sent.handle((answer, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            boolean transientFailure = error != null && !(cause instanceof HttpTimeoutException)
                    && !(cause instanceof BoundedBody.TooLongException)
                    || error == null && transientAnswer.test(answer);
            if (transientFailure && retriesLeft > 0) {
                long backoff = 100L << Math.min(attempt, 6);
                return CompletableFuture.supplyAsync(() -> null,
                        CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS, executor))
                        .thenCompose(x -> attempt(uri, contentType, body, headers, timeout, retriesLeft - 1, attempt + 1,
                                followUp, what));
            }
            if (error != null) {
                return CompletableFuture.<Answer>failedFuture(failure(uri, error, what));
            }
            return CompletableFuture.completedFuture(answer);
        }).thenCompose(f -> f);
    }

    private static String decode(byte[] body) {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    /** A service's free text cut to 200 characters for an error message. */
    static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    /** A certificate a JSON dialect carries as base64 DER; {@code notOne} is the message when it is not. */
    static X509Certificate certificate(String base64, String notOne) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getMimeDecoder().decode(base64)));
        } catch (CertificateException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException(notOne);
        }
    }

    /** The typed error for a failed exchange. */
    static KysoException failure(URI uri, Throwable error, String what) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof KysoException k) {
            return k;
        }
        String where = uri.getScheme() + "://" + uri.getAuthority();
        if (cause instanceof BoundedBody.TooLongException) {
            return new SigningFailedException(RemoteSimProvider.ID, "the signing service at " + where + " answered " + what
                    + " with more than " + MAX_ANSWER + " bytes; the answer was dropped and nothing was signed", cause);
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new ServiceUnavailableException(RemoteSimProvider.ID, "could not connect to " + where + " for " + what
                    + " in time: check the 'url' setting and the network, then try again", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new SigningTimeoutException(RemoteSimProvider.ID, "the signing service at " + where
                    + " did not answer " + what + " in time: try again later or raise 'request_timeout'", cause);
        }
        if (cause instanceof ConnectException) {
            return new ServiceUnavailableException(RemoteSimProvider.ID, "connection to " + where + " refused for " + what
                    + ": check the 'url' setting and that the service is up", cause);
        }
        if (cause instanceof IOException) {
            return new ServiceUnavailableException(RemoteSimProvider.ID, "the connection to " + where
                    + " broke during " + what + " (" + cause.getMessage() + "): try again later", cause);
        }
        return new SigningFailedException(RemoteSimProvider.ID, what + " failed: " + cause, cause);
    }

    /** Requests that must reach the service even when the source closes right after (cancellations). */
    private final java.util.Set<CompletableFuture<?>> finishing = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Lets {@code request} finish before {@link #close()} stops the client (bounded by the request timeout, at most 5 s). */
    void finishBeforeClose(CompletableFuture<?> request) {
        finishing.add(request);
        request.whenComplete((v, e) -> finishing.remove(request));
    }

    /** Waits briefly for cancellations still on their way, then stops the client's threads; pending exchanges fail. */
    void close() {
        try {
            CompletableFuture.allOf(finishing.toArray(CompletableFuture[]::new))
                    .get(Math.min(requestTimeout.toMillis(), 5_000), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // a cancellation that fails or hangs must not keep the source open: the service expires the prompt
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        executor.shutdownNow();
    }
}
