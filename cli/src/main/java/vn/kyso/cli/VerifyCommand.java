package vn.kyso.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vn.kyso.Certificates;
import vn.kyso.Document;
import vn.kyso.Kyso;
import vn.kyso.KysoException;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;

/** {@code kyso verify}: prints every signature's report; exit 0 all valid, 1 any not, 2 unreadable input. */
@Command(name = "verify", description = "Kiểm tra chữ ký số / Verify every signature in PDF or XML files.")
final class VerifyCommand implements Callable<Integer> {
    static final int ALL_VALID = 0;
    static final int NOT_ALL_VALID = 1;
    static final int UNREADABLE = 2;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Signed PDF or XML files.")
    List<Path> files;

    @Option(names = "--trust", paramLabel = "PEM", arity = "1..*",
            description = "Trust anchors (PEM files with root or intermediate CA certificates).")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--ca", paramLabel = "PEM", arity = "1..*",
            description = "Intermediate CA certificates that complete chains without being trusted (XML signatures "
                    + "usually carry only the signer's certificate).")
    List<Path> intermediates = new ArrayList<>();

    @Option(names = "--offline", description = "Use only revocation data embedded in the files.")
    boolean offline;

    @Option(names = "--strict", description = "Fail SHA-1 and RSA keys under 2048 bits instead of warning.")
    boolean strict;

    @Override
    public Integer call() {
        List<X509Certificate> anchors = new ArrayList<>();
        List<X509Certificate> cas = new ArrayList<>();
        if (!read(trust, anchors, "chứng thư tin cậy", "trust anchor")
                || !read(intermediates, cas, "chứng thư CA trung gian", "intermediate CA")) {
            return UNREADABLE;
        }
        ValidationPolicy policy = ValidationPolicy.builder().trustAnchors(anchors).intermediates(cas)
                .strictAlgorithms(strict)
                .revocation(offline ? ValidationPolicy.Revocation.EMBEDDED_ONLY
                        : ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE)
                .build();
        Kyso kyso = Kyso.discover();
        int result = ALL_VALID;
        for (Path file : files) {
            try {
                Document document = Document.of(file);
                VerificationReport report = kyso.formatFor(document).verify(document, policy);
                System.out.print(report.toText());
                if (!report.allPassed()) {
                    result = Math.max(result, NOT_ALL_VALID);
                }
            } catch (IOException | KysoException | IllegalArgumentException e) {
                System.err.println("Không đọc được / cannot read " + file + ": " + e.getMessage());
                result = UNREADABLE;
            }
        }
        return result;
    }

    private static boolean read(List<Path> files, List<X509Certificate> into, String vi, String en) {
        for (Path pem : files) {
            try {
                into.addAll(Certificates.parse(Files.readAllBytes(pem)));
            } catch (IOException | CertificateException e) {
                System.err.println("Không đọc được " + vi + " / cannot read " + en + " " + pem + ": " + e.getMessage());
                return false;
            }
        }
        return true;
    }
}
