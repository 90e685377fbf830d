package vn.kyso.registry;

import java.util.List;

/**
 * The document types usage is counted by: the administrative documents of Decree 30/2020/NĐ-CP
 * Article 7, and the e-service forms agencies sign (tax, State Treasury, public procurement).
 * Signers pass one of these as {@code SignRequest.forDocument(format, type)}; reports list any
 * other value as it was given.
 */
public final class DocumentTypes {
    /** Decree 30/2020/NĐ-CP, Article 7: the kinds of administrative documents. */
    public static final List<String> ADMINISTRATIVE = List.of("Nghị quyết", "Quyết định", "Chỉ thị", "Quy chế",
            "Quy định", "Thông cáo", "Thông báo", "Hướng dẫn", "Chương trình", "Kế hoạch", "Phương án", "Đề án",
            "Dự án", "Báo cáo", "Biên bản", "Tờ trình", "Hợp đồng", "Công văn", "Công điện", "Bản ghi nhớ",
            "Bản thỏa thuận", "Giấy ủy quyền", "Giấy mời", "Giấy giới thiệu", "Giấy nghỉ phép", "Phiếu gửi",
            "Phiếu chuyển", "Phiếu báo", "Thư công");

    /** A tax declaration or other XML form sent through the tax authority's e-service. */
    public static final String TAX_FORM = "Tờ khai thuế";
    /** A payment voucher approved in the State Treasury's online public service. */
    public static final String TREASURY_VOUCHER = "Chứng từ Kho bạc";
    /** A bid or procurement document signed in the national e-procurement system. */
    public static final String PROCUREMENT = "Hồ sơ đấu thầu";

    /** The e-service forms. */
    public static final List<String> E_SERVICE_FORMS = List.of(TAX_FORM, TREASURY_VOUCHER, PROCUREMENT);

    private DocumentTypes() {
    }

    /** Whether {@code type} is one of the listed types (administrative or e-service form). */
    public static boolean isKnown(String type) {
        return ADMINISTRATIVE.contains(type) || E_SERVICE_FORMS.contains(type);
    }
}
