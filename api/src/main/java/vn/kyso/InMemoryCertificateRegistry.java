package vn.kyso;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A register kept in memory, for tests and small embeddings; persistent registers keep it in a database. */
public final class InMemoryCertificateRegistry implements CertificateRegistry {
    private final ConcurrentHashMap<String, CertificateRecord> records = new ConcurrentHashMap<>();

    @Override
    public void register(CertificateRecord record) {
        Objects.requireNonNull(record, "record must not be null");
        records.put(record.id(), record);
    }

    @Override
    public Optional<CertificateRecord> find(String id) {
        return Optional.ofNullable(records.get(Objects.requireNonNull(id, "id must not be null")));
    }

    @Override
    public List<CertificateRecord> all() {
        return records.values().stream()
                .sorted(Comparator.comparing(CertificateRecord::holder).thenComparing(CertificateRecord::id))
                .toList();
    }

    @Override
    public boolean updateStatus(String id, CertificateStatus status) {
        Objects.requireNonNull(status, "status must not be null");
        return records.computeIfPresent(id, (k, r) -> r.withStatus(status)) != null;
    }
}
