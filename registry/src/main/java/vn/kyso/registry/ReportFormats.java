package vn.kyso.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import vn.kyso.internal.json.Json;

/**
 * The usage report as files: JSON (everything) and CSV (the usage table and the unit rows, UTF-8
 * with a byte order mark so spreadsheet programs show the diacritics) for machines, and the
 * {@link ReportPdf PDF} for people.
 */
public final class ReportFormats {
    private ReportFormats() {
    }

    /** The report as one JSON object. */
    public static String json(UsageReport report) {
        Objects.requireNonNull(report, "report must not be null");
        ReportRequest q = report.request();
        StringBuilder sb = new StringBuilder(4096);
        sb.append("{\n");
        field(sb, 1, "agency", q.agency() == null ? null : q.agency()).append(",\n");
        field(sb, 1, "period", q.label()).append(",\n");
        field(sb, 1, "from", q.from().toString()).append(",\n");
        field(sb, 1, "to", q.to().toString()).append(",\n");
        indent(sb, 1).append("\"thresholds\": {\"regularAtLeast\": ").append(q.regularAtLeast())
                .append(", \"rarelyAtMost\": ").append(q.rarelyAtMost()).append("},\n");
        indent(sb, 1).append("\"groups\": [\n");
        rows(sb, report.groups());
        indent(sb, 1).append("],\n");
        indent(sb, 1).append("\"total\": ");
        row(sb, report.total());
        sb.append(",\n");
        indent(sb, 1).append("\"units\": [\n");
        rows(sb, report.units());
        indent(sb, 1).append("],\n");
        indent(sb, 1).append("\"outgoingDocuments\": ");
        if (report.outgoing() == null) {
            sb.append("{\"reported\": false},\n");
        } else {
            sb.append("{\"reported\": true, ").append(outgoing(report.outgoing())).append(", \"byUnit\": [");
            sb.append(report.outgoingByUnit().entrySet().stream().map(e -> "{\"unit\": " + quote(e.getKey()) + ", "
                    + outgoing(e.getValue()) + "}").collect(Collectors.joining(", ")));
            sb.append("]},\n");
        }
        indent(sb, 1).append("\"failures\": [");
        List<String> failures = new ArrayList<>();
        for (UsageReport.Failure f : report.failures()) {
            failures.add("{\"provider\": " + quote(f.providerId()) + ", \"outcome\": " + quote(f.outcome())
                    + ", \"errorKind\": " + quote(f.errorKind()) + ", \"attempts\": " + f.attempts() + "}");
        }
        list(sb, failures);
        sb.append("],\n");
        indent(sb, 1).append("\"signingTime\": [");
        List<String> timings = new ArrayList<>();
        for (UsageReport.Timing t : report.timings()) {
            timings.add("{\"provider\": " + quote(t.providerId()) + ", \"signed\": " + t.signed()
                    + ", \"medianMillis\": " + number(t.medianMillis()) + ", \"p95Millis\": " + number(t.p95Millis())
                    + "}");
        }
        list(sb, timings);
        sb.append("],\n");
        indent(sb, 1).append("\"signaturesByDocumentType\": {");
        sb.append(report.signaturesByDocumentType().entrySet().stream()
                .map(e -> quote(e.getKey()) + ": " + e.getValue()).collect(Collectors.joining(", ")));
        sb.append("}\n}\n");
        return sb.toString();
    }

    /**
     * The usage table as plain text for a console: the rows of the agencies' table and the two rates.
     */
    public static String text(UsageReport report) {
        Objects.requireNonNull(report, "report must not be null");
        ReportRequest q = report.request();
        StringBuilder sb = new StringBuilder();
        sb.append("Thống kê việc đăng ký, sử dụng chữ ký số (CKS) — ")
                .append(q.agency() == null ? "tất cả cơ quan" : q.agency()).append(", kỳ ").append(q.label())
                .append('\n');
        String format = "%-22s %8s %8s %10s %12s %10s %12s  %s%n";
        sb.append(String.format(format, "Đối tượng", "Số lượng", "Đã cấp", "Đăng ký,", "Chưa đăng ký", "Thường",
                "Chưa/ít", "Đơn vị cung cấp"));
        sb.append(String.format(format, "", "", "", "chưa cấp", "", "xuyên", "sử dụng", ""));
        List<UsageReport.Row> rows = new ArrayList<>(report.groups());
        rows.add(report.total());
        for (UsageReport.Row r : rows) {
            sb.append(String.format(format, r.label(), r.headcount(), r.issued(), r.registeredNotIssued(),
                    r.notRegistered(), r.signingRegularly(), r.issuedUnused(),
                    r.issuedByCa().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                            .collect(Collectors.joining("; "))));
        }
        UsageReport.Row t = report.total();
        sb.append("Ký số thường xuyên: ").append(t.signingRegularlyPercent().toPlainString()).append("% (")
                .append(t.signingRegularly()).append('/').append(t.headcount()).append("); được cấp nhưng chưa/ít sử dụng: ")
                .append(t.issuedUnusedPercent().toPlainString()).append("% (").append(t.issuedUnused()).append('/')
                .append(t.headcount()).append(")\n");
        sb.append("Văn bản điện tử gửi đi được ký số: ").append(outgoingText(report.outgoing(), ".")).append('\n');
        return sb.toString();
    }

