package vn.kyso.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportFormatsTest {

    @Test
    void aUnitNamedLikeAFormulaIsNotRunByTheSpreadsheetAndQuotesAreEscaped() {
        // a unit name typed by an administrator: a spreadsheet opening the CSV would run it as a formula
        // and a JSON reader would end the string at the quote
        UsageReport.Row unit = new UsageReport.Row("=HYPERLINK(\"http://evil\",\"Phòng \"Kế hoạch\"\")", null, 1, 0,
                Map.of(), 0, 1, 0, 0);
        UsageReport.Row total = new UsageReport.Row(UsageReports.TOTAL, null, 1, 0, Map.of(), 0, 1, 0, 0);
        UsageReport report = new UsageReport(ReportRequest.month(YearMonth.of(2026, 11), "Sở \"A\"\nB"), List.of(),
                total, List.of(unit), null, Map.of(), List.of(), List.of(), Map.of());

        String csv = ReportFormats.csv(report);
        String unitLine = csv.split("\r\n")[2];
        assertEquals("\"Sở \"\"A\"\"\nB\",2026-11,unit,\"'=HYPERLINK(\"\"http://evil\"\",\"\"Phòng \"\"Kế hoạch\"\"\"\")\","
                + "1,0,,0,1,0,0.00,0,0.00,,,not reported", unitLine);
        String json = ReportFormats.json(report);
        assertTrue(json.contains("\"agency\": \"Sở \\\"A\\\"\\nB\""), json);
        assertTrue(json.contains("\"row\": \"=HYPERLINK(\\\"http://evil\\\",\\\"Phòng \\\"Kế hoạch\\\"\\\")\""), json);
        assertEquals("-12", ReportFormats.csvCell("-12"));
        assertEquals("'-x", ReportFormats.csvCell("-x"));
    }
}
