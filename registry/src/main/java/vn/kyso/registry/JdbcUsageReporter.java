package vn.kyso.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.kyso.CertificateStatus;
import vn.kyso.UsageEvent;
import vn.kyso.UsageReporter;

/**
 * Keeps every signing attempt in the register's database, for the monthly report, and feeds the
 * register: a certificate's first signature moves it from issued to in use, and its last use is
 * kept.
 *
 * <p>Signing never waits for the database: {@link #report} only puts the event in a bounded
 * queue, which one background thread drains, inserting in batches. While the database is down
 * the writer retries and events wait in the queue; when the queue is full, new events are
 * dropped, counted ({@link #dropped()}) and logged. {@link #close()} writes what is queued.
 *
 * <pre>{@code
 * try (JdbcUsageReporter usage = JdbcUsageReporter.start(dataSource)) {
 *     Kyso kyso = Kyso.builder().usageReporter(usage).build();
 *     ...
 * }
 * }</pre>
 */
public final class JdbcUsageReporter implements UsageReporter, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcUsageReporter.class);
    /** Default bound of the queue: at ~300 bytes an event, about 30 MB of signing during an outage. */
    public static final int DEFAULT_CAPACITY = 100_000;
    static final int DEFAULT_BATCH = 500;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final Clock clock;
    private final BlockingQueue<UsageEvent> queue;
    private final int batchSize;
    private final Thread writer;
    /** Used by the writer thread only. */
    private final UsageNames names = new UsageNames();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Object progress = new Object();
    /** Events accepted and not yet written: counted before they enter the queue, so flush never misses one. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean closing;
    private volatile boolean abandon;

    private JdbcUsageReporter(DataSource dataSource, Clock clock, int capacity, int batchSize) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchSize = batchSize;
        this.writer = new Thread(this::drain, "kyso-usage-writer");
        this.writer.setDaemon(true);
    }

    /** Starts a reporter with the default queue bound, creating or migrating the schema. */
    public static JdbcUsageReporter start(DataSource dataSource) {
        return start(dataSource, DEFAULT_CAPACITY, DEFAULT_BATCH, Clock.systemUTC());
    }

    /**
     * Starts a reporter.
     *
     * @param capacity how many events wait at most while the database is slow or down
     * @param batchSize how many events one insert transaction writes at most
     * @param clock the time of register changes (first use) made by the writer
     * @throws RegistryException when the schema cannot be created or migrated
     */
    public static JdbcUsageReporter start(DataSource dataSource, int capacity, int batchSize, Clock clock) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        if (capacity < 1 || batchSize < 1) {
            throw new IllegalArgumentException("capacity and batchSize must be positive");
        }
        SchemaMigrator.ensure(dataSource);
        JdbcUsageReporter reporter = new JdbcUsageReporter(dataSource, clock, capacity, batchSize);
        reporter.writer.start();
        return reporter;
    }

    /** Queues the event; never blocks, never throws for a database problem. */
    @Override
    public void report(UsageEvent event) {
        Objects.requireNonNull(event, "event must not be null");
        pending.incrementAndGet();
        if (closing || !queue.offer(event)) {
            pending.decrementAndGet();
            long lost = dropped.incrementAndGet();
            if (lost == 1 || lost % 1000 == 0) {
                LOG.error("usage events lost: {} so far ({}); the monthly report will undercount", lost,
                        closing ? "the reporter is closed" : "the queue is full at " + (queue.size())
                                + " events: the database is down or too slow");
            }
        }
    }

    /** Events dropped because the queue was full (or the reporter closed). */
    public long dropped() {
        return dropped.get();
    }

    /** Events written to the database. */
    public long written() {
        return written.get();
    }

    /** Events waiting to be written. */
    public int queued() {
        return pending.get();
    }

    /** Failed write attempts so far (each retried). */
    public long failedWrites() {
        return failures.get();
    }

    /**
     * Waits until every event queued so far is written, or {@code timeout} passes.
     *
     * @return true when nothing is left to write
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (queued() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return true;
    }

    /** Stops taking events, writes what is queued (waiting up to 30 s for the database), stops the writer. */
    @Override
    public void close() {
        closing = true;
        try {
            if (!flush(CLOSE_TIMEOUT)) {
                LOG.error("usage reporter closed with {} events not written: the database stayed unreachable", queued());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        abandon = true;
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        List<UsageEvent> batch = new ArrayList<>(batchSize);
        long backoff = 50;
        while (!abandon) {
            try {
                if (batch.isEmpty()) {
                    UsageEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, batchSize - 1);
                }
                write(batch);
                written.addAndGet(batch.size());
                pending.addAndGet(-batch.size());
                batch.clear();
                backoff = 50;
                synchronized (progress) {
                    progress.notifyAll();
                }
            } catch (InterruptedException e) {
                if (abandon) {
                    break;
                }
            } catch (SQLException | RuntimeException e) {
                if (failures.incrementAndGet() == 1 || backoff >= MAX_BACKOFF.toMillis()) {
                    LOG.warn("cannot write {} usage events ({} queued), retrying: {}", batch.size(), queue.size(),
                            e.getMessage());
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException stop) {
                    if (abandon) {
                        break;
                    }
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    /**
     * Writes one batch in one transaction: the events, then the certificates' use. New names
     * (a first signer, a new document type) are added before, each committed on its own.
     */
    private void write(List<UsageEvent> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Map<String, Holder> holders = holders(c, batch);
            int[][] rows = new int[batch.size()][];
            for (int i = 0; i < batch.size(); i++) {
                UsageEvent e = batch.get(i);
                Holder h = holders.getOrDefault(e.signer(), Holder.UNKNOWN);
                rows[i] = new int[] {names.id(c, UsageNames.AGENCY, h.agency), names.id(c, UsageNames.UNIT, h.unit),
                    names.id(c, UsageNames.SIGNER, e.signer()), names.id(c, UsageNames.PERSON, h.personId),
                    names.id(c, UsageNames.SIGNER_NAME, e.signerName()),
                    names.id(c, UsageNames.DOCUMENT_TYPE, e.documentType()),
                    names.id(c, UsageNames.FORMAT, e.formatId()), names.id(c, UsageNames.PROVIDER, e.providerId()),
                    names.id(c, UsageNames.DEVICE, e.deviceKind().name()),
                    names.id(c, UsageNames.OUTCOME, e.outcome().name()),
                    names.id(c, UsageNames.ERROR_KIND, e.errorKind())};
            }
            c.setAutoCommit(false);
            try {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO usage_log (agency, unit, signer, person, "
                        + "signer_name, document_type, format, provider, device, outcome, error_kind, at, signatures, "
                        + "duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (int i = 0; i < batch.size(); i++) {
                        UsageEvent e = batch.get(i);
                        for (int k = 0; k < rows[i].length; k++) {
                            p.setInt(k + 1, rows[i][k]);
                        }
                        p.setObject(12, Jdbc.timestamp(e.at()));
                        p.setInt(13, e.signatures());
                        p.setInt(14, (int) Math.min(Integer.MAX_VALUE, e.duration().toMillis()));
                        p.addBatch();
                    }
                    p.executeBatch();
                }
                markUsed(c, batch, holders);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Jdbc.rollbackQuietly(c, e);
                throw e;
            }
        }
    }

    /** The register's agency, unit and personal id of each signer, as they are when the event is written. */
    private static Map<String, Holder> holders(Connection c, List<UsageEvent> batch) throws SQLException {
        List<String> signers = batch.stream().map(UsageEvent::signer).distinct().toList();
        Map<String, Holder> out = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT id, agency, unit, person_id, status FROM certificate WHERE id = ?")) {
            for (String signer : signers) {
                p.setString(1, signer);
                try (ResultSet r = p.executeQuery()) {
                    if (r.next()) {
                        out.put(signer, new Holder(r.getString(2), r.getString(3), r.getString(4), r.getString(5)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Keeps first and last use of each certificate that signed, and moves an issued one to in use.
     * Certificates are updated in id order so that two nodes writing at once never deadlock.
     */
    private void markUsed(Connection c, List<UsageEvent> batch, Map<String, Holder> holders) throws SQLException {
        Map<String, Instant[]> used = new TreeMap<>();
        for (UsageEvent e : batch) {
            if (e.outcome() == UsageEvent.Outcome.SIGNED && holders.containsKey(e.signer())) {
                used.merge(e.signer(), new Instant[] {e.at(), e.at()}, (a, b) -> new Instant[] {
                    a[0].isBefore(b[0]) ? a[0] : b[0], a[1].isAfter(b[1]) ? a[1] : b[1]});
            }
        }
        if (used.isEmpty()) {
            return;
        }
        try (PreparedStatement use = c.prepareStatement("UPDATE certificate SET "
                + "first_used_at = CASE WHEN first_used_at IS NULL OR first_used_at > ? THEN ? ELSE first_used_at END, "
                + "last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < ? THEN ? ELSE last_used_at END "
                + "WHERE id = ?");
             PreparedStatement inUse = c.prepareStatement(
                     "UPDATE certificate SET status = ? WHERE id = ? AND status = ?")) {
            for (Map.Entry<String, Instant[]> u : used.entrySet()) {
                use.setObject(1, Jdbc.timestamp(u.getValue()[0]));
                use.setObject(2, Jdbc.timestamp(u.getValue()[0]));
                use.setObject(3, Jdbc.timestamp(u.getValue()[1]));
                use.setObject(4, Jdbc.timestamp(u.getValue()[1]));
                use.setString(5, u.getKey());
                use.executeUpdate();
                if (CertificateStatus.ISSUED.name().equals(holders.get(u.getKey()).status)) {
                    inUse.setString(1, CertificateStatus.IN_USE.name());
                    inUse.setString(2, u.getKey());
                    inUse.setString(3, CertificateStatus.ISSUED.name());
                    if (inUse.executeUpdate() == 1) {
                        JdbcCertificateRegistry.history(c, clock.instant(), u.getKey(), CertificateStatus.ISSUED,
                                CertificateStatus.IN_USE, JdbcCertificateRegistry.KYSO,
                                "first signature through kyso at " + u.getValue()[0]);
                    }
                }
            }
        }
    }

    private record Holder(String agency, String unit, String personId, String status) {
        static final Holder UNKNOWN = new Holder("", "", "", "");
    }
}
