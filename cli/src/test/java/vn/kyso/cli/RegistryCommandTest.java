package vn.kyso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Certificates;
import vn.kyso.registry.ReportRequest;
import vn.kyso.testkit.TestPki;

class RegistryCommandTest {
    @TempDir
    Path dir;

    private static String kyso(int expectedExit, String... args) {
        PrintStream saved = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(expectedExit, KysoCommand.run(args), () -> out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
            System.setErr(savedErr);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anAdministratorImportsListsChangesAndReportsFromTheCommandLine() throws Exception {
        String data = dir.resolve("data").toString();
        try (TestPki pki = TestPki.start()) {
            Path pem = dir.resolve("an.pem");
            Files.writeString(pem, pki.person().certificatePem());
            String imported = kyso(0, "registry", "import", "--data", data, "--group", "LEADER_MANAGER", "--device",
                    "PKI_SIM", "--unit", "Ban Giám đốc", pem.toString());
            assertTrue(imported.contains("imported: Nguyễn Văn An | 075085001234 | Ban Giám đốc | Lãnh đạo, quản lý | "
                    + "Ban Cơ yếu Chính phủ | SIM PKI | ISSUED"), imported);

            Path roster = dir.resolve("roster.csv");
            Files.writeString(roster, "agency,personal_id,name,unit,group,leader,email,phone\n"
                    + "Sở Công Thương tỉnh Đồng Nai,075085001234,Nguyễn Văn An,Ban Giám đốc,CIVIL_SERVANT,true,,\n"
                    + "Sở Công Thương tỉnh Đồng Nai,075190000222,Phạm Quốc Huy,Văn phòng Sở,CIVIL_SERVANT,false,,\n");
            assertTrue(kyso(0, "registry", "roster", "--data", data, roster.toString())
                    .contains("staff added or updated: 2"));

            String listed = kyso(0, "registry", "list", "--data", data, "--device", "PKI_SIM");
            assertTrue(listed.contains("1 certificate(s)"), listed);
            assertTrue(kyso(0, "registry", "list", "--data", data, "--device", "USB_TOKEN")
                    .contains("0 certificate(s)"));

            String id = Certificates.fingerprint(pki.person().certificate());
            String changed = kyso(0, "registry", "set-status", "--data", data, id.substring(0, 12), "CHANGE_PENDING",
                    "--actor", "Trần Văn Quản trị", "--reason", "đổi chức vụ");
            assertTrue(changed.contains("CHANGE_PENDING"), changed);
            // the pending information change is on the reminder list
            String reminders = kyso(0, "registry", "expiring", "--data", data, "--days", "30");
            assertTrue(reminders.contains("FOLLOW_UP_INFO_CHANGE: Nguyễn Văn An"), reminders);
            assertTrue(kyso(1, "registry", "set-status", "--data", data, "ffff", "REVOKED", "--actor", "x")
                    .contains("no certificate with id ffff"));

            Path out = dir.resolve("report");
            String month = YearMonth.now(ReportRequest.VIETNAM).toString();
            String report = kyso(0, "report", "--data", data, "--period", month, "--agency",
                    "Sở Công Thương tỉnh Đồng Nai", "--out", out.toString());
            // two staff: the leader holds a certificate (pending change counts as issued), the other has none
            assertTrue(report.lines().anyMatch(l -> l.matches("Tổng số\\s+2\\s+1\\s+0\\s+1\\s+0\\s+1\\s+Ban Cơ yếu "
                    + "Chính phủ: 1")), report);
            for (String ext : new String[] {"json", "csv", "pdf"}) {
                assertTrue(Files.size(out.resolve("usage-report-" + month + "." + ext)) > 0, ext);
            }

            // the DMS records two outgoing documents this month, one of them signed
            String now = java.time.OffsetDateTime.now(ReportRequest.VIETNAM).toString();
            assertTrue(kyso(0, "registry", "outgoing", "--data", data, "--agency", "Sở Công Thương tỉnh Đồng Nai",
                    "--unit", "Ban Giám đốc", "--type", "Quyết định", "--signed", "--issued", now, "12/QĐ-SCT")
                    .contains("recorded: 12/QĐ-SCT (signed)"));
            kyso(0, "registry", "outgoing", "--data", data, "--agency", "Sở Công Thương tỉnh Đồng Nai", "--unit",
                    "Văn phòng Sở", "--type", "Công văn", "--issued", now, "13/SCT-VP");
            // another agency's roster: without --agency each agency gets its report, and a summary lists both
            Files.writeString(roster, "agency,personal_id,name,unit,group,leader,email,phone,joined,left\n"
                    + "Sở Y tế tỉnh Đồng Nai,075190000333,Đỗ Thị Mai,Văn phòng Sở,PUBLIC_EMPLOYEE,false,,,2020-01-01,\n");
            kyso(0, "registry", "roster", "--data", data, roster.toString());
            assertTrue(kyso(0, "registry", "staff-left", "--data", data, "--agency", "Sở Y tế tỉnh Đồng Nai",
                    "--on", "2099-01-01", "075190000333").contains("left on 2099-01-01"));
            Path each = dir.resolve("each");
            String all = kyso(0, "report", "--data", data, "--period", month, "--out", each.toString());
            assertTrue(all.contains("Văn bản điện tử gửi đi được ký số: 50.00% (1/2)"), all);
            assertTrue(all.contains("Văn bản điện tử gửi đi được ký số: chưa báo cáo (not reported)"), all);
            for (String base : new String[] {"usage-report-" + month + "-so-cong-thuong-tinh-dong-nai",
                "usage-report-" + month + "-so-y-te-tinh-dong-nai", "usage-summary-" + month}) {
                for (String ext : new String[] {"json", "csv", "pdf"}) {
                    assertTrue(Files.size(each.resolve(base + "." + ext)) > 0, base + "." + ext);
                }
            }
            List<String> summary = Files.readAllLines(each.resolve("usage-summary-" + month + ".csv"),
                    StandardCharsets.UTF_8);
            assertEquals(4, summary.size(), summary.toString());
            assertTrue(summary.get(2).startsWith("Sở Y tế tỉnh Đồng Nai," + month + ",1,0,,0,1,"), summary.get(2));
        }
    }

    @Test
    void theDemoEndsWithTheUsageTableOfItsSignaturesAndTheReportFiles() throws Exception {
        Path out = dir.resolve("demo");
        String printed = kyso(0, "demo", out.toString());
        String month = YearMonth.now(ReportRequest.VIETNAM).toString();
        assertTrue(printed.contains("Thống kê việc đăng ký, sử dụng chữ ký số (CKS) — Sở Công Thương tỉnh Đồng Nai"),
                printed);
        // five staff, two of them holding certificates who both signed; one request waits for the CA
        assertTrue(printed.lines().anyMatch(l -> l.matches("\\s*Tổng số\\s+5\\s+2\\s+1\\s+2\\s+2\\s+0\\s+.*")),
                printed);
        assertTrue(printed.contains("0 lost"), printed);
        for (String ext : new String[] {"json", "csv", "pdf"}) {
            assertTrue(Files.size(out.resolve("report/usage-report-" + month + "." + ext)) > 0, ext);
        }
    }
}
