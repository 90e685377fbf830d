package vn.kyso.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * One outgoing electronic document an agency issued, as its document management system reports
 * it: the denominator of the share of outgoing documents that are signed. Secret documents, which
 * are not signed electronically, are not reported.
 *
 * @param agency the issuing agency, as on the staff roster
 * @param unit the unit that drafted it
 * @param documentType its type, one of {@link DocumentTypes} or any other the DMS uses
 * @param reference the DMS's number for it ("125/QĐ-SCT"), unique within the agency
 * @param issuedAt when it was issued: the period it counts in
 * @param signed whether it went out digitally signed
 */
public record OutgoingDocument(String agency, String unit, String documentType, String reference, Instant issuedAt,
        boolean signed) {

    public OutgoingDocument {
        Objects.requireNonNull(agency, "agency must not be null");
        Objects.requireNonNull(unit, "unit must not be null");
        Objects.requireNonNull(documentType, "documentType must not be null");
        Objects.requireNonNull(reference, "reference must not be null");
        Objects.requireNonNull(issuedAt, "issuedAt must not be null");
        if (agency.isBlank() || reference.isBlank()) {
            throw new IllegalArgumentException("an outgoing document needs its agency and reference");
        }
        if (agency.length() > 300 || unit.length() > 300 || documentType.length() > 200 || reference.length() > 200) {
            throw new IllegalArgumentException("agency or unit longer than 300, or type or reference longer than 200");
        }
    }
}
