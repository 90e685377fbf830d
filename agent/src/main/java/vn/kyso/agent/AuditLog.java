package vn.kyso.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.kyso.Certificates;
import vn.kyso.DeviceKind;
import vn.kyso.UsageEvent;
import vn.kyso.UsageReporter;

/**
 * One line of JSON per request that touched a token (origin, operation, certificate serial,
 * digests, result), appended to a file, and each signing attempt reported to kyso's
 * {@link UsageReporter} so agencies count the agent's signatures with the rest.
 */
final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private final Path file;
    private final UsageReporter reporter;
    private final Clock clock;

    AuditLog(Path file, UsageReporter reporter, Clock clock) {
        this.file = file;
        this.reporter = reporter;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /** Records one request; {@code result} is "OK" or the error code. */
    synchronized void record(String origin, String operation, X509Certificate certificate, List<byte[]> digests,
            String result) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("at", clock.instant().toString());
        line.put("origin", origin);
        line.put("operation", operation);
        if (certificate != null) {
            line.put("certificateSerial", certificate.getSerialNumber().toString(16));
            line.put("certificateSubject", certificate.getSubjectX500Principal().getName());
        }
        if (digests != null) {
            line.put("digests", digests.stream().map(d -> (Object) HexFormat.of().formatHex(d)).toList());
        }
        line.put("result", result);
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Json.write(line) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("cannot append to the audit log {}", file, e);
        }
    }

    /** Reports a signing attempt (signed, refused, timed out or failed) to the usage reporter. */
    void report(X509Certificate certificate, String role, int signatures, UsageEvent.Outcome outcome, Instant start,
            String errorKind) {
        try {
            Instant end = clock.instant();
            reporter.report(new UsageEvent(fingerprint(certificate), Certificates.commonName(certificate), end,
                    role == null ? "" : role, "agent", "pkcs11", DeviceKind.USB_TOKEN, outcome,
                    outcome == UsageEvent.Outcome.SIGNED ? signatures : 0, Duration.between(start, end), errorKind));
        } catch (RuntimeException e) {
            LOG.warn("the usage reporter failed; signing goes on", e);
        }
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate", e);
        }
    }
}