    /**
     * The usage table as CSV: one line per group, the total, then one per unit, with the columns
     * of the agencies' table and the two rates.
     */
    public static String csv(UsageReport report) {
        Objects.requireNonNull(report, "report must not be null");
        StringBuilder sb = new StringBuilder("\uFEFF");
        sb.append("agency,period,kind,row,").append(CSV_COUNTS).append(",outgoing_documents,outgoing_signed,"
                + "outgoing_signed_percent\r\n");
        String agency = report.request().agency() == null ? "" : report.request().agency();
        String period = report.request().label();
        boolean reported = report.outgoing() != null;
        for (UsageReport.Row r : report.groups()) {
            csvRow(sb, List.of(agency, period, "group", r.label()), r, List.of("", "", ""));
        }
        csvRow(sb, List.of(agency, period, "total", report.total().label()), report.total(),
                outgoingCells(report.outgoing(), reported));
        for (UsageReport.Row r : report.units()) {
            csvRow(sb, List.of(agency, period, "unit", r.label()), r,
                    outgoingCells(report.outgoingByUnit().get(r.label()), reported));
        }
        return sb.toString();
    }

    /**
     * The summary the province reads first: one line per agency with its key figures, then the
     * total of every agency (people are counted in their agency, so the headcounts add up).
     *
     * @param reports one report per agency, as {@link UsageReports#computeEach} returns them
     */
    public static String summaryCsv(List<UsageReport> reports) {
        StringBuilder sb = new StringBuilder("\uFEFF");
        sb.append("agency,period,").append(CSV_COUNTS).append(",outgoing_documents,outgoing_signed,"
                + "outgoing_signed_percent,signed_documents,failed_attempts\r\n");
        for (UsageReport r : withTotal(reports)) {
            List<String> trailing = new ArrayList<>(outgoingCells(r.outgoing(), false));
            trailing.addAll(List.of("" + signedDocuments(r), "" + failedAttempts(r)));
            csvRow(sb, List.of(r.request().agency() == null ? UsageReports.TOTAL : r.request().agency(),
                    r.request().label()), r.total(), trailing);
        }
        return sb.toString();
    }

    /** The summary as JSON: the period and one object per agency with its key figures, then the total. */
    public static String summaryJson(List<UsageReport> reports) {
        List<UsageReport> all = withTotal(reports);
        StringBuilder sb = new StringBuilder("{\n");
        field(sb, 1, "period", all.get(0).request().label()).append(",\n");
        indent(sb, 1).append("\"agencies\": [\n");
        for (int i = 0; i < all.size(); i++) {
            UsageReport r = all.get(i);
            if (i == all.size() - 1) {
                indent(sb, 1).append("],\n");
                indent(sb, 1).append("\"total\": ");
            } else {
                indent(sb, 2);
            }
            sb.append("{\"agency\": ").append(r.request().agency() == null ? "null" : quote(r.request().agency()))
                    .append(", \"counts\": ");
            row(sb, r.total());
            sb.append(", \"outgoingDocuments\": ").append(r.outgoing() == null ? "{\"reported\": false}"
                    : "{\"reported\": true, " + outgoing(r.outgoing()) + "}")
                    .append(", \"signedDocuments\": ").append(signedDocuments(r))
                    .append(", \"failedAttempts\": ").append(failedAttempts(r)).append('}')
                    .append(i < all.size() - 2 ? ",\n" : "\n");
        }
        return sb.append("}\n").toString();
    }

