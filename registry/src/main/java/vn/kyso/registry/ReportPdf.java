package vn.kyso.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The usage report for people: an A4 landscape PDF with the agencies' usage table, the two rates,
 * a bar chart per unit, and where and how slowly signing fails. Vietnamese text is set in Liberation
 * Sans (shipped inside PDFBox), embedded as a subset. The PDF is unsigned; the agency signs it through
 * kyso's PAdES format like any document.
 */
public final class ReportPdf {
    /**
     * Liberation Sans 2.1, which PDFBox ships as its own fallback font: it has every Vietnamese
     * letter, and the registry already depends on PDFBox, so it bundles no font of its own.
     */
    static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
    private static final float WIDTH = PDRectangle.A4.getHeight();
    private static final float HEIGHT = PDRectangle.A4.getWidth();
    private static final float MARGIN = 40;
    private static final int MAX_UNITS_IN_CHART = 12;
    private static final float[][] BAR_COLOURS = {{0.55f, 0.62f, 0.72f}, {0.18f, 0.42f, 0.70f}, {0.13f, 0.55f, 0.33f},
        {0.85f, 0.45f, 0.15f}};

    private ReportPdf() {
    }

    /** Writes the report as PDF to {@code out} (not closed). */
    public static void write(UsageReport report, OutputStream out) throws IOException {
        Objects.requireNonNull(report, "report must not be null");
        Objects.requireNonNull(out, "out must not be null");
        try (PDDocument doc = new PDDocument()) {
            PDFont font = font(doc, "Thống kê việc đăng ký, sử dụng chữ ký số — " + report.request().label());
            tablePage(doc, font, report);
            chartPage(doc, font, report);
            doc.save(out);
        }
    }

