package vn.kyso.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;

/**
 * The demo's documents: an official letter laid out as Decree 30/2020 Appendix I shows one
 * (national motto, issuing body, number and symbol, place and date, subject, body, recipients,
 * signer's title with an anchor where the signature goes; the number and the date left to the
 * clerk), and the XML forms of the e-services.
 */
final class SampleDocuments {
    /** Where the leader's signature goes; the PDF format finds it by text (drawn invisible, so it never shows). */
    static final String SIGNATURE_ANCHOR = "{ky_so}";
    /** Where the clerk's document number goes: a form field replaces it before the first signature. */
    static final String NUMBER_ANCHOR = "{so_vb}";
    /** Where the issue date goes ("ngày 02 tháng 12 năm 2026"): a form field replaces it too. */
    static final String DATE_ANCHOR = "{ngay_ban_hanh}";
    /** Decree 30's size for the number, the date and the body. */
    static final float TEXT_SIZE = 13;

    private SampleDocuments() {
    }

    /**
     * The letter and where things sit on page 1 (PDF points from the lower left): the centre of
     * the signature anchor, the baseline of the signer's title, the end of the body text (for the
     * approval mark), and the width the date field needs.
     */
    record Letter(byte[] pdf, float signatureX, float signatureY, float titleY, float bodyEndX, float bodyEndY,
            float dateWidth) {
    }

