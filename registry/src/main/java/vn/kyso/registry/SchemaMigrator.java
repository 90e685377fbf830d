package vn.kyso.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and migrates the schema from the versioned SQL scripts under {@code db/}, recording each
 * applied version with its checksum in {@code schema_version}.
 *
 * <p>A small runner instead of Flyway: a few scripts, two databases, no extra dependency. Each
 * script runs in one transaction with the insert of its version row. On PostgreSQL a transaction
 * advisory lock serialises nodes migrating at once, and DDL is transactional, so a failed script
 * leaves nothing behind. H2 commits DDL immediately: a second migrator racing the first fails on
 * "already exists" and then waits for the first one's version row.
 *
 * <p>Scripts hold one statement per {@code ;} at a line's end and {@code --} comment lines.
 */
final class SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    /** The scripts, in order; a script once released is never edited (its checksum is checked). */
    static final List<String> SCRIPTS = List.of("V1__certificate_register.sql", "V2__usage_events.sql",
            "V3__narrow_usage_events.sql");
    private static final long ADVISORY_LOCK_KEY = 0x6b79736f5f726567L; // "kyso_reg"
    private static final long RACE_WAIT_MILLIS = 30_000;

    private SchemaMigrator() {
    }

    /** {@link #migrate} for the classes that open a database: a failure is the register's typed error. */
    static void ensure(DataSource dataSource) {
        try {
            migrate(dataSource);
        } catch (SQLException e) {
            throw new RegistryException("cannot create or migrate the register's schema", e);
        }
    }

    /** Brings the schema to the newest version; returns the versions applied now. */
    static List<Integer> migrate(DataSource dataSource) throws SQLException {
        return migrate(dataSource, SCRIPTS.size());
    }

    /** Brings the schema to version {@code upTo} (tests of a migration over an older schema's data). */
    static List<Integer> migrate(DataSource dataSource, int upTo) throws SQLException {
        List<Integer> applied = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
            c.setAutoCommit(false);
            try {
                if (postgres) {
                    try (Statement s = c.createStatement()) {
                        s.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK_KEY + ")");
                    }
                }
                createVersionTable(c);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (!versionTableExists(c)) {
                    throw e;
                }
            }
            for (int i = 0; i < upTo; i++) {
                int version = i + 1;
                String name = SCRIPTS.get(i);
                String text = read(name);
                String checksum = checksum(text);
                if (postgres) {
                    try (Statement s = c.createStatement()) {
                        s.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK_KEY + ")");
                    }
                }
                Map<Integer, String> done = appliedVersions(c);
                if (done.containsKey(version)) {
                    checkChecksum(version, name, done.get(version), checksum);
                    c.commit();
                    continue;
                }
                try {
                    try (Statement s = c.createStatement()) {
                        for (String statement : statements(text)) {
                            s.execute(statement);
                        }
                    }
                    try (PreparedStatement p = c.prepareStatement(
                            "INSERT INTO schema_version (version, script, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
                        p.setInt(1, version);
                        p.setString(2, name);
                        p.setString(3, checksum);
                        p.setObject(4, Jdbc.timestamp(Instant.now()));
                        p.executeUpdate();
                    }
                    c.commit();
                    applied.add(version);
                    LOG.info("registry schema migrated to version {} ({})", version, name);
                } catch (SQLException e) {
                    c.rollback();
                    waitForOther(c, version, name, checksum, e);
                }
            }
            Map<Integer, String> done = appliedVersions(c);
            c.commit();
            int newest = done.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (newest > SCRIPTS.size()) {
                throw new SQLException("the register's schema is at version " + newest + " but this kyso knows "
                        + SCRIPTS.size() + ": a newer kyso migrated it; upgrade kyso on this node");
            }
        }
        return List.copyOf(applied);
    }

    /** Another node may be applying the same script (H2 commits DDL): wait for its version row. */
    private static void waitForOther(Connection c, int version, String name, String checksum, SQLException cause)
            throws SQLException {
        long deadline = System.nanoTime() + RACE_WAIT_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            Map<Integer, String> done = appliedVersions(c);
            c.commit();
            if (done.containsKey(version)) {
                checkChecksum(version, name, done.get(version), checksum);
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new SQLException("registry schema script " + name + " failed and no other node applied it: "
                + cause.getMessage(), cause.getSQLState(), cause);
    }

    private static void checkChecksum(int version, String name, String stored, String checksum) throws SQLException {
        if (!stored.equals(checksum)) {
            throw new SQLException("registry schema version " + version + " (" + name + ") was applied from a script "
                    + "that differs from this kyso's; released scripts must never change");
        }
    }

    private static void createVersionTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, "
                    + "script VARCHAR(200) NOT NULL, checksum VARCHAR(64) NOT NULL, "
                    + "applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        }
    }

    private static boolean versionTableExists(Connection c) {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM schema_version")) {
            boolean readable = r.next();
            c.commit();
            return readable;
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is closed by the caller
            }
            return false;
        }
    }

    private static Map<Integer, String> appliedVersions(Connection c) throws SQLException {
        Map<Integer, String> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT version, checksum FROM schema_version")) {
            while (r.next()) {
                out.put(r.getInt(1), r.getString(2));
            }
        }
        return out;
    }

    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                out.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("registry schema script ends without ';': " + current);
        }
        return out;
    }

    private static String read(String name) {
        try (InputStream in = SchemaMigrator.class.getResourceAsStream("db/" + name)) {
            if (in == null) {
                throw new IllegalStateException("registry schema script db/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read registry schema script " + name, e);
        }
    }

    private static String checksum(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