    /**
     * Writes the summary of every agency's report as PDF to {@code out} (not closed): one table
     * line per agency with its key figures, then the total, over as many pages as needed.
     *
     * @param reports one report per agency, as {@link UsageReports#computeEach} returns them
     */
    public static void writeSummary(List<UsageReport> reports, OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out must not be null");
        List<UsageReport> all = ReportFormats.withTotal(reports);
        ReportRequest request = all.get(0).request();
        try (PDDocument doc = new PDDocument()) {
            PDFont font = font(doc, "Tổng hợp sử dụng chữ ký số của các cơ quan — " + request.label());
            String[] headers = {"Cơ quan", "Số lượng", "Đã được cấp CKS", "Đã đăng ký nhưng chưa được cấp",
                "Chưa đăng ký cấp CKS", "Ký số thường xuyên", "Được cấp nhưng chưa/ít sử dụng",
                "Văn bản điện tử gửi đi được ký số"};
            float[] widths = {220, 55, 62, 80, 70, 85, 85, 105};
            List<String[]> rows = new ArrayList<>();
            for (UsageReport r : all) {
                UsageReport.Row t = r.total();
                rows.add(new String[] {r.request().agency() == null ? UsageReports.TOTAL : r.request().agency(),
                    "" + t.headcount(), "" + t.issued(), "" + t.registeredNotIssued(), "" + t.notRegistered(),
                    t.signingRegularly() + " (" + percent(t.signingRegularlyPercent()) + ")",
                    t.issuedUnused() + " (" + percent(t.issuedUnusedPercent()) + ")",
                    r.outgoing() == null ? "chưa báo cáo" : ReportFormats.outgoingText(r.outgoing(), ",")});
            }
            int perPage = 16;
            for (int from = 0; from < rows.size(); from += perPage) {
                PDPage page = new PDPage(new PDRectangle(WIDTH, HEIGHT));
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    float y = centred(cs, font, 14, "TỔNG HỢP VIỆC ĐĂNG KÝ, SỬ DỤNG CHỮ KÝ SỐ CỦA CÁC CƠ QUAN",
                            HEIGHT - MARGIN);
                    y = centred(cs, font, 11, "Kỳ báo cáo: " + period(request) + " — trang " + (from / perPage + 1)
                            + "/" + ((rows.size() + perPage - 1) / perPage), y - 2);
                    y = table(cs, font, 9, headers, widths, rows.subList(from, Math.min(rows.size(), from + perPage)),
                            y - 12, -1);
                    if (from + perPage >= rows.size()) {
                        line(cs, font, 9, "Mỗi cơ quan có báo cáo riêng (JSON, CSV, PDF) theo nhóm đối tượng và đơn vị. "
                                + "“Chưa báo cáo”: hệ thống quản lý văn bản chưa ghi nhận văn bản đi nào trong kỳ.",
                                MARGIN, y - 10);
                    }
                }
            }
            doc.save(out);
        }
    }

    private static PDFont font(PDDocument doc, String title) throws IOException {
        PDDocumentInformation info = doc.getDocumentInformation();
        info.setTitle(title);
        info.setProducer("kyso");
        try (InputStream ttf = PDDocument.class.getResourceAsStream(FONT)) {
            if (ttf == null) {
                throw new IOException("the font " + FONT + " is missing from the pdfbox jar: use the PDFBox version "
                        + "kyso was built with");
            }
            return PDType0Font.load(doc, ttf, true);
        }
    }

    private static void tablePage(PDDocument doc, PDFont font, UsageReport report) throws IOException {
        PDPage page = new PDPage(new PDRectangle(WIDTH, HEIGHT));
        doc.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
            float y = HEIGHT - MARGIN;
            String agency = report.request().agency() == null ? "Tất cả cơ quan" : report.request().agency();
            y = centred(cs, font, 15, "THỐNG KÊ VIỆC ĐĂNG KÝ, SỬ DỤNG CHỮ KÝ SỐ (CKS)", y);
            y = centred(cs, font, 12, agency, y - 4);
            y = centred(cs, font, 11, "Kỳ báo cáo: " + period(report.request()), y - 2);
            y -= 14;
            String[] headers = {"Đối tượng", "Số lượng", "Số đã được cấp CKS", "Đơn vị cung cấp",
                "Đã đăng ký nhưng chưa được cấp", "Chưa đăng ký cấp CKS", "Ký số thường xuyên",
                "Được cấp nhưng chưa/ít sử dụng"};
            float[] widths = {120, 58, 72, 178, 90, 80, 82, 82};
            List<String[]> rows = new ArrayList<>();
            for (UsageReport.Row r : report.groups()) {
                rows.add(cells(r));
            }
            rows.add(cells(report.total()));
            y = table(cs, font, 9.5f, headers, widths, rows, y, 3);
            y -= 20;
            UsageReport.Row t = report.total();
            y = line(cs, font, 11, "• Tỷ lệ cán bộ, công chức, viên chức ký số thường xuyên trong công việc hằng ngày: "
                    + percent(t.signingRegularlyPercent()) + " (" + t.signingRegularly() + "/" + t.headcount() + ").",
                    MARGIN, y);
            y = line(cs, font, 11, "• Tỷ lệ đã được cấp chứng thư số và thiết bị nhưng chưa hoặc ít sử dụng: "
                    + percent(t.issuedUnusedPercent()) + " (" + t.issuedUnused() + "/" + t.headcount() + ").",
                    MARGIN, y - 4);
            y = line(cs, font, 11, "• Tỷ lệ văn bản điện tử gửi đi được ký số: " + (report.outgoing() == null
                    ? "chưa báo cáo (hệ thống quản lý văn bản chưa ghi nhận văn bản đi nào trong kỳ)."
                    : ReportFormats.outgoingText(report.outgoing(), ",") + "."), MARGIN, y - 4);
            y -= 10;
            y = line(cs, font, 9, "Ký số thường xuyên: từ " + report.request().regularAtLeast()
                    + " văn bản ký số trong kỳ; ít sử dụng: không quá " + report.request().rarelyAtMost()
                    + " văn bản. Chứng thư số đang chờ thay đổi thông tin được xem như đã được cấp.", MARGIN, y);
            line(cs, font, 9, "Hàng “Lãnh đạo, quản lý” gồm cả công chức và viên chức giữ chức vụ; hàng “Tổng số” đếm"
                    + " mỗi người một lần.", MARGIN, y - 2);
        }
    }

    private static void chartPage(PDDocument doc, PDFont font, UsageReport report) throws IOException {
        PDPage page = new PDPage(new PDRectangle(WIDTH, HEIGHT));
        doc.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
            float y = HEIGHT - MARGIN;
            y = centred(cs, font, 13, "Cấp và sử dụng chữ ký số theo đơn vị — " + period(report.request()), y);
            List<UsageReport.Row> units = report.units().stream()
                    .sorted(Comparator.comparingInt(UsageReport.Row::headcount).reversed()).toList();
            List<UsageReport.Row> shown = units.subList(0, Math.min(MAX_UNITS_IN_CHART, units.size()));
            if (units.size() > shown.size()) {
                y = centred(cs, font, 9, "(" + shown.size() + " đơn vị đông nhất trên " + units.size()
                        + "; đủ các đơn vị trong tệp JSON và CSV)", y);
            }
            float chartTop = y - 20;
            float chartBottom = 215;
            float chartLeft = MARGIN + 30;
            float chartRight = WIDTH - MARGIN;
            barChart(cs, font, shown, chartLeft, chartBottom, chartRight, chartTop);

            float ty = 140;
            ty = line(cs, font, 10, "Lỗi khi ký (theo nhà cung cấp): " + (report.failures().isEmpty() ? "không có"
                    : report.failures().stream().limit(6).map(f -> f.providerId() + " / " + f.outcome()
                            + (f.errorKind().isEmpty() ? "" : " / " + f.errorKind()) + ": " + f.attempts())
                            .collect(Collectors.joining("; "))), MARGIN, ty);
            ty = line(cs, font, 10, "Thời gian ký (trung vị / phân vị 95): " + (report.timings().isEmpty() ? "không có"
                    : report.timings().stream().map(t -> t.providerId() + " " + seconds(t.medianMillis()) + " / "
                            + seconds(t.p95Millis()) + " (" + t.signed() + " lần)")
                            .collect(Collectors.joining("; "))), MARGIN, ty - 4);
            line(cs, font, 10, "Văn bản đã ký theo loại: " + (report.signaturesByDocumentType().isEmpty() ? "không có"
                    : report.signaturesByDocumentType().entrySet().stream().limit(8)
                            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("; "))),
                    MARGIN, ty - 4);
        }
    }

    /** Grouped bars per unit: headcount, issued, signing regularly, issued but unused. */
    private static void barChart(PDPageContentStream cs, PDFont font, List<UsageReport.Row> units, float left,
            float bottom, float right, float top) throws IOException {
        int max = Math.max(1, units.stream().mapToInt(UsageReport.Row::headcount).max().orElse(1));
        int step = niceStep(max);
        int axisMax = ((max + step - 1) / step) * step;
        float legendY = top;
        String[] legend = {"Số lượng", "Đã được cấp CKS", "Ký số thường xuyên", "Chưa/ít sử dụng"};
        float lx = left;
        for (int i = 0; i < legend.length; i++) {
            fill(cs, BAR_COLOURS[i]);
            cs.addRect(lx, legendY - 8, 10, 10);
            cs.fill();
            cs.setNonStrokingColor(0f, 0f, 0f);
            text(cs, font, 9, legend[i], lx + 14, legendY - 7);
            lx += 30 + width(font, 9, legend[i]);
        }
        float plotTop = top - 24;
        float height = plotTop - bottom;
        cs.setStrokingColor(0.8f, 0.8f, 0.8f);
        cs.setLineWidth(0.5f);
        for (int v = 0; v <= axisMax; v += step) {
            float gy = bottom + height * v / axisMax;
            cs.moveTo(left, gy);
            cs.lineTo(right, gy);
            cs.stroke();
            String label = Integer.toString(v);
            text(cs, font, 8, label, left - 4 - width(font, 8, label), gy - 3);
        }
        cs.setStrokingColor(0f, 0f, 0f);
        cs.moveTo(left, bottom);
        cs.lineTo(left, plotTop);
        cs.stroke();
        if (units.isEmpty()) {
            text(cs, font, 10, "Chưa có dữ liệu", left + 10, bottom + height / 2);
            return;
        }
        float slot = (right - left) / units.size();
        float bar = Math.min(18, slot * 0.8f / 4);
        for (int u = 0; u < units.size(); u++) {
            UsageReport.Row r = units.get(u);
            int[] values = {r.headcount(), r.issued(), r.signingRegularly(), r.issuedUnused()};
            float x = left + slot * u + (slot - bar * 4) / 2;
            for (int i = 0; i < 4; i++) {
                float h = height * values[i] / axisMax;
                fill(cs, BAR_COLOURS[i]);
                cs.addRect(x + bar * i, bottom, bar - 1, h);
                cs.fill();
                cs.setNonStrokingColor(0f, 0f, 0f);
                String v = Integer.toString(values[i]);
                float vw = width(font, 7, v);
                text(cs, font, 7, v, x + bar * i + (bar - 1 - vw) / 2, bottom + h + 2);
            }
            List<String> label = wrap(font, 8, r.label(), slot - 4);
            float ly = bottom - 11;
            for (String part : label.subList(0, Math.min(3, label.size()))) {
                text(cs, font, 8, part, left + slot * u + (slot - width(font, 8, part)) / 2, ly);
                ly -= 9;
            }
        }
    }

    private static int niceStep(int max) {
        int[] steps = {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000};
        for (int s : steps) {
            if (max / s <= 8) {
                return s;
            }
        }
        return Math.max(1, max / 8);
    }

    private static String[] cells(UsageReport.Row r) {
        String cas = r.issuedByCa().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("; "));
        return new String[] {r.label(), "" + r.headcount(), "" + r.issued(), cas, "" + r.registeredNotIssued(),
            "" + r.notRegistered(), r.signingRegularly() + " (" + percent(r.signingRegularlyPercent()) + ")",
            r.issuedUnused() + " (" + percent(r.issuedUnusedPercent()) + ")"};
    }

    /** Draws a table with wrapped cells, numbers centred, text columns ({@code textColumn} and the first) left. */
    private static float table(PDPageContentStream cs, PDFont font, float size, String[] headers, float[] widths,
            List<String[]> rows, float top, int textColumn) throws IOException {
        float leading = size * 1.25f;
        List<String[]> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        float y = top;
        float tableWidth = 0;
        for (float w : widths) {
            tableWidth += w;
        }
        float x0 = (WIDTH - tableWidth) / 2;
        for (int r = 0; r < all.size(); r++) {
            String[] row = all.get(r);
            List<List<String>> wrapped = new ArrayList<>();
            int lines = 1;
            for (int c = 0; c < row.length; c++) {
                List<String> w = wrap(font, size, row[c], widths[c] - 8);
                wrapped.add(w);
                lines = Math.max(lines, w.size());
            }
            float h = lines * leading + 8;
            if (r == 0) {
                cs.setNonStrokingColor(0.9f, 0.92f, 0.95f);
                cs.addRect(x0, y - h, tableWidth, h);
                cs.fill();
                cs.setNonStrokingColor(0f, 0f, 0f);
            }
            float x = x0;
            for (int c = 0; c < row.length; c++) {
                cs.setLineWidth(0.6f);
                cs.addRect(x, y - h, widths[c], h);
                cs.stroke();
                float ty = y - 4 - size;
                boolean numeric = r > 0 && c != 0 && c != textColumn;
                for (String part : wrapped.get(c)) {
                    float tx = r == 0 || numeric ? x + (widths[c] - width(font, size, part)) / 2 : x + 4;
                    text(cs, font, size, part, tx, ty);
                    ty -= leading;
                }
                x += widths[c];
            }
            y -= h;
        }
        return y;
    }

    static List<String> wrap(PDFont font, float size, String text, float maxWidth) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = current.length() == 0 ? word : current + " " + word;
            if (width(font, size, candidate) <= maxWidth || current.length() == 0) {
                current.setLength(0);
                current.append(candidate);
            } else {
                out.add(current.toString());
                current.setLength(0);
                current.append(word);
            }
        }
        out.add(current.toString());
        return out;
    }

    private static float centred(PDPageContentStream cs, PDFont font, float size, String s, float y)
            throws IOException {
        float lineY = y - size;
        text(cs, font, size, s, (WIDTH - width(font, size, s)) / 2, lineY);
        return lineY - size * 0.35f;
    }

    /** A paragraph wrapped to the page width; returns the y below it. */
    private static float line(PDPageContentStream cs, PDFont font, float size, String s, float x, float y)
            throws IOException {
        float ly = y - size;
        for (String part : wrap(font, size, s, WIDTH - x - MARGIN)) {
            text(cs, font, size, part, x, ly);
            ly -= size * 1.3f;
        }
        return ly + size * 0.3f;
    }

    private static void text(PDPageContentStream cs, PDFont font, float size, String s, float x, float y)
            throws IOException {
        cs.beginText();
        cs.setFont(font, size);
        cs.newLineAtOffset(x, y);
        cs.showText(printable(s));
        cs.endText();
    }

    /** Control characters (a name typed with a newline) cannot be shown: they become spaces. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> sb.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return sb.toString();
    }

    private static float width(PDFont font, float size, String s) throws IOException {
        return font.getStringWidth(printable(s)) / 1000 * size;
    }

    private static void fill(PDPageContentStream cs, float[] rgb) throws IOException {
        cs.setNonStrokingColor(rgb[0], rgb[1], rgb[2]);
    }

    private static String percent(BigDecimal value) {
        return value.toPlainString().replace('.', ',') + "%";
    }

    private static String seconds(double millis) {
        return String.format(java.util.Locale.ROOT, "%.1f", millis / 1000).replace('.', ',') + " s";
    }

    private static String period(ReportRequest request) {
        return request.label().matches("\\d{4}-\\d{2}") ? "tháng " + request.label().substring(5) + "/"
                + request.label().substring(0, 4) : request.label();
    }

}
