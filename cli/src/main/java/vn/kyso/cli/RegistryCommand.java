package vn.kyso.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vn.kyso.CertificateRecord;
import vn.kyso.CertificateStatus;
import vn.kyso.Certificates;
import vn.kyso.DeviceKind;
import vn.kyso.StaffGroup;
import vn.kyso.registry.CertificateImport;
import vn.kyso.registry.JdbcCertificateRegistry;
import vn.kyso.registry.RegisteredCertificate;
import vn.kyso.registry.RegistryQuery;
import vn.kyso.registry.Reminder;
import vn.kyso.registry.StaffMember;

/** {@code kyso registry}: the agency's certificate register, kept in a database. */
@Command(name = "registry", description = "Sổ theo dõi chứng thư số / The certificate register.",
        subcommands = {RegistryCommand.Import.class, RegistryCommand.Roster.class, RegistryCommand.ListCommand.class,
            RegistryCommand.Expiring.class, RegistryCommand.SetStatus.class, RegistryCommand.StaffLeft.class,
            RegistryCommand.Outgoing.class})
final class RegistryCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static PrintStream out() {
        return new PrintStream(System.out, true, StandardCharsets.UTF_8);
    }

    static String line(RegisteredCertificate e) {
        CertificateRecord r = e.certificate();
        return String.join(" | ", r.holder(), e.personalId().isEmpty() ? "-" : e.personalId(), r.unit(),
                r.staffGroup().vietnamese(), r.issuingCa(), r.deviceKind().vietnamese(), r.status().name(),
                r.notAfter() == null ? "-" : r.notAfter().atOffset(ZoneOffset.ofHours(7)).toLocalDate().toString(),
                r.id().length() > 16 ? r.id().substring(0, 16) : r.id());
    }

    /** {@code kyso registry import}: adds certificates from PEM or DER files. */
    @Command(name = "import", description = "Thêm chứng thư số từ tệp PEM/DER / Import certificates from files.")
    static final class Import implements Callable<Integer> {
        @Mixin
        RegistryOptions where;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "PEM or DER certificate files.")
        List<Path> files;

        @Option(names = "--group", required = true, description = "LEADER_MANAGER, CIVIL_SERVANT or PUBLIC_EMPLOYEE.")
        StaffGroup group;

        @Option(names = "--device", defaultValue = "USB_TOKEN", description = "USB_TOKEN, PKI_SIM or FILE.")
        DeviceKind device;

        @Option(names = "--unit", defaultValue = "", description = "The unit when the certificate has no OU.")
        String unit;

        @Option(names = "--actor", defaultValue = "kyso registry import", description = "Who records the import.")
        String actor;

        @Override
        public Integer call() throws IOException, CertificateException {
            JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(where.dataSource());
            List<RegisteredCertificate> entries = new java.util.ArrayList<>();
            for (Path file : files) {
                for (X509Certificate cert : Certificates.parse(Files.readAllBytes(file))) {
                    entries.add(CertificateImport.fromX509(cert, group, device, unit));
                }
            }
            registry.registerAll(entries, actor, "imported from " + files.stream().map(f -> f.getFileName().toString())
                    .collect(java.util.stream.Collectors.joining(", ")));  // every file, or none
            PrintStream out = out();
            entries.forEach(e -> out.println("imported: " + line(e)));
            return 0;
        }
    }

    /** {@code kyso registry roster}: loads the staff roster from CSV. */
    @Command(name = "roster", description = "Nạp danh sách cán bộ (CSV) / Load the staff roster from CSV: "
            + "agency,personal_id,name,unit,group,leader[,email,phone[,joined,left]] with a header line; "
            + "joined and left are days (YYYY-MM-DD), left the first day no longer on the staff.")
    static final class Roster implements Callable<Integer> {
        @Mixin
        RegistryOptions where;

        @Parameters(paramLabel = "CSV")
        Path file;

        @Override
        public Integer call() throws IOException {
            JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(where.dataSource());
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<StaffMember> roster = new java.util.ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                String raw = lines.get(i).replace("\uFEFF", "");
                if (raw.isBlank()) {
                    continue;
                }
                String[] c = raw.split(",", -1);
                if (c.length < 6) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected agency,personal_id,"
                            + "name,unit,group,leader[,email,phone[,joined,left]]");
                }
                roster.add(new StaffMember(c[0].strip(), c[1].strip(), c[2].strip(), c[3].strip(),
                        StaffGroup.valueOf(c[4].strip()), Boolean.parseBoolean(c[5].strip()),
                        c.length > 6 ? c[6].strip() : "", c.length > 7 ? c[7].strip() : "", day(c, 8), day(c, 9)));
            }
            registry.addStaff(roster); // the whole roster, or none of it
            out().println("staff added or updated: " + roster.size());
            return 0;
        }
    }

    private static java.time.LocalDate day(String[] cells, int index) {
        return cells.length > index && !cells[index].isBlank() ? java.time.LocalDate.parse(cells[index].strip()) : null;
    }

    /** {@code kyso registry staff-left}: a person left the agency; past reports still count them. */
    @Command(name = "staff-left", description = "Ghi nhận cán bộ nghỉ việc, chuyển công tác / Record that a person "
            + "left the agency (reports for earlier periods still count them).")
    static final class StaffLeft implements Callable<Integer> {
        @Mixin
        RegistryOptions where;

        @Parameters(paramLabel = "PERSONAL_ID", description = "The citizen id (CCCD) on the roster.")
        String personalId;

        @Option(names = "--agency", required = true)
        String agency;

        @Option(names = "--on", required = true, paramLabel = "YYYY-MM-DD",
                description = "The first day no longer on the staff.")
        java.time.LocalDate day;

        @Override
        public Integer call() {
            JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(where.dataSource());
            if (!registry.staffLeft(agency, personalId, day)) {
                throw new IllegalArgumentException("no staff " + personalId + " in " + agency);
            }
            out().println("left on " + day + ": " + personalId);
            return 0;
        }
    }

    /** {@code kyso registry outgoing}: the DMS records an outgoing electronic document, signed or not. */
    @Command(name = "outgoing", description = "Ghi nhận văn bản điện tử gửi đi / Record an outgoing electronic "
            + "document, signed or not, for the share of documents signed (recording a reference again replaces it).")
    static final class Outgoing implements Callable<Integer> {
        @Mixin
        RegistryOptions where;

        @Parameters(paramLabel = "REFERENCE", description = "The document's number in the DMS, e.g. 125/QĐ-SCT.")
        String reference;

        @Option(names = "--agency", required = true)
        String agency;

        @Option(names = "--unit", defaultValue = "", description = "The unit that drafted it.")
        String unit;

        @Option(names = "--type", defaultValue = "", description = "The document type, e.g. \"Công văn\".")
        String type;

        @Option(names = "--signed", description = "It went out digitally signed.")
        boolean signed;

        @Option(names = "--issued", paramLabel = "TIME", description = "When it was issued (ISO 8601 with offset, "
                + "e.g. 2026-11-05T09:30+07:00); default now.")
        java.time.OffsetDateTime issued;

        @Override
        public Integer call() {
            JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(where.dataSource());
            boolean added = registry.recordOutgoing(new vn.kyso.registry.OutgoingDocument(agency, unit, type,
                    reference, issued == null ? java.time.Instant.now() : issued.toInstant(), signed));
            out().println((added ? "recorded: " : "replaced: ") + reference + (signed ? " (signed)" : " (not signed)"));
            return 0;
        }
    }

    /** {@code kyso registry list}: the certificates, filtered. */
    @Command(name = "list", description = "Liệt kê chứng thư số / List certificates.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        RegistryOptions where;

        @Option(names = "--agency")
        String agency;

        @Option(names = "--unit")
        String unit;

        @Option(names = "--group")
        StaffGroup group;

        @Option(names = "--ca")
        String ca;

        @Option(names = "--device")
        DeviceKind device;

        @Option(names = "--status")
        CertificateStatus status;

        @Override
        public Integer call() {
            JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(where.dataSource());
            List<RegisteredCertificate> found = registry.search(RegistryQuery.all().agency(agency).unit(unit)
                    .staffGroup(group).issuingCa(ca).deviceKind(device).status(status));
            PrintStream out = out();
            found.forEach(e -> out.println(line(e)));
            out.println(found.size() + " certificate(s)");
            return 0;
        }
    }

    /** {@code kyso registry expiring}: the reminder list. */
    @Command(name = "expiring", description = "Chứng thư số cần gia hạn, cập nhật / Certificates to renew or update.")
    static final class Expiring implements Callable<Integer> {
        @Mixin
        RegistryOptions where;

        @Option(names = "--days", defaultValue = "30", description = "Window for expiry (default 30).")
        int days;

        @Override
        public Integer call() {
            JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(where.dataSource());
            List<Reminder> reminders = registry.reminders(Duration.ofDays(days));
            PrintStream out = out();
            reminders.forEach(r -> out.println(r.action() + ": " + line(r.certificate())));
            out.println(reminders.size() + " reminder(s)");
            return 0;
        }
    }

    /** {@code kyso registry set-status}: records a status change with who and why. */
    @Command(name = "set-status", description = "Đổi trạng thái chứng thư số / Change a certificate's status.")
    static final class SetStatus implements Callable<Integer> {
        @Mixin
        RegistryOptions where;

        @Parameters(index = "0", paramLabel = "ID", description = "The certificate's id (fingerprint) or a unique prefix.")
        String id;

        @Parameters(index = "1", paramLabel = "STATUS")
        CertificateStatus status;

        @Option(names = "--actor", required = true, description = "Who makes the change.")
        String actor;

        @Option(names = "--reason", defaultValue = "", description = "Why.")
        String reason;

        @Override
        public Integer call() {
            JdbcCertificateRegistry registry = JdbcCertificateRegistry.open(where.dataSource());
            List<RegisteredCertificate> matches = registry.search(RegistryQuery.all()).stream()
                    .filter(e -> e.id().startsWith(id)).toList();
            if (matches.size() != 1) {
                throw new IllegalArgumentException(matches.isEmpty() ? "no certificate with id " + id
                        : matches.size() + " certificates start with " + id + ": give more of the id");
            }
            registry.setStatus(matches.get(0).id(), status, actor, reason);
            out().println("status: " + line(registry.entry(matches.get(0).id()).orElseThrow()));
            return 0;
        }
    }

}
