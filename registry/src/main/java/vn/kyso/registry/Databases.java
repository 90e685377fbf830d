package vn.kyso.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** The embedded default database, so a demo or a single desk needs nothing installed. */
public final class Databases {
    private Databases() {
    }

    /**
     * An H2 database in the file {@code kyso-registry.mv.db} under {@code dataDirectory} (created
     * when missing). One process opens it at a time; several nodes share PostgreSQL instead. The
     * database closes 10 s after its last connection (or when the JVM exits), compacting the file
     * for up to 5 s.
     */
    public static DataSource embedded(Path dataDirectory) {
        Objects.requireNonNull(dataDirectory, "dataDirectory must not be null");
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new RegistryException("cannot create the data directory " + dataDirectory, e);
        }
        return h2("jdbc:h2:file:" + dataDirectory.toAbsolutePath().resolve("kyso-registry")
                // keep the database open between connections for a while; wait for row locks held by
                // other writers instead of failing at H2's default of one second
                + ";DB_CLOSE_DELAY=10;LOCK_TIMEOUT=20000"
                // H2 writes every change to new space and frees the old only after RETENTION_TIME (45 s,
                // kept: a shorter time risks the file when the OS has not flushed yet), so while events
                // pour in the file holds much garbage; on close it moves the live pages down and cuts
                // the file. H2's 200 ms for that is too short for a busy month: up to 5 s
                + ";MAX_COMPACT_TIME=5000");
    }

    /**
     * A data source for a JDBC URL ({@code jdbc:postgresql://host/db?user=…&password=…}, or
     * {@code jdbc:h2:…}); the driver must be on the class path.
     */
    public static DataSource forUrl(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl must not be null");
        if (!jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("not a JDBC URL (jdbc:postgresql://… or jdbc:h2:…): " + jdbcUrl);
        }
        return jdbcUrl.startsWith("jdbc:h2:") ? h2(jdbcUrl) : new UrlDataSource(jdbcUrl);
    }

    /** An H2 data source for a full JDBC URL ({@code jdbc:h2:...}). */
    static DataSource h2(String url) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        return ds;
    }
}
