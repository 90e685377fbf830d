package vn.kyso.registry;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import vn.kyso.StaffGroup;

/**
 * The periodic report an agency sends the province: the usage table by staff group, the two
 * rates, the same by unit, the share of outgoing documents signed, and where and how slowly
 * signing fails.
 *
 * @param request what the report covers
 * @param groups the usage table's rows: leaders and managers, civil servants, public employees
 *     (the leader row overlaps the other two, as in the agencies' own tables)
 * @param total every person once
 * @param units the same counts for each unit, ordered by unit
 * @param outgoing the outgoing electronic documents the DMS recorded in the period, or null when
 *     it recorded none: the share of signed documents is then "not reported", never a guess
 * @param outgoingByUnit the same per unit, ordered by unit; empty when not reported
 * @param failures failed attempts by provider, outcome and error kind, most frequent first
 * @param timings signing time by provider
 * @param signaturesByDocumentType signed documents by document type, most frequent first
 */
public record UsageReport(ReportRequest request, List<Row> groups, Row total, List<Row> units, Outgoing outgoing,
        Map<String, Outgoing> outgoingByUnit, List<Failure> failures, List<Timing> timings, Map<String, Long> signaturesByDocumentType) {

    /**
     * One row of counts of people.
     *
     * @param label the row's name: the group's Vietnamese label, the unit, or "Tổng số"
     * @param group the staff group, or null for a unit row or the total
     * @param headcount people ("Số lượng")
     * @param issued people holding a certificate counted as issued, a pending information change included
     * @param issuedByCa those, by issuing CA ("Đơn vị cung cấp")
     * @param registeredNotIssued people whose request awaits the CA ("Đã đăng ký nhưng chưa được cấp")
     * @param notRegistered people with neither ("Chưa đăng ký cấp CKS")
     * @param signingRegularly people with at least the regular threshold of signatures in the period
     * @param issuedUnused people holding an issued certificate who signed at most the rarely threshold
     */
    public record Row(String label, StaffGroup group, int headcount, int issued, Map<String, Integer> issuedByCa,
            int registeredNotIssued, int notRegistered, int signingRegularly, int issuedUnused) {

        /** Share of the headcount signing regularly, in percent with two decimals cut ("25.94"). */
        public BigDecimal signingRegularlyPercent() {
            return percent(signingRegularly, headcount);
        }

        /** Share of the headcount issued a certificate and not or rarely using it ("6.27"). */
        public BigDecimal issuedUnusedPercent() {
            return percent(issuedUnused, headcount);
        }

    }

    /**
     * Outgoing electronic documents and how many of them went out signed.
     *
     * @param documents documents issued in the period
     * @param signed those digitally signed
     */
    public record Outgoing(long documents, long signed) {
        /** Share of the documents that are signed, in percent with two decimals cut ("98.33"). */
        public BigDecimal signedPercent() {
            return percent(signed, documents);
        }
    }

    /** Cut, not rounded, to two decimals as the agencies' reports do: 15 / 239 = 6.276… is "6.27". */
    static BigDecimal percent(long part, long whole) {
        return whole == 0 ? BigDecimal.ZERO.setScale(2)
                : BigDecimal.valueOf(part * 100L).divide(BigDecimal.valueOf(whole), 2, RoundingMode.DOWN);
    }

    /**
     * Failed attempts of one kind.
     *
     * @param providerId where the key lives ("pkcs11", "remote-sim")
     * @param outcome REJECTED, TIMED_OUT or FAILED
     * @param errorKind the error's kind ("PinIncorrectException"), "" when unknown
     * @param attempts how many attempts ended so
     */
    public record Failure(String providerId, String outcome, String errorKind, long attempts) {
    }

    /**
     * Signing time of successful attempts with one provider.
     *
     * @param providerId where the key lives
     * @param signed successful attempts
     * @param medianMillis the median duration
     * @param p95Millis the 95th percentile (linear interpolation, as SQL's PERCENTILE_CONT)
     */
    public record Timing(String providerId, long signed, double medianMillis, double p95Millis) {
    }
}
