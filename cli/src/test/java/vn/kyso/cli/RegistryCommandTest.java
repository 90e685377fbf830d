package vn.kyso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
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
