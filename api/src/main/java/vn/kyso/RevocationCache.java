package vn.kyso;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The OCSP responses and CRLs one verification run fetched, kept while fresh (until their
 * nextUpdate), and the CA certificates it fetched by caIssuers (while valid, a day at most), so
 * that a folder of files signed under the same CA asks each responder, CRL and caIssuers URL
 * once per run, not once per file. {@link Kyso#verifyAll} makes one per call; give one to a
 * policy with {@link ValidationPolicy.Builder#revocationCache} to share it across calls of your
 * own loop. Never global: it lives as long as the policy or the call that holds it.
 *
 * <p>Bounded by entries and bytes (the least recently used go first); a fetch that failed is
 * not kept, so a later file asks again. Thread-safe: files verified in parallel that need the
 * same answer wait for one fetch instead of each making their own.
 */
public final class RevocationCache {
    /** Default bounds: enough for the CAs of a day's mail, small next to the documents. */
    static final int DEFAULT_ENTRIES = 512;
    static final long DEFAULT_BYTES = 32L << 20;

    private final Clock clock;
    private final int maxEntries;
    private final long maxBytes;
    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /** One answer, or the fetch under way that will give it; {@code freshUntil} is set once it is done. */
    private static final class Entry {
        final CompletableFuture<Optional<byte[]>> value = new CompletableFuture<>();
        volatile Instant freshUntil;
        long size;
    }

    private RevocationCache(Clock clock, int maxEntries, long maxBytes) {
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** A cache with the default bounds (512 answers, 32 MB) and the system clock. */
    public static RevocationCache create() {
        return new RevocationCache(Clock.systemUTC(), DEFAULT_ENTRIES, DEFAULT_BYTES);
    }

    /**
     * A cache holding at most {@code maxEntries} answers and {@code maxBytes} bytes, judging
     * freshness by {@code clock}.
     */
    public static RevocationCache create(Clock clock, int maxEntries, long maxBytes) {
        Objects.requireNonNull(clock, "clock must not be null");
        if (maxEntries < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("a revocation cache must hold at least one entry and one byte");
        }
        return new RevocationCache(clock, maxEntries, maxBytes);
    }

    /**
     * The answer kept under {@code key} while it is fresh, else the one {@code fetch} gives,
     * kept until {@code freshUntil} says (its nextUpdate; null: not kept). Called by kyso's
     * verifiers with keys such as the issuer and serial of an OCSP request or a CRL's URL.
     * When another thread is fetching the same key, waits for its answer (the fetch is bounded
     * by that verification's network time).
     */
    public Optional<byte[]> get(String key, Supplier<Optional<byte[]>> fetch, Function<byte[], Instant> freshUntil) {
        Objects.requireNonNull(key, "key must not be null");
        Entry entry;
        boolean mine = false;
        synchronized (this) {
            entry = entries.get(key);
            if (entry == null || stale(entry)) {
                remove(key);
                entry = new Entry();
                entries.put(key, entry);
                mine = true;
            }
        }
        if (!mine) {
            try {
                return entry.value.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            } catch (ExecutionException e) {
                return Optional.empty();
            }
        }
        Optional<byte[]> answer = Optional.empty();
        try {
            answer = fetch.get();
            Instant until = answer.isPresent() ? freshUntil.apply(answer.get()) : null;
            synchronized (this) {
                if (until == null || !until.isAfter(clock.instant()) || entries.get(key) != entry) {
                    entries.remove(key, entry); // a failure or an answer stale already: the next file asks again
                } else {
                    entry.freshUntil = until;
                    entry.size = answer.get().length;
                    bytes += entry.size;
                    evict();
                }
            }
            return answer;
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                entries.remove(key, entry);
            }
            throw e;
        } finally {
            entry.value.complete(answer);
        }
    }

    /** How many answers are kept now. */
    public synchronized int size() {
        return (int) entries.values().stream().filter(e -> e.freshUntil != null).count();
    }

    private boolean stale(Entry entry) {
        Instant until = entry.freshUntil;
        return until != null && !until.isAfter(clock.instant());
    }

    private void remove(String key) {
        Entry old = entries.remove(key);
        if (old != null) {
            bytes -= old.size;
        }
    }

    /** Drops the least recently used answers (never a fetch under way) until within the bounds. */
    private void evict() {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while ((entries.size() > maxEntries || bytes > maxBytes) && it.hasNext()) {
            Entry e = it.next().getValue();
            if (e.freshUntil != null) {
                bytes -= e.size;
                it.remove();
            }
        }
    }
}
