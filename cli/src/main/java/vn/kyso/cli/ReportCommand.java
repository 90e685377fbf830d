package vn.kyso.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vn.kyso.registry.ReportFormats;
import vn.kyso.registry.ReportRequest;
import vn.kyso.registry.UsageReport;
import vn.kyso.registry.UsageReports;

/**
 * {@code kyso report}: the monthly usage report as JSON, CSV and PDF, for one agency, or one per
 * agency and a summary of them all.
 */
@Command(name = "report", description = "Báo cáo tình hình sử dụng chữ ký số / The monthly usage report "
        + "(JSON, CSV, PDF).")
final class ReportCommand implements Callable<Integer> {
    @Mixin
    RegistryOptions where;

    @Option(names = "--period", required = true, paramLabel = "YYYY-MM", description = "The month, e.g. 2026-11.")
    YearMonth period;

    @Option(names = "--agency", description = "One agency; without it, one report per agency and a summary.")
    String agency;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the files are written.")
    Path out;

    @Option(names = "--regular", defaultValue = "" + ReportRequest.DEFAULT_REGULAR_AT_LEAST,
            description = "Signatures in the month from which a person signs regularly (default ${DEFAULT-VALUE}).")
    int regular;

    @Option(names = "--rarely", defaultValue = "" + ReportRequest.DEFAULT_RARELY_AT_MOST,
            description = "Signatures in the month up to which a holder rarely signs (default ${DEFAULT-VALUE}).")
    int rarely;

    @Override
    public Integer call() throws IOException {
        UsageReports reports = UsageReports.open(where.dataSource());
        ReportRequest request = ReportRequest.month(period, agency).withThresholds(regular, rarely);
        PrintStream console = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        List<Path> files;
        if (agency != null) {
            UsageReport report = reports.compute(request);
            console.print(ReportFormats.text(report));
            files = ReportFormats.write(report, out);
        } else {
            List<UsageReport> each = reports.computeEach(request);
            if (each.isEmpty()) {
                throw new IllegalArgumentException("the register holds no agency: load a roster or import certificates");
            }
            for (UsageReport report : each) {
                console.print(ReportFormats.text(report));
            }
            files = ReportFormats.writeEach(each, out);
        }
        for (Path file : files) {
            console.println("written: " + file);
        }
        return 0;
    }
}