    /**
     * The reports followed by their total over every agency (agency null): counts and outgoing
     * documents added up, failures and signed documents kept for the summary's two sums.
     */
    static List<UsageReport> withTotal(List<UsageReport> reports) {
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("no report to summarise");
        }
        ReportRequest request = reports.get(0).request().forAgency(null);
        int[] n = new int[6];
        java.util.Map<String, Integer> byCa = new java.util.TreeMap<>();
        long documents = 0;
        long signed = 0;
        boolean reported = false;
        List<UsageReport.Failure> failures = new ArrayList<>();
        java.util.Map<String, Long> types = new java.util.TreeMap<>();
        for (UsageReport r : reports) {
            UsageReport.Row t = r.total();
            int[] add = {t.headcount(), t.issued(), t.registeredNotIssued(), t.notRegistered(), t.signingRegularly(),
                t.issuedUnused()};
            for (int i = 0; i < n.length; i++) {
                n[i] += add[i];
            }
            t.issuedByCa().forEach((ca, count) -> byCa.merge(ca, count, Integer::sum));
            if (r.outgoing() != null) {
                reported = true;
                documents += r.outgoing().documents();
                signed += r.outgoing().signed();
            }
            failures.addAll(r.failures());
            r.signaturesByDocumentType().forEach((type, count) -> types.merge(type, count, Long::sum));
        }
        UsageReport.Row total = new UsageReport.Row(UsageReports.TOTAL, null, n[0], n[1],
                java.util.Collections.unmodifiableMap(byCa), n[2], n[3], n[4], n[5]);
        List<UsageReport> out = new ArrayList<>(reports);
        out.add(new UsageReport(request, List.of(), total, List.of(),
                reported ? new UsageReport.Outgoing(documents, signed) : null, java.util.Map.of(), failures, List.of(),
                types));
        return out;
    }

    private static long signedDocuments(UsageReport r) {
        return r.signaturesByDocumentType().values().stream().mapToLong(Long::longValue).sum();
    }

    private static long failedAttempts(UsageReport r) {
        return r.failures().stream().mapToLong(UsageReport.Failure::attempts).sum();
    }

    private static String outgoing(UsageReport.Outgoing o) {
        return "\"documents\": " + o.documents() + ", \"signed\": " + o.signed() + ", \"signedPercent\": "
                + o.signedPercent().toPlainString();
    }

    /** "98.33% (118/120)", or "chưa báo cáo" (not reported) when the DMS recorded nothing. */
    static String outgoingText(UsageReport.Outgoing o, String decimalMark) {
        return o == null ? "chưa báo cáo (not reported)"
                : o.signedPercent().toPlainString().replace(".", decimalMark) + "% (" + o.signed() + "/"
                        + o.documents() + ")";
    }

    /**
     * Writes {@code usage-report-<period>.json}, {@code .csv} and {@code .pdf} into
     * {@code directory}; each file appears whole or not at all.
     *
     * @return the files written
     */
    public static List<Path> write(UsageReport report, Path directory) throws IOException {
        Files.createDirectories(directory);
        return write(report, directory, "usage-report-" + label(report));
    }

    private static List<Path> write(UsageReport report, Path directory, String base) throws IOException {
        java.io.ByteArrayOutputStream pdf = new java.io.ByteArrayOutputStream();
        ReportPdf.write(report, pdf);
        return List.of(atomically(directory.resolve(base + ".json"), json(report).getBytes(StandardCharsets.UTF_8)),
                atomically(directory.resolve(base + ".csv"), csv(report).getBytes(StandardCharsets.UTF_8)),
                atomically(directory.resolve(base + ".pdf"), pdf.toByteArray()));
    }

    /**
     * Writes one report per agency, {@code usage-report-<period>-<agency>.json}, {@code .csv} and
     * {@code .pdf} (the agency's name in ASCII letters), and the summary of every agency,
     * {@code usage-summary-<period>.json}, {@code .csv} and {@code .pdf}; each file appears whole
     * or not at all.
     *
     * @param reports one report per agency, as {@link UsageReports#computeEach} returns them
     * @return the files written, the summary's last
     */
    public static List<Path> writeEach(List<UsageReport> reports, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> out = new ArrayList<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (UsageReport report : reports) {
            String slug = slug(report.request().agency());
            String unique = slug;
            for (int i = 2; !used.add(unique); i++) {
                unique = slug + "-" + i;
            }
            out.addAll(write(report, directory, "usage-report-" + label(report) + "-" + unique));
        }
        String base = "usage-summary-" + label(reports.get(0));
        java.io.ByteArrayOutputStream pdf = new java.io.ByteArrayOutputStream();
        ReportPdf.writeSummary(reports, pdf);
        out.add(atomically(directory.resolve(base + ".json"), summaryJson(reports).getBytes(StandardCharsets.UTF_8)));
        out.add(atomically(directory.resolve(base + ".csv"), summaryCsv(reports).getBytes(StandardCharsets.UTF_8)));
        out.add(atomically(directory.resolve(base + ".pdf"), pdf.toByteArray()));
        return List.copyOf(out);
    }

    /** "Sở Công Thương tỉnh Đồng Nai" becomes "so-cong-thuong-tinh-dong-nai", for file names. */
    static String slug(String agency) {
        if (agency == null) {
            return "all";
        }
        String ascii = java.text.Normalizer.normalize(agency.replace('đ', 'd').replace('Đ', 'D'),
                java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        slug = slug.length() > 80 ? slug.substring(0, 80) : slug;
        return slug.isEmpty() ? "agency" : slug;
    }

    private static String label(UsageReport report) {
        return report.request().label().replaceAll("[^0-9A-Za-z._-]", "_");
    }

    private static Path atomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    private static final String CSV_COUNTS = "headcount,issued,issuing_ca,registered_not_issued,not_registered,"
            + "signing_regularly,signing_regularly_percent,issued_unused,issued_unused_percent";

    /** One CSV line: the leading cells, the row's counts (from the headcount on), then {@code trailing}. */
    private static void csvRow(StringBuilder sb, List<String> leading, UsageReport.Row r, List<String> trailing) {
        String cas = r.issuedByCa().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("; "));
        List<String> cells = new ArrayList<>(leading);
        cells.addAll(List.of("" + r.headcount(), "" + r.issued(), cas, "" + r.registeredNotIssued(),
                "" + r.notRegistered(), "" + r.signingRegularly(), r.signingRegularlyPercent().toPlainString(),
                "" + r.issuedUnused(), r.issuedUnusedPercent().toPlainString()));
        cells.addAll(trailing);
        sb.append(cells.stream().map(ReportFormats::csvCell).collect(Collectors.joining(","))).append("\r\n");
    }

    /**
     * The outgoing documents' three cells: the figures; for a unit of an agency that reported
     * documents but none from this unit, zero and no share; "not reported" when the agency's DMS
     * recorded none at all.
     */
    private static List<String> outgoingCells(UsageReport.Outgoing o, boolean agencyReported) {
        if (o != null) {
            return List.of("" + o.documents(), "" + o.signed(), o.signedPercent().toPlainString());
        }
        return agencyReported ? List.of("0", "0", "") : List.of("", "", "not reported");
    }

    static String csvCell(String value) {
        // a leading =, +, - or @ would make a spreadsheet run it as a formula
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 && !value.matches("-?[0-9.]+")
                ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }

    private static void rows(StringBuilder sb, List<UsageReport.Row> rows) {
        for (int i = 0; i < rows.size(); i++) {
            indent(sb, 2);
            row(sb, rows.get(i));
            sb.append(i + 1 < rows.size() ? ",\n" : "\n");
        }
    }

    private static void row(StringBuilder sb, UsageReport.Row r) {
        sb.append("{\"row\": ").append(quote(r.label()))
                .append(", \"group\": ").append(r.group() == null ? "null" : quote(r.group().name()))
                .append(", \"headcount\": ").append(r.headcount())
                .append(", \"issued\": ").append(r.issued())
                .append(", \"issuedByCa\": {")
                .append(r.issuedByCa().entrySet().stream().map(e -> quote(e.getKey()) + ": " + e.getValue())
                        .collect(Collectors.joining(", ")))
                .append("}, \"registeredNotIssued\": ").append(r.registeredNotIssued())
                .append(", \"notRegistered\": ").append(r.notRegistered())
                .append(", \"signingRegularly\": ").append(r.signingRegularly())
                .append(", \"signingRegularlyPercent\": ").append(r.signingRegularlyPercent().toPlainString())
                .append(", \"issuedUnused\": ").append(r.issuedUnused())
                .append(", \"issuedUnusedPercent\": ").append(r.issuedUnusedPercent().toPlainString())
                .append('}');
    }

    private static void list(StringBuilder sb, List<String> items) {
        for (int i = 0; i < items.size(); i++) {
            sb.append("\n");
            indent(sb, 2).append(items.get(i)).append(i + 1 < items.size() ? "," : "\n");
        }
        if (!items.isEmpty()) {
            indent(sb, 1);
        }
    }

    private static StringBuilder field(StringBuilder sb, int depth, String name, String value) {
        return indent(sb, depth).append(quote(name)).append(": ").append(value == null ? "null" : quote(value));
    }

    private static StringBuilder indent(StringBuilder sb, int depth) {
        return sb.append("  ".repeat(depth));
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }

    static String quote(String value) {
        return Json.quote(value);
    }

}
