package vn.kyso.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The small integers usage events store instead of their repeated strings (signer, agency, unit,
 * document type, provider, …): table {@code usage_name}, one row per kind and name, never
 * deleted. A name is added in its own committed statement before the events that use it, so an
 * id held in the cache is never one of a rolled-back transaction; two nodes adding the same name
 * at once both end with the one row the unique key keeps.
 *
 * <p>Not thread-safe: one instance per writer thread. The cache is bounded (cleared when full),
 * since document types and error kinds are open strings.
 */
final class UsageNames {
    static final String SIGNER = "signer";
    static final String SIGNER_NAME = "signer_name";
    static final String AGENCY = "agency";
    static final String UNIT = "unit";
    static final String PERSON = "person";
    static final String DOCUMENT_TYPE = "document_type";
    static final String FORMAT = "format";
    static final String PROVIDER = "provider";
    static final String DEVICE = "device";
    static final String OUTCOME = "outcome";
    static final String ERROR_KIND = "error_kind";
    /** Longest name kept: longer ones are cut, as the column is. */
    static final int MAX_LENGTH = 300;
    private static final int MAX_CACHED = 20_000;

    private final Map<String, Integer> cache = new HashMap<>();

    /** The id of {@code name} of {@code kind}, added when new (committed at once, outside any batch). */
    int id(Connection c, String kind, String name) throws SQLException {
        String value = cut(name);
        String key = kind + '\u0000' + value;
        Integer cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<Integer> found = find(c, kind, value);
        if (found.isEmpty()) {
            add(c, kind, value);
            found = find(c, kind, value);
        }
        int id = found.orElseThrow(() -> new SQLException("usage name " + kind + " '" + value + "' was not stored"));
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(key, id);
        return id;
    }

    static String cut(String name) {
        return name.length() <= MAX_LENGTH ? name : name.substring(0, MAX_LENGTH);
    }

    /** The id of a name already stored, without adding it: empty when no event ever used it. */
    static Optional<Integer> find(Connection c, String kind, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM usage_name WHERE kind = ? AND name = ?")) {
            p.setString(1, kind);
            p.setString(2, cut(name));
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(r.getInt(1)) : Optional.empty();
            }
        }
    }

    /** Inserts in a transaction of its own; a duplicate from another node is what we wanted anyway. */
    private static void add(Connection c, String kind, String name) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO usage_name (kind, name) VALUES (?, ?)")) {
            p.setString(1, kind);
            p.setString(2, name);
            p.executeUpdate();
        } catch (SQLException e) {
            if (!Jdbc.isDuplicateKey(e)) {
                throw e;
            }
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