    /**
     * A one-page official letter ("công văn") of the provincial Department of Industry and Trade,
     * in a Times-like font at Decree 30's sizes, with placeholders for the number, the issue date
     * and the signature.
     */
    static Letter officialLetter(InputStream fontFile) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDFont font = PDType0Font.load(doc, fontFile, true);
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            float cm = 72f / 2.54f;
            float left = 3 * cm;
            float right = PDRectangle.A4.getWidth() - 2 * cm;
            float top = PDRectangle.A4.getHeight() - 2 * cm;
            float leftColumn = left + 3.2f * cm;
            float rightColumn = right - 4.8f * cm;
            float dateWidth = width(font, TEXT_SIZE, "ngày 28 tháng 12 năm 2026") + 4;
            float signatureY;
            float titleY;
            float bodyEndX;
            float bodyEndY;
            try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
                centered(s, font, 12, "UBND TỈNH ĐỒNG NAI", leftColumn, top);
                centered(s, font, 12, "SỞ CÔNG THƯƠNG", leftColumn, top - 15);
                rule(s, leftColumn - 30, leftColumn + 30, top - 21.5f);
                centered(s, font, 12, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", rightColumn, top);
                centered(s, font, 13, "Độc lập - Tự do - Hạnh phúc", rightColumn, top - 15);
                rule(s, rightColumn - 75, rightColumn + 75, top - 21.5f);
                centered(s, font, TEXT_SIZE, "Số: " + NUMBER_ANCHOR + "/SCT-VP", leftColumn, top - 42);
                // centred as the finished line "Đồng Nai, ngày .. tháng .. năm 2026" will be
                String place = "Đồng Nai, ";
                float dateX = rightColumn - (width(font, TEXT_SIZE, place) + dateWidth) / 2;
                text(s, font, TEXT_SIZE, place + DATE_ANCHOR, dateX, top - 42);
                centered(s, font, 12, "V/v triển khai ký số văn bản điện tử", leftColumn, top - 60);
                float y = top - 100;
                centered(s, font, 14, "Kính gửi: Các phòng, đơn vị thuộc Sở", (left + right) / 2, y);
                y -= 30;
                String body = "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về chuyển đổi số, Sở Công Thương đề nghị "
                        + "các phòng, đơn vị thực hiện ký số 100% văn bản điện tử (trừ văn bản mật), bảo đảm chứng thư "
                        + "số còn hiệu lực và báo cáo tình hình sử dụng chữ ký số hằng tháng. Đề nghị các đơn vị "
                        + "nghiêm túc thực hiện./.";
                List<String> lines = wrap(font, TEXT_SIZE, body, right - left - cm);
                bodyEndX = left + cm;
                bodyEndY = y;
                for (String line : lines) {
                    text(s, font, TEXT_SIZE, line, left + cm, y);
                    bodyEndX = left + cm + width(font, TEXT_SIZE, line);
                    bodyEndY = y;
                    y -= 20;
                }
                y -= 22;
                text(s, font, 12, "Nơi nhận:", left, y);
                text(s, font, 11, "- Như trên;", left, y - 14);
                text(s, font, 11, "- Lưu: VT, VP.", left, y - 27);
                centered(s, font, 13, "GIÁM ĐỐC", rightColumn, y);
                titleY = y;
                s.setRenderingMode(RenderingMode.NEITHER);
                centered(s, font, 11, SIGNATURE_ANCHOR, rightColumn, y - 55);
                s.setRenderingMode(RenderingMode.FILL);
                signatureY = y - 55 + 11 * 0.35f;
                centered(s, font, 13, "Nguyễn Văn An", rightColumn, y - 118);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return new Letter(out.toByteArray(), rightColumn, signatureY, titleY, bodyEndX, bodyEndY, dateWidth);
        }
    }

    /** The issue date as Decree 30 writes it: a leading zero for days below 10 and for January and February. */
    static String issueDate(java.time.LocalDate date) {
        String day = date.getDayOfMonth() < 10 ? "0" + date.getDayOfMonth() : String.valueOf(date.getDayOfMonth());
        String month = date.getMonthValue() < 3 ? "0" + date.getMonthValue() : String.valueOf(date.getMonthValue());
        return "ngày " + day + " tháng " + month + " năm " + date.getYear();
    }

    /** A handwritten-looking signature: a blue stroke on a transparent background, as PNG. */
    static byte[] signatureImage() throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(300, 140,
                java.awt.image.BufferedImage.TYPE_INT_ARGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new java.awt.Color(20, 40, 160));
        g.setStroke(new java.awt.BasicStroke(5f, java.awt.BasicStroke.CAP_ROUND, java.awt.BasicStroke.JOIN_ROUND));
        java.awt.geom.Path2D path = new java.awt.geom.Path2D.Float();
        path.moveTo(20, 90);
        path.curveTo(60, 10, 90, 130, 120, 60);
        path.curveTo(140, 20, 170, 120, 200, 70);
        path.curveTo(220, 40, 250, 90, 285, 50);
        g.draw(path);
        g.drawLine(60, 110, 250, 100);
        g.dispose();
        return png(img);
    }

    /** A red round seal (rings and a star, no text) on a transparent background, as PNG. */
    static byte[] sealImage() throws IOException {
        int size = 300;
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(size, size,
                java.awt.image.BufferedImage.TYPE_INT_ARGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new java.awt.Color(220, 20, 30, 210));
        g.setStroke(new java.awt.BasicStroke(10f));
        g.drawOval(8, 8, size - 16, size - 16);
        g.setStroke(new java.awt.BasicStroke(4f));
        g.drawOval(70, 70, size - 140, size - 140);
        java.awt.geom.Path2D star = new java.awt.geom.Path2D.Float();
        for (int i = 0; i < 10; i++) {
            double r = i % 2 == 0 ? 55 : 22;
            double a = Math.PI / 2 + i * Math.PI / 5;
            double x = size / 2.0 + r * Math.cos(a);
            double y = size / 2.0 - r * Math.sin(a);
            if (i == 0) {
                star.moveTo(x, y);
            } else {
                star.lineTo(x, y);
            }
        }
        star.closePath();
        g.fill(star);
        for (int i = 0; i < 36; i++) {
            double a = i * Math.PI / 18;
            g.fillOval((int) (size / 2.0 + 112 * Math.cos(a)) - 6, (int) (size / 2.0 + 112 * Math.sin(a)) - 6, 12, 12);
        }
        g.dispose();
        return png(img);
    }

    private static byte[] png(java.awt.image.BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** A 01/GTGT-style VAT declaration as eTax receives it, with the empty CKyDTu slot its tools expect. */
    static String taxDeclaration() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <HSoThueDTu xmlns="http://kekhaithue.gdt.gov.vn/TKhaiThue"><HSoKhaiThue id="_NODE_TO_SIGN">\
                <TTinChung><TTinDVu><maDVu>HTKK</maDVu><tenDVu>HỖ TRỢ KÊ KHAI THUẾ</tenDVu></TTinDVu>\
                <TTinTKhaiThue><TKhaiThue><maTKhai>842</maTKhai><tenTKhai>TỜ KHAI THUẾ GIÁ TRỊ GIA TĂNG (Mẫu số 01/GTGT)</tenTKhai>\
                <KyKKhaiThue><kieuKy>M</kieuKy><kyKKhai>10/2026</kyKKhai></KyKKhaiThue></TKhaiThue>\
                <NNT><mst>3600123456</mst><tenNNT>Sở Công Thương tỉnh Đồng Nai</tenNNT></NNT></TTinTKhaiThue></TTinChung>\
                <CTieuTKhaiChinh><ct21>0</ct21><ct22>1250000</ct22><ct40>0</ct40></CTieuTKhaiChinh>\
                </HSoKhaiThue><CKyDTu></CKyDTu></HSoThueDTu>
                """;
    }

    /** An e-invoice (Circular 78/2021, format 1510) with empty seller, buyer and tax-authority slots. */
    static String eInvoice() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <HDon><DLHDon Id="_593651"><TTChung><PBan>2.1.0</PBan><THDon>HÓA ĐƠN GIÁ TRỊ GIA TĂNG</THDon>\
                <KHMSHDon>1</KHMSHDon><KHHDon>C26TKS</KHHDon><SHDon>2806</SHDon><NLap>2026-11-25</NLap><DVTTe>VND</DVTTe></TTChung>\
                <NDHDon><NBan><Ten>Công ty Cổ phần Giải pháp Kỳ Số (test)</Ten><MST>0312345678</MST>\
                <DChi>Thành phố Hồ Chí Minh</DChi></NBan><NMua><Ten>Sở Công Thương tỉnh Đồng Nai</Ten><MST>3600123456</MST>\
                <DChi>Biên Hòa, Đồng Nai</DChi></NMua><DSHHDVu><HHDVu><STT>1</STT><THHDVu>Thiết bị chữ ký số USB token</THHDVu>\
                <DVTinh>Cái</DVTinh><SLuong>10</SLuong><DGia>500000</DGia><ThTien>5000000</ThTien><TSuat>10%</TSuat></HHDVu></DSHHDVu>\
                <TToan><TgTCThue>5000000</TgTCThue><TgTThue>500000</TgTThue><TgTTTBSo>5500000</TgTTTBSo>\
                <TgTTTBChu>Năm triệu năm trăm nghìn đồng chẵn</TgTTTBChu></TToan></NDHDon></DLHDon>\
                <MCCQT Id="Id-mccqt-2806">M1-26-KYSO1-00000002806</MCCQT><DSCKS><NBan/><NMua/><CCKSKhac/><CQT/></DSCKS></HDon>
                """;
    }

    private static List<String> wrap(PDFont font, float size, String text, float width) throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (font.getStringWidth(candidate) / 1000f * size > width && !line.isEmpty()) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static void text(PDPageContentStream s, PDFont font, float size, String text, float x, float y)
            throws IOException {
        s.beginText();
        s.setFont(font, size);
        s.newLineAtOffset(x, y);
        s.showText(text);
        s.endText();
    }

    private static void centered(PDPageContentStream s, PDFont font, float size, String text, float centerX, float y)
            throws IOException {
        text(s, font, size, text, centerX - width(font, size, text) / 2, y);
    }

    private static float width(PDFont font, float size, String text) throws IOException {
        return font.getStringWidth(text) / 1000f * size;
    }

    private static void rule(PDPageContentStream s, float from, float to, float y) throws IOException {
        s.setLineWidth(0.6f);
        s.moveTo(from, y);
        s.lineTo(to, y);
        s.stroke();
    }
}
