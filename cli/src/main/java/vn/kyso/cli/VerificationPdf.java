package vn.kyso.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import vn.kyso.Certificates;
import vn.kyso.Finding;
import vn.kyso.SignatureReport;
import vn.kyso.VerificationReport;
import vn.kyso.VerificationRun;

/**
 * The printable verification report a clerk files with an incoming document: A4, in Vietnamese,
 * one page per document (continued on the next when it has many signatures), with each
 * signature's signer, times, verdict and the checks of Circular 15/2025/TT-BKHCN Appendix II
 * (integrity, validity at the signing time, revocation, path to a trusted root). Liberation Serif
 * is embedded as a subset, so every viewer shows the Vietnamese text as written.
 */
final class VerificationPdf {
    /** The Vietnamese-capable serif font that kyso-pdf-format bundles for appearances; one copy serves the cli too. */
    static final String FONT = "/vn/kyso/pdf/LiberationSerif-Regular.ttf";
    private static final float WIDTH = PDRectangle.A4.getWidth();
    private static final float HEIGHT = PDRectangle.A4.getHeight();
    private static final float MARGIN = 50;
    private static final float BOTTOM = 60;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'ngày' dd/MM/yyyy");
    private static final ZoneOffset VIETNAM = ZoneOffset.ofHours(7);

    /** One file of the run, as the report names it. */
    record Entry(String path, VerificationReport report) {
    }

    private final PDDocument doc;
    private final PDFont font;
    private final VerificationRun run;
    private PDPageContentStream cs;
    private float y;

    private VerificationPdf(PDDocument doc, PDFont font, VerificationRun run) {
        this.doc = doc;
        this.font = font;
        this.run = run;
    }

