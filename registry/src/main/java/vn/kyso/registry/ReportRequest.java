package vn.kyso.registry;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * What a usage report covers: one agency (or every agency when null), a period, and the
 * thresholds the province's questions leave to the agency.
 *
 * @param agency the agency, or null for the whole register
 * @param label how the period is named in the report ("2026-11")
 * @param from start of the period, inclusive
 * @param to end of the period, exclusive
 * @param regularAtLeast signatures in the period from which a person "signs regularly"
 * @param rarelyAtMost signatures in the period up to which a holder "does not or rarely uses" the certificate
 */
public record ReportRequest(String agency, String label, Instant from, Instant to, int regularAtLeast,
        int rarelyAtMost) {
    /** Vietnam's time zone: a month runs from midnight in Hà Nội. */
    public static final ZoneId VIETNAM = ZoneOffset.ofHours(7);
    /** Default: ten signed documents a month is signing regularly. */
    public static final int DEFAULT_REGULAR_AT_LEAST = 10;
    /** Default: at most two signed documents a month is using rarely. */
    public static final int DEFAULT_RARELY_AT_MOST = 2;

    public ReportRequest {
        Objects.requireNonNull(label, "label must not be null");
        Objects.requireNonNull(from, "from must not be null");
        Objects.requireNonNull(to, "to must not be null");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("the period must end after it starts");
        }
        if (rarelyAtMost < 0 || regularAtLeast <= rarelyAtMost) {
            throw new IllegalArgumentException("need 0 <= rarelyAtMost < regularAtLeast");
        }
    }

    /** A calendar month in Vietnam's time, with the default thresholds. */
    public static ReportRequest month(YearMonth month, String agency) {
        Objects.requireNonNull(month, "month must not be null");
        return new ReportRequest(agency, month.toString(), month.atDay(1).atStartOfDay(VIETNAM).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(VIETNAM).toInstant(), DEFAULT_REGULAR_AT_LEAST,
                DEFAULT_RARELY_AT_MOST);
    }

    /** The same request for one agency (null: the whole register). */
    public ReportRequest forAgency(String agency) {
        return new ReportRequest(agency, label, from, to, regularAtLeast, rarelyAtMost);
    }

    /** The same request with other thresholds. */
    public ReportRequest withThresholds(int regular, int rarely) {
        return new ReportRequest(agency, label, from, to, regular, rarely);
    }
}
