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
        Path pdf = dir.resolve("report.pdf");
        try (OutputStream out = Files.newOutputStream(pdf)) {
            ReportPdf.write(report, out);
        }
        // poppler reads it as a viewer would: the text is the Vietnamese the table holds
        String text = run("pdftotext", "-layout", pdf.toString(), "-");
        assertTrue(text.contains("THỐNG KÊ VIỆC ĐĂNG KÝ, SỬ DỤNG CHỮ KÝ SỐ (CKS)"), text);
        assertTrue(text.contains("Sở Công Thương tỉnh Đồng Nai"), text);
        assertTrue(text.contains("Kỳ báo cáo: tháng 11/2026"), text);
        assertTrue(text.contains("Lãnh đạo, quản lý"), text);
        assertTrue(text.contains("ký số thường xuyên trong công việc hằng ngày: 25,94% (62/239)"), text);
        assertTrue(text.contains("chưa hoặc ít sử dụng: 6,27% (15/239)"), text);
        assertTrue(text.contains("Chi cục Quản lý thị trường"), text);
        assertTrue(text.contains("pkcs11 / FAILED / PinIncorrectException: 3"), text);
        assertTrue(text.contains("remote-sim 10,5 s / 19,1 s (20 lần)"), text);
        assertEquals(2, Integer.parseInt(run("pdfinfo", pdf.toString()).lines()
                .filter(l -> l.startsWith("Pages:")).findFirst().orElseThrow().replaceAll("\\D", "")));
        // the one font is embedded, as a subset
        List<String> fonts = run("pdffonts", pdf.toString()).lines().skip(2).toList();
        assertEquals(1, fonts.size(), fonts.toString());
        assertTrue(fonts.get(0).matches("[A-Z]{6}\\+LiberationSerif\\s+CID TrueType.*yes\\s+yes\\s+yes.*"),
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
