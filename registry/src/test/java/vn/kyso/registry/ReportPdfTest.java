package vn.kyso.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(300)
class ReportPdfTest {
    @TempDir
    Path dir;

    @Test
    void theDepartmentsReportReadsBackWithItsVietnameseTextAndAnEmbeddedSubsetFont() throws Exception {
        DataSource ds = TestDatabases.freshH2()[0];
        UsageReportsTest.industryAndTrade(ds);
        UsageReport report = UsageReports.open(ds, UsageReportsTest.REPORTING).compute(
                ReportRequest.month(YearMonth.of(2026, 11), UsageReportsTest.DIT));
        Path pdf = written("report.pdf", out -> ReportPdf.write(report, out));
        // poppler reads it as a viewer would: the text is the Vietnamese the table holds
        String text = run("pdftotext", "-layout", pdf.toString(), "-");
        assertTrue(text.contains("THỐNG KÊ VIỆC ĐĂNG KÝ, SỬ DỤNG CHỮ KÝ SỐ (CKS)"), text);
        assertTrue(text.contains("Sở Công Thương tỉnh Đồng Nai"), text);
        assertTrue(text.contains("Kỳ báo cáo: tháng 11/2026"), text);
        assertTrue(text.contains("Lãnh đạo, quản lý"), text);
        assertTrue(text.contains("ký số thường xuyên trong công việc hằng ngày: 25,94% (62/239)"), text);
        assertTrue(text.contains("chưa hoặc ít sử dụng: 6,27% (15/239)"), text);
        assertTrue(text.contains("văn bản điện tử gửi đi được ký số: chưa báo cáo"), text);
        assertTrue(text.contains("Chi cục Quản lý thị trường"), text);
        assertTrue(text.contains("pkcs11 / FAILED / PinIncorrectException: 3"), text);
        assertTrue(text.contains("remote-sim 10,5 s / 19,1 s (20 lần)"), text);
        assertEquals(2, Integer.parseInt(run("pdfinfo", pdf.toString()).lines()
                .filter(l -> l.startsWith("Pages:")).findFirst().orElseThrow().replaceAll("\\D", "")));
        assertOneEmbeddedSubsetFont(pdf);
    }

    @Test
    void theSummaryListsEveryAgencyWithItsFiguresInVietnamese() throws Exception {
        DataSource ds = TestDatabases.freshH2()[0];
        UsageReportsTest.Agency agency = UsageReportsTest.industryAndTrade(ds);
        agency.registry.recordOutgoing(new OutgoingDocument(UsageReportsTest.DOST, "Văn phòng Sở", "Công văn",
                "1/SKHCN", UsageReportsTest.NOVEMBER, true));
        List<UsageReport> each = UsageReports.open(ds, UsageReportsTest.REPORTING).computeEach(
                ReportRequest.month(YearMonth.of(2026, 11), null));
        Path pdf = written("summary.pdf", out -> ReportPdf.writeSummary(each, out));
        String text = run("pdftotext", "-layout", pdf.toString(), "-");
        assertTrue(text.contains("TỔNG HỢP VIỆC ĐĂNG KÝ, SỬ DỤNG CHỮ KÝ SỐ CỦA CÁC CƠ QUAN"), text);
        assertTrue(text.contains("Kỳ báo cáo: tháng 11/2026 — trang 1/1"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("\\s*Sở Công Thương tỉnh Đồng Nai\\s+239\\s+85\\s+6\\s+148\\s+"
                + "62 \\(25,94%\\)\\s+15 \\(6,27%\\)\\s+chưa báo cáo\\s*")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("\\s*Sở Khoa học và Công nghệ tỉnh Đồng Nai\\s+2\\s+1\\s+0\\s+1\\s+"
                + "1 \\(50,00%\\)\\s+0 \\(0,00%\\)\\s+100,00% \\(1/1\\)\\s*")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("\\s*Tổng số\\s+241\\s+86\\s+6\\s+149\\s+63 \\(26,14%\\).*")), text);
        assertOneEmbeddedSubsetFont(pdf);
    }

    private Path written(String name, PdfWriter writer) throws Exception {
        Path pdf = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(pdf)) {
            writer.write(out);
        }
        return pdf;
    }

    @FunctionalInterface
    private interface PdfWriter {
        void write(OutputStream out) throws Exception;
    }

    /** The one font is embedded, as a subset with a Unicode map (so text copies out as Vietnamese). */
    private static void assertOneEmbeddedSubsetFont(Path pdf) throws Exception {
        List<String> fonts = run("pdffonts", pdf.toString()).lines().skip(2).toList();
        assertEquals(1, fonts.size(), fonts.toString());
        assertTrue(fonts.get(0).matches("[A-Z]{6}\\+LiberationSans\\s+CID TrueType.*yes\\s+yes\\s+yes.*"),
                fonts.get(0));
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(out, StandardCharsets.UTF_8));
        return new String(out, StandardCharsets.UTF_8);
    }
}
