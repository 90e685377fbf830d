package vn.kyso.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SP769 service's webhook: when a transaction settles (signed, rejected, expired, PIN
 * blocked, phone unreachable), the body of its status answer is POSTed to the URL the service
 * provider registered; a failed delivery (no connection, 5xx) is tried twice more. A timer per
 * transaction waits on the simulator's scheduler, no thread; posting runs on a few threads.
 */
final class Sp769Webhooks implements AutoCloseable {
    private static final int ATTEMPTS = 3;
    private static final int POSTING_THREADS = 8;

    private final ScheduledExecutorService scheduler;
    private final ThreadPoolExecutor posting;
    private final AtomicInteger delivered = new AtomicInteger();
    private volatile URI url;

    Sp769Webhooks(URI url, ScheduledExecutorService scheduler, ThreadFactory threads) {
        this.url = url;
        this.scheduler = scheduler;
        this.posting = new ThreadPoolExecutor(POSTING_THREADS, POSTING_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(RemoteSigningSimulator.MAX_TRANSACTIONS), threads);
        this.posting.allowCoreThreadTimeOut(true);
    }

    void setUrl(URI url) {
        this.url = url;
    }

    URI url() {
        return url;
    }

    int delivered() {
        return delivered.get();
    }

    /** Posts the result of {@code t} once it settles, if a webhook is registered now. */
    void whenSettled(SimTransaction t) {
        URI target = url;
        if (target != null) {
            later(t, target);
        }
    }

    private void later(SimTransaction t, URI target) {
        try {
            scheduler.schedule(() -> t.valuesReady().thenRun(() -> settled(t, target)), t.untilSettled().toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            // the simulator stopped
        }
    }

    private void settled(SimTransaction t, URI target) {
        SimTransaction.State state = t.state();
        if (state == SimTransaction.State.WAITING) {
            later(t, target);
        } else if (state != SimTransaction.State.CANCELLED) {
            // a cancelled transaction was the client's own doing: nothing to tell it
            post(target, Sp769Dialect.statusBody(t), 1);
        }
    }

    private void post(URI target, String body, int attempt) {
        try {
            posting.execute(() -> {
                boolean again;
                try {
                    int status = send(target, body);
                    if (status / 100 == 2) {
                        delivered.incrementAndGet();
                    }
                    again = status >= 500;
                } catch (IOException e) {
                    again = true;
                }
                if (again && attempt < ATTEMPTS) {
                    try {
                        scheduler.schedule(() -> post(target, body, attempt + 1), 500L * attempt, TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException closed) {
                        // the simulator stopped
                    }
                }
            });
        } catch (RejectedExecutionException closed) {
            // stopped, or more results waiting than transactions can exist
        }
    }

    /** One blocking POST on a posting thread (keep-alive connections are reused); the answer's status. */
    private static int send(URI target, String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) target.toURL().openConnection();
        try {
            c.setConnectTimeout(5_000);
            c.setReadTimeout(10_000);
            c.setInstanceFollowRedirects(false);
            c.setDoOutput(true);
            c.setRequestMethod("POST");
            c.setRequestProperty("Content-Type", "application/json; charset=utf-8");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            c.setFixedLengthStreamingMode(bytes.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(bytes);
            }
            int status = c.getResponseCode();
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                if (in != null) {
                    in.readNBytes(64 * 1024);
                }
            }
            return status;
        } finally {
            if (Thread.currentThread().isInterrupted()) {
                c.disconnect();
            }
        }
    }

    @Override
    public void close() {
        posting.shutdownNow();
    }
}
