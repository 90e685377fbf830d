package vn.kyso.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vn.kyso.Certificates;
import vn.kyso.Document;
import vn.kyso.Kyso;
import vn.kyso.TrustAnchors;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.VerificationRun;

/**
 * {@code kyso verify}: verifies files and folders (PDF and XML found by content), in parallel,
 * and prints every signature's report as text or one JSON document; exit 0 all passed, 1 any
 * not, 2 any unreadable.
 */
@Command(name = "verify", description = "Kiểm tra chữ ký số / Verify every signature in PDF or XML files and folders.")
final class VerifyCommand implements Callable<Integer> {
    static final int ALL_VALID = 0;
    static final int NOT_ALL_VALID = 1;
    static final int UNREADABLE = 2;
    static final String VIETNAM = "vn";
    private static final Locale VI = Locale.forLanguageTag("vi");

    /** Where revocation status may come from, as the command line names it. */
    enum RevocationOption {
        online(ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE),
        embedded(ValidationPolicy.Revocation.EMBEDDED_ONLY),
        off(ValidationPolicy.Revocation.NONE);

        final ValidationPolicy.Revocation policy;

        RevocationOption(ValidationPolicy.Revocation policy) {
            this.policy = policy;
        }
    }

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*",
            description = "Signed PDF or XML files, or folders to walk (PDF and XML recognised by content).")
    List<Path> inputs;

    @Option(names = "--trust", paramLabel = "PEM|DIR|vn", arity = "1..*",
            description = "Trust anchors: PEM files, folders of them, or 'vn' for the built-in Vietnamese roots "
                    + "(the default when no --trust is given).")
    List<String> trust = new ArrayList<>();

    @Option(names = "--ca", paramLabel = "PEM|DIR", arity = "1..*",
            description = "Intermediate CA certificates that complete chains without being trusted (XML signatures "
                    + "usually carry only the signer's certificate).")
    List<Path> intermediates = new ArrayList<>();

    @Option(names = "--revocation", paramLabel = "online|embedded|off",
            description = "online (default): embedded data, then OCSP, then CRL; embedded: only what the file "
                    + "carries; off: not checked (each signature says so).")
    RevocationOption revocation;

    @Option(names = "--offline", description = "Same as --revocation embedded.")
    boolean offline;

    @Option(names = "--at", paramLabel = "TIME", converter = TimeConverter.class,
            description = "Validate as of this time (an archived document): 2025-07-10T17:54:31+07:00, "
                    + "2025-07-10T17:54:31 (Vietnam time) or 2025-07-10 (its start, Vietnam time).")
    Instant at;

    @Option(names = "--strict", description = "Fail SHA-1 and RSA keys under 2048 bits instead of warning.")
    boolean strict;

    @Option(names = "--lang", paramLabel = "vi|en", description = "Language of the text report (default: the locale's).")
    String lang;

    @Option(names = "--json", description = "Print one JSON document (schema kyso-verify/1) for the whole run.")
    boolean json;

    @Option(names = "--pdf", paramLabel = "FILE",
            description = "Also write the printable report (Vietnamese, one page per document) to this PDF.")
    Path pdf;

    @Option(names = "--threads", paramLabel = "N", description = "Files verified at once (default: the number of cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws InterruptedException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        boolean vietnamese = lang != null ? lang.equals("vi") : Locale.getDefault().getLanguage().equals("vi");
        if (lang != null && !lang.equals("vi") && !lang.equals("en")) {
            err.println("--lang: vi hoặc en / vi or en, not " + lang);
            return UNREADABLE;
        }
        if (offline && revocation != null && revocation != RevocationOption.embedded) {
            err.println("--offline là --revocation embedded / --offline means --revocation embedded, not " + revocation);
            return UNREADABLE;
        }
        ValidationPolicy.Builder policy = ValidationPolicy.builder().strictAlgorithms(strict)
                .revocation((offline ? RevocationOption.embedded
                        : revocation != null ? revocation : RevocationOption.online).policy);
        if (at != null) {
            policy.validationTime(at);
        }
        List<X509Certificate> anchors = new ArrayList<>();
        List<X509Certificate> cas = new ArrayList<>();
        boolean builtIn = trust.isEmpty() || trust.contains(VIETNAM);
        try {
            for (String t : trust) {
                if (!t.equals(VIETNAM)) {
                    anchors.addAll(certificates(Path.of(t)));
                }
            }
        } catch (IOException | CertificateException e) {
            err.println("Không đọc được chứng thư tin cậy / cannot read trust anchor: " + e.getMessage());
            return UNREADABLE;
        }
        try {
            for (Path ca : intermediates) {
                cas.addAll(certificates(ca));
            }
        } catch (IOException | CertificateException e) {
            err.println("Không đọc được chứng thư CA trung gian / cannot read intermediate CA: " + e.getMessage());
            return UNREADABLE;
        }
        policy.trustAnchors(anchors).intermediates(cas);
        if (builtIn) {
            policy.trust(TrustAnchors.vietnam());
        }
        ValidationPolicy built = policy.build();

        Set<Document> fromFolders = new HashSet<>();
        List<Document> documents = new ArrayList<>();
        VerificationRun run = new VerificationRun(built, Clock.systemUTC());
        List<VerificationReport> early = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                List<Path> found = new ArrayList<>();
                try {
                    walk(input, found, early);
                } catch (IOException e) {
                    early.add(VerificationReport.unreadable(input.toString(), e));
                }
                for (Path f : found.stream().sorted().toList()) {
                    try {
                        Document d = Document.of(f);
                        documents.add(d);
                        fromFolders.add(d);
                    } catch (IllegalArgumentException e) { // gone since the walk saw it
                        early.add(VerificationReport.unreadable(f.toString(), new IOException(e.getMessage(), e)));
                    }
                }
            } else if (Files.isRegularFile(input)) {
                documents.add(Document.of(input));
            } else {
                early.add(VerificationReport.unreadable(input.toString(),
                        new IOException("no such file or folder: " + input)));
            }
        }
        early.forEach(r -> run.add(r.documentName(), r));
        List<VerificationPdf.Entry> printable = new ArrayList<>();
        early.forEach(r -> printable.add(new VerificationPdf.Entry(r.documentName(), r)));
        if (!json) {
            out.println((vietnamese ? "Thời điểm kiểm tra: " : "Validation time: ")
                    + run.validationTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).atOffset(ZoneOffset.ofHours(7)) + " (" + run.timeReason(vietnamese) + "); "
                    + (vietnamese ? "thu hồi: " : "revocation: ") + built.revocation()
                    + (builtIn ? (vietnamese ? "; tin cậy: gốc Việt Nam có sẵn (vn)" : "; trust: built-in Vietnamese roots (vn)")
                            : ""));
            early.forEach(r -> out.print(textOf(r.documentName(), r, vietnamese ? VI : Locale.ENGLISH)));
        }
        Progress progress = new Progress(documents.size(), System.console() != null ? err : null);
        Locale locale = vietnamese ? VI : Locale.ENGLISH;
        Kyso.discover().verifyAll(documents, built, Math.max(1, threads), (document, report) -> {
            String path = document.file().map(Path::toString).orElse(document.name());
            if (fromFolders.contains(document) && report.error() != null
                    && report.error().code().equals("UNSUPPORTED_FORMAT")) {
                run.skip(path);
            } else {
                run.add(path, report);
                if (pdf != null) {
                    printable.add(new VerificationPdf.Entry(path, report));
                }
                if (!json) {
                    progress.clear();
                    out.print(textOf(path, report, locale));
                }
            }
            progress.advance();
        });
        progress.clear();
        if (pdf != null) {
            try {
                // written beside its target and moved into place whole: never a half-written report
                Path tmp = Files.createTempFile(pdf.toAbsolutePath().getParent(), ".kyso-", ".pdf");
                try {
                    try (var o = Files.newOutputStream(tmp)) {
                        printable.sort(java.util.Comparator.comparing(VerificationPdf.Entry::path));
                        VerificationPdf.write(printable, run, o);
                    }
                    Files.move(tmp, pdf, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                err.println("Không ghi được báo cáo PDF / cannot write the PDF report " + pdf + ": " + e.getMessage());
                return UNREADABLE;
            }
        }
        if (json) {
            out.println(run.toJson());
        } else {
            out.print(summary(run, vietnamese));
        }
        if (run.count(VerificationReport.Outcome.UNREADABLE) > 0) {
            return UNREADABLE;
        }
        return run.total() > 0 && run.count(VerificationReport.Outcome.TOTAL_PASSED) == run.total()
                ? ALL_VALID : NOT_ALL_VALID;
    }

    /**
     * Collects the regular files under {@code folder}; a file or folder that cannot be read is
     * reported as unreadable and the walk goes on. Links to folders are not followed (no cycles).
     */
    private static void walk(Path folder, List<Path> found, List<VerificationReport> unreadable) throws IOException {
        Files.walkFileTree(folder, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                if (attrs.isRegularFile() || Files.isRegularFile(file)) {
                    found.add(file);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                unreadable.add(VerificationReport.unreadable(file.toString(), e));
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
    }

    private static String textOf(String path, VerificationReport report, Locale locale) {
        String text = report.toText(locale);
        // name the file by the path given, which tells apart equal names in different folders
        return text.startsWith(report.documentName()) ? path + text.substring(report.documentName().length()) : text;
    }

    /** The closing table: files per outcome. */
    static String summary(VerificationRun run, boolean vietnamese) {
        StringBuilder s = new StringBuilder(vietnamese ? "Tổng kết" : "Summary").append('\n');
        String[][] rows = {
            {"TOTAL_PASSED", "hợp lệ", "passed"},
            {"TOTAL_FAILED", "không hợp lệ", "failed"},
            {"INDETERMINATE", "chưa xác định", "indeterminate"},
            {"UNSIGNED", "không có chữ ký", "unsigned"},
            {"UNREADABLE", "không đọc được", "unreadable"},
        };
        for (String[] row : rows) {
            s.append(String.format("  %-14s %-18s %6d%n", row[0], vietnamese ? row[1] : row[2],
                    run.count(VerificationReport.Outcome.valueOf(row[0]))));
        }
        if (run.skipped() > 0) {
            s.append(String.format("  %-14s %-18s %6d%n", "SKIPPED", vietnamese ? "bỏ qua (không phải PDF/XML)"
                    : "skipped (not PDF/XML)", run.skipped()));
        }
        return s.append(String.format("  %-14s %-18s %6d%n", "", vietnamese ? "tổng" : "total", run.total())).toString();
    }

    /** Certificates from a PEM/DER file, or from every .pem, .crt, .cer and .der file of a folder. */
    private static List<X509Certificate> certificates(Path path) throws IOException, CertificateException {
        List<X509Certificate> out = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.list(path)) {
                for (Path f : files.filter(Files::isRegularFile)
                        .filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(pem|crt|cer|der)"))
                        .sorted().toList()) {
                    out.addAll(parse(f));
                }
            }
            if (out.isEmpty()) {
                throw new CertificateException("no certificate file (.pem, .crt, .cer, .der) in " + path);
            }
            return out;
        }
        return parse(path);
    }

    private static List<X509Certificate> parse(Path file) throws IOException, CertificateException {
        try {
            return Certificates.parse(Files.readAllBytes(file));
        } catch (CertificateException e) {
            throw new CertificateException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses --at: an offset date-time, a Vietnam local date-time, or a Vietnam date (its start). */
    static final class TimeConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                // not with an offset: Vietnam time, as the documents show it
            }
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.ofHours(7));
            } catch (DateTimeParseException e) {
                // a date alone
            }
            try {
                return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.ofHours(7));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a time: " + value
                        + " (e.g. 2025-07-10T17:54:31+07:00, 2025-07-10T17:54:31 or 2025-07-10)");
            }
        }
    }
}