    /** Writes the report of {@code entries} to {@code out} (not closed). */
    static void write(List<Entry> entries, VerificationRun run, OutputStream out) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDFont font;
            try (InputStream ttf = VerificationPdf.class.getResourceAsStream(FONT)) {
                if (ttf == null) {
                    throw new IOException("the font " + FONT + " of kyso-pdf-format is missing from the class path");
                }
                font = PDType0Font.load(doc, ttf, true);
            }
            doc.getDocumentInformation().setTitle("Báo cáo kiểm tra chữ ký số");
            doc.getDocumentInformation().setProducer("kyso");
            VerificationPdf pdf = new VerificationPdf(doc, font, run);
            for (Entry e : entries) {
                pdf.document(e);
            }
            pdf.close();
            doc.save(out);
        }
    }

    private void document(Entry e) throws IOException {
        newPage();
        centred(14, "BÁO CÁO KIỂM TRA CHỮ KÝ SỐ");
        centred(10, "(các nội dung kiểm tra theo Phụ lục II Thông tư 15/2025/TT-BKHCN)");
        y -= 8;
        VerificationReport r = e.report();
        field("Tệp", e.path());
        field("Định dạng", r.error() != null ? "không xác định" : r.formatId().equals("pades") ? "PDF (PAdES)"
                : r.formatId().equals("xades") ? "XML (XMLDSig/XAdES)" : r.formatId());
        field("Thời điểm kiểm tra", TIME.format(run.validationTime().atOffset(VIETNAM)) + " — " + run.timeReason(true));
        field("Kết luận", outcome(r.outcome()));
        if (r.error() != null) {
            y -= 6;
            paragraph(11, "Không đọc được tệp (" + r.error().code() + "): " + r.error().message(), MARGIN);
            return;
        }
        int n = 1;
        for (SignatureReport s : r.signatures()) {
            if (y < BOTTOM + 120) {
                newPage();
                centred(11, "BÁO CÁO KIỂM TRA CHỮ KÝ SỐ (tiếp) — " + e.path());
            }
            y -= 6;
            line(11, "Chữ ký " + n++ + ": " + indication(s), MARGIN);
            X509Certificate c = s.signerCertificate().orElse(null);
            float indent = MARGIN + 14;
            if (c != null) {
                field(indent, "Người ký", Certificates.commonName(c)
                        + Certificates.taxCode(c).map(t -> " — MST " + t).orElse("")
                        + Certificates.citizenId(c).map(t -> " — CCCD " + t).orElse(""));
                field(indent, "Tổ chức cung cấp dịch vụ", Certificates.issuerName(c));
                field(indent, "Số hiệu chứng thư", c.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT)
                        + "; hiệu lực " + TIME.format(c.getNotBefore().toInstant().atOffset(VIETNAM)) + " đến "
                        + TIME.format(c.getNotAfter().toInstant().atOffset(VIETNAM)));
            } else {
                field(indent, "Người ký", "không xác định được chứng thư số của người ký");
            }
            field(indent, "Thời gian ký (người ký ghi)", s.claimedSigningTime()
                    .map(t -> TIME.format(t.withOffsetSameInstant(VIETNAM))).orElse("không có"));
            field(indent, "Dấu thời gian", s.timestampTime().map(t -> TIME.format(t.atOffset(VIETNAM)))
                    .orElse("không có dấu thời gian tin cậy"));
            field(indent, "Phạm vi", s.coversWholeDocument() ? "toàn bộ văn bản"
                    : !s.laterChanges().isEmpty() ? "văn bản đến thời điểm ký; sau đó: "
                            + String.join("; ", s.laterChanges().stream().map(VerificationPdf::vietnamese).toList())
                    : !s.covers().isEmpty() ? String.join("; ", s.covers())
                    : "một phần văn bản");
            check(indent, "1. Tính toàn vẹn", s.intact() ? "Đạt" : "Không đạt — nội dung đã bị thay đổi sau khi ký");
            check(indent, "2. Chứng thư còn hiệu lực tại thời điểm ký", validity(s));
            check(indent, "3. Tình trạng thu hồi", revocation(s));
            check(indent, "4. Đường dẫn đến chứng thư gốc tin cậy", chain(s));
            for (Finding f : s.findings()) {
                if (f.severity() != Finding.Severity.INFO) {
                    paragraph(8.5f, (f.severity() == Finding.Severity.ERROR ? "Lỗi " : "Cảnh báo ") + f.code() + ": "
                            + f.vietnamese(), indent);
                }
            }
        }
        if (r.signatures().isEmpty()) {
            paragraph(11, "Tệp không có chữ ký số.", MARGIN);
        }
    }

    /** The Vietnamese half of a bilingual "vi / en" line. */
    private static String vietnamese(String bilingual) {
        int slash = bilingual.indexOf(" / ");
        return slash > 0 ? bilingual.substring(0, slash) : bilingual;
    }

    private static String outcome(VerificationReport.Outcome o) {
        return switch (o) {
            case TOTAL_PASSED -> "HỢP LỆ — mọi chữ ký đều hợp lệ";
            case TOTAL_FAILED -> "KHÔNG HỢP LỆ — có chữ ký không hợp lệ";
            case INDETERMINATE -> "CHƯA XÁC ĐỊNH — chưa đủ căn cứ kết luận";
            case UNSIGNED -> "KHÔNG CÓ CHỮ KÝ SỐ";
            case UNREADABLE -> "KHÔNG ĐỌC ĐƯỢC";
        };
    }

    private static String indication(SignatureReport s) {
        return s.indication().vietnamese().toUpperCase(java.util.Locale.forLanguageTag("vi")) + " ("
                + s.indication() + s.subIndication().map(x -> ", " + x).orElse("") + ")";
    }

    private static String validity(SignatureReport s) {
        if (s.has("CERT_EXPIRED_AT_SIGNING")) {
            return "Không đạt — chứng thư đã hết hạn tại thời điểm ký";
        }
        if (s.has("CERT_NOT_YET_VALID")) {
            return "Không đạt — thời điểm ký trước khi chứng thư có hiệu lực";
        }
        if (s.has("CERT_EXPIRED_NO_POE") || s.signerCertificate().isEmpty()
                || s.subIndication().map(x -> x.name().startsWith("OUT_OF_BOUNDS")).orElse(false)) {
            return "Chưa xác định — không có căn cứ về thời điểm ký trong thời hạn của chứng thư";
        }
        return "Đạt" + (s.timestampTime().isPresent() ? " (theo dấu thời gian)" : " (tại thời điểm kiểm tra)");
    }

    private static String revocation(SignatureReport s) {
        String source = switch (s.revocationSource()) {
            case EMBEDDED_OCSP -> "OCSP kèm trong văn bản";
            case EMBEDDED_CRL -> "CRL kèm trong văn bản";
            case ONLINE_OCSP -> "OCSP trực tuyến";
            case ONLINE_CRL -> "CRL trực tuyến";
            case NONE -> "";
        };
        return switch (s.revocationStatus()) {
            case GOOD -> "Đạt — chưa bị thu hồi (" + source + ")";
            case REVOKED -> s.has("REVOKED_AFTER_SIGNING") ? "Đạt — bị thu hồi sau thời điểm ký (" + source + ")"
                    : "Không đạt — chứng thư đã bị thu hồi (" + source + ")";
            case UNKNOWN -> "Chưa xác định — không lấy được thông tin thu hồi (cảnh báo)";
            case NOT_CHECKED -> "Không kiểm tra (theo chính sách kiểm tra)";
        };
    }

    private static String chain(SignatureReport s) {
        return switch (s.chainStatus()) {
            case TRUSTED -> "Đạt — đến " + s.trustAnchor().map(Certificates::commonName).orElse("chứng thư gốc tin cậy");
            case NO_TRUSTED_ANCHOR -> "Chưa xác định — không đến chứng thư gốc tin cậy nào";
            case INCOMPLETE -> "Chưa xác định — thiếu chứng thư của CA trung gian";
            case INVALID -> "Không đạt — chuỗi chứng thư không hợp lệ";
        };
    }

    private void newPage() throws IOException {
        close();
        PDPage page = new PDPage(PDRectangle.A4);
        doc.addPage(page);
        cs = new PDPageContentStream(doc, page);
        y = HEIGHT - MARGIN;
    }

    private void close() throws IOException {
        if (cs != null) {
            cs.close();
            cs = null;
        }
    }

    private void centred(float size, String text) throws IOException {
        float w = font.getStringWidth(text) / 1000 * size;
        show(size, text, Math.max(MARGIN, (WIDTH - w) / 2));
        y -= size * 1.4f;
    }

    private void line(float size, String text, float x) throws IOException {
        paragraph(size, text, x);
    }

    private void field(String label, String value) throws IOException {
        field(MARGIN, label, value);
    }

    private void field(float x, String label, String value) throws IOException {
        paragraph(9.5f, label + ": " + value, x);
    }

    private void check(float x, String label, String value) throws IOException {
        paragraph(9.5f, label + ": " + value, x);
    }

    /** Writes {@code text} wrapped at the right margin, continuing on a new page at the bottom. */
    private void paragraph(float size, String text, float x) throws IOException {
        float max = WIDTH - MARGIN - x;
        for (String l : wrap(text, size, max)) {
            if (y < BOTTOM) {
                newPage();
            }
            show(size, l, x);
            y -= size * 1.3f;
        }
    }

    private List<String> wrap(String text, float size, float max) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = current.isEmpty() ? word : current + " " + word;
            if (!current.isEmpty() && width(candidate, size) > max) {
                lines.add(current.toString());
                current = new StringBuilder(word);
            } else {
                current = new StringBuilder(candidate);
            }
            while (width(current.toString(), size) > max && current.length() > 1) {
                // a word longer than the line (a path, a hash): cut it
                int cut = current.length() - 1;
                while (cut > 1 && width(current.substring(0, cut), size) > max) {
                    cut--;
                }
                lines.add(current.substring(0, cut));
                current = new StringBuilder(current.substring(cut));
            }
        }
        if (!current.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }

    private float width(String s, float size) throws IOException {
        return font.getStringWidth(printable(s)) / 1000 * size;
    }

    private void show(float size, String text, float x) throws IOException {
        cs.beginText();
        cs.setFont(font, size);
        cs.newLineAtOffset(x, y);
        cs.showText(printable(text));
        cs.endText();
    }

    /** Replaces what the font cannot draw (control characters, glyphs it lacks) with '?'. */
    private String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            boolean ok;
            try {
                ok = !Character.isISOControl(cp) && font.encode(new String(Character.toChars(cp))).length > 0;
            } catch (IOException | IllegalArgumentException e) {
                ok = false;
            }
            out.append(ok ? new String(Character.toChars(cp)) : "?");
        });
        return out.toString();
    }
}
