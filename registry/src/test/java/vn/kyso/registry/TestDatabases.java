package vn.kyso.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Named;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The two databases every registry test runs on: the embedded H2 file and a real PostgreSQL
 * server. The server's URL comes from {@code KYSO_TEST_PG_URL}, which {@code .ci/run} sets after
 * installing and starting PostgreSQL; when it is unset the PostgreSQL cases fail (never skip).
 */
final class TestDatabases {
    static final String PG_URL_VARIABLE = "KYSO_TEST_PG_URL";

    private TestDatabases() {
    }

    /** A fresh, empty database of each kind, for {@code @MethodSource}. */
    static Stream<Named<Kind>> both() {
        return Stream.of(Named.of("H2", Kind.H2), Named.of("PostgreSQL", Kind.POSTGRESQL));
    }

    enum Kind {
        H2, POSTGRESQL;

        /** A new empty database (H2: a new file; PostgreSQL: a new schema). */
        DataSource fresh() throws Exception {
            return freshPair()[0];
        }

        /** Two independent data sources on one new database, as two nodes (two Kyso instances) have. */
        DataSource[] freshPair() throws Exception {
            return this == H2 ? freshH2() : freshPostgres();
        }
    }

    static DataSource[] freshH2() throws Exception {
        Path dir = Files.createTempDirectory("kyso-registry-test");
        dir.toFile().deleteOnExit();
        return new DataSource[] {Databases.embedded(dir), Databases.embedded(dir)};
    }

    static DataSource[] freshPostgres() throws SQLException {
        String url = System.getenv(PG_URL_VARIABLE);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(PG_URL_VARIABLE + " is not set: the registry's tests run on a real "
                    + "PostgreSQL server too. Run `bash .ci/run` (installs and starts PostgreSQL on 127.0.0.1 and sets "
                    + "it), or set it yourself, e.g. jdbc:postgresql://127.0.0.1:5432/kyso_test?user=kyso&password=kyso");
        }
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setURL(url);
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        DataSource[] pair = new DataSource[2];
        for (int i = 0; i < 2; i++) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(url);
            ds.setCurrentSchema(schema);
            pair[i] = ds;
        }
        return pair;
    }
}
