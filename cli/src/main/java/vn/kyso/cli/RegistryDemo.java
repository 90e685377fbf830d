package vn.kyso.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import javax.sql.DataSource;
import vn.kyso.CertificateRecord;
import vn.kyso.CertificateStatus;
import vn.kyso.DeviceKind;
import vn.kyso.StaffGroup;
import vn.kyso.UsageReporter;
import vn.kyso.registry.CertificateImport;
import vn.kyso.registry.Databases;
import vn.kyso.registry.JdbcCertificateRegistry;
import vn.kyso.registry.JdbcUsageReporter;
import vn.kyso.registry.RegisteredCertificate;
import vn.kyso.registry.ReportFormats;
import vn.kyso.registry.ReportRequest;
import vn.kyso.registry.StaffMember;
import vn.kyso.registry.UsageReport;
import vn.kyso.registry.UsageReports;
import vn.kyso.testkit.TestPki;

/**
 * The demo's register: the embedded H2 database under the demo's directory, fed by every
 * signature the demo makes, and the month's usage report it ends with.
 */
final class RegistryDemo {
    static final String AGENCY = "Sở Công Thương tỉnh Đồng Nai";
    private final DataSource dataSource;
    private final JdbcCertificateRegistry registry;
    private final JdbcUsageReporter usage;

    RegistryDemo(Path dir) {
        this.dataSource = Databases.embedded(dir);
        this.registry = JdbcCertificateRegistry.open(dataSource);
        this.usage = JdbcUsageReporter.start(dataSource);
    }

    /** A reporter writing to the register and to {@code other}. */
    UsageReporter alsoTo(UsageReporter other) {
        return event -> {
            usage.report(event);
            other.report(event);
        };
    }

    /** The agency's staff and the certificates of the demo's signers, before anyone signs. */
    void register(TestPki pki) {
        RegisteredCertificate leader = CertificateImport.fromX509(pki.person().certificate(),
                StaffGroup.LEADER_MANAGER, DeviceKind.USB_TOKEN, "Ban Giám đốc");
        RegisteredCertificate drafter = CertificateImport.fromX509(pki.ecPerson().certificate(),
                StaffGroup.CIVIL_SERVANT, DeviceKind.FILE, "Văn phòng Sở");
        RegisteredCertificate seal = CertificateImport.fromX509(pki.organization().certificate(),
                StaffGroup.LEADER_MANAGER, DeviceKind.USB_TOKEN, "Văn phòng Sở");
        // the demo's drafter works at the department, whatever her certificate's O says
        drafter = new RegisteredCertificate(drafter.certificate(), AGENCY, drafter.personalId(), drafter.email(),
                drafter.phone(), drafter.subject(), null, null, null);
        for (RegisteredCertificate e : List.of(leader, drafter, seal)) {
            registry.register(e, "kyso demo", "cấp mới");
        }
        registry.addStaff(new StaffMember(AGENCY, leader.personalId(), leader.certificate().holder(), "Ban Giám đốc",
                StaffGroup.CIVIL_SERVANT, true, "", ""));
        registry.addStaff(new StaffMember(AGENCY, drafter.personalId(), drafter.certificate().holder(), "Văn phòng Sở",
                StaffGroup.CIVIL_SERVANT, false, "", ""));
        String[][] others = {
            {"075186000111", "Lê Thị Hồng", "Văn phòng Sở", "CIVIL_SERVANT"},
            {"075190000222", "Phạm Quốc Huy", "Phòng Quản lý công nghiệp", "CIVIL_SERVANT"},
            {"075195000333", "Võ Thị Mai", "Trung tâm Khuyến công", "PUBLIC_EMPLOYEE"},
        };
        for (String[] o : others) {
            registry.addStaff(new StaffMember(AGENCY, o[0], o[1], o[2], StaffGroup.valueOf(o[3]), false, "", ""));
        }
        // one request waiting for the Cipher Committee
        registry.register(RegisteredCertificate.of(new CertificateRecord("request-075190000222", "Phạm Quốc Huy",
                "Phòng Quản lý công nghiệp", StaffGroup.CIVIL_SERVANT, "Ban Cơ yếu Chính phủ", DeviceKind.USB_TOKEN,
                CertificateStatus.REGISTERED, "", null, null), AGENCY, "075190000222", "", "", ""), "kyso demo",
                "đề nghị cấp mới");
    }

    /** Writes the queued events, prints the usage table and writes the report as JSON, CSV and PDF. */
    void finish(PrintStream out, Path reportDir) throws IOException, InterruptedException {
        try {
            usage.flush(Duration.ofSeconds(30));
        } finally {
            usage.close();
        }
        // the demo signs once or twice per person: one signature this month counts as regular here
        UsageReport report = UsageReports.open(dataSource).compute(
                ReportRequest.month(YearMonth.now(ReportRequest.VIETNAM), AGENCY).withThresholds(1, 0));
        out.println("  register: " + registry.all().size() + " certificates, " + usage.written()
                + " usage events in the database (" + usage.dropped() + " lost)");
        out.print(ReportFormats.text(report).lines().map(l -> "  " + l)
                .collect(java.util.stream.Collectors.joining("\n", "", "\n")));
        for (Path file : ReportFormats.write(report, reportDir)) {
            out.println("  written: " + file);
        }
    }
}
