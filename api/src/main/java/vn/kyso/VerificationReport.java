package vn.kyso;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/**
 * What a format found when verifying one document: a {@link SignatureReport} per signature,
 * in document order, or why the document could not be read at all. {@link #toJson()} gives it
 * as data in the versioned schema {@value #SCHEMA} (docs/kyso-verify-1.schema.json).
 *
 * @param formatId the format that verified it ("pades", "xades"), or "unknown" when none read it
 * @param documentName the document's name
 * @param signatures one report per signature; empty when the document carries none or was unreadable
 * @param error why the document could not be read; null when it was read
 */
public record VerificationReport(String formatId, String documentName, List<SignatureReport> signatures,
        Problem error) {

    /** The name and version of the JSON report's schema; a new version is a new name. */
    public static final String SCHEMA = "kyso-verify/1";

    /** Why a document could not be verified at all, with a stable code (see docs/verification-report.md). */
    public record Problem(String code, String message) {
        public Problem {
            Objects.requireNonNull(code, "code must not be null");
            Objects.requireNonNull(message, "message must not be null");
        }
    }

    /** The verdict on a whole document: the worst of its signatures', or why there is none. */
    public enum Outcome { TOTAL_PASSED, TOTAL_FAILED, INDETERMINATE, UNSIGNED, UNREADABLE }

    /** The file-level warning of a document that was read and carries no signature (outcome UNSIGNED). */
    static final Finding NO_SIGNATURE = Finding.warning("NO_SIGNATURE",
            "Tài liệu không có chữ ký số: không có gì để kiểm tra",
            "The document carries no signature: there is nothing to verify");

    /** Vietnam's offset: the rules show times as yyyy-MM-ddTHH:mm:ss+07:00. */
    static final ZoneOffset VIETNAM = ZoneOffset.ofHours(7);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    public VerificationReport {
        Objects.requireNonNull(formatId, "formatId must not be null");
        Objects.requireNonNull(documentName, "documentName must not be null");
        signatures = List.copyOf(signatures);
        if (error != null && !signatures.isEmpty()) {
            throw new IllegalArgumentException("an unreadable document has no signature reports");
        }
    }

    /** A report on a document that was read. */
    public VerificationReport(String formatId, String documentName, List<SignatureReport> signatures) {
        this(formatId, documentName, signatures, null);
    }

    /**
     * The report on a document that could not be verified, with a stable code for the cause:
     * UNSUPPORTED_FORMAT (neither PDF nor XML), DOCUMENT_MALFORMED (damaged or refused as hostile),
     * IO_ERROR (cannot be read), VERIFIER_FAILED (an unexpected failure while verifying it).
     */
    public static VerificationReport unreadable(String documentName, Exception cause) {
        Objects.requireNonNull(cause, "cause must not be null");
        String code = cause instanceof PluginNotFoundException ? "UNSUPPORTED_FORMAT"
                : cause instanceof DocumentMalformedException ? "DOCUMENT_MALFORMED"
                : cause instanceof IOException ? "IO_ERROR"
                : cause instanceof KysoException ? "DOCUMENT_MALFORMED"
                : "VERIFIER_FAILED";
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
        return new VerificationReport("unknown", documentName, List.of(), new Problem(code, message));
    }

    /** The verdict on the whole document. */
    public Outcome outcome() {
        if (error != null) {
            return Outcome.UNREADABLE;
        }
        if (signatures.isEmpty()) {
            return Outcome.UNSIGNED;
        }
        if (signatures.stream().anyMatch(s -> s.indication() == Indication.TOTAL_FAILED)) {
            return Outcome.TOTAL_FAILED;
        }
        return signatures.stream().anyMatch(s -> s.indication() == Indication.INDETERMINATE)
                ? Outcome.INDETERMINATE : Outcome.TOTAL_PASSED;
    }

    /** This report as a {@value #SCHEMA} JSON document of one file, named by its document name. */
    public String toJson() {
        Json json = new Json().beginObject().value("schema", SCHEMA).beginArray("files");
        writeJson(json, documentName);
        return json.endArray().endObject().toString();
    }

    /** Writes this report as one element of the schema's {@code files} array. */
    void writeJson(Json json, String path) {
        json.beginObject().value("path", path).value("format", error != null ? null : formatId)
                .value("outcome", outcome().name());
        if (error != null) {
            json.name("error").beginObject().value("code", error.code()).value("message", error.message()).endObject();
        } else {
            json.beginArray("signatures");
            signatures.forEach(s -> writeJson(json, s));
            json.endArray();
            if (signatures.isEmpty()) {
                // read, but nothing to judge: say so in words too, for a reader who shows only findings
                finding(json.beginArray("warnings"), NO_SIGNATURE).endArray();
            }
        }
        json.endObject();
    }

    private static void writeJson(Json json, SignatureReport s) {
        json.beginObject().value("id", s.id());
        X509Certificate c = s.signerCertificate().orElse(null);
        if (c == null) {
            json.value("signer", (String) null);
        } else {
            String subject = subject(c);
            json.name("signer").beginObject().value("subject", subject).value("serial", serial(c.getSerialNumber()))
                    .value("issuer", issuer(c))
                    .value("taxCode", Certificates.taxCode(c).orElse(null))
                    .value("citizenId", Certificates.citizenId(c).orElse(null))
                    .value("notBefore", TIME.format(c.getNotBefore().toInstant().atOffset(VIETNAM)))
                    .value("notAfter", TIME.format(c.getNotAfter().toInstant().atOffset(VIETNAM)))
                    .endObject();
        }
        json.value("claimedSigningTime", s.claimedSigningTime().map(TIME::format).orElse(null))
                .value("timestampTime", s.timestampTime().map(t -> TIME.format(t.atOffset(VIETNAM))).orElse(null));
        json.name("coverage").beginObject().value("wholeDocument", s.coversWholeDocument())
                .strings("covers", s.covers()).strings("laterChanges", s.laterChanges()).endObject();
        json.value("integrity", s.intact());
        json.name("chain").beginObject().value("status", s.chainStatus().name())
                .value("anchor", s.trustAnchor().map(VerificationReport::subject).orElse(null))
                .strings("certificates", s.chain().stream().map(VerificationReport::subject).toList()).endObject();
        json.name("revocation").beginObject().value("status", s.revocationStatus().name())
                .value("source", s.revocationSource().name()).endObject();
        List<Finding> weak = s.findings().stream().filter(f -> f.code().equals("WEAK_ALGORITHM")).toList();
        json.name("weak").beginObject().value("weak", !weak.isEmpty())
                .strings("reasons", weak.stream().map(Finding::english).toList()).endObject();
        json.value("indication", s.indication().name())
                .value("subIndication", s.subIndication().map(Enum::name).orElse(null));
        findings(json, "errors", s, Finding.Severity.ERROR);
        findings(json, "warnings", s, Finding.Severity.WARNING);
        findings(json, "notes", s, Finding.Severity.INFO);
        json.endObject();
    }

    private static void findings(Json json, String name, SignatureReport s, Finding.Severity severity) {
        json.beginArray(name);
        for (Finding f : s.findings()) {
            if (f.severity() == severity) {
                finding(json, f);
            }
        }
        json.endArray();
    }

    private static Json finding(Json json, Finding f) {
        return json.beginObject().value("code", f.code()).value("en", f.english()).value("vi", f.vietnamese())
                .endObject();
    }

    private static String serial(BigInteger serial) {
        return serial.toString(16).toUpperCase(Locale.ROOT);
    }

    /** True when the document was read, has at least one signature and every one is TOTAL_PASSED. */
    public boolean allPassed() {
        return error == null && !signatures.isEmpty()
                && signatures.stream().allMatch(s -> s.indication() == Indication.TOTAL_PASSED);
    }

    /** A short human report in Vietnamese with English beside it, one block per signature. */
    public String toText() {
        return text(null);
    }

    /**
     * The human report in one language: Vietnamese when {@code locale}'s language is "vi",
     * English otherwise.
     */
    public String toText(Locale locale) {
        return text("vi".equals(locale.getLanguage()) ? Boolean.TRUE : Boolean.FALSE);
    }

    /** @param vietnamese true: Vietnamese only, false: English only, null: both */
    private String text(Boolean vietnamese) {
        java.util.function.BinaryOperator<String> t = (vi, en) -> vietnamese == null ? vi + " / " + en
                : vietnamese ? vi : en;
        StringBuilder out = new StringBuilder();
        if (error != null) {
            return out.append(documentName).append(": ").append(t.apply("không đọc được", "cannot be read"))
                    .append(" (").append(error.code()).append("): ").append(error.message()).append('\n').toString();
        }
        out.append(documentName).append(" (").append(formatId).append("): ");
        if (signatures.isEmpty()) {
            return out.append(t.apply("không có chữ ký số", "no signature")).append('\n').toString();
        }
        out.append(signatures.size()).append(' ').append(t.apply("chữ ký", "signature(s)")).append('\n');
        int n = 1;
        for (SignatureReport s : signatures) {
            out.append("  [").append(n++).append("] ").append(s.id()).append(": ")
                    .append(t.apply(s.indication().vietnamese(), s.indication().english()))
                    .append(" (").append(s.indication());
            s.subIndication().ifPresent(sub -> out.append(", ").append(sub));
            out.append(")\n");
            s.signerCertificate().ifPresent(c -> out.append("      ").append(t.apply("Người ký", "Signer")).append(": ")
                    .append(subject(c)).append("\n      ").append(t.apply("Cấp bởi", "Issuer")).append(": ")
                    .append(issuer(c)).append('\n'));
            s.claimedSigningTime().ifPresent(time -> out.append("      ").append(t.apply("Thời gian ký", "Signing time"))
                    .append(": ").append(TIME.format(time.withOffsetSameInstant(VIETNAM))).append('\n'));
            s.timestampTime().ifPresent(time -> out.append("      ").append(t.apply("Dấu thời gian", "Timestamp"))
                    .append(": ").append(TIME.format(time.atOffset(VIETNAM))).append('\n'));
            out.append("      ").append(t.apply("Toàn vẹn", "Integrity")).append(": ")
                    .append(s.intact() ? t.apply("còn nguyên vẹn", "intact") : t.apply("BỊ THAY ĐỔI", "ALTERED"))
                    .append("; ").append(t.apply("phủ toàn bộ", "covers whole document")).append(": ")
                    .append(s.coversWholeDocument() ? t.apply("có", "yes") : t.apply("không", "no")).append('\n');
            out.append("      ").append(t.apply("Chuỗi chứng thư", "Chain")).append(": ").append(s.chainStatus());
            s.trustAnchor().ifPresent(a -> out.append(" → ").append(subject(a)));
            out.append("\n      ").append(t.apply("Thu hồi", "Revocation")).append(": ").append(s.revocationStatus())
                    .append(" (").append(s.revocationSource()).append(")\n");
            for (String change : s.laterChanges()) {
                out.append("      ").append(t.apply("Thay đổi sau khi ký", "Changed after signing")).append(": ")
                        .append(change).append('\n');
            }
            for (Finding f : s.findings()) {
                out.append("      ").append(f.severity()).append(' ').append(f.code()).append(": ")
                        .append(t.apply(f.vietnamese(), f.english())).append('\n');
            }
        }
        return out.toString();
    }

    private static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    private static String issuer(X509Certificate c) {
        return c.getIssuerX500Principal().getName(X500Principal.RFC2253);
    }
}
