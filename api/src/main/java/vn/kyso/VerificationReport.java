package vn.kyso;

import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * What a format found when verifying one document: a {@link SignatureReport} per signature,
 * in document order.
 *
 * @param formatId the format that verified it ("pades", "xades")
 * @param documentName the document's name
 * @param signatures one report per signature; empty when the document carries none
 */
public record VerificationReport(String formatId, String documentName, List<SignatureReport> signatures) {

    /** Vietnam's offset: the rules show times as yyyy-MM-ddTHH:mm:ss+07:00. */
    static final ZoneOffset VIETNAM = ZoneOffset.ofHours(7);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    public VerificationReport {
        Objects.requireNonNull(formatId, "formatId must not be null");
        Objects.requireNonNull(documentName, "documentName must not be null");
        signatures = List.copyOf(signatures);
    }

    /** True when the document has at least one signature and every one is TOTAL_PASSED. */
    public boolean allPassed() {
        return !signatures.isEmpty()
                && signatures.stream().allMatch(s -> s.indication() == Indication.TOTAL_PASSED);
    }

    /** A short human report in Vietnamese with English beside it, one block per signature. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        out.append(documentName).append(" (").append(formatId).append("): ");
        if (signatures.isEmpty()) {
            return out.append("không có chữ ký số / no signature\n").toString();
        }
        out.append(signatures.size()).append(" chữ ký / signature(s)\n");
        int n = 1;
        for (SignatureReport s : signatures) {
            out.append("  [").append(n++).append("] ").append(s.id()).append(": ")
                    .append(s.indication().vietnamese()).append(" / ").append(s.indication().english())
                    .append(" (").append(s.indication());
            s.subIndication().ifPresent(sub -> out.append(", ").append(sub));
            out.append(")\n");
            s.signerCertificate().ifPresent(c -> out.append("      Người ký / Signer: ").append(subject(c))
                    .append("\n      Cấp bởi / Issuer: ").append(issuer(c)).append('\n'));
            s.claimedSigningTime().ifPresent(t -> out.append("      Thời gian ký / Signing time: ")
                    .append(TIME.format(t.withOffsetSameInstant(VIETNAM))).append('\n'));
            s.timestampTime().ifPresent(t -> out.append("      Dấu thời gian / Timestamp: ")
                    .append(TIME.format(t.atOffset(VIETNAM))).append('\n'));
            out.append("      Toàn vẹn / Integrity: ").append(s.intact() ? "còn nguyên vẹn / intact" : "BỊ THAY ĐỔI / ALTERED")
                    .append("; phủ toàn bộ / covers whole document: ").append(s.coversWholeDocument() ? "có / yes" : "không / no")
                    .append('\n');
            out.append("      Chuỗi chứng thư / Chain: ").append(s.chainStatus());
            s.trustAnchor().ifPresent(a -> out.append(" → ").append(subject(a)));
            out.append("\n      Thu hồi / Revocation: ").append(s.revocationStatus()).append(" (")
                    .append(s.revocationSource()).append(")\n");
            for (String change : s.laterChanges()) {
                out.append("      Thay đổi sau khi ký / Changed after signing: ").append(change).append('\n');
            }
            for (Finding f : s.findings()) {
                out.append("      ").append(f.severity()).append(' ').append(f.code()).append(": ")
                        .append(f.vietnamese()).append(" / ").append(f.english()).append('\n');
            }
        }
        return out.toString();
    }

    private static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253);
    }

    private static String issuer(X509Certificate c) {
        return c.getIssuerX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253);
    }
}
