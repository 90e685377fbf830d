package vn.kyso.cli;

import java.nio.file.Path;
import javax.sql.DataSource;
import picocli.CommandLine.Option;
import vn.kyso.registry.Databases;

/** Where the register lives: the embedded H2 file under {@code --data}, or a database by {@code --jdbc}. */
final class RegistryOptions {

    @Option(names = "--jdbc", paramLabel = "URL", description = "The register's database, e.g. "
            + "jdbc:postgresql://127.0.0.1:5432/kyso?user=kyso&password=…; without it the embedded H2 file under --data.")
    String jdbc;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory of the embedded register "
            + "(default: ~/.kyso).")
    Path data;

    DataSource dataSource() {
        if (jdbc != null) {
            return Databases.forUrl(jdbc);
        }
        return Databases.embedded(data != null ? data : Path.of(System.getProperty("user.home"), ".kyso"));
    }
}
