package vn.kyso;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The agency's register of staff certificates: who holds which certificate, on which device,
 * from which CA, until when. It answers the questions that go unnoticed today: whose
 * certificate expires next month, who holds one but never signs.
 *
 * <p>Implementations are thread-safe.
 */
public interface CertificateRegistry {

    /** Adds the record, or replaces the one with the same id. */
    void register(CertificateRecord record);

    Optional<CertificateRecord> find(String id);

    /** Every record, ordered by holder name. */
    List<CertificateRecord> all();

    /** Changes a record's status; returns false when no record has this id. */
    boolean updateStatus(String id, CertificateStatus status);

    /**
     * Registers the certificate of every key a {@link KeySource} lists (a token's, a SIM's), with
     * its device kind, for one holder's unit and staff group; returns the records written.
     */
    default List<CertificateRecord> registerKeys(List<KeyDescriptor> keys, String unit, StaffGroup staffGroup) {
        List<CertificateRecord> written = new java.util.ArrayList<>();
        for (KeyDescriptor key : keys) {
            CertificateRecord record = CertificateRecord.of(key.certificate(), unit, staffGroup, key.deviceKind());
            register(record);
            written.add(record);
        }
        return List.copyOf(written);
    }

    /** Usable certificates whose validity ends before {@code time}: the ones to renew now. */
    default List<CertificateRecord> expiringBefore(Instant time) {
        return all().stream()
                .filter(r -> r.status().countsAsIssued() && r.notAfter() != null && r.notAfter().isBefore(time))
                .sorted(java.util.Comparator.comparing(CertificateRecord::notAfter))
                .toList();
    }
}
