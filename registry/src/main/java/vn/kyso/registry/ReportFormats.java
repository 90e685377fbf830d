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
        return sb.toString();
    }

    /**
     * The usage table as CSV: one line per group, the total, then one per unit, with the columns
     * of the agencies' table and the two rates.
     */
    public static String csv(UsageReport report) {
        Objects.requireNonNull(report, "report must not be null");
        StringBuilder sb = new StringBuilder("\uFEFF");
        sb.append("agency,period,kind,row,headcount,issued,issuing_ca,registered_not_issued,not_registered,"
                + "signing_regularly,signing_regularly_percent,issued_unused,issued_unused_percent\r\n");
        String agency = report.request().agency() == null ? "" : report.request().agency();
        for (UsageReport.Row r : report.groups()) {
            csvRow(sb, agency, report.request().label(), "group", r);
        }
        csvRow(sb, agency, report.request().label(), "total", report.total());
        for (UsageReport.Row r : report.units()) {
            csvRow(sb, agency, report.request().label(), "unit", r);
        }
        return sb.toString();
    }

    /**
     * Writes {@code usage-report-<period>.json}, {@code .csv} and {@code .pdf} into
     * {@code directory}; each file appears whole or not at all.
     *
     * @return the files written
     */
    public static List<Path> write(UsageReport report, Path directory) throws IOException {
        Files.createDirectories(directory);
        String base = "usage-report-" + report.request().label().replaceAll("[^0-9A-Za-z._-]", "_");
        java.io.ByteArrayOutputStream pdf = new java.io.ByteArrayOutputStream();
        ReportPdf.write(report, pdf);
        return List.of(atomically(directory.resolve(base + ".json"), json(report).getBytes(StandardCharsets.UTF_8)),
                atomically(directory.resolve(base + ".csv"), csv(report).getBytes(StandardCharsets.UTF_8)),
                atomically(directory.resolve(base + ".pdf"), pdf.toByteArray()));
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

    private static void csvRow(StringBuilder sb, String agency, String period, String kind, UsageReport.Row r) {
        String cas = r.issuedByCa().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("; "));
        List<String> cells = List.of(agency, period, kind, r.label(), "" + r.headcount(), "" + r.issued(), cas,
                "" + r.registeredNotIssued(), "" + r.notRegistered(), "" + r.signingRegularly(),
                r.signingRegularlyPercent().toPlainString(), "" + r.issuedUnused(),
                r.issuedUnusedPercent().toPlainString());
        sb.append(cells.stream().map(ReportFormats::csvCell).collect(Collectors.joining(","))).append("\r\n");
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
